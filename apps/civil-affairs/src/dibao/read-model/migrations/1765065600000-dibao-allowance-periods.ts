import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The allowance periods of granted applications: the payment roster of any month pays the amount in
 * force for that month. The rows come from the events, so the dibao projection replays the log once
 * (its checkpoint is removed) and fills them for the applications decided before this migration.
 */
export class DibaoAllowancePeriods1765065600000 implements MigrationInterface {
  name = 'DibaoAllowancePeriods1765065600000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE ${s}.dibao_allowance_periods (
  application_id  uuid NOT NULL,
  seq             integer NOT NULL,
  county_code     text NOT NULL,
  effective_from  timestamptz NOT NULL,
  effective_to    timestamptz,
  monthly_amount  integer NOT NULL,
  document_number text NOT NULL,
  first_month     text CHECK (first_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  last_month      text CHECK (last_month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  PRIMARY KEY (application_id, seq)
);
CREATE INDEX dibao_allowance_periods_roster ON ${s}.dibao_allowance_periods
  (county_code, (coalesce(last_month, '9999-12')), first_month) WHERE first_month IS NOT NULL;`);
    // Replay the log into the projection (upserts: the lists stay readable meanwhile).
    await replayProjection(q, 'dibao-applications');
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP TABLE ${s}.dibao_allowance_periods;`);
  }
}
