import { Inject, NotFoundException } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { Authorizer, type AuthenticatedActor } from '@platform/auth';
import { listErasures, PERSONAL_DATA, PG_POOL, type PersonalDataProtection } from '@platform/event-store';
import type { Pool } from 'pg';
import { diffCases, replay } from '../../domain/case-replay.js';
import type { Period } from '../../read-model/oversight.query.js';

export type { Period };
import type { TimelineFilter } from '../ledger.query.js';
import { OVERSIGHT, type OversightContext } from '../oversight-context.js';

/** Reading a case's ledger is itself recorded: who looked, at what, for accountability. */
async function recordRead(o: OversightContext, actor: AuthenticatedActor, caseId: string, what: string) {
  await o.accessLog.record(actor, {
    resourceType: 'ledger',
    resourceId: caseId,
    caseId,
    fields: [what],
    purpose: 'accountability',
  });
}

/** Every event of the case across departments, filtered and paged. */
export class CaseTimelineQuery extends Query<unknown> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly caseId: string,
    readonly filter: TimelineFilter,
  ) {
    super();
  }
}

@QueryHandler(CaseTimelineQuery)
export class CaseTimelineHandler implements IQueryHandler<CaseTimelineQuery> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  async execute({ actor, caseId, filter }: CaseTimelineQuery) {
    await recordRead(this.o, actor, caseId, 'timeline');
    return this.o.ledger.timeline(caseId, filter);
  }
}

/** The case and all its referrals as they stood at an instant or a ledger position. */
export class CaseStateQuery extends Query<unknown> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly caseId: string,
    readonly at: Date | undefined,
    readonly position: number | undefined,
  ) {
    super();
  }
}

@QueryHandler(CaseStateQuery)
export class CaseStateHandler implements IQueryHandler<CaseStateQuery> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  async execute(q: CaseStateQuery) {
    await recordRead(this.o, q.actor, q.caseId, 'state');
    const at = q.at ?? (q.position === undefined ? this.o.now() : undefined);
    const entries = await this.o.ledger.entries(q.caseId, { at, position: q.position });
    if (entries.length === 0 && !q.at && q.position === undefined) {
      throw new NotFoundException({ code: 'CASE_NOT_FOUND', message: '账本中没有该案件' });
    }
    return { at: at?.toISOString() ?? null, position: q.position ?? null, state: replay(q.caseId, entries) };
  }
}

/** What changed between two instants, and who changed it. */
export class CaseDiffQuery extends Query<unknown> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly caseId: string,
    readonly from: string,
    readonly to: string,
  ) {
    super();
  }
}

@QueryHandler(CaseDiffQuery)
export class CaseDiffHandler implements IQueryHandler<CaseDiffQuery> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  async execute(q: CaseDiffQuery) {
    await recordRead(this.o, q.actor, q.caseId, 'diff');
    const [before, after] = await Promise.all([
      this.o.ledger.entries(q.caseId, { at: new Date(q.from) }),
      this.o.ledger.entries(q.caseId, { at: new Date(q.to) }),
    ]);
    const seen = new Set(before.map((e) => e.eventId));
    return {
      from: q.from,
      to: q.to,
      changes: diffCases(replay(q.caseId, before), replay(q.caseId, after)),
      by: after
        .filter((e) => !seen.has(e.eventId))
        .map((e) => ({ type: e.type, actor: e.actor, occurredAt: e.occurredAt, position: e.position })),
    };
  }
}

/** Case numbers and places by case id or number, for naming cases in audit records (not recorded: no personal data). */
export class CaseLabelsQuery extends Query<unknown> {
  constructor(
    readonly ids: string[],
    readonly numbers: string[],
  ) {
    super();
  }
}

@QueryHandler(CaseLabelsQuery)
export class CaseLabelsHandler implements IQueryHandler<CaseLabelsQuery> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  async execute({ ids, numbers }: CaseLabelsQuery) {
    return { items: await this.o.ledger.caseLabels(ids, numbers) };
  }
}

/** Who read the ledger (timelines, states, differences of cases), newest first. */
export class LedgerAccessLogQuery extends Query<unknown> {
  constructor(readonly filter: { caseId?: string; actorId?: string; page: number; pageSize: number }) {
    super();
  }
}

@QueryHandler(LedgerAccessLogQuery)
export class LedgerAccessLogHandler implements IQueryHandler<LedgerAccessLogQuery> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  execute({ filter }: LedgerAccessLogQuery) {
    return this.o.accessLog.list(filter);
  }
}

/** Who forgot whom and why (npm run personal-data:erase), newest first. */
export class ListErasuresQuery extends Query<unknown> {
  constructor(
    readonly page: number,
    readonly pageSize: number,
  ) {
    super();
  }
}

@QueryHandler(ListErasuresQuery)
export class ListErasuresHandler implements IQueryHandler<ListErasuresQuery> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtection,
  ) {}

  execute({ page, pageSize }: ListErasuresQuery) {
    return listErasures(this.pool, this.personalData.schema, page, pageSize);
  }
}

/** The ledger's seals. */
export class ListLedgerSealsQuery extends Query<unknown> {}

@QueryHandler(ListLedgerSealsQuery)
export class ListLedgerSealsHandler implements IQueryHandler<ListLedgerSealsQuery> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  execute() {
    return this.o.sealer.list();
  }
}

/** One seal with everything needed to verify it outside the platform. */
export class ExportLedgerSealQuery extends Query<unknown> {
  constructor(readonly sealNo: number) {
    super();
  }
}

@QueryHandler(ExportLedgerSealQuery)
export class ExportLedgerSealHandler implements IQueryHandler<ExportLedgerSealQuery> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  async execute({ sealNo }: ExportLedgerSealQuery) {
    const seal = await this.o.sealer.export(sealNo);
    if (!seal) throw new NotFoundException({ code: 'SEAL_NOT_FOUND', message: '封印不存在' });
    return seal;
  }
}

/** The joint meeting's dashboard for a period. */
/**
 * The figures a reader may see: auditors and city-level readers the whole city; a reader placed in a
 * county (or below it) only that county's — asking for another county is refused, not silently narrowed.
 */
export function scopedPeriod(
  period: Period,
  actor: AuthenticatedActor,
  authz: Authorizer,
  permission: string,
) {
  if (actor.role === 'auditor') return period;
  const tree = authz.tree;
  const county = tree.at(actor.jurisdiction, 'county');
  if (!county) return period;
  if (period.county && period.county !== county.code) authz.assertWithin(actor, period.county, permission);
  return { ...period, county: county.code };
}

export class DashboardQuery extends Query<unknown> {
  constructor(
    readonly period: Period,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@QueryHandler(DashboardQuery)
export class DashboardHandler implements IQueryHandler<DashboardQuery> {
  constructor(
    @Inject(OVERSIGHT) private readonly o: OversightContext,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  execute({ period, actor }: DashboardQuery) {
    return this.o.query.dashboard(
      scopedPeriod(period, actor, this.authz, 'oversight:dashboard'),
      this.o.now(),
    );
  }
}

export interface AccountabilityReport {
  period: { from: string; to: string };
  overdue: Array<Record<string, unknown> & { referral_id: string; actions: unknown[] }>;
  decisions: Array<Record<string, unknown>>;
  revokedAndReopened: Array<Record<string, unknown>>;
}

/** Overdue referrals with every action on them, decisions per officer, revocations and reopenings. */
export class AccountabilityReportQuery extends Query<AccountabilityReport> {
  constructor(
    readonly period: Period,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@QueryHandler(AccountabilityReportQuery)
export class AccountabilityReportHandler implements IQueryHandler<AccountabilityReportQuery> {
  constructor(
    @Inject(OVERSIGHT) private readonly o: OversightContext,
    @Inject(Authorizer) private readonly authz: Authorizer,
  ) {}

  async execute({ period, actor }: AccountabilityReportQuery): Promise<AccountabilityReport> {
    const p = scopedPeriod(period, actor, this.authz, 'oversight:reports');
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
    return {
      period: { from: p.from.toISOString(), to: p.to.toISOString() },
      overdue: withChains,
      decisions,
      revokedAndReopened,
    };
  }
}
