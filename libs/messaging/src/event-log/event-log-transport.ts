import { contractTopic, type ContractRegistry } from '@platform/contracts';
import {
  PostgresEventStore,
  quoteIdent,
  START,
  type Checkpoint,
  type DbExecutor,
  type RecordedEvent,
  type Subscription,
} from '@platform/event-store';
import type { Pool } from 'pg';
import { ConsumerStoppingError, InboxProcessor, type Outcome } from '../inbox-processor.js';
import {
  publishedLinks,
  toIntegrationMessage,
  type IntegrationMessage,
  type PublishedLink,
} from '../integration-message.js';
import type { ConsumeOptions, ConsumerHandle, IntegrationTransport } from '../transport.port.js';
import type { MessageTracer } from '../message-tracer.js';

export interface EventLogTransportOptions {
  /** Told each consumer group's settled outcomes (metrics). */
  observe?: (group: string, outcomes: readonly Outcome[]) => void;
  /** Spans of each message's handling (traces). */
  tracer?: MessageTracer;
  pool: Pool;
  contracts: ContractRegistry;
  /** Maps a topic to the schema whose event log carries it (the publishing department's). */
  schemaOfTopic: (topic: string) => string;
  maxRetries: number;
  retryBaseMs: number;
  pollIntervalMs: number;
  /**
   * The contracts the publishers publish by: which events of their logs are messages. Defaults to
   * `contracts` (one process, one registry); a consumer that does not know one of them records it as
   * seen and skips it, as over Kafka.
   */
  publishedBy?: ContractRegistry;
  log?: (
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    detail?: Record<string, unknown>,
  ) => void;
}

/**
 * The embedded transport: consumers read the publishing department's own event log in the same
 * database (catch-up subscription), with a checkpoint per group and topic written in the inbox
 * transaction. Same handlers, same inbox, same order per case as with Kafka; no broker.
 */
export class EventLogTransport implements IntegrationTransport {
  readonly kind = 'event-log' as const;
  private readonly handles = new Set<ConsumerHandle>();

  constructor(private readonly o: EventLogTransportOptions) {}

  async ensureTopics(): Promise<void> {
    // Topics are the publishers' event logs; nothing to create.
  }

  async publish(): Promise<void> {
    // The event log is the transport: what is committed there is already published.
  }

  async consume(options: ConsumeOptions): Promise<ConsumerHandle> {
    const subscriptions: Subscription[] = [];
    let stopping = false;
    const published = this.o.publishedBy ?? this.o.contracts;
    for (const topic of options.topics) {
      const sourceSchema = this.o.schemaOfTopic(topic);
      const source = new PostgresEventStore({ pool: this.o.pool, schema: sourceSchema });
      const after = await this.loadCheckpoint(options.schema, options.group, topic);
      subscriptions.push(
        source.subscribeToAll({
          after,
          pollIntervalMs: this.o.pollIntervalMs,
          batchSize: 200,
          onError: (e, attempt) =>
            this.o.log?.(attempt > 3 ? 'error' : 'warn', 'event-log consumer retrying', {
              group: options.group,
              topic,
              error: e.message,
            }),
          handler: async (events) => {
            // The messages carry the same proof as over Kafka: one query per batch for the links.
            const links = await publishedLinks(this.o.pool, sourceSchema, events, published);
            for (const event of events) {
              if (stopping) throw new ConsumerStoppingError();
              await this.handleEvent(event, links.get(event.eventId) ?? null, topic, options, () => stopping);
            }
          },
        }),
      );
    }
    const handle: ConsumerHandle = {
      group: options.group,
      stop: async () => {
        stopping = true;
        await Promise.all(subscriptions.map((s) => s.stop()));
        this.handles.delete(handle);
      },
    };
    this.handles.add(handle);
    return handle;
  }

  private async handleEvent(
    event: RecordedEvent,
    previousPublished: PublishedLink | null,
    topic: string,
    options: ConsumeOptions,
    isStopping: () => boolean,
  ): Promise<void> {
    const checkpoint: Checkpoint = {
      transactionId: event.transactionId,
      globalPosition: event.globalPosition,
    };
    const saveCheckpoint = (tx: DbExecutor) =>
      this.saveCheckpoint(tx, options.schema, options.group, topic, checkpoint);
    const published = this.o.publishedBy ?? this.o.contracts;
    const contract = published.get(event.type);
    // One log carries several topics (`<department>.events`, `<department>.seals`): each subscription takes its own.
    if (contract && contractTopic(contract) !== topic) {
      await saveCheckpoint(this.o.pool);
      return;
    }
    if (!contract) {
      // Internal to the publisher: never leaves its service.
      await saveCheckpoint(this.o.pool);
      return;
    }
    let message: IntegrationMessage;
    try {
      message = toIntegrationMessage(event, published, previousPublished);
    } catch (e) {
      const unparsed = { id: event.eventId, type: event.type, data: null };
      await this.deadLetter(options, topic, unparsed, 'parse', (e as Error).message);
      await saveCheckpoint(this.o.pool);
      return;
    }
    const processor = new InboxProcessor({
      pool: this.o.pool,
      schema: options.schema,
      group: options.group,
      contracts: this.o.contracts,
      handler: options.handler,
      accepts: options.accepts,
      verifyChain: false,
      maxRetries: this.o.maxRetries,
      retryBaseMs: this.o.retryBaseMs,
      alsoInTransaction: saveCheckpoint,
      isStopping,
      log: this.o.log,
      observe: this.o.observe && ((outcomes) => this.o.observe!(options.group, outcomes)),
      tracer: this.o.tracer && { tracer: this.o.tracer, transport: 'event-log' },
    });
    const outcome = await processor.process(message);
    if (outcome.status === 'dead') {
      await this.deadLetter(options, topic, message, outcome.reason, outcome.error);
      if (outcome.reason !== 'proof') await processor.recordDead([message]);
      await saveCheckpoint(this.o.pool);
    }
  }

  private async deadLetter(
    options: ConsumeOptions,
    topic: string,
    message: Pick<IntegrationMessage, 'id' | 'type' | 'data'>,
    reason: string,
    error: string,
  ): Promise<void> {
    this.o.log?.('error', 'message dead-lettered', {
      group: options.group,
      topic,
      eventId: message.id,
      reason,
      error,
    });
    await this.o.pool.query(
      `INSERT INTO ${quoteIdent(options.schema)}.dead_letters (consumer_group, topic, message_id, message_type, reason, error, payload)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        options.group,
        topic,
        message.id,
        message.type,
        reason,
        error.slice(0, 4000),
        // What the contract lets leave the publisher, never its internal event (it may hold a household's details).
        JSON.stringify(message.data),
      ],
    );
  }

  private async loadCheckpoint(schema: string, group: string, topic: string): Promise<Checkpoint> {
    const { rows } = await this.o.pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text, global_position FROM ${quoteIdent(schema)}.event_log_checkpoints
        WHERE consumer_group = $1 AND topic = $2`,
      [group, topic],
    );
    const row = rows[0];
    return row
      ? { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) }
      : START;
  }

  private async saveCheckpoint(
    tx: DbExecutor,
    schema: string,
    group: string,
    topic: string,
    c: Checkpoint,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO ${quoteIdent(schema)}.event_log_checkpoints (consumer_group, topic, transaction_id, global_position)
       VALUES ($1, $2, $3::text::xid8, $4)
       ON CONFLICT (consumer_group, topic) DO UPDATE
         SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = clock_timestamp()`,
      [group, topic, c.transactionId.toString(), c.globalPosition.toString()],
    );
  }

  async ping(): Promise<void> {
    await this.o.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await Promise.all([...this.handles].map((h) => h.stop()));
  }
}
