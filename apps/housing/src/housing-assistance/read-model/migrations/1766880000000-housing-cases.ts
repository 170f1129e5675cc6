import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The officers' lists of renovation projects and rental subsidies. The register's projection fills them,
 * so it replays the log once to list the cases opened before (its register rows are keyed by event: the
 * replay writes none twice, and a verification answer meanwhile takes each event once).
 */
export class HousingCases1766880000000 implements MigrationInterface {
  name = 'HousingCases1766880000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.housing_cases (
  case_id           text        PRIMARY KEY,
  kind              text        NOT NULL,
  status            text        NOT NULL,
  head_name         text        NOT NULL,
  head_id_number    text        NOT NULL,
  household_size    int         NOT NULL,
  jurisdiction_code text        NOT NULL,
  township_code     text        NOT NULL,
  county_code       text        NOT NULL,
  grade             text,
  approved_fen      bigint,
  paid_fen          bigint      NOT NULL,
  review_due_from   text,
  last_paid_month   text,
  opened_on         text        NOT NULL,
  updated_at        timestamptz NOT NULL
);
CREATE INDEX housing_cases_county ON ${s}.housing_cases (kind, county_code, updated_at);`);
    await replayProjection(q, 'housing-register');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.housing_cases`);
  }
}
