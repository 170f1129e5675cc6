import type { DataSource, Repository } from 'typeorm';
import { manyAndCount } from '@platform/read-model';
import { TemporaryAssistanceObligationRow, TemporaryAssistanceRow } from './temporary-assistance.entities.js';

/** A node of the jurisdiction tree: applications of households at or below it. */
export interface Scope {
  level: 'city' | 'county' | 'township' | 'village';
  code: string;
}

export interface TemporaryAssistanceListFilter {
  /** The actor's reach (null = everything: auditors). */
  scope: Scope | null;
  status?: string;
  /** Applications only: 'normal' | 'urgent'. */
  urgency?: string;
  page: number;
  pageSize: number;
}

const COLUMN_OF_LEVEL: Record<Scope['level'], string | null> = {
  city: null,
  county: 'county_code',
  township: 'township_code',
  village: 'village_code',
};

/** Reads of the temporary-assistance applications table. */
export class TemporaryAssistanceQuery {
  private readonly rows: Repository<TemporaryAssistanceRow>;
  private readonly obligations: Repository<TemporaryAssistanceObligationRow>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(TemporaryAssistanceRow);
    this.obligations = dataSource.getRepository(TemporaryAssistanceObligationRow);
  }

  /** Obligations to supply missing materials within the scope, the earliest deadline first. */
  async listObligations(
    f: TemporaryAssistanceListFilter,
  ): Promise<{ rows: TemporaryAssistanceObligationRow[]; total: number; page: number; pageSize: number }> {
    const qb = this.obligations.createQueryBuilder('o');
    const column = f.scope ? COLUMN_OF_LEVEL[f.scope.level] : null;
    if (column) qb.andWhere(`o.${column} = :scope`, { scope: f.scope!.code });
    if (f.status) qb.andWhere('o.status = :status', { status: f.status });
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('o.due_at', 'ASC')
        .addOrderBy('o.application_id', 'ASC')
        .addOrderBy('o.obligation_no', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /**
   * Applications with an obligation still open after its deadline, or (opened from a referral) a referral
   * deadline passed and not yet marked: for the deadline watch.
   */
  async dueForOverdue(now: Date, limit = 500): Promise<string[]> {
    const referrals = await this.rows
      .createQueryBuilder('t')
      .select('t.application_id', 'id')
      .where('t.referral_due_at < :now', { now })
      .orderBy('t.referral_due_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    const obligations = await this.obligations
      .createQueryBuilder('o')
      .select('o.application_id', 'id')
      .addSelect('min(o.due_at)', 'due')
      .where(`o.status = 'open'`)
      .andWhere('o.due_at < :now', { now })
      .groupBy('o.application_id')
      .orderBy('due', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return [...new Set([...referrals, ...obligations].map((r) => r.id))];
  }

  /** Applications within the scope, newest first. */
  async list(
    f: TemporaryAssistanceListFilter,
  ): Promise<{ rows: TemporaryAssistanceRow[]; total: number; page: number; pageSize: number }> {
    const qb = this.rows.createQueryBuilder('t');
    const column = f.scope ? COLUMN_OF_LEVEL[f.scope.level] : null;
    // The city holds every household of the platform; a lower node, those whose path passes through it.
    if (column) qb.andWhere(`t.${column} = :scope`, { scope: f.scope!.code });
    if (f.status) qb.andWhere('t.status = :status', { status: f.status });
    if (f.urgency) qb.andWhere('t.urgency = :urgency', { urgency: f.urgency });
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('t.recorded_at', 'DESC')
        .addOrderBy('t.application_id', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }
}
