import {
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessLog, CurrentActor, Roles, type AuthenticatedActor } from '@platform/auth';
import { CLOCK, type Clock } from '@platform/config';
import type { LogSealer } from '@platform/audit';
import type { EventStore } from '@platform/event-store';
import type { Response } from 'express';
import { LedgerQuery } from '../application/ledger.query.js';
import { diffCases, replay } from '../domain/case-replay.js';
import { OversightQuery, type Period } from '../read-model/oversight.query.js';
import { accountabilityCsv, accountabilityHtml } from './accountability.renderer.js';
import {
  DiffQueryDto,
  PeriodQueryDto,
  ReportQueryDto,
  StateQueryDto,
  TimelineQueryDto,
} from './oversight.dto.js';

export const OVERSIGHT = Symbol('OVERSIGHT');

export interface OversightContext {
  ledger: LedgerQuery;
  sealer: LogSealer;
  query: OversightQuery;
  accessLog: AccessLog;
  store: EventStore;
}

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
  constructor(
    @Inject(OVERSIGHT) private readonly o: OversightContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private async recordRead(actor: AuthenticatedActor, caseId: string, what: string) {
    await this.o.accessLog.record(actor, {
      resourceType: 'ledger',
      resourceId: caseId,
      caseId,
      fields: [what],
      purpose: 'accountability',
    });
  }

  @Get(':id/timeline')
  @Roles('oversight:timeline', 'auditor')
  @ApiOperation({
    summary: '案件时间线：各部门全部事件（谁、角色、部门、辖区、做了什么、何时），可筛选、分页',
  })
  async timeline(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: TimelineQueryDto,
  ) {
    await this.recordRead(actor, id, 'timeline');
    return this.o.ledger.timeline(id, {
      department: q.department,
      actorId: q.actor,
      type: q.type,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      page: q.page,
      pageSize: q.pageSize,
    });
  }

  @Get(':id/state')
  @Roles('oversight:replay', 'auditor')
  @ApiOperation({ summary: '时点回放：案件及其全部转办在某一时刻（?at=）或某一账本位置（?position=）的状态' })
  async state(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: StateQueryDto,
  ) {
    await this.recordRead(actor, id, 'state');
    const at = q.at ? new Date(q.at) : q.position === undefined ? this.clock.now() : undefined;
    const entries = await this.o.ledger.entries(id, { at, position: q.position });
    if (entries.length === 0 && !q.at && q.position === undefined) {
      throw new NotFoundException({ code: 'CASE_NOT_FOUND', message: '账本中没有该案件' });
    }
    return { at: at?.toISOString() ?? null, position: q.position ?? null, state: replay(id, entries) };
  }

  @Get(':id/diff')
  @Roles('oversight:replay', 'auditor')
  @ApiOperation({ summary: '两个时点之间的变化，以及由谁做出' })
  async diff(
    @CurrentActor() actor: AuthenticatedActor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: DiffQueryDto,
  ) {
    await this.recordRead(actor, id, 'diff');
    const [before, after] = await Promise.all([
      this.o.ledger.entries(id, { at: new Date(q.from) }),
      this.o.ledger.entries(id, { at: new Date(q.to) }),
    ]);
    const seen = new Set(before.map((e) => e.eventId));
    return {
      from: q.from,
      to: q.to,
      changes: diffCases(replay(id, before), replay(id, after)),
      by: after
        .filter((e) => !seen.has(e.eventId))
        .map((e) => ({ type: e.type, actor: e.actor, occurredAt: e.occurredAt, position: e.position })),
    };
  }
}

@ApiTags('oversight')
@ApiBearerAuth()
@Controller('oversight')
export class OversightController {
  constructor(
    @Inject(OVERSIGHT) private readonly o: OversightContext,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get('seals')
  @Roles('oversight:seals', 'auditor')
  @ApiOperation({ summary: '账本封印列表' })
  seals() {
    return this.o.sealer.list();
  }

  @Post('seals')
  @HttpCode(200)
  @Roles('oversight:seal', 'auditor', 'admin')
  @ApiOperation({ summary: '立即封印自上次封印以来的账本条目' })
  async seal() {
    return (await this.o.sealer.seal()) ?? { sealed: 0 };
  }

  @Get('seals/:no/export')
  @Roles('oversight:seals', 'auditor')
  @ApiOperation({ summary: '导出封印（根、范围、签名、公钥、条目哈希），供平台外部独立核验' })
  async exportSeal(@Param('no', ParseIntPipe) no: number) {
    const seal = await this.o.sealer.export(no);
    if (!seal) throw new NotFoundException({ code: 'SEAL_NOT_FOUND', message: '封印不存在' });
    return seal;
  }

  @Get('dashboard')
  @Roles('oversight:dashboard', 'joint_meeting_viewer', 'auditor', 'government_liaison')
  @ApiOperation({
    summary:
      '联席会议看板：按部门、旗县区统计转办、逾期、退回、办结、时效（中位数、P90）、上报政府、救助金额，周趋势',
  })
  dashboard(@Query() q: PeriodQueryDto) {
    const now = this.clock.now();
    return this.o.query.dashboard(period(q, now), now);
  }

  @Get('reports/accountability')
  @Roles('oversight:reports', 'auditor', 'joint_meeting_viewer', 'government_liaison')
  @ApiOperation({ summary: '责任追究报告：超期转办、经办人决定、撤回与重新办理；JSON、CSV 或可打印 HTML' })
  async accountability(@Query() q: ReportQueryDto, @Res({ passthrough: true }) res: Response) {
    const p = period(q, this.clock.now());
    const [overdue, decisions, revokedAndReopened] = await Promise.all([
      this.o.query.overdue(p),
      this.o.query.decisions(p),
      this.o.query.revokedAndReopened(p),
    ]);
    const withChains = await Promise.all(
      overdue.map(async (o) => ({
        ...o,
        actions: (await this.o.ledger.referralEntries(o.referral_id)).map((e) => ({
          type: e.type,
          actor: e.actor,
          occurredAt: e.occurredAt,
        })),
      })),
    );
    const report = {
      period: { from: p.from.toISOString(), to: p.to.toISOString() },
      overdue: withChains,
      decisions,
      revokedAndReopened,
    };
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
