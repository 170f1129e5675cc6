import { quoteIdent } from '@platform/event-store';
import type { Pool } from 'pg';

export interface Period {
  from: Date;
  to: Date;
  department?: string;
  county?: string;
}

const hours = (col: string, start: string) => `extract(epoch FROM (${col} - ${start})) / 3600.0`;

/** Dashboard and accountability figures, aggregated from the referral and case facts (never the raw ledger). */
export class OversightQuery {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
  }

  private filter(p: Period, alias = 'f') {
    const values: unknown[] = [p.from, p.to];
    const where = [`${alias}.issued_at >= $1`, `${alias}.issued_at < $2`];
    if (p.department) {
      values.push(p.department);
      where.push(`${alias}.department = $${values.length}`);
    }
    if (p.county) {
      values.push(p.county);
      where.push(`${alias}.county_code = $${values.length}`);
    }
    return { values, where: where.join(' AND ') };
  }

  /** Per department and county: issued, open, overdue, declined, completed; median and p90 hours; grants. */
  async dashboard(p: Period, now: Date) {
    const { values, where } = this.filter(p);
    values.push(now);
    const nowParam = `$${values.length}`;
    // The three aggregates are independent: run them side by side on separate connections.
    const [{ rows }, reported, weekly] = await Promise.all([
      this.pool.query(
        `SELECT f.department, f.county_code,
              count(*)::int AS issued,
              count(*) FILTER (WHERE f.status IN ('issued','received','acknowledged','accepted'))::int AS open,
              count(*) FILTER (WHERE f.overdue_acknowledge OR f.overdue_decide)::int AS overdue,
              count(*) FILTER (WHERE f.declined)::int AS declined,
              count(*) FILTER (WHERE f.status = 'completed')::int AS completed,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${hours('f.acknowledged_at', 'f.issued_at')}) AS ack_hours,
              percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${hours('f.decided_at', 'f.issued_at')}) AS decide_hours,
              count(*) FILTER (WHERE f.outcome = 'granted')::int AS grants,
              coalesce(sum(f.amount) FILTER (WHERE f.outcome = 'granted'), 0)::float8 AS granted_amount,
              max(${nowParam}::timestamptz) AS as_of
         FROM ${this.s}.referral_facts f WHERE ${where}
        GROUP BY f.department, f.county_code ORDER BY f.department, f.county_code`,
        values,
      ),
      this.pool.query(
        `SELECT county_code, count(*)::int AS cases FROM ${this.s}.case_facts
        WHERE reported_to_government > 0 AND first_reported_at >= $1 AND first_reported_at < $2
          AND ($3::text IS NULL OR county_code = $3)
        GROUP BY county_code ORDER BY county_code`,
        [p.from, p.to, p.county ?? null],
      ),
      this.weekly(p),
    ]);
    return {
      period: { from: p.from.toISOString(), to: p.to.toISOString() },
      rows: rows.map((r) => ({
        department: r.department,
        countyCode: r.county_code,
        issued: r.issued,
        open: r.open,
        overdue: r.overdue,
        declined: r.declined,
        completed: r.completed,
        // One sort per measure gives both percentiles.
        acknowledgeHours: { median: num(r.ack_hours?.[0]), p90: num(r.ack_hours?.[1]) },
        decideHours: { median: num(r.decide_hours?.[0]), p90: num(r.decide_hours?.[1]) },
        grants: r.grants,
        grantedAmount: Number(r.granted_amount),
      })),
      casesReportedToGovernment: reported.rows.map((r) => ({ countyCode: r.county_code, cases: r.cases })),
      weekly,
    };
  }

  async weekly(p: Period) {
    const { values, where } = this.filter(p);
    const { rows } = await this.pool.query(
      `SELECT date_trunc('week', f.issued_at AT TIME ZONE 'Asia/Shanghai') AS week, f.department,
              count(*)::int AS issued,
              count(*) FILTER (WHERE f.status = 'completed')::int AS completed,
              count(*) FILTER (WHERE f.overdue_acknowledge OR f.overdue_decide)::int AS overdue
         FROM ${this.s}.referral_facts f WHERE ${where}
        GROUP BY 1, 2 ORDER BY 1, 2`,
      values,
    );
    return rows.map((r) => ({
      week: (r.week as Date).toISOString().slice(0, 10),
      department: r.department,
      issued: r.issued,
      completed: r.completed,
      overdue: r.overdue,
    }));
  }

  async overdue(p: Period) {
    const { values, where } = this.filter(p);
    const { rows } = await this.pool.query(
      `SELECT f.* FROM ${this.s}.referral_facts f WHERE ${where} AND (f.overdue_acknowledge OR f.overdue_decide)
        ORDER BY f.department, f.county_code, f.issued_at`,
      values,
    );
    return rows;
  }

  async decisions(p: Period) {
    const { values, where } = this.filter(p);
    const { rows } = await this.pool.query(
      `SELECT coalesce(f.completed_by, f.decided_by) AS officer, f.department,
              count(*) FILTER (WHERE f.status IN ('accepted','completed') AND NOT f.declined)::int AS accepted,
              count(*) FILTER (WHERE f.declined)::int AS declined,
              count(*) FILTER (WHERE f.outcome = 'granted')::int AS granted,
              count(*) FILTER (WHERE f.outcome = 'not_eligible')::int AS not_eligible,
              array_remove(array_agg(DISTINCT f.reason), NULL) AS reasons
         FROM ${this.s}.referral_facts f WHERE ${where} AND coalesce(f.completed_by, f.decided_by) IS NOT NULL
        GROUP BY 1, 2 ORDER BY 2, 1`,
      values,
    );
    return rows;
  }

  async revokedAndReopened(p: Period) {
    const { values, where } = this.filter(p);
    const { rows } = await this.pool.query(
      `SELECT f.* FROM ${this.s}.referral_facts f WHERE ${where} AND (f.revoked OR f.reopened > 0) ORDER BY f.issued_at`,
      values,
    );
    return rows;
  }
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;
}
