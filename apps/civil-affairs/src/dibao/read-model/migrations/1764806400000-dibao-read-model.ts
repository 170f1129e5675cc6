import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Dibao applications (lists, notices, long-term notice, deadline watch) and the document counters. */
export class DibaoReadModel1764806400000 implements MigrationInterface {
  name = 'DibaoReadModel1764806400000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.dibao_applications (
  application_id      uuid PRIMARY KEY,
  case_id             uuid NOT NULL,
  case_number         text NOT NULL,
  program             text NOT NULL,
  status              text NOT NULL,
  paused              boolean NOT NULL,
  village_code        text NOT NULL,
  township_code       text NOT NULL,
  county_code         text NOT NULL,
  area                text NOT NULL,
  applicant_name      text,
  applicant_id_number text,
  household_size      integer,
  staff_relative      boolean NOT NULL,
  overdue             text[] NOT NULL,
  next_due_at         timestamptz,
  notice_kind         text,
  notice_starts_at    timestamptz,
  notice_ends_at      timestamptz,
  monthly_amount      integer,
  document_number     text,
  decided_at          timestamptz,
  received_at         timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX dibao_applications_county ON ${s}.dibao_applications (county_code, status);
CREATE INDEX dibao_applications_township ON ${s}.dibao_applications (township_code, status);
CREATE INDEX dibao_applications_village ON ${s}.dibao_applications (village_code, status);
CREATE INDEX dibao_applications_due ON ${s}.dibao_applications (next_due_at) WHERE next_due_at IS NOT NULL;
CREATE TABLE ${s}.dibao_document_counters (
  county_code   text NOT NULL,
  document_type text NOT NULL,
  year          integer NOT NULL,
  last_number   integer NOT NULL,
  PRIMARY KEY (county_code, document_type, year)
);`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.dibao_document_counters, ${s}.dibao_applications;`);
  }
}
