import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The register of education assistance given, looked up by the student's ID number. */
export class EducationRegister1765152000000 implements MigrationInterface {
  name = 'EducationRegister1765152000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.education_register_entries (
  event_id           uuid        PRIMARY KEY,
  kind               text        NOT NULL,
  person_id_number   text        NOT NULL,
  person_name        text        NOT NULL,
  household_id       text,
  programme          text,
  amount_fen         bigint      NOT NULL,
  given_on           text        NOT NULL,
  decision_reference text,
  stage              text,
  school_year        int,
  term               text,
  term_starts_on     text,
  grant_id           text,
  leaving_reason     text,
  school_name        text        NOT NULL,
  jurisdiction_code  text        NOT NULL,
  township_code      text        NOT NULL,
  county_code        text        NOT NULL,
  recorded_at        timestamptz NOT NULL
);
CREATE INDEX education_register_person ON ${s}.education_register_entries (person_id_number);
CREATE INDEX education_register_county_date ON ${s}.education_register_entries (county_code, given_on);`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.education_register_entries`);
  }
}
