import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Temporary-assistance applications (临时救助), listed by county or township, newest first. */
export class TemporaryAssistanceReadModel1765411200000 implements MigrationInterface {
  name = 'TemporaryAssistanceReadModel1765411200000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.temporary_assistance_applications (
  application_id      uuid        PRIMARY KEY,
  applicant_name      text        NOT NULL,
  applicant_id_number text        NOT NULL,
  member_count        int         NOT NULL,
  hardship_kind       text        NOT NULL,
  area                text        NOT NULL,
  village_code        text        NOT NULL,
  township_code       text        NOT NULL,
  county_code         text        NOT NULL,
  requested_fen       bigint      NOT NULL,
  granted_fen         bigint,
  status              text        NOT NULL,
  decided_level       text,
  paid_on             date,
  recorded_at         timestamptz NOT NULL,
  updated_at          timestamptz NOT NULL
);
CREATE INDEX temporary_assistance_county ON ${s}.temporary_assistance_applications (county_code, recorded_at);
CREATE INDEX temporary_assistance_township ON ${s}.temporary_assistance_applications (township_code, recorded_at);`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.temporary_assistance_applications`);
  }
}
