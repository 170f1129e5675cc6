import { maskIdNumber, maskName } from '@platform/auth';
import { prepared } from '@platform/event-store';
import type { Pool } from 'pg';
import { Brackets, type DataSource, type Repository, type SelectQueryBuilder } from 'typeorm';
import { REFERRAL_DEPARTMENT_NAMES } from '@platform/contracts';
import { STATUS_ZH, type ReferralStatus } from '../domain/referral.decider.js';
import { ReferralInboxEntry } from './referral-inbox.entity.js';

export interface InboxRow {
  referralId: string;
  caseId: string;
  category: string;
  jurisdiction: string;
  status: string;
  /** The status in Chinese, as the officer reads it. */
  statusName: string;
  urgency: string;
  description: string;
  requestedAmount: number | null;
  applicant: { name: string; idNumber: string; phone: string | null } | null;
  /** The case number and village; null on referrals received before intake sent them. */
  caseNumber: string | null;
  villageCode: string | null;
  receivedAt: string;
  acknowledgedAt: string | null;
  decidedAt: string | null;
  completedAt: string | null;
  acknowledgeBy: string;
  decideBy: string;
  overdue: string[];
  /** Years the deadlines were counted in without a calendar (weekends only): provisional. */
  deadlineProvisionalYears: string[];
  outcome: string | null;
  amount: number | null;
  service: string | null;
  reason: string | null;
  heldBy: string | null;
  /** Where a transferred referral went, and that department's name. */
  transferredTo: string | null;
  transferredToName: string | null;
}

export interface InboxFilter {
  jurisdictionPrefixes: string[] | null;
  status?: string;
  overdueOnly?: boolean;
  page: number;
  pageSize: number;
}

// Timestamps leave PostgreSQL as the ISO-8601 UTC text the API returns: parsing each into a Date and
// formatting it again cost a noticeable share of a list request's CPU (bench `http`, GET inbox), so the
// lists read raw rows through the query builder rather than hydrated entities.
const isoText = (c: string): [string, string] => [
  `to_char(i.${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  c,
];
const COLUMNS: Array<[string, string]> = [
  ...[
    'referral_id',
    'case_id',
    'category',
    'jurisdiction',
    'status',
    'urgency',
    'description',
    'requested_amount',
    'applicant',
    'case_number',
    'village_code',
  ].map((c): [string, string] => [`i.${c}`, c]),
  ...['received_at', 'acknowledged_at', 'decided_at', 'completed_at', 'acknowledge_by', 'decide_by'].map(
    isoText,
  ),
  ...[
    'overdue',
    'deadline_provisional',
    'outcome',
    'amount',
    'service',
    'reason',
    'held_by',
    'transferred_to',
  ].map((c): [string, string] => [`i.${c}`, c]),
];
const text = (v: unknown) => (v as string | null) ?? null;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toRow(r: Record<string, unknown>): InboxRow {
  return {
    referralId: r.referral_id as string,
    caseId: r.case_id as string,
    category: r.category as string,
    jurisdiction: r.jurisdiction as string,
    status: r.status as string,
    statusName: STATUS_ZH[r.status as ReferralStatus] ?? (r.status as string),
    urgency: r.urgency as string,
    description: r.description as string,
    requestedAmount: num(r.requested_amount),
    applicant: (r.applicant as InboxRow['applicant']) ?? null,
    caseNumber: text(r.case_number),
    villageCode: text(r.village_code),
    receivedAt: text(r.received_at)!,
    acknowledgedAt: text(r.acknowledged_at),
    decidedAt: text(r.decided_at),
    completedAt: text(r.completed_at),
    acknowledgeBy: text(r.acknowledge_by)!,
    decideBy: text(r.decide_by)!,
    overdue: r.overdue as string[],
    deadlineProvisionalYears: r.deadline_provisional as string[],
    outcome: (r.outcome as string) ?? null,
    amount: num(r.amount),
    service: (r.service as string) ?? null,
    reason: (r.reason as string) ?? null,
    heldBy: (r.held_by as string) ?? null,
    transferredTo: (r.transferred_to as string) ?? null,
    transferredToName: r.transferred_to
      ? (REFERRAL_DEPARTMENT_NAMES[r.transferred_to as keyof typeof REFERRAL_DEPARTMENT_NAMES] ??
        (r.transferred_to as string))
      : null,
  };
}

/** Lists mask personal details; the full record is shown only on the detail view (and logged). */
export function masked(row: InboxRow): InboxRow {
  return row.applicant
    ? {
        ...row,
        applicant: {
          name: maskName(row.applicant.name),
          idNumber: maskIdNumber(row.applicant.idNumber),
          phone: null,
        },
      }
    : row;
}

/** The desk's inbox reads, on its read-model table. */
/** Stands for a parameter while a statement is built once; replaced by the value at each call. */
const slot = (name: string) => `\u0000${name}`;

/**
 * The desk's inbox reads, on its read-model table. The two reads on every officer's request — the list
 * and one referral — are built by TypeORM's query builder once per shape and then run as named prepared
 * statements on the service pool: through the query builder and its query runner each request cost
 * ~0.2 ms more of the event loop, which took 19% off GET inbox throughput (bench `http`,
 * docs/benchmarks.md).
 */
export class ReferralInboxQuery {
  private readonly inbox: Repository<ReferralInboxEntry>;
  private readonly statements = new Map<string, { text: string; slots: string[] }>();

  constructor(
    dataSource: DataSource,
    private readonly pool: Pick<Pool, 'query'>,
  ) {
    this.inbox = dataSource.getRepository(ReferralInboxEntry);
  }

  private rows(): SelectQueryBuilder<ReferralInboxEntry> {
    const [[first, firstAlias], ...rest] = COLUMNS as [[string, string], ...Array<[string, string]>];
    const qb = this.inbox.createQueryBuilder('i').select(first, firstAlias);
    for (const [expression, alias] of rest) qb.addSelect(expression, alias);
    return qb;
  }

  /** The statement of this shape, built once: its text and which value goes in each `$n`. */
  private statement(
    key: string,
    build: () => SelectQueryBuilder<ReferralInboxEntry>,
    tail = '',
  ): { text: string; slots: string[] } {
    let s = this.statements.get(key);
    if (!s) {
      const [sql, params] = build().getQueryAndParameters();
      const slots = params.map((p) => String(Array.isArray(p) ? p[0] : p).slice(1));
      s = {
        text: `${sql}${tail.replace(/\$(\d+)/g, (_, n: string) => `$${params.length + Number(n)}`)}`,
        slots,
      };
      this.statements.set(key, s);
    }
    return s;
  }

  private async run(
    s: { text: string; slots: string[] },
    values: Record<string, unknown>,
    extra: unknown[] = [],
  ): Promise<Record<string, unknown>[]> {
    const { rows } = await this.pool.query(prepared(s.text, [...s.slots.map((k) => values[k]), ...extra]));
    return rows as Record<string, unknown>[];
  }

  private filtered(
    f: InboxFilter,
    qb: SelectQueryBuilder<ReferralInboxEntry>,
  ): SelectQueryBuilder<ReferralInboxEntry> {
    if (f.jurisdictionPrefixes) qb.andWhere('i.jurisdiction = ANY(:codes)', { codes: [slot('codes')] });
    if (f.status) qb.andWhere('i.status = :status', { status: slot('status') });
    if (f.overdueOnly) qb.andWhere('cardinality(i.overdue) > 0');
    return qb;
  }

  /** Overdue first, then urgent, then oldest. Jurisdiction codes are matched exactly (the caller lists the tree). */
  async list(f: InboxFilter): Promise<{ items: InboxRow[]; total: number; page: number; pageSize: number }> {
    const shape = `${f.jurisdictionPrefixes ? 'j' : ''}${f.status ? 's' : ''}${f.overdueOnly ? 'o' : ''}`;
    const values = { codes: f.jurisdictionPrefixes, status: f.status };
    // The page and the total in one round trip; only a page past the end needs its own count.
    const page = this.statement(
      `list:${shape}`,
      () =>
        this.filtered(f, this.rows().addSelect('count(*) OVER ()', 'total_count'))
          .orderBy('(cardinality(i.overdue) > 0)', 'DESC')
          .addOrderBy("(i.urgency = 'urgent')", 'DESC')
          .addOrderBy('i.received_at', 'ASC')
          .addOrderBy('i.referral_id', 'ASC'),
      ' LIMIT $1 OFFSET $2',
    );
    const rows = await this.run(page, values, [f.pageSize, (f.page - 1) * f.pageSize]);
    let total = rows.length > 0 ? Number(rows[0]!.total_count) : 0;
    if (rows.length === 0 && f.page > 1) {
      const count = this.statement(`count:${shape}`, () =>
        this.filtered(f, this.inbox.createQueryBuilder('i').select('count(*)', 'n')),
      );
      total = Number((await this.run(count, values))[0]!.n);
    }
    return { items: rows.map(toRow), total, page: f.page, pageSize: f.pageSize };
  }

  async get(referralId: string): Promise<InboxRow | null> {
    const one = this.statement('get', () => this.rows().where('i.referral_id = :id', { id: slot('id') }));
    const [row] = await this.run(one, { id: referralId });
    return row ? toRow(row) : null;
  }

  /** The members, window officer and earlier referrals the detail view shows (personal data). */
  async context(referralId: string): Promise<ReferralInboxEntry['context']> {
    const row = await this.inbox
      .createQueryBuilder('i')
      .select('i.context', 'context')
      .where('i.referral_id = :id', { id: referralId })
      .getRawOne<{ context: ReferralInboxEntry['context'] }>();
    return row?.context ?? null;
  }

  /** Open referrals past a deadline, by the deadline missed (`acknowledge`, `decide`): the operators' alert. */
  async overdueOpen(): Promise<Map<string, number>> {
    const { schema, tableName } = this.inbox.metadata;
    // unnest in FROM, which the query builder cannot express.
    const rows = (await this.inbox.query(
      `SELECT d AS deadline, count(*)::int AS n FROM "${schema}"."${tableName}" i, unnest(i.overdue) AS d
       WHERE i.status IN ('received', 'acknowledged', 'accepted') GROUP BY d`,
    )) as Array<{ deadline: string; n: number }>;
    return new Map(rows.map((r) => [r.deadline, r.n]));
  }

  /** Open referrals whose deadlines were counted without a calendar for some year. */
  async provisionalDeadlines(): Promise<string[]> {
    const rows = await this.inbox
      .createQueryBuilder('i')
      .select('i.referral_id', 'referral_id')
      .where('cardinality(i.deadline_provisional) > 0')
      .andWhere("i.status IN ('received', 'acknowledged', 'accepted')")
      .limit(500)
      .getRawMany<{ referral_id: string }>();
    return rows.map((r) => r.referral_id);
  }

  /** Open referrals whose deadline passed without the overdue mark yet. */
  async dueForOverdue(now: Date): Promise<string[]> {
    const rows = await this.inbox
      .createQueryBuilder('i')
      .select('i.referral_id', 'referral_id')
      .where("i.status IN ('received','acknowledged','accepted')")
      .andWhere(
        new Brackets((qb) =>
          qb
            .where(
              "i.acknowledged_at IS NULL AND i.acknowledge_by < :now AND NOT ('acknowledge' = ANY(i.overdue))",
            )
            .orWhere("i.decided_at IS NULL AND i.decide_by < :now AND NOT ('decide' = ANY(i.overdue))"),
        ),
        { now },
      )
      .limit(500)
      .getRawMany<{ referral_id: string }>();
    return rows.map((r) => r.referral_id);
  }
}
