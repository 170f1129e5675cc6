import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The case list, membership, claims, government reports and the number sequences. `IF NOT EXISTS`: a
 * database migrated before read models moved to TypeORM (`intake/001`, `intake/002`) adopts them unchanged.
 */
export class CaseReadModel1764201600000 implements MigrationInterface {
  name = 'CaseReadModel1764201600000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE SEQUENCE IF NOT EXISTS ${s}.case_number_seq;
CREATE SEQUENCE IF NOT EXISTS ${s}.document_number_seq;
CREATE TABLE IF NOT EXISTS ${s}.case_list (
  case_id          uuid PRIMARY KEY,
  case_number      text NOT NULL UNIQUE,
  status           text NOT NULL,
  is_open          boolean NOT NULL,
  channel          text NOT NULL,
  urgency          text NOT NULL,
  village_code     text NOT NULL,
  township_code    text NOT NULL,
  county_code      text NOT NULL,
  applicant_name   text NOT NULL,
  applicant_id     text NOT NULL,
  categories       text[] NOT NULL,
  referral_states  jsonb NOT NULL,
  query_code       text,
  reported_to_government boolean NOT NULL,
  opened_at        timestamptz NOT NULL,
  accepted_at      timestamptz,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS case_list_township ON ${s}.case_list (township_code, opened_at DESC);
CREATE INDEX IF NOT EXISTS case_list_village ON ${s}.case_list (village_code, opened_at DESC);
CREATE TABLE IF NOT EXISTS ${s}.case_members (
  case_id   uuid NOT NULL,
  id_number text NOT NULL,
  category  text NOT NULL,
  is_open   boolean NOT NULL,
  PRIMARY KEY (case_id, id_number, category)
);
CREATE INDEX IF NOT EXISTS case_members_lookup ON ${s}.case_members (id_number, category) WHERE is_open;
CREATE TABLE IF NOT EXISTS ${s}.government_reports (
  case_id      uuid NOT NULL,
  need_id      text NOT NULL,
  case_number  text NOT NULL,
  category     text NOT NULL,
  jurisdiction text NOT NULL,
  reason       text NOT NULL,
  reported_at  timestamptz NOT NULL,
  PRIMARY KEY (case_id, need_id, reported_at)
);
CREATE TABLE IF NOT EXISTS ${s}.case_member_claims (
  case_id     uuid NOT NULL,
  id_number   text NOT NULL,
  category    text NOT NULL,
  case_number text NOT NULL,
  claimed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (case_id, id_number, category)
);
CREATE INDEX IF NOT EXISTS case_member_claims_lookup ON ${s}.case_member_claims (id_number, category);`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(
      `DROP TABLE ${s}.case_member_claims, ${s}.government_reports, ${s}.case_members, ${s}.case_list;
       DROP SEQUENCE ${s}.document_number_seq, ${s}.case_number_seq;`,
    );
  }
}
