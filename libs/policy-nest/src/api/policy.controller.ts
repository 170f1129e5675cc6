import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Roles, type AuthenticatedActor, type Role } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { ChangePolicyTableCommand, LoadCalendarYearCommand } from '../application/commands/change-policy.js';
import {
  ListPolicyTablesQuery,
  PolicyTableAsOfQuery,
  PolicyTableHistoryQuery,
} from '../application/queries/policy-queries.js';
import { isPolicyTableName, POLICY_TABLE_NAMES, type PolicyTableName } from '@platform/policy';
import { AsOfQueryDto, ChangePolicyDto, LoadCalendarYearDto, PolicyHistoryQueryDto } from './policy.dto.js';

/** Everyone whose work a policy table governs may read it; only administrators change it. */
const READERS: Role[] = [
  'admin',
  'auditor',
  'joint_meeting_viewer',
  'government_liaison',
  'county_civil_affairs',
  'township_officer',
  'health_officer',
  'housing_officer',
  'education_officer',
];

function tableOf(name: string): PolicyTableName {
  if (!isPolicyTableName(name)) {
    throw new DomainError(
      'POLICY_TABLE_NOT_FOUND',
      `没有名为 ${name} 的政策参数表（可选：${POLICY_TABLE_NAMES.join('、')}）`,
      404,
    );
  }
  return name;
}

@ApiTags('administration: policy tables')
@ApiBearerAuth()
@Controller('admin/policy')
export class PolicyController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @Get()
  @Roles('policy:read', ...READERS)
  @ApiOperation({ summary: '全部政策参数表：今天生效的版本、已排定的将来版本、缺少的工作日历年份' })
  list() {
    return this.queries.execute(new ListPolicyTablesQuery());
  }

  @Get(':table')
  @Roles('policy:read', ...READERS)
  @ApiParam({ name: 'table', enum: POLICY_TABLE_NAMES })
  @ApiOperation({ summary: '某一日生效的版本（?asOf=YYYY-MM-DD，缺省为今天）' })
  asOf(@Param('table') table: string, @Query() q: AsOfQueryDto) {
    return this.queries.execute(new PolicyTableAsOfQuery(tableOf(table), q.asOf));
  }

  @Get(':table/versions')
  @Roles('policy:read', ...READERS)
  @ApiParam({ name: 'table', enum: POLICY_TABLE_NAMES })
  @ApiOperation({ summary: '全部版本（新到旧），分页：内容、生效日期、理由、调整人' })
  history(@Param('table') table: string, @Query() q: PolicyHistoryQueryDto) {
    return this.queries.execute(new PolicyTableHistoryQuery(tableOf(table), q.page, q.pageSize));
  }

  @Post(':table')
  @HttpCode(201)
  @Roles('policy:change', 'admin')
  @ApiParam({ name: 'table', enum: POLICY_TABLE_NAMES })
  @ApiOperation({
    summary:
      '调整政策参数：新版本自生效日期起适用，已作出的决定不受影响（旗县区管理员只能调整本旗县区保障标准）',
  })
  change(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('table') table: string,
    @Body() dto: ChangePolicyDto,
  ) {
    return this.commands.execute(new ChangePolicyTableCommand(tableOf(table), dto, actor));
  }

  @Post('calendar/years/:year')
  @HttpCode(201)
  @Roles('policy:change', 'admin')
  @ApiParam({ name: 'year', example: '2027' })
  @ApiOperation({
    summary: '载入某年国务院节假日安排（放假日与调休上班日）：按周末临时计算的期限随后重新计算',
  })
  loadYear(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('year') year: string,
    @Body() dto: LoadCalendarYearDto,
  ) {
    if (!/^\d{4}$/.test(year)) {
      throw new DomainError('POLICY_INVALID', 'year：年份应为四位数字', 422, { field: 'year' });
    }
    return this.commands.execute(
      new LoadCalendarYearCommand(
        year,
        { holidays: dto.holidays, workingWeekends: dto.workingWeekends },
        dto.reason,
        actor,
      ),
    );
  }
}
