// Fixtures of the household-verification benchmarks: resident ID numbers made in SQL (valid check
// character, so the services' validation accepts them) and the departments' assistance registers
// (救助台账) written straight into their read-model tables with INSERT … SELECT generate_series — the
// rows the registers' projections would write, without a million events in the log first.
import type pg from 'pg';

/** The schema of a service (prefix_<service>) that holds `table`, found by the table's name. */
export async function schemaWith(pool: pg.Pool, prefix: string, table: string): Promise<string> {
  const { rows } = await pool.query<{ s: string }>(
    `SELECT table_schema AS s FROM information_schema.tables WHERE table_name = $1 AND table_schema LIKE $2`,
    [table, `${prefix}%`],
  );
  if (!rows[0]) throw new Error(`no table ${table} in a schema ${prefix}*`);
  return rows[0].s;
}

const q = (ident: string) => `"${ident.replace(/"/g, '""')}"`;

/**
 * `persons` people in `<schema>.persons (i, id_number)`: person i is born 1950-01-01 + (i mod 18,000)
 * days in 临河区 (150802), sequence i / 18,000; household h is persons 3h, 3h+1, 3h+2 (applicant, spouse,
 * child). Unique for the first 18 million.
 */
export async function createPersons(pool: pg.Pool, schema: string, persons: number): Promise<void> {
  await pool.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
  await pool.query(`DROP TABLE IF EXISTS ${q(schema)}.persons`);
  await pool.query(
    `CREATE TABLE ${q(schema)}.persons AS
     SELECT i, b || substr('10X98765432', 1 + (SELECT sum(substr(b, p, 1)::int
              * (ARRAY[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2])[p]) FROM generate_series(1, 17) p)::int % 11, 1) AS id_number
       FROM (SELECT i, '150802' || to_char(date '1950-01-01' + (i % 18000), 'YYYYMMDD')
                    || lpad((i / 18000)::text, 3, '0') AS b
               FROM generate_series(0, $1::int - 1) i) x`,
    [persons],
  );
  await pool.query(`ALTER TABLE ${q(schema)}.persons ADD PRIMARY KEY (i)`);
}

/** The members' ID numbers of households `from` … `from + n - 1`. */
export async function householdsOf(
  pool: pg.Pool,
  schema: string,
  households: number[],
): Promise<Map<number, string[]>> {
  const { rows } = await pool.query<{ h: number; ids: string[] }>(
    `SELECT i / 3 AS h, array_agg(id_number ORDER BY i) AS ids FROM ${q(schema)}.persons
      WHERE i / 3 = ANY($1::int[]) GROUP BY 1`,
    [households],
  );
  return new Map(rows.map((r) => [r.h, r.ids]));
}

/**
 * `entries` rows of health's register (medical assistance paid): entry k is person k mod `persons`,
 * paid (k·37 mod 1,095) days ago — three years, so about a third fall in a verification's twelve months —
 * a serious illness one time in five. The rows the health-assistance projection writes for a settled claim.
 */
export async function seedHealthRegister(
  pool: pg.Pool,
  schema: string,
  personsSchema: string,
  entries: number,
  persons: number,
  onProgress?: (n: number) => void,
): Promise<void> {
  const chunk = 200_000;
  for (let from = 0; from < entries; from += chunk) {
    const to = Math.min(entries, from + chunk) - 1;
    await pool.query(
      `INSERT INTO ${q(schema)}.health_assistance_register
         (programme, decision_reference, person_id_number, person_name, household_id, amount_fen, date,
          medical_cost_fen, personal_payment_fen, serious_illness, county_code, hospital)
       SELECT 'medical_assistance', 'JS-B-' || k, p.id_number, '压测患者' || p.i, 'H-' || (p.i / 3),
              100000 + (k % 997) * 100, current_date - ((k * 37) % 1095)::int,
              800000 + (k % 991) * 100, 300000 + (k % 983) * 100, k % 5 = 0, '150802000000', '临河区人民医院'
         FROM generate_series($1::int, $2::int) k
         JOIN ${q(personsSchema)}.persons p ON p.i = k % $3::int`,
      [from, to, persons],
    );
    onProgress?.(to + 1);
  }
}

/** Housing's register: households h ≡ 0 (mod 3) got six months of rental subsidy (the applicant's name). */
export async function seedHousingRegister(
  pool: pg.Pool,
  schema: string,
  personsSchema: string,
  households: number,
): Promise<void> {
  await pool.query(
    `INSERT INTO ${q(schema)}.housing_register_entries
       (event_id, programme, person_id_number, person_name, household_id, member_id_numbers, amount_fen,
        given_on, decision_reference, month, subject_id, jurisdiction_code, township_code, county_code, recorded_at)
     SELECT gen_random_uuid(), 'rental_subsidy', m.ids[1], '压测户主' || m.h, 'H-' || m.h, m.ids, 30000,
            to_char(current_date - 30 * k, 'YYYY-MM-DD'), '临住补〔2026〕' || m.h,
            to_char(current_date - 30 * k, 'YYYY-MM'), 'subsidy-' || m.h, '150802100201', '150802100000',
            '150802000000', now()
       FROM (SELECT i / 3 AS h, array_agg(id_number ORDER BY i) AS ids FROM ${q(personsSchema)}.persons
              WHERE i / 3 < $1::int AND (i / 3) % 3 = 0 GROUP BY 1) m,
            generate_series(1, 6) k`,
    [households],
  );
}

/** Education's register: the child of households h ≡ 0 (mod 2) had the autumn term's tuition waived. */
export async function seedEducationRegister(
  pool: pg.Pool,
  schema: string,
  personsSchema: string,
  households: number,
): Promise<void> {
  await pool.query(
    `INSERT INTO ${q(schema)}.education_register_entries
       (event_id, kind, person_id_number, person_name, household_id, programme, amount_fen, given_on,
        decision_reference, stage, school_year, term, term_starts_on, grant_id, leaving_reason, school_name,
        jurisdiction_code, township_code, county_code, recorded_at)
     SELECT gen_random_uuid(), 'aid', p.id_number, '压测学生' || p.i, 'H-' || (p.i / 3), 'tuition_waiver', 150000,
            to_char(current_date - 60, 'YYYY-MM-DD'), '临教助〔2026〕' || p.i, 'senior_secondary', 2026,
            'autumn', '2026-09-01', 'grant-' || p.i, NULL, '临河区第一中学', '150802100201', '150802100000',
            '150802000000', now()
       FROM ${q(personsSchema)}.persons p
      WHERE p.i / 3 < $1::int AND p.i % 3 = 2 AND (p.i / 3) % 2 = 0`,
    [households],
  );
}

/**
 * `entries` rows of housing's register for a lookup benchmark: entry k is household k mod `households`
 * (its three members in `member_id_numbers`, the applicant as the person), a month of rental subsidy
 * (k·37 mod 1,095) days ago, one in ten a renovation grant; all in 临河区 (the looking officer's county:
 * the worst case for the county filter).
 */
export async function seedHousingRegisterBulk(
  pool: pg.Pool,
  schema: string,
  personsSchema: string,
  entries: number,
  households: number,
  onProgress?: (n: number) => void,
): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${q(personsSchema)}.households`);
  await pool.query(
    `CREATE TABLE ${q(personsSchema)}.households AS
     SELECT i / 3 AS h, array_agg(id_number ORDER BY i) AS ids FROM ${q(personsSchema)}.persons
      WHERE i / 3 < $1::int GROUP BY 1`,
    [households],
  );
  await pool.query(`ALTER TABLE ${q(personsSchema)}.households ADD PRIMARY KEY (h)`);
  const chunk = 200_000;
  for (let from = 0; from < entries; from += chunk) {
    const to = Math.min(entries, from + chunk) - 1;
    await pool.query(
      `INSERT INTO ${q(schema)}.housing_register_entries
         (event_id, programme, person_id_number, person_name, household_id, member_id_numbers, amount_fen,
          given_on, decision_reference, month, subject_id, jurisdiction_code, township_code, county_code, recorded_at)
       SELECT gen_random_uuid(), CASE WHEN k % 10 = 0 THEN 'house_renovation' ELSE 'rental_subsidy' END,
              m.ids[1], '压测户主' || m.h, 'H-' || m.h, m.ids, CASE WHEN k % 10 = 0 THEN 2000000 ELSE 30000 END,
              to_char(current_date - ((k * 37) % 1095)::int, 'YYYY-MM-DD'), '临住补〔2026〕' || k,
              to_char(current_date - ((k * 37) % 1095)::int, 'YYYY-MM'), 'subsidy-' || m.h, '150802100201',
              '150802100000', '150802000000', now()
         FROM generate_series($1::int, $2::int) k
         JOIN ${q(personsSchema)}.households m ON m.h = k % $3::int`,
      [from, to, households],
    );
    onProgress?.(to + 1);
  }
}
