import type { DataSource, Repository } from 'typeorm';
import { manyAndCount } from '@platform/read-model';
import { CoordinationDecisionRow, CoordinationItemRow } from './coordination.entities.js';

/** A node of the jurisdiction tree: items of households at or below it. */
export interface Scope {
  level: 'city' | 'county' | 'township' | 'village';
  code: string;
}

export interface CoordinationListFilter {
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

/** Reads of the coordination tables. */
export class CoordinationQuery {
  private readonly items: Repository<CoordinationItemRow>;
  private readonly decisions: Repository<CoordinationDecisionRow>;

  constructor(dataSource: DataSource) {
    this.items = dataSource.getRepository(CoordinationItemRow);
    this.decisions = dataSource.getRepository(CoordinationDecisionRow);
  }

  /** Items within the scope, newest first. */
  async list(
    f: CoordinationListFilter,
  ): Promise<{ rows: CoordinationItemRow[]; total: number; page: number; pageSize: number }> {
    const qb = this.items.createQueryBuilder('c');
    const column = f.scope ? COLUMN_OF_LEVEL[f.scope.level] : null;
    if (column) qb.andWhere(`c.${column} = :scope`, { scope: f.scope!.code });
    if (f.status) qb.andWhere('c.status = :status', { status: f.status });
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('c.opened_at', 'DESC')
        .addOrderBy('c.item_id', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /** Open items with a decision not done and not yet flagged whose last day (Beijing) is before `today`. */
  async dueForOverdue(today: string, limit = 500): Promise<string[]> {
    const rows = await this.decisions
      .createQueryBuilder('d')
      .select('d.item_id', 'id')
      .distinct(true)
      .where('d.item_open')
      .andWhere('NOT d.done')
      .andWhere('NOT d.overdue_flagged')
      .andWhere('d.due_on < :today', { today })
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }
}
