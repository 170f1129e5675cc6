import type { DbExecutor } from '@platform/event-store';
import { manyAndCount } from '@platform/read-model';
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

/** One line of a month's payment roster: the household and the amount paid for that month. */
export interface RosterRow {
  applicationId: string;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  program: string;
  applicantName: string | null;
  applicantIdNumber: string | null;
  householdSize: number | null;
  monthlyAmount: number;
  documentNumber: string | null;
}

/** One household of the standing list of recipients: what the public list shows. */
export interface RecipientRow {
  applicationId: string;
  program: string;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  applicantName: string | null;
  householdSize: number | null;
  monthlyAmount: number | null;
  decidedAt: Date | null;
}

/** The dibao capability's reads, and the document numbers it hands out. */
export class DibaoQuery {
  private readonly applications: Repository<DibaoApplicationEntry>;
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
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
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('(cardinality(a.overdue) > 0)', 'DESC')
        .addOrderBy('a.received_at', 'DESC')
        .addOrderBy('a.application_id', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
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
    const [rows, total] = await manyAndCount(
      qb
        .orderBy('a.notice_starts_at', 'DESC')
        .addOrderBy('a.application_id', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /**
   * The standing list of recipients (长期公示) of a village or a township, a page and the total in one
   * query. The page's ids come in the list's order from its index (an index-only scan, counted on the
   * way), then only the page's rows are read: a deep page does not sort every household of a township.
   */
  async recipients(f: {
    villageCode?: string;
    townshipCode?: string;
    page: number;
    pageSize: number;
  }): Promise<Paged<RecipientRow>> {
    const where = ["status = 'granted'"];
    const values: unknown[] = [];
    if (f.villageCode) where.push(`village_code = $${values.push(f.villageCode)}`);
    if (f.townshipCode) where.push(`township_code = $${values.push(f.townshipCode)}`);
    const filter = where.join(' AND ');
    const limit = values.push(f.pageSize);
    const offset = values.push((f.page - 1) * f.pageSize);
    const rows: Array<RecipientRow & { total: string }> = await this.dataSource.query(
      `SELECT a.application_id AS "applicationId", a.program, a.village_code AS "villageCode",
              a.township_code AS "townshipCode", a.county_code AS "countyCode",
              a.applicant_name AS "applicantName", a.household_size AS "householdSize",
              a.monthly_amount AS "monthlyAmount", a.decided_at AS "decidedAt", p.total
         FROM (SELECT application_id, count(*) OVER () AS total FROM ${this.s}.dibao_applications
                WHERE ${filter} ORDER BY village_code, decided_at, application_id
                LIMIT $${limit} OFFSET $${offset}) p
         JOIN ${this.s}.dibao_applications a ON a.application_id = p.application_id
        ORDER BY a.village_code, a.decided_at, a.application_id`,
      values,
    );
    // Past the last page there is no row to carry the total.
    const total =
      rows.length > 0
        ? Number(rows[0]!.total)
        : Number(
            (
              (await this.dataSource.query(
                `SELECT count(*) AS n FROM ${this.s}.dibao_applications WHERE ${filter}`,
                values.slice(0, -2),
              )) as Array<{ n: string }>
            )[0]!.n,
          );
    return {
      rows: rows.map(({ total: _total, ...row }) => row),
      total,
      page: f.page,
      pageSize: f.pageSize,
    };
  }

  /**
   * The monthly payment roster (发放花名册) of a county for a month (YYYY-MM, Beijing): each household
   * with an allowance period paid that month, at that period's amount (the rule is in
   * domain/allowance-history.ts). Raw SQL over the roster index: only the printed columns, no entity
   * objects for what can be 100,000 rows.
   */
  async roster(countyCode: string, month: string): Promise<RosterRow[]> {
    return this.dataSource.query(
      `SELECT a.application_id AS "applicationId", a.village_code AS "villageCode",
              a.township_code AS "townshipCode", a.county_code AS "countyCode", a.program,
              a.applicant_name AS "applicantName", a.applicant_id_number AS "applicantIdNumber",
              a.household_size AS "householdSize", p.monthly_amount AS "monthlyAmount",
              a.document_number AS "documentNumber"
         FROM ${this.s}.dibao_allowance_periods p
         JOIN ${this.s}.dibao_applications a ON a.application_id = p.application_id
        WHERE p.county_code = $1 AND p.first_month IS NOT NULL
          AND coalesce(p.last_month, '9999-12') >= $2 AND p.first_month <= $2
        ORDER BY a.village_code, a.decided_at, a.application_id`,
      [countyCode, month],
    );
  }

  /** Open applications with a step deadline counted in one of `years` without its calendar. */
  async provisionalDeadlines(years: string[], limit = 500): Promise<string[]> {
    if (years.length === 0) return [];
    const rows = await this.applications
      .createQueryBuilder('a')
      .select('a.application_id', 'id')
      .where('cardinality(a.deadline_provisional) > 0')
      .andWhere('a.deadline_provisional && :years::text[]', { years })
      .andWhere("a.status NOT IN ('granted', 'rejected', 'suspended', 'withdrawn')")
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
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
