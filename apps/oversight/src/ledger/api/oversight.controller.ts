import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessLogQueryDto, CurrentActor, Roles, type AuthenticatedActor } from '@platform/auth';
import { CLOCK, PageQueryDto, type Clock } from '@platform/config';
import type { Response } from 'express';
import { SealLedgerCommand } from '../application/commands/ledger-commands.js';
import {
  AccountabilityReportQuery,
  CaseDiffQuery,
  CaseLabelsQuery,
  LedgerAccessLogQuery,
  ListErasuresQuery,
  CaseStateQuery,
  CaseTimelineQuery,
  DashboardQuery,
  ExportLedgerSealQuery,
  ListLedgerSealsQuery,
  type Period,
} from '../application/queries/ledger-queries.js';
import { accountabilityCsv, accountabilityHtml } from './accountability.renderer.js';
import {
  CaseLabelsQueryDto,
  DiffQueryDto,
  PeriodQueryDto,
  ReportQueryDto,
  StateQueryDto,
  TimelineQueryDto,
} from './oversight.dto.js';

function period(q: PeriodQueryDto, now: Date): Period {
  return {
    from: q.from ? new Date(q.from) : new Date(now.getTime() - 90 * 24 * 3600_000),
    to: q.to ? new Date(q.to) : new Date(now.getTime() + 1000),
    department: q.department,
    county: q.county,
  };
}

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('cases')
export class CaseAuditController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @Get(':id/timeline')
  @Roles('oversight:timeline', 'auditor')
  @ApiOperation({
    summary: '案件时间线：各部门全部事件（谁、角色、部门、辖区、做了什么、何时），可筛选、分页',
  })
  timeline(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: TimelineQueryDto,
  ) {
    return this.queries.execute(
      new CaseTimelineQuery(actor, id, {
        department: q.department,
        actorId: q.actor,
        type: q.type,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        page: q.page,
        pageSize: q.pageSize,
      }),
    );
  }

  @Get(':id/state')
  @Roles('oversight:replay', 'auditor')
  @ApiOperation({ summary: '时点回放：案件及其全部转办在某一时刻（?at=）或某一账本位置（?position=）的状态' })
  state(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: StateQueryDto,
  ) {
    return this.queries.execute(new CaseStateQuery(actor, id, q.at ? new Date(q.at) : undefined, q.position));
  }

  @Get(':id/diff')
  @Roles('oversight:replay', 'auditor')
  @ApiOperation({ summary: '两个时点之间的变化，以及由谁做出' })
  diff(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: DiffQueryDto,
  ) {
    return this.queries.execute(new CaseDiffQuery(actor, id, q.from, q.to));
  }
}

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('oversight')
export class OversightController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('case-labels')
  @Roles('oversight:case-labels', 'auditor')
  @ApiOperation({ summary: '按案件标识或编号查案件编号、所在村和旗县区（供审计记录显示，不含个人信息）' })
  caseLabels(@Query() q: CaseLabelsQueryDto) {
    return this.queries.execute(new CaseLabelsQuery(q.ids ?? [], q.numbers ?? []));
  }

  @Get('access-log')
  @Roles('audit:access-log', 'auditor')
  @ApiOperation({ summary: '账本查阅记录（谁、何时查阅了哪个案件的时间线、时点状态或差异），分页' })
  accessLog(@Query() q: AccessLogQueryDto) {
    return this.queries.execute(new LedgerAccessLogQuery(q));
  }

  @Get('personal-data/erasures')
  @Roles('audit:erasures', 'auditor', 'admin')
  @ApiOperation({
    summary:
      '个人信息删除记录（npm run personal-data:erase）：何时、由谁、依据什么删除，涉及几户的案件，分页；不含被删除者的身份证号',
  })
  erasures(@Query() q: PageQueryDto) {
    return this.queries.execute(new ListErasuresQuery(q.page, q.pageSize));
  }

  @Get('seals')
  @Roles('oversight:seals', 'auditor')
  @ApiOperation({ summary: '账本封印列表' })
  seals() {
    return this.queries.execute(new ListLedgerSealsQuery());
  }

  @Post('seals')
  @HttpCode(200)
  @Roles('oversight:seal', 'auditor', 'admin')
  @ApiOperation({ summary: '立即封印自上次封印以来的账本条目' })
  seal() {
    return this.commands.execute(new SealLedgerCommand());
  }

  @Get('seals/:no/export')
  @Roles('oversight:seals', 'auditor')
  @ApiOperation({ summary: '导出封印（根、范围、签名、公钥、条目哈希），供平台外部独立核验' })
  exportSeal(@Param('no', ParseIntPipe) no: number) {
    return this.queries.execute(new ExportLedgerSealQuery(no));
  }

  @Get('dashboard')
  @Roles('oversight:dashboard', 'joint_meeting_viewer', 'auditor', 'government_liaison')
  @ApiOperation({
    summary:
      '联席会议看板：按部门、旗县区统计转办、逾期、退回、办结、时效（中位数、P90）、上报政府、救助金额，周趋势',
  })
  dashboard(@CurrentActor() actor: AuthenticatedActor, @Query() q: PeriodQueryDto) {
    return this.queries.execute(new DashboardQuery(period(q, this.clock.now()), actor));
  }

  @Get('reports/accountability')
  @Roles('oversight:reports', 'auditor', 'joint_meeting_viewer', 'government_liaison')
  @ApiOperation({ summary: '责任追究报告：超期转办、经办人决定、撤回与重新办理；JSON、CSV 或可打印 HTML' })
  async accountability(
    @CurrentActor() actor: AuthenticatedActor,
    @Query() q: ReportQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const report = await this.queries.execute(
      new AccountabilityReportQuery(period(q, this.clock.now()), actor),
    );
    if (q.format === 'csv') {
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', 'attachment; filename="accountability.csv"');
      return accountabilityCsv(report);
    }
    if (q.format === 'html') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      return accountabilityHtml(report);
    }
    return report;
  }
}
