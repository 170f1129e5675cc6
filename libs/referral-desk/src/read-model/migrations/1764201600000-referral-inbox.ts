import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox table. `IF NOT EXISTS`: a database migrated before read models moved to TypeORM already
 * has it (migration `referral-desk/001-referral-inbox`), and adopts it unchanged.
 */
export class ReferralInbox1764201600000 implements MigrationInterface {
  name = 'ReferralInbox1764201600000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE IF NOT EXISTS ${s}.referral_inbox (
  referral_id      uuid PRIMARY KEY,
  case_id          uuid NOT NULL,
  need_id          text NOT NULL,
  category         text NOT NULL,
  jurisdiction     text NOT NULL,
  status           text NOT NULL,
  urgency          text NOT NULL,
  description      text NOT NULL,
  requested_amount numeric,
  applicant        jsonb,
  received_at      timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  decided_at       timestamptz,
  completed_at     timestamptz,
  acknowledge_by   timestamptz NOT NULL,
  decide_by        timestamptz NOT NULL,
  overdue          text[] NOT NULL DEFAULT '{}',
  outcome          text,
  amount           numeric,
  service          text,
  reason           text,
  held_by          text,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS referral_inbox_list ON ${s}.referral_inbox (jurisdiction, status, received_at);
CREATE INDEX IF NOT EXISTS referral_inbox_due ON ${s}.referral_inbox (status, acknowledge_by, decide_by);`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.referral_inbox`);
  }
}
