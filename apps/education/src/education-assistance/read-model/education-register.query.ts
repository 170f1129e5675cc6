import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { EducationRegisterEntryRow } from './education-register.entities.js';

/** A node of the jurisdiction tree: entries whose school lies at or below it. */
export interface RegisterScope {
  code: string;
  level: 'city' | 'county' | 'township' | 'village';
}

export interface EducationRegisterFilter {
  /** The actor's reach (null: everything, for auditors). */
  scope: RegisterScope | null;
  jurisdiction?: RegisterScope;
  programme?: string;
  schoolYear?: number;
  /** Days paid, inclusive (YYYY-MM-DD). */
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

const COLUMN_OF_LEVEL: Record<RegisterScope['level'], string | null> = {
  city: null,
  county: 'county_code',
  township: 'township_code',
  village: 'jurisdiction_code',
};

function within(qb: SelectQueryBuilder<EducationRegisterEntryRow>, node: RegisterScope, name: string): void {
  const column = COLUMN_OF_LEVEL[node.level];
  // A school recorded at county level has no township: a township's scope does not hold it.
  if (column) qb.andWhere(`r.${column} = :${name}`, { [name]: node.code });
}

/** Reads of the education register. */
export class EducationRegisterQuery {
  private readonly entries: Repository<EducationRegisterEntryRow>;

  constructor(dataSource: DataSource) {
    this.entries = dataSource.getRepository(EducationRegisterEntryRow);
  }

  /** The aid paid in a jurisdiction, newest first. */
  async list(
    f: EducationRegisterFilter,
  ): Promise<{ rows: EducationRegisterEntryRow[]; total: number; page: number; pageSize: number }> {
    const qb = this.entries.createQueryBuilder('r').where("r.kind = 'aid'");
    if (f.scope) within(qb, f.scope, 'scope');
    if (f.jurisdiction) within(qb, f.jurisdiction, 'chosen');
    if (f.programme) qb.andWhere('r.programme = :programme', { programme: f.programme });
    if (f.schoolYear) qb.andWhere('r.school_year = :schoolYear', { schoolYear: f.schoolYear });
    if (f.from) qb.andWhere('r.given_on >= :from', { from: f.from });
    if (f.to) qb.andWhere('r.given_on <= :to', { to: f.to });
    const [rows, total] = await qb
      .orderBy('r.given_on', 'DESC')
      .addOrderBy('r.event_id', 'DESC')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize)
      .getManyAndCount();
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /** Every entry (aid and leaving) of these people (the index on the ID number), oldest first. */
  byPeople(idNumbers: string[], scope: RegisterScope | null): Promise<EducationRegisterEntryRow[]> {
    if (idNumbers.length === 0) return Promise.resolve([]);
    const qb = this.entries
      .createQueryBuilder('r')
      .where('r.person_id_number = ANY(:ids)', { ids: idNumbers });
    if (scope) within(qb, scope, 'scope');
    return qb.orderBy('r.given_on', 'ASC').addOrderBy('r.event_id', 'ASC').getMany();
  }
}
