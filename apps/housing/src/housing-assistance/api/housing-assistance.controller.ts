import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegisterRoutes } from '@platform/assistance-register';
import { Authorizer, CurrentActor, Roles, type AuthenticatedActor } from '@platform/auth';
import {
  AllocateUnitCommand,
  JoinWaitingListCommand,
  RemoveFromWaitingListCommand,
  type WaitingListOutcome,
} from '../application/commands/public-rental.js';
import {
  DisburseRentalSubsidyCommand,
  GrantRentalSubsidyCommand,
  RecordSubsidyReviewCommand,
  StopRentalSubsidyCommand,
} from '../application/commands/rental-subsidy.js';
import {
  ApproveRenovationCommand,
  CompleteWorksCommand,
  PayRenovationSubsidyCommand,
  RecordAcceptanceCommand,
  RecordAppraisalCommand,
  StartWorksCommand,
} from '../application/commands/renovation.js';
import {
  ListHousingCasesQuery,
  ListHousingRegisterQuery,
  LookupHousingRegisterQuery,
  ViewRenovationQuery,
  ViewRentalSubsidyQuery,
  ViewWaitingListQuery,
} from '../application/queries/housing-queries.js';
import type { HouseRenovationState } from '../domain/house-renovation.decider.js';
import type { RentalSubsidyState } from '../domain/rental-subsidy.decider.js';
import {
  AcceptanceDto,
  AllocateUnitDto,
  CompleteWorksDto,
  DisburseMonthDto,
  DocumentNumberDto,
  GrantRentalSubsidyDto,
  JoinWaitingListDto,
  HousingPaymentDto,
  HousingReasonDto,
  RecordAppraisalDto,
  RenovationListQueryDto,
  SubsidyListQueryDto,
  HousingRegisterListQueryDto,
  HousingRegisterLookupDto,
  HousingReviewDto,
  StartWorksDto,
  StopSubsidyDto,
  HousingViewQueryDto,
  WaitingListQueryDto,
} from './housing-assistance.dto.js';
import { applicationView, renovationView, subsidyView } from './housing-assistance.view.js';

const OFFICER = 'housing_officer' as const;
const READERS = ['housing_officer', 'auditor'] as const;

/**
 * Housing assistance (住房救助) for the housing department: rural dangerous-house renovation, the public
 * rental housing waiting list, rental subsidies, and the register of assistance given. Each route builds a
 * command or query and dispatches it; answers to writes mask ID numbers, detail views (recorded in the
 * access log) show them in full.
 */
@ApiTags('housing assistance')
@ApiBearerAuth()
@Controller('housing')
export class HousingAssistanceController extends RegisterRoutes({
  // 住房救助台账
  permissionPrefix: 'housing-register',
  readers: READERS,
  listDto: HousingRegisterListQueryDto,
  lookupDto: HousingRegisterLookupDto,
  listQuery: (actor, q) =>
    new ListHousingRegisterQuery(actor, {
      programme: q.programme,
      jurisdictionCode: q.jurisdictionCode,
      from: q.from,
      to: q.to,
      page: q.page,
      pageSize: q.pageSize,
    }),
  lookupQuery: (actor, dto) => new LookupHousingRegisterQuery(actor, dto.idNumbers, dto.purpose ?? null),
  listSummary: '住房救助台账：本辖区已给予的救助，按项目、区划、日期筛选，分页；身份证号码脱敏',
  lookupSummary:
    '按家庭成员身份证号码查询住房救助台账（本辖区）；完整身份证号码，每次查询都记入个人信息查看记录',
}) {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) protected readonly queries: QueryBus,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {
    super();
  }

  private readonly placeName = (code: string) => this.authz.tree.fullName(code);

  private renovation(state: HouseRenovationState, full = false) {
    return renovationView(state, full, this.placeName);
  }

  private subsidy(state: RentalSubsidyState, full = false) {
    return subsidyView(state, full, this.placeName);
  }

  private application(o: WaitingListOutcome) {
    return applicationView(o.state, o.applicationId, o.today, o.priorityCategories, this.placeName);
  }

  // ------------------------------------------------------------------------------------------------
  // 农村危房改造

  @Post('renovations')
  @Roles('house-renovation:appraise', OFFICER)
  @ApiOperation({
    summary:
      '登记危房鉴定，建立改造项目：C、D级且家庭类别符合的待审批；A、B级或类别不符的不予改造（说明理由）',
  })
  async appraise(@CurrentActor() actor: AuthenticatedActor, @Body() dto: RecordAppraisalDto) {
    return this.renovation(await this.commands.execute(new RecordAppraisalCommand(dto, actor)));
  }

  @Get('renovations')
  @Roles('house-renovation:list', ...READERS)
  @ApiOperation({
    summary: '危房改造项目列表：本辖区，按状态、区划、户主筛选，最近办理的在前，分页；姓名与身份证号码脱敏',
  })
  renovations(@CurrentActor() actor: AuthenticatedActor, @Query() q: RenovationListQueryDto) {
    return this.queries.execute(
      new ListHousingCasesQuery(actor, 'renovation', {
        status: q.status,
        head: q.head,
        jurisdictionCode: q.jurisdictionCode,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('renovations/:id')
  @Roles('house-renovation:view', ...READERS)
  @ApiOperation({ summary: '危房改造项目详情：完整身份证号码与房屋地址；每次查看都记入个人信息查看记录' })
  async viewRenovation(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: HousingViewQueryDto,
  ) {
    return this.renovation(
      await this.queries.execute(new ViewRenovationQuery(actor, id, q.purpose ?? null)),
      true,
    );
  }

  @Post('renovations/:id/approval')
  @HttpCode(200)
  @Roles('house-renovation:approve', OFFICER)
  @ApiOperation({
    summary: '批准改造：按鉴定等级核定补助（C级修缮加固、D级拆除重建，标准取当日生效的政策参数）',
  })
  async approve(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DocumentNumberDto,
  ) {
    return this.renovation(
      await this.commands.execute(new ApproveRenovationCommand(id, actor, dto.documentNumber)),
    );
  }

  @Post('renovations/:id/start')
  @HttpCode(200)
  @Roles('house-renovation:works', OFFICER)
  @ApiOperation({ summary: '登记开工' })
  async start(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: StartWorksDto,
  ) {
    return this.renovation(await this.commands.execute(new StartWorksCommand(id, actor, dto.startedOn)));
  }

  @Post('renovations/:id/completion')
  @HttpCode(200)
  @Roles('house-renovation:works', OFFICER)
  @ApiOperation({ summary: '登记竣工（验收不合格整改完成后再次登记）' })
  async complete(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CompleteWorksDto,
  ) {
    return this.renovation(await this.commands.execute(new CompleteWorksCommand(id, actor, dto.completedOn)));
  }

  @Post('renovations/:id/acceptance')
  @HttpCode(200)
  @Roles('house-renovation:accept', OFFICER)
  @ApiOperation({ summary: '竣工验收（不少于2名验收人员）：合格待拨付，不合格整改' })
  async accept(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: AcceptanceDto,
  ) {
    return this.renovation(
      await this.commands.execute(
        new RecordAcceptanceCommand(id, actor, {
          inspectedOn: dto.inspectedOn,
          passed: dto.passed,
          inspectors: dto.inspectors,
          findings: dto.findings,
        }),
      ),
    );
  }

  @Post('renovations/:id/payment')
  @HttpCode(200)
  @Roles('house-renovation:pay', OFFICER)
  @ApiOperation({ summary: '拨付改造补助（验收合格后，按批准金额一次拨付），记入住房救助台账' })
  async pay(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: HousingPaymentDto,
  ) {
    return this.renovation(
      await this.commands.execute(
        new PayRenovationSubsidyCommand(id, actor, {
          paymentReference: dto.paymentReference,
          paidOn: dto.paidOn,
        }),
      ),
    );
  }

  // ------------------------------------------------------------------------------------------------
  // 公共租赁住房

  @Post('public-rental/:countyCode/applications')
  @Roles('public-rental:join', OFFICER)
  @ApiOperation({ summary: '公租房轮候登记：低保、特困家庭优先（以民政部门认定为准），其余按申请日期排序' })
  async join(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('countyCode') countyCode: string,
    @Body() dto: JoinWaitingListDto,
  ) {
    return this.application(
      await this.commands.execute(
        new JoinWaitingListCommand(
          countyCode,
          {
            household: dto.household,
            jurisdictionCode: dto.jurisdictionCode,
            category: dto.category,
            appliedOn: dto.appliedOn,
          },
          actor,
        ),
      ),
    );
  }

  @Get('public-rental/:countyCode/waiting-list')
  @Roles('public-rental:view', ...READERS)
  @ApiOperation({ summary: '公租房轮候名单：按配租顺序（优先类别在前，再按申请日期），分页；身份证号码脱敏' })
  waitingList(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('countyCode') countyCode: string,
    @Query() q: WaitingListQueryDto,
  ) {
    return this.queries.execute(
      new ViewWaitingListQuery(actor, countyCode, { day: q.day, page: q.page, pageSize: q.pageSize }),
    );
  }

  @Post('public-rental/:countyCode/applications/:applicationId/allocation')
  @HttpCode(200)
  @Roles('public-rental:allocate', OFFICER)
  @ApiOperation({ summary: '配租：房源只能配给当日轮候名单首位的家庭，记入住房救助台账' })
  async allocate(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('countyCode') countyCode: string,
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Body() dto: AllocateUnitDto,
  ) {
    return this.application(
      await this.commands.execute(
        new AllocateUnitCommand(
          countyCode,
          applicationId,
          {
            unit: {
              unitId: dto.unit.unitId,
              address: dto.unit.address,
              bedrooms: dto.unit.bedrooms,
              areaM2: dto.unit.areaM2,
            },
            allocatedOn: dto.allocatedOn,
            documentNumber: dto.documentNumber,
          },
          actor,
        ),
      ),
    );
  }

  @Post('public-rental/:countyCode/applications/:applicationId/removal')
  @HttpCode(200)
  @Roles('public-rental:remove', OFFICER)
  @ApiOperation({ summary: '移出轮候名单（须说明理由）' })
  async remove(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('countyCode') countyCode: string,
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Body() dto: HousingReasonDto,
  ) {
    return this.application(
      await this.commands.execute(
        new RemoveFromWaitingListCommand(countyCode, applicationId, dto.reason, actor),
      ),
    );
  }

  // ------------------------------------------------------------------------------------------------
  // 租赁补贴

  @Post('rental-subsidies')
  @Roles('rental-subsidy:grant', OFFICER)
  @ApiOperation({ summary: '批准租赁补贴：按家庭人口核定月补贴标准，定期复核' })
  async grant(@CurrentActor() actor: AuthenticatedActor, @Body() dto: GrantRentalSubsidyDto) {
    return this.subsidy(
      await this.commands.execute(
        new GrantRentalSubsidyCommand(
          {
            household: dto.household,
            jurisdictionCode: dto.jurisdictionCode,
            category: dto.category,
            firstMonth: dto.firstMonth,
            documentNumber: dto.documentNumber,
          },
          actor,
        ),
      ),
    );
  }

  @Get('rental-subsidies')
  @Roles('rental-subsidy:list', ...READERS)
  @ApiOperation({
    summary: '租赁补贴列表：本辖区，按状态、区划、户主筛选，最近办理的在前，分页；姓名与身份证号码脱敏',
  })
  subsidies(@CurrentActor() actor: AuthenticatedActor, @Query() q: SubsidyListQueryDto) {
    return this.queries.execute(
      new ListHousingCasesQuery(actor, 'rental_subsidy', {
        status: q.status,
        head: q.head,
        jurisdictionCode: q.jurisdictionCode,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('rental-subsidies/:id')
  @Roles('rental-subsidy:view', ...READERS)
  @ApiOperation({
    summary: '租赁补贴详情：逐月发放记录、复核期限；完整身份证号码，每次查看都记入个人信息查看记录',
  })
  async viewSubsidy(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: HousingViewQueryDto,
  ) {
    return this.subsidy(
      await this.queries.execute(new ViewRentalSubsidyQuery(actor, id, q.purpose ?? null)),
      true,
    );
  }

  @Post('rental-subsidies/:id/payments')
  @HttpCode(200)
  @Roles('rental-subsidy:pay', OFFICER)
  @ApiOperation({
    summary:
      '发放一个月的租赁补贴（按该月1日生效的标准和当月家庭人口；逾期未复核的月份不发放），记入住房救助台账',
  })
  async disburse(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DisburseMonthDto,
  ) {
    return this.subsidy(
      await this.commands.execute(
        new DisburseRentalSubsidyCommand(
          id,
          { month: dto.month, paymentReference: dto.paymentReference, paidOn: dto.paidOn },
          actor,
        ),
      ),
    );
  }

  @Post('rental-subsidies/:id/reviews')
  @HttpCode(200)
  @Roles('rental-subsidy:review', OFFICER)
  @ApiOperation({ summary: '定期复核：通过的按复核时家庭人口发放、顺延下次复核；未通过的停发' })
  async review(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: HousingReviewDto,
  ) {
    return this.subsidy(
      await this.commands.execute(
        new RecordSubsidyReviewCommand(
          id,
          {
            reviewedOn: dto.reviewedOn,
            passed: dto.passed,
            findings: dto.findings,
            household: dto.household,
            category: dto.category,
          },
          actor,
        ),
      ),
    );
  }

  @Post('rental-subsidies/:id/stop')
  @HttpCode(200)
  @Roles('rental-subsidy:stop', OFFICER)
  @ApiOperation({ summary: '停发租赁补贴（自某月起，须说明理由）' })
  async stop(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: StopSubsidyDto,
  ) {
    return this.subsidy(
      await this.commands.execute(
        new StopRentalSubsidyCommand(id, { reason: dto.reason, stoppedFrom: dto.stoppedFrom }, actor),
      ),
    );
  }
}
