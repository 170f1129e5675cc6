import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Referral and case facts. `IF NOT EXISTS`: a database migrated before read models moved to TypeORM
 * (`oversight/001-seals-facts`, `oversight/002-reported-index`) adopts them unchanged.
 */
export class Facts1764201600000 implements MigrationInterface {
  name = 'Facts1764201600000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE IF NOT EXISTS ${s}.referral_facts (
  referral_id     uuid PRIMARY KEY,
  case_id         uuid NOT NULL,
  department      text NOT NULL,
  jurisdiction    text NOT NULL,
  county_code     text,
  category        text NOT NULL,
  issued_at       timestamptz NOT NULL,
  received_at     timestamptz,
  acknowledged_at timestamptz,
  decided_at      timestamptz,
  completed_at    timestamptz,
  status          text NOT NULL,
  declined        boolean NOT NULL DEFAULT false,
  overdue_acknowledge boolean NOT NULL DEFAULT false,
  overdue_decide  boolean NOT NULL DEFAULT false,
  overdue_held_by text,
  outcome         text,
  amount          numeric,
  reason          text,
  acknowledged_by text,
  decided_by      text,
  completed_by    text,
  revoked         boolean NOT NULL DEFAULT false,
  reopened        integer NOT NULL DEFAULT 0,
  rerouted        boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS referral_facts_period ON ${s}.referral_facts (issued_at, department, county_code);
CREATE TABLE IF NOT EXISTS ${s}.case_facts (
  case_id     uuid PRIMARY KEY,
  case_number text,
  county_code text,
  opened_at   timestamptz,
  accepted_at timestamptz,
  reported_to_government integer NOT NULL DEFAULT 0,
  first_reported_at timestamptz
);
CREATE INDEX IF NOT EXISTS case_facts_reported ON ${s}.case_facts (first_reported_at) WHERE reported_to_government > 0;`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.case_facts, ${s}.referral_facts`);
  }
}
