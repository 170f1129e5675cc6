import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The register of housing assistance given, looked up by any member's ID number. */
export class HousingRegister1765152000000 implements MigrationInterface {
  name = 'HousingRegister1765152000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.housing_register_entries (
  event_id           uuid        PRIMARY KEY,
  programme          text        NOT NULL,
  person_id_number   text        NOT NULL,
  person_name        text        NOT NULL,
  household_id       text        NOT NULL,
  member_id_numbers  text[]      NOT NULL,
  amount_fen         bigint      NOT NULL,
  given_on           text        NOT NULL,
  decision_reference text        NOT NULL,
  month              text,
  subject_id         text        NOT NULL,
  jurisdiction_code  text        NOT NULL,
  township_code      text        NOT NULL,
  county_code        text        NOT NULL,
  recorded_at        timestamptz NOT NULL
);
CREATE INDEX housing_register_members ON ${s}.housing_register_entries USING gin (member_id_numbers);
CREATE INDEX housing_register_county_date ON ${s}.housing_register_entries (county_code, given_on);`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.housing_register_entries`);
  }
}
