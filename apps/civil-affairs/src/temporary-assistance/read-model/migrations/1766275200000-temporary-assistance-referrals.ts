import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Applications opened from intake's `temporary` referrals: the next referral deadline (acknowledge,
 * decide) the deadline watch must check, null once none is left to miss. Applications listed before this
 * came from the window only (no referral): nothing to fill.
 */
export class TemporaryAssistanceReferrals1766275200000 implements MigrationInterface {
  name = 'TemporaryAssistanceReferrals1766275200000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.temporary_assistance_applications ADD COLUMN referral_due_at timestamptz;
CREATE INDEX temporary_assistance_referral_due ON ${s}.temporary_assistance_applications (referral_due_at)
  WHERE referral_due_at IS NOT NULL;`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`DROP INDEX ${s}.temporary_assistance_referral_due;
ALTER TABLE ${s}.temporary_assistance_applications DROP COLUMN referral_due_at;`);
  }
}
