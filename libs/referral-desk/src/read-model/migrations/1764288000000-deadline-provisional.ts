import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The years a referral's deadlines were counted in without a calendar: shown as provisional. */
export class DeadlineProvisional1764288000000 implements MigrationInterface {
  name = 'DeadlineProvisional1764288000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
ALTER TABLE ${s}.referral_inbox ADD COLUMN deadline_provisional text[] NOT NULL DEFAULT '{}';
CREATE INDEX referral_inbox_provisional ON ${s}.referral_inbox (referral_id)
  WHERE cardinality(deadline_provisional) > 0 AND status IN ('received', 'acknowledged', 'accepted');`);
  }

  async down(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(
      `DROP INDEX ${s}.referral_inbox_provisional; ALTER TABLE ${s}.referral_inbox DROP COLUMN deadline_provisional;`,
    );
  }
}
