import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Where a referral the desk transferred to another department went (status `transferred`). */
export class ReferralTransfer1765584000000 implements MigrationInterface {
  name = 'ReferralTransfer1765584000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`ALTER TABLE ${s}.referral_inbox ADD COLUMN transferred_to text;`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`ALTER TABLE ${s}.referral_inbox DROP COLUMN transferred_to;`);
  }
}
