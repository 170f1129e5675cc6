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
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AccessLogQueryDto, CurrentActor, Public, Roles, type AuthenticatedActor } from '@platform/auth';
import { AcceptCaseCommand } from '../application/commands/accept-case.js';
import { ReissueQueryCodeCommand } from '../application/commands/reissue-query-code.js';
import { RecordGovernmentResponseCommand } from '../application/commands/government-response.js';
import {
  RecordExternalOutcomeCommand,
  RerouteReferralCommand,
  RevokeCaseReferralCommand,
} from '../application/commands/case-referrals.js';
import { OpenCaseCommand } from '../application/commands/open-case.js';
import {
  CaseNoticeQuery,
  GovernmentReportQuery,
  GovernmentReportsQuery,
  IntakeAccessLogQuery,
  ListCasesQuery,
  ListReportedCasesQuery,
  OnCallQuery,
  ReportedCaseQuery,
  PublicProgressQuery,
  ViewCaseQuery,
} from '../application/queries/case-queries.js';
import {
  AcceptCaseDto,
  ReissueQueryCodeDto,
  CaseListQueryDto,
  ExternalOutcomeDto,
  GovernmentReportsQueryDto,
  GovernmentResponseDto,
  OnCallQueryDto,
  PageQueryDto,
  OpenCaseDto,
  ProgressQueryDto,
  RerouteDto,
  RevokeDto,
} from './case.dto.js';
import { caseView, progressView, reporterView } from './case.view.js';
import { renderAcceptanceNotice, renderOneTimeNotification } from './notice.renderer.js';

const FULL_DETAIL_ROLES = new Set([
  'township_officer',
  'county_civil_affairs',
  'village_verifier',
  'auditor',
]);

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('cases:open', 'township_officer', 'county_civil_affairs', 'village_verifier', 'social_worker')
  @ApiOperation({ summary: '登记求助（窗口、热线、主动发现）；同时出具一次性告知书' })
  async open(@CurrentActor() actor: AuthenticatedActor, @Body() dto: OpenCaseDto) {
    const state = await this.commands.execute(new OpenCaseCommand(dto, actor));
    const view = caseView(state, FULL_DETAIL_ROLES.has(actor.role));
    // An urgent case: whoever registered it learns at once whom to call in its county.
    if (state.urgency !== 'urgent') return view;
    return { ...view, onCall: await this.queries.execute(new OnCallQuery(actor, state.countyCode)) };
  }

  @Get()
  @Roles('cases:list', 'township_officer', 'village_verifier', 'county_civil_affairs', 'auditor')
  @ApiOperation({ summary: '本辖区案件列表（姓名、身份证号脱敏），分页' })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: CaseListQueryDto) {
    return this.queries.execute(
      new ListCasesQuery(actor, { status: q.status, page: q.page, pageSize: q.pageSize }),
    );
  }

  @Get('reported')
  @Roles(
    'cases:follow-reports',
    'social_worker',
    'village_verifier',
    'township_officer',
    'county_civil_affairs',
  )
  @ApiOperation({
    summary: '我报告的案件：社工、村委会等报告人跟踪办理进度（不含个人信息），最新在前，分页',
  })
  async reported(@CurrentActor() actor: AuthenticatedActor, @Query() q: PageQueryDto) {
    const page = await this.queries.execute(new ListReportedCasesQuery(actor, q.page, q.pageSize));
    return { ...page, items: page.items.map((c) => reporterView(c.state, c.villageName)) };
  }

  @Get('reported/:id')
  @Roles(
    'cases:follow-reports',
    'social_worker',
    'village_verifier',
    'township_officer',
    'county_civil_affairs',
  )
  @ApiOperation({ summary: '我报告的一个案件的办理进度（仅报告人本人可见，不含个人信息）' })
  async reportedOne(@CurrentActor() actor: AuthenticatedActor, @Param('id', ParseUUIDPipe) id: string) {
    const c = await this.queries.execute(new ReportedCaseQuery(actor, id));
    return reporterView(c.state, c.villageName);
  }

  @Get(':id')
  @Roles('cases:view', 'township_officer', 'village_verifier', 'county_civil_affairs', 'auditor')
  @ApiOperation({ summary: '案件详情：各项需求的转办状态；查看个人信息会被记录' })
  async get(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query('purpose') purpose?: string,
  ) {
    return caseView(await this.queries.execute(new ViewCaseQuery(actor, id, purpose ?? null)), true);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Roles('cases:accept', 'township_officer')
  @ApiOperation({ summary: '受理（仅乡镇/街道窗口）：出具受理通知书并按转办规则转有关部门' })
  async accept(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AcceptCaseDto,
  ) {
    return caseView(
      await this.commands.execute(new AcceptCaseCommand(id, actor, dto?.contactPhone ?? null)),
      true,
    );
  }

  @Post(':id/query-code')
  @HttpCode(200)
  @Roles('cases:query-code', 'township_officer')
  @ApiOperation({
    summary:
      '重新生成查询码（仅乡镇/街道窗口）：旧码作废，解除因连续输错而暂停的公众查询；请重新打印受理通知书',
  })
  async reissueQueryCode(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReissueQueryCodeDto,
  ) {
    return caseView(await this.commands.execute(new ReissueQueryCodeCommand(id, dto.reason, actor)), true);
  }

  @Post(':id/referrals/:referralId/reroute')
  @HttpCode(200)
  @Roles('cases:reroute', 'township_officer')
  @ApiOperation({ summary: '被退回的转办：改派其他部门或上报同级政府' })
  async reroute(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('referralId', ParseUUIDPipe) referralId: string,
    @Body() dto: RerouteDto,
  ) {
    return caseView(
      await this.commands.execute(new RerouteReferralCommand(id, referralId, dto, actor)),
      true,
    );
  }

  @Post(':id/referrals/:referralId/revoke')
  @HttpCode(200)
  @Roles('cases:revoke-referral', 'township_officer', 'county_civil_affairs')
  @ApiOperation({ summary: '撤回转办（须说明理由，办结前）' })
  async revoke(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('referralId', ParseUUIDPipe) referralId: string,
    @Body() dto: RevokeDto,
  ) {
    return caseView(
      await this.commands.execute(new RevokeCaseReferralCommand(id, referralId, dto.reason, actor)),
      true,
    );
  }

  @Post(':id/referrals/:referralId/external-outcome')
  @HttpCode(200)
  @Roles('cases:external-outcome', 'township_officer')
  @ApiOperation({ summary: '登记平台外部门（如人社部门）的办理结果' })
  async externalOutcome(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('referralId', ParseUUIDPipe) referralId: string,
    @Body() dto: ExternalOutcomeDto,
  ) {
    return caseView(
      await this.commands.execute(
        new RecordExternalOutcomeCommand(id, referralId, dto.outcome, dto.note, actor),
      ),
      true,
    );
  }

  @Get(':id/notices/:number')
  @Roles('cases:notices', 'township_officer', 'village_verifier', 'county_civil_affairs', 'auditor')
  @Header('content-type', 'text/html; charset=utf-8')
  @ApiProduces('text/html')
  @ApiOperation({ summary: '告知书、受理通知书（可打印的中文 HTML）' })
  async notice(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('number') number: string,
  ) {
    const { state, kind, issuer } = await this.queries.execute(new CaseNoticeQuery(actor, id, number));
    return kind === 'one_time_notification'
      ? renderOneTimeNotification(state, number, issuer)
      : renderAcceptanceNotice(state, number, issuer);
  }
}

@ApiTags('public')
@Controller('public')
export class PublicProgressController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get('progress')
  @Public()
  // PUBLIC_RATE_LIMIT_PER_MINUTE per address (the default throttler), not a number fixed here.
  @UseGuards(ThrottlerGuard)
  @ApiOperation({ summary: '公众查询办理进度：案件编号 + 查询码；不含个人信息；限流' })
  async progress(@Query() q: ProgressQueryDto) {
    return progressView(await this.queries.execute(new PublicProgressQuery(q.caseNumber, q.queryCode)));
  }
}

@ApiTags('urgent')
@ApiBearerAuth()
@Controller('urgent')
export class UrgentController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get('on-call')
  @Roles(
    'urgent:on-call',
    'township_officer',
    'village_verifier',
    'county_civil_affairs',
    'social_worker',
    'health_officer',
    'housing_officer',
    'education_officer',
    'government_liaison',
    'joint_meeting_viewer',
  )
  @ApiOperation({ summary: '救急难值班表：某旗县区的值班人员和电话（不填 countyCode 时为本人所在旗县区）' })
  onCall(@CurrentActor() actor: AuthenticatedActor, @Query() q: OnCallQueryDto) {
    return this.queries.execute(new OnCallQuery(actor, q.countyCode ?? null));
  }
}

@ApiTags('government')
@ApiBearerAuth()
@Controller('government')
export class GovernmentController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  @Get('reports')
  @Roles('government:reports', 'government_liaison', 'auditor', 'joint_meeting_viewer', 'township_officer')
  @ApiOperation({
    summary:
      '上报同级政府的事项（无责任部门或无适用政策）及政府处理情况，逾期未回复优先，分页；联络人看本级政府辖区，乡镇窗口看本乡镇上报的',
  })
  reports(@CurrentActor() actor: AuthenticatedActor, @Query() q: GovernmentReportsQueryDto) {
    return this.queries.execute(new GovernmentReportsQuery(actor, q.page, q.pageSize, q.status ?? null));
  }

  @Post('reports/:caseId/:needId/response')
  @HttpCode(200)
  @Roles('government:respond', 'government_liaison')
  @ApiOperation({ summary: '登记政府对上报事项的处理结果（决定、责任部门、金额、跟进），登记后该事项办结' })
  async respond(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('caseId', ParseUUIDPipe) caseId: string,
    @Param('needId') needId: string,
    @Body() dto: GovernmentResponseDto,
  ) {
    const state = await this.commands.execute(
      new RecordGovernmentResponseCommand(
        caseId,
        needId,
        {
          decision: dto.decision,
          responsibleDepartment: dto.responsibleDepartment ?? null,
          amount: dto.amount ?? null,
          followUp: dto.followUp ?? null,
        },
        actor,
      ),
    );
    const report = state.reportedToGovernment.filter((g) => g.needId === needId).at(-1)!;
    return this.queries.execute(new GovernmentReportQuery(actor, caseId, report, state));
  }
}

@ApiTags('audit')
@ApiBearerAuth()
@Controller('intake/audit')
export class IntakeAuditController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get('access-log')
  @Roles('audit:access-log', 'auditor')
  @ApiOperation({ summary: '个人信息查看记录（谁、何时、查看了什么、为何），分页' })
  accessLog(@Query() q: AccessLogQueryDto) {
    return this.queries.execute(new IntakeAccessLogQuery(q));
  }
}
