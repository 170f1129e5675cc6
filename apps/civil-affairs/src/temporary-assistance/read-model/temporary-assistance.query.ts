import type { DataSource, Repository } from 'typeorm';
import { TemporaryAssistanceRow } from './temporary-assistance.entities.js';

/** A node of the jurisdiction tree: applications of households at or below it. */
export interface Scope {
  level: 'city' | 'county' | 'township' | 'village';
  code: string;
}

export interface TemporaryAssistanceListFilter {
  /** The actor's reach (null = everything: auditors). */
  scope: Scope | null;
  status?: string;
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

  constructor(dataSource: DataSource) {
    this.rows = dataSource.getRepository(TemporaryAssistanceRow);
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
    const [rows, total] = await qb
      .orderBy('t.recorded_at', 'DESC')
      .addOrderBy('t.application_id', 'ASC')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize)
      .getManyAndCount();
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }
}
