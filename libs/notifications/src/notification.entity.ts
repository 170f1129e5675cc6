import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The notification outbox: a message is written here in the same transaction as the projection that
 * saw its event (so once per event: unique on event, channel and recipient), then sent by the
 * dispatcher with retries. Sent rows are kept 30 days (the list administrators read); rows that ran
 * out of attempts stay as the dead-letter list until an administrator sends them again.
 */
@Entity({ name: 'notifications' })
@Index('notifications_once', ['sourceEventId', 'channel', 'recipient'], { unique: true })
export class NotificationRow {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  channel: string;

  @Column({ type: 'text' })
  recipient: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'source_event_id', type: 'text' })
  sourceEventId: string;

  @Column({ name: 'case_id', type: 'uuid', nullable: true })
  caseId: string | null;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
