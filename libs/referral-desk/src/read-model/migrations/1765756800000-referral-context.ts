import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The case around a referral: its number, village, the members concerned, the window officer, earlier referrals. */
export class ReferralContext1765756800000 implements MigrationInterface {
  name = 'ReferralContext1765756800000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(
      `ALTER TABLE ${s}.referral_inbox ADD COLUMN IF NOT EXISTS case_number text,
         ADD COLUMN IF NOT EXISTS village_code text, ADD COLUMN IF NOT EXISTS context jsonb;`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(
      `ALTER TABLE ${s}.referral_inbox DROP COLUMN case_number, DROP COLUMN village_code, DROP COLUMN context;`,
    );
  }
}
