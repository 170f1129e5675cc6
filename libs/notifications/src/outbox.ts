import type { EntityManager } from 'typeorm';
import type { OutgoingNotification } from './domain/notification.js';
import { NotificationRow } from './notification.entity.js';

// TypeORM's deep-partial type does not take a jsonb column typed Record<string, unknown>.
type InsertValues = Parameters<
  ReturnType<ReturnType<EntityManager['createQueryBuilder']>['insert']>['values']
>[0];

/**
 * Writes notifications into the outbox within the caller's transaction. A notification already
 * written for the same event, channel and recipient is left alone, so a projection replaying an event
 * (a rebuild, a retried batch) never sends twice.
 */
export async function enqueueNotifications(
  manager: EntityManager,
  notifications: OutgoingNotification[],
  o: { newId: () => string },
): Promise<void> {
  if (notifications.length === 0) return;
  await manager
    .createQueryBuilder()
    .insert()
    .into(NotificationRow)
    .values(
      notifications.map((n) => ({
        id: o.newId(),
        kind: n.kind,
        channel: n.channel,
        recipient: n.recipient,
        subject: n.subject,
        text: n.text,
        payload: n.payload,
        sourceEventId: n.sourceEventId,
        caseId: n.caseId,
        status: 'pending',
        attempts: 0,
        // The database's clock, as the dispatcher's schedule is (see NotificationDispatcher).
        nextAttemptAt: () => 'now()',
        lastError: null,
        createdAt: () => 'now()',
        sentAt: null,
      })) as InsertValues,
    )
    .orIgnore()
    .execute();
}

/**
 * The same within a consumer's inbox transaction (plain `pg`, no EntityManager): the notification
 * commits with the inbox row, so a redelivered message writes nothing more.
 */
export async function enqueueNotificationsIn(
  tx: { query(text: string, values?: unknown[]): Promise<unknown> },
  schema: string,
  notifications: OutgoingNotification[],
  o: { newId: () => string },
): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`notifications: unexpected schema name ${schema}`);
  for (const n of notifications) {
    await tx.query(
      `INSERT INTO "${schema}".notifications
         (id, kind, channel, recipient, subject, text, payload, source_event_id, case_id, status, attempts, next_attempt_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'pending', 0, now(), now())
       ON CONFLICT (source_event_id, channel, recipient) DO NOTHING`,
      [
        o.newId(),
        n.kind,
        n.channel,
        n.recipient,
        n.subject,
        n.text,
        JSON.stringify(n.payload),
        n.sourceEventId,
        n.caseId,
      ],
    );
  }
}
