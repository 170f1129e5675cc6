import type { DataSource, Repository } from 'typeorm';
import { manyAndCount } from '@platform/read-model';
import { VerificationEntry } from './verification.entities.js';

export interface VerificationScope {
  level: 'city' | 'county' | 'township' | 'village';
  code: string;
}

const COLUMN: Record<VerificationScope['level'], string | null> = {
  city: null,
  county: 'v.county_code',
  township: 'v.township_code',
  village: 'v.village_code',
};

/** The verifications' reads. */
export class VerificationQuery {
  private readonly rows: Repository<VerificationEntry>;

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(VerificationEntry);
  }

  async list(f: {
    scope: VerificationScope | null;
    applicationId?: string;
    pendingOnly?: boolean;
    page: number;
    pageSize: number;
  }) {
    const qb = this.rows.createQueryBuilder('v');
    const column = f.scope ? COLUMN[f.scope.level] : null;
    if (f.scope && column) qb.andWhere(`${column} = :code`, { code: f.scope.code });
    if (f.scope?.level === 'city')
      qb.andWhere('v.county_code LIKE :city', { city: `${f.scope.code.slice(0, 4)}%` });
    if (f.applicationId) qb.andWhere('v.application_id = :app', { app: f.applicationId });
    if (f.pendingOnly) qb.andWhere('cardinality(v.pending) > 0');
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('v.requested_at', 'DESC')
        .addOrderBy('v.verification_id', 'DESC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /** Verifications with departments still silent after their deadline, not all marked yet. */
  async dueForOverdue(now: Date, limit = 500): Promise<string[]> {
    const rows = await this.rows
      .createQueryBuilder('v')
      .select('v.verification_id', 'id')
      .where('cardinality(v.pending) > 0')
      .andWhere('v.due_at < :now', { now })
      .andWhere('NOT (v.pending <@ v.overdue)')
      .orderBy('v.due_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }
}
