import type { ContractRegistry } from '@platform/contracts';
import { ContractValidationError } from '@platform/contracts';
import { quoteIdent, type DbExecutor } from '@platform/event-store';
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
    if (!contract) {
      // A newer publisher's event type this service does not know: tolerate it, do not block the partition.
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
   * A whole batch in one transaction (one commit instead of one per message), each message under its
   * own savepoint so a failing one is retried or dead-lettered without undoing the others. Outcomes are
   * in input order; nothing is durable until the returned promise resolves.
   */
  async processBatch(messages: IntegrationMessage[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(messages.length);
    const toHandle: Array<{ index: number; message: IntegrationMessage }> = [];
    messages.forEach((message, index) => {
      const contract = this.o.contracts.get(message.type);
      if (!contract) {
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
    if (toHandle.length === 0) return outcomes;
    const client = await this.o.pool.connect();
    let fallbackFrom = toHandle.length;
    try {
      await client.query('BEGIN');
      for (const [k, { index, message }] of toHandle.entries()) {
        await client.query('SAVEPOINT inbox_message');
        try {
          const inserted = await this.recordInInbox(client, message);
          if (inserted.rowCount === 1) await this.o.handler(message, { transaction: client });
          await client.query('RELEASE SAVEPOINT inbox_message');
          outcomes[index] = { status: inserted.rowCount === 1 ? 'handled' : 'duplicate' };
        } catch {
          // Commit what succeeded and go on one message at a time (retries wait outside any
          // transaction, so a failing handler never holds back the readers' snapshot horizon).
          await client.query('ROLLBACK TO SAVEPOINT inbox_message');
          fallbackFrom = k;
          break;
        }
      }
      await this.o.alsoInTransaction?.(client);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
    // In order, so one case's events keep their order.
    for (const { index, message } of toHandle.slice(fallbackFrom)) {
      outcomes[index] = await this.process(message);
    }
    return outcomes;
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
    const client = await this.o.pool.connect();
    try {
      await client.query('BEGIN');
      const outcome = await work(client);
      await client.query('COMMIT');
      return outcome;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
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
