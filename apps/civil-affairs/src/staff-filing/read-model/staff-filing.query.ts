import type { JurisdictionLevel } from '../domain/staff-filing.decider.js';
import { manyAndCount } from '@platform/read-model';
import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { StaffFilingPerson } from './staff-filing.entities.js';

/** A node of the jurisdiction tree: filings whose post lies at or below it. */
export interface JurisdictionScope {
  code: string;
  level: JurisdictionLevel;
}

export interface StaffFilingListFilter {
  /** The actor's reach (null = everything: auditors, the city). */
  scope: JurisdictionScope | null;
  /** Only cadres (township officers file and see their villages' cadres only). */
  kind?: string;
  /** A node the officer chose: filings whose post lies at or below it. */
  jurisdiction?: JurisdictionScope;
  /** Part of the organisation's name. */
  organisation?: string;
  active?: boolean;
  /** Part of a name: the staff member's or a relative's on the filing now. */
  name?: string;
  page: number;
  pageSize: number;
}

/** A LIKE pattern matching `text` anywhere, with LIKE's own wildcards taken literally. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const COLUMN_OF_LEVEL: Record<JurisdictionLevel, string | null> = {
  city: null,
  county: 'county_code',
  township: 'township_code',
  village: 'jurisdiction_code',
};

/** Reads of the staff-filing people table. */
export class StaffFilingQuery {
  private readonly people: Repository<StaffFilingPerson>;

  constructor(dataSource: DataSource) {
    this.people = dataSource.getRepository(StaffFilingPerson);
  }

  /** The people in force with these ID numbers: one statement on the partial index of active rows. */
  activeByIdNumbers(idNumbers: string[]): Promise<StaffFilingPerson[]> {
    if (idNumbers.length === 0) return Promise.resolve([]);
    return this.people
      .createQueryBuilder('p')
      .where('p.active')
      .andWhere('p.id_number = ANY(:ids)', { ids: idNumbers })
      .orderBy('p.id_number')
      .addOrderBy('p.filing_id')
      .getMany();
  }

  /** Filings (the staff member's row of each), newest first. */
  async list(
    f: StaffFilingListFilter,
  ): Promise<{ rows: StaffFilingPerson[]; total: number; page: number; pageSize: number }> {
    const qb = this.people.createQueryBuilder('s').where("s.role = 'self'");
    if (f.scope) within(qb, f.scope, 'scope');
    if (f.jurisdiction) within(qb, f.jurisdiction, 'chosen');
    if (f.kind) qb.andWhere('s.staff_kind = :kind', { kind: f.kind });
    if (f.organisation)
      qb.andWhere('s.organisation ILIKE :organisation', { organisation: contains(f.organisation) });
    if (f.active !== undefined) qb.andWhere('s.active = :active', { active: f.active });
    if (f.name) {
      // Any name on the filing now (for a retired filing: anyone it named).
      const named = qb
        .subQuery()
        .select('1')
        .from(StaffFilingPerson, 'n')
        .where('n.filing_id = s.filing_id')
        .andWhere("(n.role = 'self' OR n.active OR NOT s.active)")
        .andWhere('n.person_name ILIKE :name')
        .getQuery();
      qb.andWhere(`EXISTS ${named}`, { name: contains(f.name) });
    }
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('s.filed_at', 'DESC')
        .addOrderBy('s.filing_id', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }
}

function within(qb: SelectQueryBuilder<StaffFilingPerson>, node: JurisdictionScope, name: string): void {
  const column = COLUMN_OF_LEVEL[node.level];
  // The city holds every post of the platform; a lower node, those whose path passes through it.
  if (column) qb.andWhere(`s.${column} = :${name}`, { [name]: node.code });
}
