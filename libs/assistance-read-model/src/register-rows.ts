import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { manyAndCount } from '@platform/read-model';

/**
 * Reads a department register table shares (alias `r`; columns `county_code`, `township_code`,
 * `jurisdiction_code`, `programme`, `given_on`, `event_id`): a jurisdiction's page of entries, newest
 * first, and the entries of people, oldest first. The department's query picks its rows; these order,
 * scope and page them.
 */

/** A node of the jurisdiction tree: entries whose place lies at or below it. */
export interface RegisterScope {
  code: string;
  level: 'city' | 'county' | 'township' | 'village';
}

const COLUMN_OF_LEVEL: Record<RegisterScope['level'], string | null> = {
  city: null,
  county: 'county_code',
  township: 'township_code',
  village: 'jurisdiction_code',
};

/**
 * Entries at or below a node of the jurisdiction tree. An entry recorded at county level has no township:
 * a township's scope does not hold it.
 */
export function withinScope<Row extends ObjectLiteral>(
  qb: SelectQueryBuilder<Row>,
  node: RegisterScope,
  name: string,
): void {
  const column = COLUMN_OF_LEVEL[node.level];
  if (column) qb.andWhere(`r.${column} = :${name}`, { [name]: node.code });
}

export interface RegisterRowFilter {
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

/** A page of the entries `qb` selects, in the filter's reach, newest first. */
export async function registerPage<Row extends ObjectLiteral>(
  qb: SelectQueryBuilder<Row>,
  f: RegisterRowFilter,
): Promise<{ rows: Row[]; total: number; page: number; pageSize: number }> {
  if (f.scope) withinScope(qb, f.scope, 'scope');
  if (f.jurisdiction) withinScope(qb, f.jurisdiction, 'chosen');
  if (f.programme) qb.andWhere('r.programme = :programme', { programme: f.programme });
  if (f.from) qb.andWhere('r.given_on >= :from', { from: f.from });
  if (f.to) qb.andWhere('r.given_on <= :to', { to: f.to });
  const [rows, total] = await manyAndCount(
    qb
      .orderBy('r.given_on', 'DESC')
      .addOrderBy('r.event_id', 'DESC')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize),
  );
  return { rows, total, page: f.page, pageSize: f.pageSize };
}

/** The entries `qb` selects (a lookup of people), in the actor's reach, oldest first. */
export function registerRowsOldestFirst<Row extends ObjectLiteral>(
  qb: SelectQueryBuilder<Row>,
  scope: RegisterScope | null,
): Promise<Row[]> {
  if (scope) withinScope(qb, scope, 'scope');
  return qb.orderBy('r.given_on', 'ASC').addOrderBy('r.event_id', 'ASC').getMany();
}
