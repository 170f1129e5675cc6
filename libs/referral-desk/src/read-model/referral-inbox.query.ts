import { maskIdNumber, maskName } from '@platform/auth';
import { quoteIdent } from '@platform/event-store';
import type { Pool } from 'pg';

export interface InboxRow {
  referralId: string;
  caseId: string;
  category: string;
  jurisdiction: string;
  status: string;
  urgency: string;
  description: string;
  requestedAmount: number | null;
  applicant: { name: string; idNumber: string; phone: string | null } | null;
  receivedAt: string;
  acknowledgedAt: string | null;
  decidedAt: string | null;
  completedAt: string | null;
  acknowledgeBy: string;
  decideBy: string;
  overdue: string[];
  outcome: string | null;
  amount: number | null;
  service: string | null;
  reason: string | null;
  heldBy: string | null;
}

export interface InboxFilter {
  jurisdictionPrefixes: string[] | null;
  status?: string;
  overdueOnly?: boolean;
  page: number;
  pageSize: number;
}

// Timestamps leave PostgreSQL as the ISO-8601 UTC text the API returns: parsing each into a Date and
// formatting it again cost a noticeable share of a list request's CPU.
const isoText = (c: string) => `to_char(i.${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${c}`;
const COLUMNS = [
  'referral_id',
  'case_id',
  'category',
  'jurisdiction',
  'status',
  'urgency',
  'description',
  'requested_amount',
  'applicant',
  ...['received_at', 'acknowledged_at', 'decided_at', 'completed_at', 'acknowledge_by', 'decide_by'].map(
    isoText,
  ),
  'overdue',
  'outcome',
  'amount',
  'service',
  'reason',
  'held_by',
].join(', ');
const text = (v: unknown) => (v as string | null) ?? null;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toRow(r: Record<string, unknown>): InboxRow {
  return {
    referralId: r.referral_id as string,
    caseId: r.case_id as string,
    category: r.category as string,
    jurisdiction: r.jurisdiction as string,
    status: r.status as string,
    urgency: r.urgency as string,
    description: r.description as string,
    requestedAmount: num(r.requested_amount),
    applicant: (r.applicant as InboxRow['applicant']) ?? null,
    receivedAt: text(r.received_at)!,
    acknowledgedAt: text(r.acknowledged_at),
    decidedAt: text(r.decided_at),
    completedAt: text(r.completed_at),
    acknowledgeBy: text(r.acknowledge_by)!,
    decideBy: text(r.decide_by)!,
    overdue: r.overdue as string[],
    outcome: (r.outcome as string) ?? null,
    amount: num(r.amount),
    service: (r.service as string) ?? null,
    reason: (r.reason as string) ?? null,
    heldBy: (r.held_by as string) ?? null,
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

export class ReferralInboxQuery {
  private readonly t: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.t = `${quoteIdent(schema)}.referral_inbox`;
  }

  /** Overdue first, then urgent, then oldest. Jurisdiction codes are matched by prefix of the tree. */
  async list(f: InboxFilter): Promise<{ items: InboxRow[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const values: unknown[] = [];
    if (f.jurisdictionPrefixes) {
      values.push(f.jurisdictionPrefixes);
      where.push(`jurisdiction = ANY($${values.length})`);
    }
    if (f.status) {
      values.push(f.status);
      where.push(`status = $${values.length}`);
    }
    if (f.overdueOnly) where.push(`cardinality(overdue) > 0`);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const filterValues = [...values];
    values.push(f.pageSize, (f.page - 1) * f.pageSize);
    // The page and the total in one round trip; only a page past the end needs its own count.
    const { rows } = await this.pool.query(
      `SELECT ${COLUMNS}, count(*) OVER () AS total_count FROM ${this.t} i ${w}
        ORDER BY (cardinality(i.overdue) > 0) DESC, (i.urgency = 'urgent') DESC, i.received_at ASC, i.referral_id
        LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
    const total =
      rows.length > 0
        ? Number(rows[0].total_count)
        : f.page === 1
          ? 0
          : Number(
              (await this.pool.query(`SELECT count(*) AS n FROM ${this.t} ${w}`, filterValues)).rows[0].n,
            );
    return { items: rows.map(toRow), total, page: f.page, pageSize: f.pageSize };
  }

  async get(referralId: string): Promise<InboxRow | null> {
    const { rows } = await this.pool.query(`SELECT ${COLUMNS} FROM ${this.t} i WHERE referral_id = $1`, [
      referralId,
    ]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Open referrals whose deadline passed without the overdue mark yet. */
  async dueForOverdue(now: Date): Promise<string[]> {
    const { rows } = await this.pool.query(
      `SELECT referral_id FROM ${this.t}
        WHERE status IN ('received','acknowledged','accepted')
          AND ((acknowledged_at IS NULL AND acknowledge_by < $1 AND NOT ('acknowledge' = ANY(overdue)))
            OR (decided_at IS NULL AND decide_by < $1 AND NOT ('decide' = ANY(overdue))))
        LIMIT 500`,
      [now],
    );
    return rows.map((r) => r.referral_id as string);
  }
}
