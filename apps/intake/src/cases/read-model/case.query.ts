import { quoteIdent, type DbExecutor } from '@platform/event-store';
import type { Pool } from 'pg';

export interface CaseListFilter {
  /** Restrict to cases whose village lies under one of these codes; null = everything (auditors). */
  villageCodes: string[] | null;
  status?: string;
  openOnly?: boolean;
  page: number;
  pageSize: number;
}

export class CaseQuery {
  private readonly s: string;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.s = quoteIdent(schema);
  }

  async list(f: CaseListFilter) {
    const where: string[] = [];
    const values: unknown[] = [];
    if (f.villageCodes) {
      values.push(f.villageCodes);
      where.push(`village_code = ANY($${values.length})`);
    }
    if (f.status) {
      values.push(f.status);
      where.push(`status = $${values.length}`);
    }
    if (f.openOnly) where.push('is_open');
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = Number(
      (await this.pool.query(`SELECT count(*) AS n FROM ${this.s}.case_list ${w}`, values)).rows[0].n,
    );
    values.push(f.pageSize, (f.page - 1) * f.pageSize);
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.case_list ${w} ORDER BY (urgency = 'urgent') DESC, opened_at DESC, case_id
        LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
    return { rows, total, page: f.page, pageSize: f.pageSize };
  }

  /**
   * Open cases of these people for these categories: those in the case list, and those opened since
   * the case-list projection's checkpoint (read from the log itself, so a case opened a moment ago counts).
   */
  /**
   * Open cases of these people for these categories, and this case's own claim on them in the same
   * statement: the case list's members, plus the claims of cases opened but not yet in the list.
   * Callers hold the people's locks, so a concurrent opening waits and then sees this claim.
   */
  async claimAndFindDuplicates(
    claim: { caseId: string; caseNumber: string },
    idNumbers: string[],
    categories: string[],
    transaction: DbExecutor,
  ) {
    const { rows } = await transaction.query<{
      id_number: string;
      category: string;
      case_id: string;
      case_number: string;
    }>(
      `WITH claimed AS (
         INSERT INTO ${this.s}.case_member_claims (case_id, id_number, category, case_number)
         SELECT $3::uuid, i, c, $4 FROM unnest($1::text[]) AS i CROSS JOIN unnest($2::text[]) AS c
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT m.id_number, m.category, m.case_id::text, c.case_number FROM ${this.s}.case_members m
         JOIN ${this.s}.case_list c USING (case_id)
        WHERE m.is_open AND m.id_number = ANY($1) AND m.category = ANY($2)
       UNION
       SELECT id_number, category, case_id::text, case_number FROM ${this.s}.case_member_claims
        WHERE id_number = ANY($1) AND category = ANY($2) AND case_id <> $3::uuid
        ORDER BY 1, 2, 3`,
      [idNumbers, categories, claim.caseId, claim.caseNumber],
    );
    return rows.map((r) => ({
      idNumber: r.id_number,
      category: r.category,
      caseId: r.case_id,
      caseNumber: r.case_number,
    }));
  }

  async findByNumberAndCode(caseNumber: string, queryCode: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ case_id: string }>(
      `SELECT case_id FROM ${this.s}.case_list WHERE case_number = $1 AND query_code = $2`,
      [caseNumber, queryCode],
    );
    return rows[0]?.case_id ?? null;
  }

  async governmentReports(jurisdictionCodes: string[] | null, page: number, pageSize: number) {
    const values: unknown[] = [];
    let w = '';
    if (jurisdictionCodes) {
      values.push(jurisdictionCodes);
      w = `WHERE jurisdiction = ANY($1)`;
    }
    const total = Number(
      (await this.pool.query(`SELECT count(*) AS n FROM ${this.s}.government_reports ${w}`, values)).rows[0]
        .n,
    );
    values.push(pageSize, (page - 1) * pageSize);
    const { rows } = await this.pool.query(
      `SELECT * FROM ${this.s}.government_reports ${w} ORDER BY reported_at DESC LIMIT $${values.length - 1} OFFSET $${values.length}`,
      values,
    );
    return {
      items: rows.map((r) => ({
        caseId: r.case_id,
        caseNumber: r.case_number,
        needId: r.need_id,
        category: r.category,
        jurisdiction: r.jurisdiction,
        reason: r.reason,
        reportedAt: new Date(r.reported_at).toISOString(),
      })),
      total,
      page,
      pageSize,
    };
  }

  /** A case number and its notice's document number in one round trip. */
  async nextCaseAndDocumentSequence(): Promise<{ caseSeq: number; documentSeq: number }> {
    const { rows } = await this.pool.query(
      `SELECT nextval('${this.s}.case_number_seq') AS c, nextval('${this.s}.document_number_seq') AS d`,
    );
    return { caseSeq: Number(rows[0].c), documentSeq: Number(rows[0].d) };
  }

  async nextDocumentSequence(): Promise<number> {
    return Number((await this.pool.query(`SELECT nextval('${this.s}.document_number_seq') AS n`)).rows[0].n);
  }
}
