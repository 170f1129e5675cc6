import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorizer, CurrentActor, Roles, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import {
  ApproveByCountyCommand,
  GrantByTownshipCommand,
  RecordPaymentCommand,
  RefuseByCountyCommand,
  RefuseByTownshipCommand,
  SubmitToCountyCommand,
} from '../application/commands/decide-application.js';
import { SupplyMaterialCommand, WaiveObligationCommand } from '../application/commands/obligations.js';
import { RecordTemporaryAssistanceCommand } from '../application/commands/record-application.js';
import {
  ListObligationsQuery,
  ListTemporaryAssistanceQuery,
  ViewTemporaryAssistanceQuery,
} from '../application/queries/temporary-assistance-queries.js';
import type { TemporaryAssistanceState } from '../domain/temporary-assistance.decider.js';
import {
  GrantDto,
  ObligationListQueryDto,
  PaymentDto,
  RecordApplicationDto,
  RefuseDto,
  SubmitDto,
  TemporaryAssistanceListQueryDto,
  ViewQueryDto,
  WaiveDto,
} from './temporary-assistance.dto.js';
import { temporaryAssistanceView } from './temporary-assistance.view.js';

/**
 * 临时救助: the township window records and decides within its limit, or submits to the county; county
 * civil affairs decides above it; either records the payment. Auditors read.
 */
@ApiTags('temporary-assistance')
@ApiBearerAuth()
@Controller('civil-affairs/temporary-assistance')
export class TemporaryAssistanceController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  private view(state: TemporaryAssistanceState, full = false) {
    return temporaryAssistanceView(state, full, (code) => this.authz.tree.fullName(code));
  }

  @Post()
  @Roles('temporary-assistance:record', 'township_officer')
  @ApiOperation({ summary: '受理临时救助申请：家庭成员、困难类型与情况、申请金额、城乡类别、所在村（社区）' })
  async record(@CurrentActor() actor: AuthenticatedActor, @Body() dto: RecordApplicationDto) {
    return this.view(await this.commands.execute(new RecordTemporaryAssistanceCommand(dto, actor)));
  }

  @Get()
  @Roles('temporary-assistance:list', 'township_officer', 'county_civil_affairs', 'auditor')
  @ApiOperation({ summary: '本辖区临时救助申请列表：按状态筛选，分页；身份证号码脱敏' })
  list(@CurrentActor() actor: AuthenticatedActor, @Query() q: TemporaryAssistanceListQueryDto) {
    return this.queries.execute(
      new ListTemporaryAssistanceQuery(actor, {
        status: q.status,
        urgency: q.urgency,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get('obligations')
  @Roles('temporary-assistance:list', 'township_officer', 'county_civil_affairs', 'auditor')
  @ApiOperation({
    summary: '本辖区补充材料义务列表（绿色通道先行救助后待补的材料）：按状态筛选，分页，按期限先后；姓名脱敏',
  })
  listObligations(@CurrentActor() actor: AuthenticatedActor, @Query() q: ObligationListQueryDto) {
    return this.queries.execute(
      new ListObligationsQuery(actor, { status: q.status, page: q.page, pageSize: q.pageSize }),
    );
  }

  @Get(':id')
  @Roles('temporary-assistance:view', 'township_officer', 'county_civil_affairs', 'auditor')
  @ApiOperation({ summary: '临时救助申请详情：完整身份证号码；每次查看都记入个人信息查看记录' })
  async get(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ViewQueryDto,
  ) {
    return this.view(
      await this.queries.execute(new ViewTemporaryAssistanceQuery(actor, id, q.purpose ?? null)),
      true,
    );
  }

  @Post(':id/township-grant')
  @HttpCode(200)
  @Roles('temporary-assistance:township-decide', 'township_officer')
  @ApiOperation({ summary: '乡镇审批给予临时救助：金额不超过乡镇审批权限（倍数 × 当日低保标准）' })
  async grant(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: GrantDto,
  ) {
    return this.view(await this.commands.execute(new GrantByTownshipCommand(id, dto, actor)));
  }

  @Post(':id/township-refusal')
  @HttpCode(200)
  @Roles('temporary-assistance:township-decide', 'township_officer')
  @ApiOperation({ summary: '乡镇作出不予救助决定：须说明理由' })
  async refuseByTownship(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RefuseDto,
  ) {
    return this.view(await this.commands.execute(new RefuseByTownshipCommand(id, dto, actor)));
  }

  @Post(':id/submit-to-county')
  @HttpCode(200)
  @Roles('temporary-assistance:submit', 'township_officer')
  @ApiOperation({ summary: '超出乡镇审批权限，报旗县区民政部门审批：附乡镇审核意见和建议金额' })
  async submit(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SubmitDto,
  ) {
    return this.view(await this.commands.execute(new SubmitToCountyCommand(id, dto, actor)));
  }

  @Post(':id/county-approval')
  @HttpCode(200)
  @Roles('temporary-assistance:county-decide', 'county_civil_affairs')
  @ApiOperation({ summary: '旗县区民政部门批准临时救助金额（不得审批本人受理或上报的申请）' })
  async approve(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: GrantDto,
  ) {
    return this.view(await this.commands.execute(new ApproveByCountyCommand(id, dto, actor)));
  }

  @Post(':id/county-refusal')
  @HttpCode(200)
  @Roles('temporary-assistance:county-decide', 'county_civil_affairs')
  @ApiOperation({ summary: '旗县区民政部门作出不予救助决定：须说明理由' })
  async refuseByCounty(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RefuseDto,
  ) {
    return this.view(await this.commands.execute(new RefuseByCountyCommand(id, dto, actor)));
  }

  @Post(':id/payment')
  @HttpCode(200)
  @Roles('temporary-assistance:pay', 'township_officer', 'county_civil_affairs')
  @ApiOperation({ summary: '登记临时救助金发放：发放日期、发放方式（现金或银行转账）' })
  async pay(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PaymentDto,
  ) {
    return this.view(await this.commands.execute(new RecordPaymentCommand(id, dto, actor)));
  }

  @Post(':id/obligations/:no/supplied')
  @HttpCode(200)
  @Roles('temporary-assistance:obligations', 'township_officer', 'county_civil_affairs')
  @ApiOperation({ summary: '登记已补充的材料：履行该项补充材料义务（逾期补充的注明逾期）' })
  async supplied(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('no') no: string,
  ) {
    return this.view(await this.commands.execute(new SupplyMaterialCommand(id, obligationNo(no), actor)));
  }

  @Post(':id/obligations/:no/waiver')
  @HttpCode(200)
  @Roles('temporary-assistance:waive-obligation', 'county_civil_affairs')
  @ApiOperation({ summary: '旗县区民政部门免除一项补充材料义务：须说明理由' })
  async waive(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('no') no: string,
    @Body() dto: WaiveDto,
  ) {
    return this.view(
      await this.commands.execute(new WaiveObligationCommand(id, obligationNo(no), dto, actor)),
    );
  }
}

/** The obligation's number in the path: 422 naming it unless a positive integer. */
function obligationNo(value: string): number {
  if (!/^[1-9]\d{0,2}$/.test(value)) {
    throw new DomainError(
      'INVALID_OBLIGATION_NO',
      `no：补充材料义务序号应为正整数（收到「${value}」）`,
      422,
      {
        field: 'no',
      },
    );
  }
  return Number(value);
}
