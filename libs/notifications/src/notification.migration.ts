import { migrationSchema } from '@platform/read-model';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The notification outbox (see NotificationRow). */
export class NotificationOutbox1767312000000 implements MigrationInterface {
  name = 'NotificationOutbox1767312000000';

  async up(q: QueryRunner): Promise<void> {
    const s = migrationSchema(q);
    await q.query(`
CREATE TABLE IF NOT EXISTS ${s}.notifications (
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('webhook', 'sms', 'email')),
  recipient text NOT NULL,
  subject text NOT NULL,
  text text NOT NULL,
  payload jsonb NOT NULL,
  source_event_id text NOT NULL,
  case_id uuid,
  status text NOT NULL CHECK (status IN ('pending', 'sent', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error text,
  created_at timestamptz NOT NULL,
  sent_at timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS notifications_once ON ${s}.notifications (source_event_id, channel, recipient);
-- The dispatcher's claim reads only what is due.
CREATE INDEX IF NOT EXISTS notifications_due ON ${s}.notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS notifications_listed ON ${s}.notifications (status, created_at DESC);`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ${migrationSchema(q)}.notifications;`);
  }
}
