import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each need reported to a government with its answer's due time and arrival, for the dashboard's overdue
 * responses. Filled from the ledger: the facts projection's checkpoint is removed, so it replays once.
 */
export class GovernmentReportFacts1766102400000 implements MigrationInterface {
  name = 'GovernmentReportFacts1766102400000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE IF NOT EXISTS ${s}.government_report_facts (
  case_id      uuid NOT NULL,
  need_id      text NOT NULL,
  reported_at  text NOT NULL,
  county_code  text,
  reported_on  timestamptz NOT NULL,
  respond_by   timestamptz,
  responded_at timestamptz,
  PRIMARY KEY (case_id, need_id, reported_at)
);
CREATE INDEX IF NOT EXISTS government_report_facts_period ON ${s}.government_report_facts (reported_on);`);
    await replayProjection(q, 'referral-facts');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.government_report_facts;`);
  }
}
