import type { DataSource } from 'typeorm';
import { nextAttemptDelay, type Channel } from './domain/notification.js';
import type { Delivery, NotificationSender } from './channels/sender.js';

export interface DispatcherOptions {
  dataSource: DataSource;
  senders: NotificationSender[];
  random?: () => number;
  /** First retry after this long, doubling up to `maxMs`; after `maxAttempts` the message is dead. */
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  pollMs: number;
  batchSize?: number;
  /** A claimed message not recorded sent or failed within this long (the process died) is sent again. */
  leaseMs?: number;
  /** Sent messages are kept this many days, then deleted. */
  retentionDays?: number;
  log: { debug(m: string): void; error(m: string): void };
}

/** TypeORM answers an UPDATE … RETURNING on PostgreSQL with `[rows, count]`. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]);
}

interface Claimed {
  id: string;
  kind: string;
  channel: Channel;
  recipient: string;
  subject: string;
  text: string;
  payload: Record<string, unknown>;
  attempts: number;
}

/**
 * Sends what the outbox holds, at least once. Its schedule runs on the database's clock (`now()`), not
 * the service's business clock: a test moving that clock days ahead must not strand retries in the
 * future, and several instances agree on one clock.
 * claims due rows with SKIP LOCKED (several instances
 * share the work, none sends a row another holds), sends each over its channel, and records the
 * result — sent, or the next attempt after a backoff, or dead after the last attempt.
 */
export class NotificationDispatcher {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private lastPurge = 0;
  private readonly senders = new Map<Channel, NotificationSender>();
  private readonly table: string;

  constructor(private readonly o: DispatcherOptions) {
    for (const s of o.senders) this.senders.set(s.channel, s);
    const schema = (o.dataSource.options as { schema?: string }).schema;
    if (!schema || !/^[a-z_][a-z0-9_]*$/.test(schema))
      throw new Error('notifications: the DataSource needs a plain schema name');
    this.table = `"${schema}".notifications`;
  }

  /** The channels that can send (the others' messages are never written: see `channels()`). */
  channels(): Channel[] {
    return [...this.senders.keys()];
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Sends what is due now, batch after batch; returns how many messages it tried. */
  async runOnce(): Promise<number> {
    let tried = 0;
    for (;;) {
      const batch = await this.claim();
      if (batch.length === 0) break;
      tried += batch.length;
      await Promise.all(batch.map((row) => this.deliver(row)));
    }
    await this.purge();
    return tried;
  }

  /** An administrator sends a dead message again: attempts start over. Returns false when it is not dead. */
  async resend(id: string): Promise<boolean> {
    const list = rowsOf<{ id: string }>(
      await this.o.dataSource.query(
        `UPDATE ${this.table} SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
          WHERE id = $1 AND status = 'dead' RETURNING id`,
        [id],
      ),
    );
    this.schedule(0);
    return list.length > 0;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running) return this.schedule(this.o.pollMs);
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((e: Error) => this.o.log.error(`通知发送轮询失败：${e.message}`))
        .finally(() => {
          this.running = null;
          this.schedule(this.o.pollMs);
        });
    }, ms);
    this.timer.unref();
  }

  // One statement claims a batch: the query builder cannot express it, and two statements would let two
  // instances claim one row. The rows are chosen and locked once, in a materialized CTE: as a sub-select of
  // the UPDATE's WHERE it could be evaluated again when a row it met had been changed meanwhile.
  private async claim(): Promise<Claimed[]> {
    return rowsOf<Claimed>(
      await this.o.dataSource.query(
        `WITH due AS MATERIALIZED (
           SELECT id FROM ${this.table}
            WHERE status = 'pending' AND next_attempt_at <= now()
            ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE ${this.table} n SET attempts = n.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
           FROM due WHERE n.id = due.id
         RETURNING n.id, n.kind, n.channel, n.recipient, n.subject, n.text, n.payload, n.attempts`,
        [(this.o.leaseMs ?? 60_000) / 1000, this.o.batchSize ?? 20],
      ),
    );
  }

  private async deliver(row: Claimed): Promise<void> {
    const sender = this.senders.get(row.channel);
    let failure: string | null = null;
    if (!sender) {
      failure = `未配置${row.channel === 'sms' ? '短信网关' : row.channel === 'email' ? '邮件服务器' : '推送地址'}`;
    } else {
      try {
        const d: Delivery = { ...row, attempt: row.attempts };
        await sender.send(d);
      } catch (e) {
        failure = (e as Error).message.slice(0, 500);
      }
    }
    if (failure === null) {
      await this.o.dataSource.query(
        `UPDATE ${this.table} SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1 AND status = 'pending'`,
        [row.id],
      );
      return;
    }
    const delay = sender
      ? nextAttemptDelay(row.attempts, { ...this.o, random: (this.o.random ?? Math.random)() })
      : null;
    if (delay === null) {
      await this.o.dataSource.query(
        `UPDATE ${this.table} SET status = 'dead', last_error = $2 WHERE id = $1 AND status = 'pending'`,
        [row.id, failure],
      );
      this.o.log.error(
        `通知 ${row.id}（${row.kind}，${row.channel}）第 ${row.attempts} 次发送失败，不再重试，已列入发送失败清单：${failure}`,
      );
      return;
    }
    await this.o.dataSource.query(
      `UPDATE ${this.table} SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3
        WHERE id = $1 AND status = 'pending'`,
      [row.id, delay / 1000, failure],
    );
    this.o.log.debug(
      `通知 ${row.id}（${row.channel}）第 ${row.attempts} 次发送失败，${delay} ms 后重试：${failure}`,
    );
  }

  private async purge(): Promise<void> {
    if (performance.now() - this.lastPurge < 3_600_000 && this.lastPurge !== 0) return;
    this.lastPurge = performance.now();
    await this.o.dataSource.query(
      `DELETE FROM ${this.table} WHERE status = 'sent' AND sent_at < now() - make_interval(days => $1)`,
      [this.o.retentionDays ?? 30],
    );
  }
}
