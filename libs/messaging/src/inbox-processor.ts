import type { ContractRegistry } from '@platform/contracts';
import { ContractValidationError } from '@platform/contracts';
import {
  prepared,
  quoteIdent,
  signalCommitted,
  withTransaction,
  type DbExecutor,
} from '@platform/event-store';
import type { Pool } from 'pg';
import type { IntegrationMessage, MessageHandler } from './integration-message.js';

export type Outcome =
  | { status: 'handled' | 'duplicate' | 'ignored' }
  | { status: 'dead'; reason: 'schema' | 'handler'; error: string; attempts: number };

export interface InboxProcessorOptions {
  pool: Pool;
  schema: string;
  group: string;
  contracts: ContractRegistry;
  handler: MessageHandler;
  /** Messages the handler has no use for: skipped without an inbox row (no effect, nothing to deduplicate). */
  accepts?: (message: IntegrationMessage) => boolean;
  maxRetries: number;
  retryBaseMs: number;
  /** Called while waiting between retries (Kafka heartbeats) so the group does not rebalance. */
  keepAlive?: () => Promise<void>;
  /** Extra work in the same transaction, handled or duplicate (the event-log checkpoint). */
  alsoInTransaction?: (tx: DbExecutor) => Promise<void>;
  isStopping?: () => boolean;
  log?: (level: 'warn' | 'error', message: string, detail?: Record<string, unknown>) => void;
}

export class ConsumerStoppingError extends Error {
  constructor() {
    super('consumer is stopping');
  }
}

/**
 * Validates a message against its contract and runs the handler with the inbox row in one
 * transaction: a redelivered message finds its id in the inbox and has no second effect.
 * Transient failures are retried with exponential backoff; after maxRetries the message is dead.
 */
export class InboxProcessor {
  private readonly inbox: string;

  constructor(private readonly o: InboxProcessorOptions) {
    this.inbox = `${quoteIdent(o.schema)}.inbox`;
  }

  async process(message: IntegrationMessage): Promise<Outcome> {
    const contract = this.o.contracts.get(message.type);
    if (!contract || (this.o.accepts && !this.o.accepts(message))) {
      // A newer publisher's event type this service does not know, or one it has no use for: tolerate
      // it, do not block the partition.
      await this.recordOnly(message);
      return { status: 'ignored' };
    }
    let data: unknown;
    try {
      data = this.o.contracts.validate(message.type, message.schemaVersion, message.data);
    } catch (e) {
      if (e instanceof ContractValidationError) {
        return { status: 'dead', reason: 'schema', error: e.message, attempts: 0 };
      }
      throw e;
    }
    const validated = { ...message, data };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.handleOnce(validated);
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        if (attempt > this.o.maxRetries) {
          return { status: 'dead', reason: 'handler', error: error.message, attempts: attempt };
        }
        this.o.log?.('warn', `handler failed, retrying (${attempt}/${this.o.maxRetries})`, {
          group: this.o.group,
          messageId: message.id,
          type: message.type,
          error: error.message,
        });
        await this.backoff(attempt);
      }
    }
  }

  /**
   * A whole batch in one transaction: one inbox statement and one commit instead of five round trips
   * per message. When a handler fails, the transaction is rolled back, the messages before it are
   * redone in a new one, and the rest go one at a time with retries (outside any transaction, so a
   * failing handler never holds back the readers' snapshot horizon). Outcomes are in input order;
   * nothing is durable until the returned promise resolves.
   */
  async processBatch(messages: IntegrationMessage[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(messages.length);
    const toHandle: Array<{ index: number; message: IntegrationMessage }> = [];
    messages.forEach((message, index) => {
      const contract = this.o.contracts.get(message.type);
      if (!contract || (this.o.accepts && !this.o.accepts(message))) {
        outcomes[index] = { status: 'ignored' };
        return;
      }
      try {
        toHandle.push({
          index,
          message: {
            ...message,
            data: this.o.contracts.validate(message.type, message.schemaVersion, message.data),
          },
        });
      } catch (e) {
        if (!(e instanceof ContractValidationError)) throw e;
        outcomes[index] = { status: 'dead', reason: 'schema', error: e.message, attempts: 0 };
      }
    });
    let committed = 0;
    if (toHandle.length > 0) {
      let attempt = await this.tryInOneTransaction(toHandle.map((t) => t.message));
      if (attempt.failedAt === null) committed = toHandle.length;
      else if (attempt.failedAt > 0) {
        const failedAt = attempt.failedAt;
        attempt = await this.tryInOneTransaction(toHandle.slice(0, failedAt).map((t) => t.message));
        if (attempt.failedAt === null) committed = failedAt;
      }
      for (let k = 0; k < committed; k++) outcomes[toHandle[k]!.index] = { status: attempt.statuses[k]! };
    }
    // In order, so one case's events keep their order.
    for (const { index, message } of toHandle.slice(committed)) {
      outcomes[index] = await this.process(message);
    }
    return outcomes;
  }

  /** All or nothing: commits and returns each message's status, or rolls back and names the first failure. */
  private async tryInOneTransaction(
    messages: IntegrationMessage[],
  ): Promise<{ failedAt: number | null; statuses: Array<'handled' | 'duplicate'> }> {
    const client = await this.o.pool.connect();
    const statuses: Array<'handled' | 'duplicate'> = [];
    try {
      await client.query('BEGIN');
      const fresh = await this.recordAllInInbox(client, messages);
      const batch = { messages: messages.filter((m) => fresh.has(m.id)), memo: new Map<string, unknown>() };
      for (const [k, message] of messages.entries()) {
        if (!fresh.delete(message.id)) {
          statuses.push('duplicate');
          continue;
        }
        try {
          await this.o.handler(message, { transaction: client, batch });
        } catch {
          await client.query('ROLLBACK');
          return { failedAt: k, statuses };
        }
        statuses.push('handled');
      }
      await this.o.alsoInTransaction?.(client);
      await client.query('COMMIT');
      // Handlers append to this service's log inside the transaction: wake its relay and projections.
      signalCommitted(this.o.schema);
      return { failedAt: null, statuses };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  /** Inbox rows for a batch in one statement; returns the ids not seen before (each once). */
  private async recordAllInInbox(tx: DbExecutor, messages: IntegrationMessage[]): Promise<Set<string>> {
    const { rows } = await tx.query<{ message_id: string }>(
      prepared(
        `INSERT INTO ${this.inbox} (consumer_group, message_id, message_type, topic, source_position, kafka_partition, kafka_offset)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::bigint[])
         ON CONFLICT DO NOTHING RETURNING message_id`,
        [
          this.o.group,
          messages.map((m) => m.id),
          messages.map((m) => m.type),
          messages.map((m) => m.topic),
          messages.map((m) => m.sourcePosition),
          messages.map((m) => m.partition ?? null),
          messages.map((m) => m.offset ?? null),
        ],
      ),
    );
    return new Set(rows.map((r) => r.message_id));
  }

  private async handleOnce(message: IntegrationMessage): Promise<Outcome> {
    return this.inTransaction(async (tx) => {
      const inserted = await this.recordInInbox(tx, message);
      if (inserted.rowCount === 1) await this.o.handler(message, { transaction: tx });
      await this.o.alsoInTransaction?.(tx);
      return { status: inserted.rowCount === 1 ? 'handled' : 'duplicate' };
    });
  }

  /** The message's row in the inbox; rowCount 0 means it was handled before. */
  private recordInInbox(tx: DbExecutor, message: IntegrationMessage) {
    return tx.query(
      `INSERT INTO ${this.inbox} (consumer_group, message_id, message_type, topic, source_position, kafka_partition, kafka_offset)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        this.o.group,
        message.id,
        message.type,
        message.topic,
        message.sourcePosition,
        message.partition ?? null,
        message.offset ?? null,
      ],
    );
  }

  private async recordOnly(_message: IntegrationMessage): Promise<void> {
    if (!this.o.alsoInTransaction) return;
    await this.inTransaction(async (tx) => {
      await this.o.alsoInTransaction!(tx);
      return { status: 'ignored' };
    });
  }

  private async inTransaction(work: (tx: DbExecutor) => Promise<Outcome>): Promise<Outcome> {
    const outcome = await withTransaction(this.o.pool, work);
    signalCommitted(this.o.schema);
    return outcome;
  }

  private async backoff(attempt: number): Promise<void> {
    const total = Math.min(this.o.retryBaseMs * 2 ** (attempt - 1), 30_000);
    const deadline = Date.now() + total;
    while (Date.now() < deadline) {
      if (this.o.isStopping?.()) throw new ConsumerStoppingError();
      await new Promise((r) => setTimeout(r, Math.min(1000, deadline - Date.now())));
      await this.o.keepAlive?.();
    }
  }
}
