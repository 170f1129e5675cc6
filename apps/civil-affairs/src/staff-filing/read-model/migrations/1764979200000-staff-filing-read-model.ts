import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The people of staff-relative filings (经办人员及近亲属备案), looked up by ID number. */
export class StaffFilingReadModel1764979200000 implements MigrationInterface {
  name = 'StaffFilingReadModel1764979200000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.staff_filing_people (
  filing_id          uuid        NOT NULL,
  id_number          text        NOT NULL,
  person_name        text        NOT NULL,
  role               text        NOT NULL,
  staff_name         text        NOT NULL,
  staff_kind         text        NOT NULL,
  position           text        NOT NULL,
  organisation       text        NOT NULL,
  jurisdiction_code  text        NOT NULL,
  jurisdiction_level text        NOT NULL,
  township_code      text,
  county_code        text,
  active             boolean     NOT NULL,
  relative_count     int         NOT NULL,
  filed_at           timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  PRIMARY KEY (filing_id, id_number)
);
CREATE INDEX staff_filing_people_active_id ON ${s}.staff_filing_people (id_number) WHERE active;
CREATE INDEX staff_filing_people_county ON ${s}.staff_filing_people (county_code, filed_at) WHERE role = 'self';
CREATE INDEX staff_filing_people_township ON ${s}.staff_filing_people (township_code, filed_at) WHERE role = 'self';`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.staff_filing_people`);
  }
}
