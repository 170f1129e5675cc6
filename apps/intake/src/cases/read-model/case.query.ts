import type { DbExecutor } from '@platform/event-store';
import { inOneSnapshot, manyAndCount } from '@platform/read-model';
import { IsNull, type DataSource, type Repository } from 'typeorm';
import { CaseListEntry, GovernmentReport, ProgressLookupGuard } from './case-list.entities.js';

export interface CaseListFilter {
  /** Restrict to cases whose village is one of these codes; null = everything (auditors). */
  villageCodes: string[] | null;
  status?: string;
  openOnly?: boolean;
  /** Only the cases this user opened (a reporter following their reports). */
  openedBy?: string;
  page: number;
  pageSize: number;
}

/** Intake's reads of its read models, and the numbers it hands out. */
export class CaseQuery {
  private readonly cases: Repository<CaseListEntry>;
  private readonly reports: Repository<GovernmentReport>;
  private readonly s: string;

  constructor(private readonly dataSource: DataSource) {
    this.cases = dataSource.getRepository(CaseListEntry);
    this.reports = dataSource.getRepository(GovernmentReport);
    this.s = `"${(dataSource.options as { schema: string }).schema}"`;
  }

  async list(
    f: CaseListFilter,
  ): Promise<{ rows: CaseListEntry[]; total: number; page: number; pageSize: number }> {
    const qb = this.cases.createQueryBuilder('c');
    if (f.villageCodes) qb.andWhere('c.village_code = ANY(:villages)', { villages: f.villageCodes });
    if (f.status) qb.andWhere('c.status = :status', { status: f.status });
    if (f.openOnly) qb.andWhere('c.is_open');
    if (f.openedBy) qb.andWhere('c.opened_by = :openedBy', { openedBy: f.openedBy });
    const [rows, total] = await manyAndCount(
      qb
        .orderBy("(c.urgency = 'urgent')", 'DESC')
        .addOrderBy('c.opened_at', 'DESC')
        .addOrderBy('c.case_id', 'ASC')
        .skip((f.page - 1) * f.pageSize)
        .take(f.pageSize),
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /**
   * Open cases of these people for these categories, and this case's own claim on them in the same
   * statement: the case list's members, plus the claims of cases opened but not yet in the list.
   * Callers hold the people's locks, so a concurrent opening waits and then sees this claim.
   * Raw SQL on the opening transaction's own connection: one round trip while the people's locks are
   * held (bench `http`, POST /cases), where the query builder would need an insert and a select.
   */
  async claimAndFindDuplicates(
    claim: { caseId: string; caseNumber: string; villageCode: string },
    idNumbers: string[],
    categories: string[],
    transaction: DbExecutor,
  ) {
    const { rows } = await transaction.query<{
      id_number: string;
      category: string;
      case_id: string;
      case_number: string;
      village_code: string | null;
    }>(
      `WITH claimed AS (
         INSERT INTO ${this.s}.case_member_claims (case_id, id_number, category, case_number, village_code)
         SELECT $3::uuid, i, c, $4, $5 FROM unnest($1::text[]) AS i CROSS JOIN unnest($2::text[]) AS c
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT m.id_number, m.category, m.case_id::text, c.case_number, c.village_code
         FROM ${this.s}.case_members m
         JOIN ${this.s}.case_list c USING (case_id)
        WHERE m.is_open AND m.id_number = ANY($1) AND m.category = ANY($2)
       UNION
       SELECT id_number, category, case_id::text, case_number, village_code FROM ${this.s}.case_member_claims
        WHERE id_number = ANY($1) AND category = ANY($2) AND case_id <> $3::uuid
        ORDER BY 1, 2, 3`,
      [idNumbers, categories, claim.caseId, claim.caseNumber, claim.villageCode],
    );
    return rows.map((r) => ({
      idNumber: r.id_number,
      category: r.category,
      caseId: r.case_id,
      caseNumber: r.case_number,
      villageCode: r.village_code,
    }));
  }

  /**
   * The public lookup by case number and query code: the case, `locked` once `maxFailures` wrong codes
   * were typed for the number (until the window issues a new code), or null. Each try takes its place in
   * the count before the code is compared, so guesses sent all at once are counted as surely as one
   * after another; a right code clears the count. Unknown numbers and cases without a code yet are not
   * counted (nothing to guess).
   * A locked row keeps the time of its last counted try: a new code issued after it clears it.
   */
  async lookUpProgress(
    caseNumber: string,
    queryCode: string,
    maxFailures: number,
    now: Date,
  ): Promise<{ caseId: string } | 'locked' | null> {
    const row = await this.cases.findOne({
      select: { caseId: true, queryCode: true },
      where: { caseNumber },
    });
    // Unknown, or not accepted yet (no code to guess; the lookup may also run ahead of the projection).
    if (!row || row.queryCode === null) return null;
    // One atomic statement (an upsert with a conditional lock), which the repository API cannot express.
    const [guard] = (await this.dataSource.query(
      `INSERT INTO ${this.s}.progress_lookup_guard AS g (case_number, failures, locked_at, updated_at)
       VALUES ($1, 1, NULL, $2)
       ON CONFLICT (case_number) DO UPDATE SET
         failures = CASE WHEN g.locked_at IS NULL THEN g.failures + 1 ELSE g.failures END,
         updated_at = CASE WHEN g.locked_at IS NULL THEN $2 ELSE g.updated_at END
       RETURNING failures, locked_at`,
      [caseNumber, now],
    )) as Array<{ failures: number; locked_at: Date | null }>;
    if (guard!.locked_at || guard!.failures > maxFailures) return 'locked';
    if (row.queryCode !== null && row.queryCode === queryCode) {
      await this.dataSource.getRepository(ProgressLookupGuard).delete({ caseNumber, lockedAt: IsNull() });
      return { caseId: row.caseId };
    }
    if (guard!.failures >= maxFailures)
      await this.dataSource
        .getRepository(ProgressLookupGuard)
        .update({ caseNumber, lockedAt: IsNull() }, { lockedAt: now });
    return guard!.failures >= maxFailures ? 'locked' : null;
  }

  /**
   * Needs reported to the government, overdue answers first, then the newest; `scope` limits them to a
   * government's jurisdictions or to the township that reported them (null: all).
   */
  async governmentReports(
    scope: { jurisdictionCodes: string[] } | { townshipCode: string } | null,
    status: 'awaiting' | 'overdue' | 'responded' | null,
    now: Date,
    page: number,
    pageSize: number,
  ) {
    const qb = this.reports.createQueryBuilder('r');
    if (scope && 'jurisdictionCodes' in scope)
      qb.andWhere('r.jurisdiction = ANY(:codes)', { codes: scope.jurisdictionCodes });
    if (scope && 'townshipCode' in scope)
      qb.andWhere('r.township_code = :township', { township: scope.townshipCode });
    if (status === 'responded') qb.andWhere('r.response IS NOT NULL');
    if (status === 'overdue') qb.andWhere('r.response IS NULL AND r.respond_by < :now', { now });
    if (status === 'awaiting')
      qb.andWhere('r.response IS NULL AND (r.respond_by IS NULL OR r.respond_by >= :now)', { now });
    return inOneSnapshot(this.dataSource, async (runner) => {
      const total = await qb.clone().setQueryRunner(runner).getCount();
      const rows = await qb
        .setQueryRunner(runner)
        .addSelect(
          '(r.response IS NULL AND r.respond_by IS NOT NULL AND r.respond_by < :now)',
          'overdue_first',
        )
        .setParameter('now', now)
        .orderBy('overdue_first', 'DESC')
        .addOrderBy('r.reported_at', 'DESC')
        .offset((page - 1) * pageSize)
        .limit(pageSize)
        .getMany();
      return { rows, total, page, pageSize };
    });
  }

  /** A case number and its notice's document number in one round trip (sequences are not entities). */
  async nextCaseAndDocumentSequence(): Promise<{ caseSeq: number; documentSeq: number }> {
    const [row]: Array<{ c: string; d: string }> = await this.dataSource.query(
      `SELECT nextval('${this.s}.case_number_seq') AS c, nextval('${this.s}.document_number_seq') AS d`,
    );
    return { caseSeq: Number(row!.c), documentSeq: Number(row!.d) };
  }

  async nextDocumentSequence(): Promise<number> {
    const [row]: Array<{ n: string }> = await this.dataSource.query(
      `SELECT nextval('${this.s}.document_number_seq') AS n`,
    );
    return Number(row!.n);
  }
}
