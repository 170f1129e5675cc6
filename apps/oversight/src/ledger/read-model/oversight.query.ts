import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { CaseFact, factRecord, GovernmentReportFact, ReferralFact } from './facts.entities.js';

export interface Period {
  from: Date;
  to: Date;
  department?: string;
  county?: string;
}

const hours = (col: string, start: string) => `extract(epoch FROM (${col} - ${start})) / 3600.0`;

/** Dashboard and accountability figures, aggregated from the referral and case facts (never the raw ledger). */
export class OversightQuery {
  private readonly referrals: Repository<ReferralFact>;
  private readonly cases: Repository<CaseFact>;
  private readonly governmentReports: Repository<GovernmentReportFact>;

  constructor(dataSource: DataSource) {
    this.referrals = dataSource.getRepository(ReferralFact);
    this.cases = dataSource.getRepository(CaseFact);
    this.governmentReports = dataSource.getRepository(GovernmentReportFact);
  }

  /** The referrals issued in the period, of one department and county when asked. */
  private issued(p: Period): SelectQueryBuilder<ReferralFact> {
    const qb = this.referrals
      .createQueryBuilder('f')
      .where('f.issued_at >= :from AND f.issued_at < :to', { from: p.from, to: p.to });
    if (p.department) qb.andWhere('f.department = :department', { department: p.department });
    if (p.county) qb.andWhere('f.county_code = :county', { county: p.county });
    return qb;
  }

  /** Per department and county: issued, open, overdue, declined, completed; median and p90 hours; grants. */
  async dashboard(p: Period, now: Date) {
    // The aggregates are independent: run them side by side on separate connections.
    const [rows, reported, weekly, responses] = await Promise.all([
      this.issued(p)
        .select('f.department', 'department')
        .addSelect('f.county_code', 'county_code')
        .addSelect('count(*)::int', 'issued')
        .addSelect(
          "count(*) FILTER (WHERE f.status IN ('issued','received','acknowledged','accepted'))::int",
          'open',
        )
        .addSelect('count(*) FILTER (WHERE f.overdue_acknowledge OR f.overdue_decide)::int', 'overdue')
        .addSelect('count(*) FILTER (WHERE f.declined)::int', 'declined')
        .addSelect("count(*) FILTER (WHERE f.status = 'completed')::int", 'completed')
        // One sort per measure gives both percentiles.
        .addSelect(
          `percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${hours('f.acknowledged_at', 'f.issued_at')})`,
          'ack_hours',
        )
        .addSelect(
          `percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY ${hours('f.decided_at', 'f.issued_at')})`,
          'decide_hours',
        )
        .addSelect("count(*) FILTER (WHERE f.outcome = 'granted')::int", 'grants')
        .addSelect(
          "coalesce(sum(f.amount) FILTER (WHERE f.outcome = 'granted'), 0)::float8",
          'granted_amount',
        )
        .groupBy('f.department')
        .addGroupBy('f.county_code')
        .orderBy('f.department')
        .addOrderBy('f.county_code')
        .getRawMany<
          Record<string, unknown> & { ack_hours: number[] | null; decide_hours: number[] | null }
        >(),
      (() => {
        const qb = this.cases
          .createQueryBuilder('c')
          .select('c.county_code', 'county_code')
          .addSelect('count(*)::int', 'cases')
          .where('c.reported_to_government > 0')
          .andWhere('c.first_reported_at >= :from AND c.first_reported_at < :to', { from: p.from, to: p.to });
        if (p.county) qb.andWhere('c.county_code = :county', { county: p.county });
        return qb
          .groupBy('c.county_code')
          .orderBy('c.county_code')
          .getRawMany<{ county_code: string; cases: number }>();
      })(),
      this.weekly(p),
      this.governmentResponses(p, now),
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
        acknowledgeHours: { median: num(r.ack_hours?.[0]), p90: num(r.ack_hours?.[1]) },
        decideHours: { median: num(r.decide_hours?.[0]), p90: num(r.decide_hours?.[1]) },
        grants: r.grants,
        grantedAmount: Number(r.granted_amount),
      })),
      casesReportedToGovernment: reported.map((r) => ({ countyCode: r.county_code, cases: r.cases })),
      governmentResponses: responses,
      weekly,
    };
  }

  /** Per county: needs reported to the government in the period, answered, awaiting, and overdue now. */
  async governmentResponses(p: Period, now: Date) {
    const qb = this.governmentReports
      .createQueryBuilder('g')
      .select('g.county_code', 'county_code')
      .addSelect('count(*)::int', 'reported')
      .addSelect('count(*) FILTER (WHERE g.responded_at IS NOT NULL)::int', 'responded')
      .addSelect('count(*) FILTER (WHERE g.responded_at IS NULL)::int', 'awaiting')
      .addSelect('count(*) FILTER (WHERE g.responded_at IS NULL AND g.respond_by < :now)::int', 'overdue')
      .addSelect(
        'count(*) FILTER (WHERE g.responded_at IS NOT NULL AND g.responded_at > g.respond_by)::int',
        'answered_late',
      )
      .where('g.reported_on >= :from AND g.reported_on < :to', { from: p.from, to: p.to, now });
    if (p.county) qb.andWhere('g.county_code = :county', { county: p.county });
    const rows = await qb.groupBy('g.county_code').orderBy('g.county_code').getRawMany<{
      county_code: string | null;
      reported: number;
      responded: number;
      awaiting: number;
      overdue: number;
      answered_late: number;
    }>();
    return rows.map((r) => ({
      countyCode: r.county_code,
      reported: r.reported,
      responded: r.responded,
      awaiting: r.awaiting,
      overdue: r.overdue,
      answeredLate: r.answered_late,
    }));
  }

  async weekly(p: Period) {
    const rows = await this.issued(p)
      .select("date_trunc('week', f.issued_at AT TIME ZONE 'Asia/Shanghai')", 'week')
      .addSelect('f.department', 'department')
      .addSelect('count(*)::int', 'issued')
      .addSelect("count(*) FILTER (WHERE f.status = 'completed')::int", 'completed')
      .addSelect('count(*) FILTER (WHERE f.overdue_acknowledge OR f.overdue_decide)::int', 'overdue')
      .groupBy('1')
      .addGroupBy('2')
      .orderBy('1')
      .addOrderBy('2')
      .getRawMany<{ week: Date; department: string; issued: number; completed: number; overdue: number }>();
    return rows.map((r) => ({
      week: r.week.toISOString().slice(0, 10),
      department: r.department,
      issued: r.issued,
      completed: r.completed,
      overdue: r.overdue,
    }));
  }

  async overdue(p: Period) {
    const rows = await this.issued(p)
      .andWhere('(f.overdue_acknowledge OR f.overdue_decide)')
      .orderBy('f.department')
      .addOrderBy('f.county_code')
      .addOrderBy('f.issued_at')
      .getMany();
    return rows.map(factRecord);
  }

  async decisions(p: Period) {
    return this.issued(p)
      .select('coalesce(f.completed_by, f.decided_by)', 'officer')
      .addSelect('f.department', 'department')
      .addSelect(
        "count(*) FILTER (WHERE f.status IN ('accepted','completed') AND NOT f.declined)::int",
        'accepted',
      )
      .addSelect('count(*) FILTER (WHERE f.declined)::int', 'declined')
      .addSelect("count(*) FILTER (WHERE f.outcome = 'granted')::int", 'granted')
      .addSelect("count(*) FILTER (WHERE f.outcome = 'not_eligible')::int", 'not_eligible')
      .addSelect('array_remove(array_agg(DISTINCT f.reason), NULL)', 'reasons')
      .andWhere('coalesce(f.completed_by, f.decided_by) IS NOT NULL')
      .groupBy('1')
      .addGroupBy('2')
      .orderBy('2')
      .addOrderBy('1')
      .getRawMany<Record<string, unknown>>();
  }

  async revokedAndReopened(p: Period) {
    const rows = await this.issued(p)
      .andWhere('(f.revoked OR f.reopened > 0)')
      .orderBy('f.issued_at')
      .getMany();
    return rows.map(factRecord);
  }
}

function num(v: unknown): number | null {
  return v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;
}
