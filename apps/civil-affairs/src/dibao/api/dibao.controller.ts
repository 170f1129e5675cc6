import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
  type PipeTransform,
} from '@nestjs/common';
import { Command, CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Throttle, ThrottlerGuard } from '@nestjs/throttler';
import { CurrentActor, Public, Roles, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  DecideObjectionCommand,
  RecordCountyReviewCommand,
  RecordRecheckCommand,
  RecordSpotCheckCommand,
  RecordStaffRelativeFilingCommand,
} from '../application/commands/county-steps.js';
import {
  ApproveApplicationCommand,
  ChangeAllowanceCommand,
  RejectApplicationCommand,
  SuspendAssistanceCommand,
} from '../application/commands/decide-application.js';
import { FileObjectionCommand } from '../application/commands/objections-and-deadlines.js';
import {
  ExtendDibaoDeadlineCommand,
  PostDibaoNoticeCommand,
  RecordAppraisalCommand,
  RecordInvestigationCommand,
  RecordTownshipReviewCommand,
  RecordVerificationCommand,
  SkipAppraisalCommand,
  StartInvestigationCommand,
  SubmitToCountyCommand,
} from '../application/commands/township-steps.js';
import {
  DibaoDocumentQuery,
  DibaoPaymentRosterQuery,
  ListDibaoApplicationsQuery,
  ListDibaoNoticesQuery,
  PublicDibaoNoticesQuery,
  PublicDibaoRecipientsQuery,
  ViewDibaoApplicationQuery,
  type ApplicationDetail,
  type DibaoDocument,
  type PaymentRoster,
  type RecipientList,
} from '../application/queries/dibao-queries.js';
import type { DibaoState } from '../domain/dibao-application.decider.js';
import {
  renderApprovalNotice,
  renderChangeNotice,
  renderRecipientList,
  renderRejectionNotice,
  renderRosterCsv,
  renderSuspensionNotice,
} from './dibao-documents.renderer.js';
import {
  ApplicationListQueryDto,
  DibaoAppraisalDto,
  ApproveDto,
  ChangeAllowanceDto,
  InvestigationDto,
  DibaoNoteDto,
  NoticeListQueryDto,
  ObjectionDecisionDto,
  PrintRecipientsQueryDto,
  PublicObjectionDto,
  DibaoReasonDto,
  RecheckDto,
  RecipientQueryDto,
  RejectDto,
  DibaoReviewDto,
  RosterQueryDto,
  SpotCheckDto,
  SuspendDto,
  VerificationDto,
} from './dibao.dto.js';
import { applicationView, stepView } from './dibao.view.js';

const READERS = ['township_officer', 'village_verifier', 'county_civil_affairs', 'auditor'] as const;

/** A month as YYYY-MM, refused with 422 naming the field otherwise. */
class ParseMonthPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) {
      throw new DomainError('VALIDATION_FAILED', `month：月份格式应为 YYYY-MM（收到 ${value}）`, 422, {
        field: 'month',
      });
    }
    return value;
  }
}

/**
 * Dibao and special-hardship applications (低保、特困审核确认): the township investigates and reviews,
 * the county decides. Each route builds a command or query and dispatches it; the result is the
 * application as it stands after the step (its detail view).
 */
@ApiTags('civil-affairs dibao')
@ApiBearerAuth()
@Controller('civil-affairs/dibao')
export class DibaoController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  /** A step's answer: where the application stands now, without personal data (no access to record). */
  private async step(command: Command<DibaoState>) {
    return stepView(await this.commands.execute(command));
  }

  private async detail(actor: AuthenticatedActor, id: string, purpose: string | null) {
    const { state, place }: ApplicationDetail = await this.queries.execute(
      new ViewDibaoApplicationQuery(actor, id, purpose),
    );
    return applicationView(state, place);
  }

  @Get('applications')
  @Roles('dibao:list', ...READERS)
  @ApiOperation({
    summary:
      '低保（特困）申请列表：本辖区，按状态、村（社区）、是否逾期、是否涉及经办人员近亲属筛选；姓名、身份证号脱敏；分页',
  })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: ApplicationListQueryDto) {
    return this.queries.execute(
      new ListDibaoApplicationsQuery(actor, {
        status: q.status,
        program: q.program,
        villageCode: q.villageCode,
        overdue: q.overdue,
        staffRelative: q.staffRelative,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('notices')
  @Roles('dibao:notices', ...READERS)
  @ApiOperation({ summary: '正在公示的申请（第一次、第二次公示），本辖区，分页' })
  notices(@CurrentActor() actor: AuthenticatedActor, @Query() q: NoticeListQueryDto) {
    return this.queries.execute(
      new ListDibaoNoticesQuery(actor, {
        villageCode: q.villageCode,
        kind: q.kind,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('applications/:id')
  @Roles('dibao:view', ...READERS)
  @ApiOperation({ summary: '申请详情：家庭成员、调查记录、各环节经办人与意见、期限；查看个人信息会被记录' })
  get(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('purpose') purpose?: string,
  ) {
    return this.detail(actor, id, purpose ?? null);
  }

  @Post('applications/:id/investigation/start')
  @HttpCode(200)
  @Roles('dibao:investigate', 'township_officer')
  @ApiOperation({ summary: '开始入户调查（乡镇、街道）：民政部门签收转办事项' })
  start(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.step(new StartInvestigationCommand(id, actor));
  }

  @Post('applications/:id/investigation')
  @HttpCode(200)
  @Roles('dibao:investigate', 'township_officer', 'village_verifier')
  @ApiOperation({
    summary: '入户调查记录（不少于2名调查人员；调查人员和申请人签字确认）；村（居）委会可代为记录',
  })
  investigate(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: InvestigationDto,
  ) {
    return this.step(
      new RecordInvestigationCommand(id, actor, {
        date: dto.date,
        investigators: dto.investigators,
        membersPresent: dto.membersPresent,
        household: dto.household.map((m) => ({
          name: m.name,
          idNumber: m.idNumber,
          relationship: m.relationship,
          disabled: m.disabled ?? false,
          seriousIllness: m.seriousIllness ?? false,
        })),
        area: dto.area,
        livingConditions: dto.livingConditions,
        incomes: dto.incomes.map((i) => ({
          memberIdNumber: i.memberIdNumber ?? null,
          source: i.source,
          monthlyAmount: i.monthlyAmount,
        })),
        assets: dto.assets.map((a) => ({ kind: a.kind, description: a.description, value: a.value ?? null })),
        investigatorsConfirmed: dto.investigatorsConfirmed,
        applicantConfirmed: dto.applicantConfirmed,
        specialHardship: dto.specialHardship
          ? {
              noWorkCapacity: dto.specialHardship.noWorkCapacity,
              noIncomeSource: dto.specialHardship.noIncomeSource,
              noSupporterAble: dto.specialHardship.noSupporterAble,
            }
          : null,
      }),
    );
  }

  @Post('applications/:id/verification')
  @HttpCode(200)
  @Roles('dibao:verify', 'township_officer')
  @ApiOperation({
    summary:
      '家庭经济状况核对结果：引用平台上的核对（各部门回复自动列入，须全部回复或已逾期），或人工录入各部门核对情况',
  })
  verify(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: VerificationDto,
  ) {
    return this.step(
      new RecordVerificationCommand(
        id,
        actor,
        dto.findings.map((f) => ({ department: f.department, findings: f.findings })),
        dto.conclusion,
        dto.verificationId ?? null,
      ),
    );
  }

  @Post('applications/:id/appraisal')
  @HttpCode(200)
  @Roles('dibao:appraise', 'township_officer', 'village_verifier')
  @ApiOperation({ summary: '民主评议：应到三分之二以上出席方为有效，出席三分之二以上同意方为通过' })
  appraise(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DibaoAppraisalDto,
  ) {
    return this.step(
      new RecordAppraisalCommand(id, actor, {
        date: dto.date,
        participantsDue: dto.participantsDue,
        attended: dto.attended,
        agreed: dto.agreed,
        signed: dto.signed,
        record: dto.record,
      }),
    );
  }

  @Post('applications/:id/appraisal/skip')
  @HttpCode(200)
  @Roles('dibao:appraise', 'township_officer')
  @ApiOperation({ summary: '不开展民主评议（须说明理由）' })
  skipAppraisal(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DibaoReasonDto,
  ) {
    return this.step(new SkipAppraisalCommand(id, actor, dto.reason));
  }

  @Post('applications/:id/township-review')
  @HttpCode(200)
  @Roles('dibao:township-review', 'township_officer')
  @ApiOperation({ summary: '乡镇（街道）审核意见（受理之日起15个工作日内，公示期不计入）' })
  townshipReview(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DibaoReviewDto,
  ) {
    return this.step(new RecordTownshipReviewCommand(id, actor, dto.recommendation, dto.opinion));
  }

  @Post('applications/:id/township-review/extend')
  @HttpCode(200)
  @Roles('dibao:township-review', 'township_officer')
  @ApiOperation({ summary: '延长审核期限（仅一次，15个工作日，须说明理由）' })
  extendTownshipReview(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DibaoReasonDto,
  ) {
    return this.step(new ExtendDibaoDeadlineCommand(id, actor, 'township_review', dto.reason));
  }

  @Post('applications/:id/first-notice')
  @HttpCode(200)
  @Roles('dibao:first-notice', 'township_officer')
  @ApiOperation({ summary: '第一次公示：在申请家庭所在村（社区）公示7天' })
  firstNotice(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.step(new PostDibaoNoticeCommand(id, actor, 'first'));
  }

  @Post('applications/:id/submit')
  @HttpCode(200)
  @Roles('dibao:submit', 'township_officer')
  @ApiOperation({
    summary: '报送旗县区民政部门（第一次公示期满无异议；不同意保障的直接报送）；同时抽取入户抽查样本',
  })
  submit(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.step(new SubmitToCountyCommand(id, actor));
  }

  @Post('applications/:id/staff-relative-filing')
  @HttpCode(200)
  @Roles('dibao:staff-relative-filing', 'county_civil_affairs')
  @ApiOperation({ summary: '经办人员及村（居）干部近亲属申请的备案（批准前必须备案）' })
  filing(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DibaoNoteDto,
  ) {
    return this.step(new RecordStaffRelativeFilingCommand(id, actor, dto.note));
  }

  @Post('applications/:id/county-review')
  @HttpCode(200)
  @Roles('dibao:county-review', 'county_civil_affairs')
  @ApiOperation({ summary: '旗县区审批：材料审查意见（审核人不得审批）' })
  countyReview(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DibaoReviewDto,
  ) {
    return this.step(new RecordCountyReviewCommand(id, actor, dto.recommendation, dto.opinion));
  }

  @Post('applications/:id/county-review/extend')
  @HttpCode(200)
  @Roles('dibao:county-review', 'county_civil_affairs')
  @ApiOperation({ summary: '延长审批期限（仅一次，10个工作日，须说明理由）' })
  extendCountyDecision(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DibaoReasonDto,
  ) {
    return this.step(new ExtendDibaoDeadlineCommand(id, actor, 'county_decision', dto.reason));
  }

  @Post('applications/:id/spot-check')
  @HttpCode(200)
  @Roles('dibao:spot-check', 'county_civil_affairs')
  @ApiOperation({ summary: '入户抽查记录（抽中的及经办人员近亲属申请必须入户核查）' })
  spotCheck(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SpotCheckDto,
  ) {
    return this.step(
      new RecordSpotCheckCommand(id, actor, {
        visitDate: dto.visitDate,
        visitors: dto.visitors,
        findings: dto.findings,
        confirmed: dto.confirmed,
      }),
    );
  }

  @Post('applications/:id/second-notice')
  @HttpCode(200)
  @Roles('dibao:second-notice', 'county_civil_affairs')
  @ApiOperation({ summary: '第二次公示：批准前公示7天' })
  secondNotice(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    return this.step(new PostDibaoNoticeCommand(id, actor, 'second'));
  }

  @Post('applications/:id/objections/:objectionId/decision')
  @HttpCode(200)
  @Roles('dibao:objections', 'county_civil_affairs')
  @ApiOperation({
    summary: '异议复核决定（20个工作日内）：成立的退回乡镇重新审核或不予保障，不成立的继续办理',
  })
  decideObjection(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('objectionId', ParseUUIDPipe) objectionId: string,
    @Body() dto: ObjectionDecisionDto,
  ) {
    return this.step(
      new DecideObjectionCommand(id, actor, objectionId, dto.result, dto.next ?? null, dto.opinion),
    );
  }

  @Post('applications/:id/approve')
  @HttpCode(200)
  @Roles('dibao:decide', 'county_civil_affairs', 'township_officer')
  @ApiOperation({
    summary:
      '批准保障：按决定之日生效的保障标准计算月保障金，出具保障决定书（编号按旗县区、文书类型、年度连续）',
  })
  approve(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ApproveDto,
  ) {
    return this.step(new ApproveApplicationCommand(id, actor, dto.opinion));
  }

  @Post('applications/:id/reject')
  @HttpCode(200)
  @Roles('dibao:decide', 'county_civil_affairs', 'township_officer')
  @ApiOperation({ summary: '不予保障：写明理由，出具不予保障通知书（告知行政复议、行政诉讼权利）' })
  reject(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RejectDto,
  ) {
    return this.step(new RejectApplicationCommand(id, actor, dto.reasons, dto.opinion));
  }

  @Post('applications/:id/recheck')
  @HttpCode(200)
  @Roles('dibao:recheck', 'township_officer', 'county_civil_affairs')
  @ApiOperation({ summary: '复查：对保障对象的定期复查记录（结论：继续保障、需变更、不再符合条件）' })
  recheck(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RecheckDto,
  ) {
    return this.step(new RecordRecheckCommand(id, actor, dto.date, dto.findings, dto.conclusion));
  }

  @Post('applications/:id/change')
  @HttpCode(200)
  @Roles('dibao:change', 'county_civil_affairs')
  @ApiOperation({
    summary:
      '变更保障金：复查结论为“情况有变化”后，按现在的家庭成员和收入、当日生效的保障标准重新计算，出具变更决定书',
  })
  change(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ChangeAllowanceDto,
  ) {
    return this.step(
      new ChangeAllowanceCommand(
        id,
        actor,
        dto.household.map((m) => ({
          name: m.name,
          idNumber: m.idNumber,
          relationship: m.relationship,
          disabled: m.disabled ?? false,
          seriousIllness: m.seriousIllness ?? false,
        })),
        dto.incomes.map((i) => ({
          memberIdNumber: i.memberIdNumber ?? null,
          source: i.source,
          monthlyAmount: i.monthlyAmount,
        })),
        dto.area,
        dto.opinion,
      ),
    );
  }

  @Post('applications/:id/suspend')
  @HttpCode(200)
  @Roles('dibao:suspend', 'county_civil_affairs')
  @ApiOperation({
    summary: '停保：写明理由，出具停止保障通知书（告知行政复议、行政诉讼权利）；移出长期公示和发放花名册',
  })
  suspend(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SuspendDto,
  ) {
    return this.step(new SuspendAssistanceCommand(id, actor, dto.reasons, dto.opinion));
  }

  @Get('rosters/:month')
  @Roles('dibao:roster', 'county_civil_affairs', 'auditor')
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      '发放花名册（CSV）：本旗县区该月应发放的保障对象（含姓名、身份证号，查看会被记录）；月份格式 YYYY-MM',
  })
  async roster(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('month', new ParseMonthPipe()) month: string,
    @Query() q: RosterQueryDto,
  ) {
    const roster: PaymentRoster = await this.queries.execute(
      new DibaoPaymentRosterQuery(actor, month, q.countyCode ?? null, q.purpose ?? null),
    );
    return renderRosterCsv(roster);
  }

  @Get('applications/:id/documents/:number')
  @Roles('dibao:documents', ...READERS)
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: '保障决定书、不予保障通知书（可打印的中文 HTML，含盖章处）' })
  async document(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('number') number: string,
  ) {
    const doc: DibaoDocument = await this.queries.execute(new DibaoDocumentQuery(actor, id, number));
    switch (doc.kind) {
      case 'approval':
        return renderApprovalNotice(doc.state, doc.place, doc.issuer);
      case 'rejection':
        return renderRejectionNotice(doc.state, doc.place, doc.issuer);
      case 'change':
        return renderChangeNotice(doc.state, doc.place, doc.issuer, doc.documentNumber);
      case 'suspension':
        return renderSuspensionNotice(doc.state, doc.place, doc.issuer);
    }
  }
}

/**
 * The public side of the procedure: what is on notice, objections without an account (rate-limited,
 * a reference given back), and the standing list of recipients. Names masked, no ID numbers.
 */
@ApiTags('public')
@Controller('public/dibao')
export class DibaoPublicController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Get('notices')
  @Public()
  // PUBLIC_RATE_LIMIT_PER_MINUTE per address (the default throttler), not a number fixed here.
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: '正在公示的低保、特困申请（姓名脱敏），按村（社区）筛选，分页；限流' })
  notices(@Query() q: NoticeListQueryDto) {
    return this.queries.execute(
      new PublicDibaoNoticesQuery({
        villageCode: q.villageCode,
        kind: q.kind,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Post('objections')
  @HttpCode(201)
  @Public()
  @UseGuards(ThrottlerGuard)
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  @ApiOperation({ summary: '对公示中的申请提出异议（无需登录，联系方式可不填）；返回异议编号；限流' })
  object(@Body() dto: PublicObjectionDto) {
    return this.commands.execute(
      new FileObjectionCommand(dto.applicationId, dto.content, dto.contact ?? null),
    );
  }

  @Get('recipients')
  @Public()
  // PUBLIC_RATE_LIMIT_PER_MINUTE per address (the default throttler), not a number fixed here.
  @UseGuards(ThrottlerGuard)
  @ApiOperation({
    summary: '长期公示：保障对象名单（姓名脱敏、保障人数、月保障金），按村（社区）或乡镇，分页；限流',
  })
  recipients(@Query() q: RecipientQueryDto) {
    return this.queries.execute(
      new PublicDibaoRecipientsQuery({
        villageCode: q.villageCode,
        townshipCode: q.townshipCode,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('recipients/print')
  @Public()
  // PUBLIC_RATE_LIMIT_PER_MINUTE per address (the default throttler), not a number fixed here.
  @UseGuards(ThrottlerGuard)
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: '长期公示（可打印的中文 HTML）：一个村（社区）的全部保障对象' })
  async printRecipients(@Query() q: PrintRecipientsQueryDto) {
    const list: RecipientList = await this.queries.execute(
      new PublicDibaoRecipientsQuery({ villageCode: q.villageCode, page: 1, pageSize: 500 }),
    );
    return renderRecipientList(list);
  }
}
