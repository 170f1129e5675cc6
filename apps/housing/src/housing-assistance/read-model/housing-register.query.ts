import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { HousingRegisterEntryRow } from './housing-register.entities.js';

/** A node of the jurisdiction tree: entries whose place lies at or below it. */
export interface RegisterScope {
  code: string;
  level: 'city' | 'county' | 'township' | 'village';
}

export interface HousingRegisterFilter {
  /** The actor's reach (null: everything, for auditors). */
  scope: RegisterScope | null;
  /** A node the officer chose, within their reach. */
  jurisdiction?: RegisterScope;
  programme?: string;
  /** Days given, inclusive (YYYY-MM-DD). */
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

function within(qb: SelectQueryBuilder<HousingRegisterEntryRow>, node: RegisterScope, name: string): void {
  const column = COLUMN_OF_LEVEL[node.level];
  if (column) qb.andWhere(`r.${column} = :${name}`, { [name]: node.code });
}

/** Reads of the housing register. */
export class HousingRegisterQuery {
  private readonly entries: Repository<HousingRegisterEntryRow>;

  constructor(dataSource: DataSource) {
    this.entries = dataSource.getRepository(HousingRegisterEntryRow);
  }

  /** The register of a jurisdiction, newest first. */
  async list(
    f: HousingRegisterFilter,
  ): Promise<{ rows: HousingRegisterEntryRow[]; total: number; page: number; pageSize: number }> {
    const qb = this.entries.createQueryBuilder('r');
    if (f.scope) within(qb, f.scope, 'scope');
    if (f.jurisdiction) within(qb, f.jurisdiction, 'chosen');
    if (f.programme) qb.andWhere('r.programme = :programme', { programme: f.programme });
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

  /** Every entry naming any of these people as a member (the GIN index on the members), oldest first. */
  byMembers(idNumbers: string[], scope: RegisterScope | null): Promise<HousingRegisterEntryRow[]> {
    if (idNumbers.length === 0) return Promise.resolve([]);
    const qb = this.entries
      .createQueryBuilder('r')
      .where('r.member_id_numbers && :ids::text[]', { ids: idNumbers });
    if (scope) within(qb, scope, 'scope');
    return qb.orderBy('r.given_on', 'ASC').addOrderBy('r.event_id', 'ASC').getMany();
  }
}
