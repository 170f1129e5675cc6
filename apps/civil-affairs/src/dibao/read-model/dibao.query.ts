import type { DbExecutor } from '@platform/event-store';
import type { DataSource, Repository, SelectQueryBuilder } from 'typeorm';
import { DibaoApplicationEntry } from './dibao.entities.js';

/** Where a reader's lists are cut: a node of the tree by its level (null: everything, for auditors). */
export interface Scope {
  level: 'city' | 'county' | 'township' | 'village';
  code: string;
}

export interface ApplicationFilter {
  scope: Scope | null;
  status?: string;
  program?: string;
  villageCode?: string;
  overdue?: boolean;
  staffRelative?: boolean;
  page: number;
  pageSize: number;
}

export interface Paged<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
}

const COLUMN: Record<Scope['level'], string | null> = {
  city: null,
  county: 'a.county_code',
  township: 'a.township_code',
  village: 'a.village_code',
};

function scoped(qb: SelectQueryBuilder<DibaoApplicationEntry>, scope: Scope | null) {
  const column = scope ? COLUMN[scope.level] : null;
  if (scope && column) qb.andWhere(`${column} = :scopeCode`, { scopeCode: scope.code });
  // A city node sees its whole city: county codes share the city's first four digits.
  if (scope?.level === 'city')
    qb.andWhere('a.county_code LIKE :cityPrefix', { cityPrefix: `${scope.code.slice(0, 4)}%` });
  return qb;
}

/** The dibao capability's reads, and the document numbers it hands out. */
export class DibaoQuery {
  private readonly applications: Repository<DibaoApplicationEntry>;
  private readonly s: string;

  constructor(dataSource: DataSource) {
    this.applications = dataSource.getRepository(DibaoApplicationEntry);
    this.s = `"${(dataSource.options as { schema: string }).schema}"`;
  }

  async list(f: ApplicationFilter): Promise<Paged<DibaoApplicationEntry>> {
    const qb = scoped(this.applications.createQueryBuilder('a'), f.scope);
    if (f.status) qb.andWhere('a.status = :status', { status: f.status });
    if (f.program) qb.andWhere('a.program = :program', { program: f.program });
    if (f.villageCode) qb.andWhere('a.village_code = :village', { village: f.villageCode });
    if (f.overdue !== undefined)
      qb.andWhere(f.overdue ? 'cardinality(a.overdue) > 0' : 'cardinality(a.overdue) = 0');
    if (f.staffRelative !== undefined) qb.andWhere('a.staff_relative = :sr', { sr: f.staffRelative });
    const [rows, total] = await qb
      .orderBy('(cardinality(a.overdue) > 0)', 'DESC')
      .addOrderBy('a.received_at', 'DESC')
      .addOrderBy('a.application_id', 'ASC')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize)
      .getManyAndCount();
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  async get(applicationId: string): Promise<DibaoApplicationEntry | null> {
    return this.applications.findOne({ where: { applicationId } });
  }

  /** Applications on notice now (first or second), in a scope or a village. */
  async notices(f: {
    scope: Scope | null;
    villageCode?: string;
    kind?: string;
    now: Date;
    page: number;
    pageSize: number;
  }): Promise<Paged<DibaoApplicationEntry>> {
    const qb = scoped(this.applications.createQueryBuilder('a'), f.scope)
      .andWhere("a.status IN ('first_notice', 'second_notice')")
      .andWhere('a.notice_ends_at >= :now', { now: f.now });
    if (f.villageCode) qb.andWhere('a.village_code = :village', { village: f.villageCode });
    if (f.kind) qb.andWhere('a.notice_kind = :kind', { kind: f.kind });
    const [rows, total] = await qb
      .orderBy('a.notice_starts_at', 'DESC')
      .addOrderBy('a.application_id', 'ASC')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize)
      .getManyAndCount();
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /** The standing list of recipients (长期公示) of a village or a township. */
  async recipients(f: { villageCode?: string; townshipCode?: string; page: number; pageSize: number }) {
    const qb = this.applications.createQueryBuilder('a').where("a.status = 'granted'");
    if (f.villageCode) qb.andWhere('a.village_code = :village', { village: f.villageCode });
    if (f.townshipCode) qb.andWhere('a.township_code = :township', { township: f.townshipCode });
    const [rows, total] = await qb
      .orderBy('a.village_code', 'ASC')
      .addOrderBy('a.decided_at', 'ASC')
      .addOrderBy('a.application_id', 'ASC')
      .skip((f.page - 1) * f.pageSize)
      .take(f.pageSize)
      .getManyAndCount();
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /**
   * The monthly payment roster (发放花名册) of a county: households granted before the month ends and not
   * stopped before it ends, each for its full monthly amount.
   */
  async roster(countyCode: string, monthEnd: Date): Promise<DibaoApplicationEntry[]> {
    return this.applications
      .createQueryBuilder('a')
      .where('a.county_code = :county', { county: countyCode })
      .andWhere("a.status IN ('granted', 'suspended')")
      .andWhere('a.decided_at < :end', { end: monthEnd })
      .andWhere('(a.suspended_at IS NULL OR a.suspended_at >= :end)', { end: monthEnd })
      .orderBy('a.village_code', 'ASC')
      .addOrderBy('a.decided_at', 'ASC')
      .addOrderBy('a.application_id', 'ASC')
      .getMany();
  }

  /** Applications with a running deadline that has passed and is not marked yet. */
  async dueForOverdue(now: Date, limit = 500): Promise<string[]> {
    const rows = await this.applications
      .createQueryBuilder('a')
      .select('a.application_id', 'id')
      .where('a.next_due_at < :now', { now })
      .orderBy('a.next_due_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  /**
   * The next document number of a county, type and year, taken on the deciding transaction's own
   * connection: the counter row stays locked until that transaction commits or rolls back, so numbers
   * are handed out in order and without gaps. Raw SQL: one round trip inside the decision's transaction,
   * where the query builder would need a read and a write under an explicit lock.
   */
  async nextDocumentNumber(
    transaction: DbExecutor,
    countyCode: string,
    documentType: string,
    year: number,
  ): Promise<number> {
    const { rows } = await transaction.query<{ last_number: number }>(
      `INSERT INTO ${this.s}.dibao_document_counters (county_code, document_type, year, last_number)
       VALUES ($1, $2, $3, 1)
       ON CONFLICT (county_code, document_type, year)
       DO UPDATE SET last_number = dibao_document_counters.last_number + 1
       RETURNING last_number`,
      [countyCode, documentType, year],
    );
    return rows[0]!.last_number;
  }
}
