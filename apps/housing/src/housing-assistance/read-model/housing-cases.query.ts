import { withinScope, type RegisterScope } from '@platform/assistance-read-model';
import { manyAndCount } from '@platform/read-model';
import type { DataSource, Repository } from 'typeorm';
import { HousingCaseRow } from './housing-cases.entities.js';

export interface HousingCaseFilter {
  kind: 'renovation' | 'rental_subsidy';
  /** The actor's reach (null: everything, for auditors). */
  scope: RegisterScope | null;
  /** A node the officer chose, within their reach. */
  jurisdiction?: RegisterScope;
  status?: string;
  /** Part of the head's name, or the head's full ID number. */
  head?: string;
  page: number;
  pageSize: number;
}

/** The officers' lists of renovation projects and rental subsidies. */
export class HousingCasesQuery {
  private readonly cases: Repository<HousingCaseRow>;

  constructor(dataSource: DataSource) {
    this.cases = dataSource.getRepository(HousingCaseRow);
  }

  /** A page of one kind of case in the reach, the most recently changed first. */
  async list(f: HousingCaseFilter) {
    const qb = this.cases.createQueryBuilder('r').where('r.kind = :kind', { kind: f.kind });
    if (f.scope) withinScope(qb, f.scope, 'scope');
    if (f.jurisdiction) withinScope(qb, f.jurisdiction, 'chosen');
    if (f.status) qb.andWhere('r.status = :status', { status: f.status });
    if (f.head) {
      const head = f.head.trim();
      if (/^\d{17}[\dXx]$/.test(head)) qb.andWhere('r.head_id_number = :id', { id: head.toUpperCase() });
      // The name as typed, its LIKE wildcards taken literally.
      else
        qb.andWhere(`r.head_name LIKE :name ESCAPE '\\'`, { name: `%${head.replace(/[\\%_]/g, '\\$&')}%` });
    }
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('r.updated_at', 'DESC')
        .addOrderBy('r.case_id', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }
}
