import { migrationSchema, replayProjection } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Department events that reach the ledger before their referral's `intake.ReferralIssued` are kept until
 * it arrives (they used to be lost, leaving the referral `issued` for ever). The facts projection replays
 * once, so facts folded in the old way are corrected.
 */
export class ReferralFactPending1767139200000 implements MigrationInterface {
  name = 'ReferralFactPending1767139200000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE IF NOT EXISTS ${s}.referral_fact_pending (
  position    bigint PRIMARY KEY,
  referral_id uuid NOT NULL,
  type        text NOT NULL,
  data        jsonb NOT NULL,
  occurred_at timestamptz NOT NULL,
  actor       text NOT NULL
);
CREATE INDEX IF NOT EXISTS referral_fact_pending_referral ON ${s}.referral_fact_pending (referral_id);`);
    await replayProjection(q, 'referral-facts');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.referral_fact_pending;`);
  }
}
