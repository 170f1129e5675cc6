import { deadLetterTopicOf, type ContractRegistry } from '@platform/contracts';
import kafkajs from 'kafkajs';
import type { Admin, Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { ConsumerStoppingError, InboxProcessor, type Outcome } from '../inbox-processor.js';
import type { IntegrationMessage } from '../integration-message.js';
import type { MessageTracer } from '../message-tracer.js';
import type { ConsumeOptions, ConsumerHandle, IntegrationTransport } from '../transport.port.js';
import { fromKafkaRecord, MalformedMessageError, toKafkaRecord } from './cloudevents.js';
import type { KafkaConnection } from './kafka-connection.js';

const { Kafka: KafkaClient, logLevel, CompressionTypes } = kafkajs;

/** A refusal by the cluster's authorizer (ACLs), anywhere in a kafkajs error's chain. */
export function isAuthorizationError(e: unknown): boolean {
  const seen = new Set<unknown>();
  const walk = (x: unknown): boolean => {
    if (!x || typeof x !== 'object' || seen.has(x)) return false;
    seen.add(x);
    const err = x as { type?: unknown; cause?: unknown; errors?: unknown; originalError?: unknown };
    if (typeof err.type === 'string' && err.type.endsWith('AUTHORIZATION_FAILED')) return true;
    return (
      walk(err.cause) ||
      walk(err.originalError) ||
      (Array.isArray(err.errors) && err.errors.some((y) => walk(y)))
    );
  };
  return walk(e);
}

const DEFAULT_SESSION_TIMEOUT_MS = 3_000;
/** Kafka's default `group.min.session.timeout.ms`: what any broker accepts. */
const BROKER_DEFAULT_MIN_SESSION_MS = 6_000;

export interface GroupState {
  /** A member taking messages, or (re)joining the group. */
  state: 'joining' | 'member';
  since: string;
  /** Partitions assigned to this member at its last join, by topic. */
  partitions: Record<string, number[]>;
  /** Records behind each partition's high watermark after its last batch (`topic/partition`). */
  lag: Record<string, number>;
  /** When this member last committed messages it took in. */
  lastDeliveryAt: string | null;
}

export interface KafkaTransportOptions {
  /** Told each consumer group's settled outcomes (metrics). */
  observe?: (group: string, outcomes: readonly Outcome[]) => void;
  /** Spans of publishing and handling (traces); the producer's span travels in `traceparent`. */
  tracer?: MessageTracer;
  brokers: string[];
  /** TLS and SASL (kafkaConnectionOf); none: plaintext. */
  connection?: KafkaConnection;
  clientId: string;
  pool: Pool;
  contracts: ContractRegistry;
  partitions: number;
  replicationFactor: number;
  maxRetries: number;
  retryBaseMs: number;
  /** Prefix of every physical topic and consumer group: isolates environments sharing one cluster. */
  namePrefix?: string;
  /**
   * How long the group waits for a silent (e.g. killed) member before rebalancing its partitions: a
   * consumer restarted after `kill -9` takes messages again once the old member's session has run out
   * (default 3 s; the broker's `group.min.session.timeout.ms` must allow it, see KAFKA_SESSION_TIMEOUT_MS).
   */
  sessionTimeoutMs?: number;
  /**
   * A fetch returns once it has `fetchMinBytes` or waited `fetchMaxWaitMs`. Waiting a few milliseconds
   * for more records turns a stream of one-record fetches (each with its offset commit and database
   * transaction) into batches; the wait bounds the latency it adds.
   */
  fetchMaxWaitMs?: number;
  /** How often consumers commit the offsets of handled records (and always when they leave). */
  commitIntervalMs?: number;
  fetchMinBytes?: number;
  log?: (
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    detail?: Record<string, unknown>,
  ) => void;
}

/**
 * Kafka adapter: idempotent producer keyed by case id, CloudEvents binary headers, consumers that
 * commit offsets only after the inbox transaction commits, and `<topic>.dlq` for poison messages.
 */
export class KafkaTransport implements IntegrationTransport {
  readonly kind = 'kafka' as const;
  private readonly kafka: Kafka;
  private producer: Producer | null = null;
  private producerConnecting: Promise<Producer> | null = null;
  private admin: Admin | null = null;
  private readonly consumers = new Set<Consumer>();
  /** Each consumer group of this process: joining (or rejoining), or a member taking messages since when. */
  private readonly groupStates = new Map<string, GroupState>();
  /** Lowered to the broker's default minimum when the broker refuses a shorter session (logged once). */
  private sessionTimeoutMs: number;
  private readonly knownTopics = new Set<string>();

  constructor(private readonly o: KafkaTransportOptions) {
    this.sessionTimeoutMs = o.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
    this.kafka = new KafkaClient({
      clientId: o.clientId,
      brokers: o.brokers,
      ...o.connection,
      logLevel: logLevel.NOTHING,
      // Short waits between reconnection attempts: a restarted broker is used again within ~1 s.
      retry: { retries: 8, initialRetryTime: 100, maxRetryTime: 1000 },
    });
  }

  private physical(topic: string): string {
    return `${this.o.namePrefix ?? ''}${topic}`;
  }

  private logical(topic: string): string {
    const p = this.o.namePrefix ?? '';
    return p && topic.startsWith(p) ? topic.slice(p.length) : topic;
  }

  /**
   * Creates the missing topics (with their dead-letter topics unless `deadLetters` is false: a publisher
   * writes only the topic, its consumers write the dead letters). Where the cluster grants topics through
   * ACLs the services' users may not create any: the administrator's `npm run kafka:setup` has, and a
   * refused creation is logged once and not retried (a topic really missing then fails the send or the
   * subscription, naming it).
   */
  async ensureTopics(topics: string[], options: { deadLetters?: boolean } = {}): Promise<void> {
    const withDeadLetters = options.deadLetters ?? true;
    const wanted = [
      ...new Set(
        topics.flatMap((t) =>
          withDeadLetters ? [this.physical(t), this.physical(deadLetterTopicOf(t))] : [this.physical(t)],
        ),
      ),
    ].filter((t) => !this.knownTopics.has(t));
    if (wanted.length === 0) return;
    const admin = await this.getAdmin();
    const existing = new Set(await admin.listTopics());
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      try {
        await admin.createTopics({
          // kafkajs waits for leaders by asking for metadata and gives up when the broker answers that
          // it does not host the topic yet (a KRaft broker may, for a moment after creating it).
          waitForLeaders: false,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: this.o.partitions,
            replicationFactor: this.o.replicationFactor,
          })),
        });
        await this.untilLed(admin, missing);
      } catch (e) {
        if (isAuthorizationError(e)) {
          this.o.log?.(
            'warn',
            'Kafka does not let this user create topics; they are the administrator’s (npm run kafka:setup)',
            {
              topics: missing,
            },
          );
        } else if (String((e as Error).message).includes('already exists')) {
          // Another service created it first.
          await this.untilLed(admin, missing);
        } else throw e;
      }
    }
    wanted.forEach((t) => this.knownTopics.add(t));
  }

  /** Waits until every partition of `topics` has a leader: records sent before then are refused. */
  private async untilLed(admin: Admin, topics: string[], timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: unknown = null;
    for (let delay = 50; ; delay = Math.min(delay * 2, 1_000)) {
      try {
        const { topics: found } = await admin.fetchTopicMetadata({ topics });
        if (
          found.length === topics.length &&
          found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
        )
          return;
      } catch (e) {
        // Unknown topic or no leader yet (directly or after kafkajs's own retries): still being taken in.
        last = e;
      }
      if (Date.now() > deadline)
        throw new Error(
          `Kafka topics without a leader after ${timeoutMs} ms: ${topics.join(', ')}` +
            (last ? ` (${(last as Error).message})` : ''),
        );
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  async publish(messages: IntegrationMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const spans = this.o.tracer ? messages.map((m) => this.o.tracer!.publish(m)) : [];
    try {
      const producer = await this.getProducer();
      const byTopic = new Map<string, ReturnType<typeof toKafkaRecord>[]>();
      messages.forEach((m, i) => {
        const list = byTopic.get(m.topic) ?? [];
        list.push(toKafkaRecord(m, spans[i]?.traceparent));
        byTopic.set(m.topic, list);
      });
      await this.ensureTopics([...byTopic.keys()], { deadLetters: false });
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic.entries()].map(([topic, msgs]) => ({
          topic: this.physical(topic),
          messages: msgs,
        })),
      });
    } catch (e) {
      for (const span of spans) span.end((e as Error).message);
      throw e;
    }
    for (const span of spans) span.end();
  }

  /**
   * Starts a consumer group member. With a reachable broker it is running when this resolves; when the
   * broker is not reachable the service still starts (its /ready reports the transport down) and the
   * member keeps trying to join in the background, as it does after a crash kafkajs will not retry.
   */
  async consume(options: ConsumeOptions): Promise<ConsumerHandle> {
    const state: { stopping: boolean; consumer: Consumer | null } = { stopping: false, consumer: null };
    const start = async () => {
      await this.ensureTopics(options.topics);
      const session = this.sessionTimeoutMs;
      const consumer = this.kafka.consumer({
        groupId: `${this.o.namePrefix ?? ''}${options.group}`,
        allowAutoTopicCreation: false,
        sessionTimeout: session,
        // Three heartbeats per session; the batch loop also heartbeats after every chunk it commits.
        heartbeatInterval: Math.max(100, Math.floor(session / 3)),
        // How long the coordinator waits for live members to rejoin in a rebalance (a killed member is
        // dropped when its session runs out, not after this).
        rebalanceTimeout: Math.max(10_000, 2 * session),
        maxWaitTimeInMs: this.o.fetchMaxWaitMs ?? 100,
        minBytes: this.o.fetchMinBytes ?? 1,
        retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      state.consumer = consumer;
      this.consumers.add(consumer);
      const group = this.groupStateOf(options.group);
      const mark = (s: 'joining' | 'member') => {
        group.state = s;
        group.since = new Date().toISOString();
      };
      mark('joining');
      consumer.on(consumer.events.GROUP_JOIN, (event) => {
        const assignment = (event.payload as { memberAssignment?: Record<string, number[]> })
          .memberAssignment;
        group.partitions = Object.fromEntries(
          Object.entries(assignment ?? {}).map(([topic, partitions]) => [
            this.logical(topic),
            [...partitions].sort((a, b) => a - b),
          ]),
        );
        group.lag = {};
        mark('member');
      });
      consumer.on(consumer.events.REBALANCING, () => mark('joining'));
      consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
        const b = event.payload as { topic: string; partition: number; offsetLag: string };
        group.lag[`${this.logical(b.topic)}/${b.partition}`] = Number(b.offsetLag);
      });
      consumer.on(consumer.events.CRASH, (event) => {
        const payload = event.payload as { restart?: boolean; error?: Error };
        if (!payload.restart && !state.stopping) {
          this.o.log?.('error', 'consumer crashed; rejoining', {
            group: options.group,
            error: payload.error?.message,
          });
          this.consumers.delete(consumer);
          void keepTrying();
        }
      });
      try {
        await consumer.connect();
        await consumer.subscribe({
          topics: options.topics.map((t) => this.physical(t)),
          fromBeginning: true,
        });
        await consumer.run({
          // Offsets only ever cover records whose inbox transaction has committed (resolveOffset below);
          // kafkajs commits them at this interval and when the member leaves. A crash redelivers at most
          // an interval's worth, which the inbox absorbs, instead of costing a commit request per batch.
          autoCommit: true,
          autoCommitInterval: this.o.commitIntervalMs ?? 1000,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: 1,
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            const processor = new InboxProcessor({
              pool: this.o.pool,
              schema: options.schema,
              group: options.group,
              contracts: this.o.contracts,
              handler: options.handler,
              accepts: options.accepts,
              verifyChain: true,
              maxRetries: this.o.maxRetries,
              retryBaseMs: this.o.retryBaseMs,
              keepAlive: heartbeat,
              isStopping: () => state.stopping || !isRunning(),
              log: this.o.log,
              observe: this.o.observe && ((outcomes) => this.o.observe!(options.group, outcomes)),
              tracer: this.o.tracer && { tracer: this.o.tracer, transport: 'kafka' },
            });
            try {
              // Up to 100 records per database transaction: one commit for the chunk, then its offsets.
              for (let from = 0; from < batch.messages.length; from += 100) {
                if (!isRunning() || isStale()) break;
                const chunk = batch.messages.slice(from, from + 100);
                await this.handleChunk(
                  this.logical(batch.topic),
                  batch.partition,
                  chunk,
                  processor,
                  options.group,
                );
                // Every record up to here has its inbox transaction committed.
                resolveOffset(chunk[chunk.length - 1]!.offset);
                group.lastDeliveryAt = new Date().toISOString();
                await heartbeat();
              }
            } catch (e) {
              if (!(e instanceof ConsumerStoppingError)) throw e;
            }
          },
        });
      } catch (e) {
        this.consumers.delete(consumer);
        await consumer.disconnect().catch(() => undefined);
        // A broker whose group.min.session.timeout.ms is above ours refuses the member: use the
        // broker's default minimum rather than never consuming, and say which setting to change.
        if (
          (e as { type?: string }).type === 'INVALID_SESSION_TIMEOUT' &&
          this.sessionTimeoutMs < BROKER_DEFAULT_MIN_SESSION_MS
        ) {
          this.o.log?.('error', 'the broker refuses KAFKA_SESSION_TIMEOUT_MS; using 6000 ms instead', {
            group: options.group,
            sessionTimeoutMs: this.sessionTimeoutMs,
            hint: "lower the broker's group.min.session.timeout.ms, or set KAFKA_SESSION_TIMEOUT_MS=6000",
          });
          this.sessionTimeoutMs = BROKER_DEFAULT_MIN_SESSION_MS;
        }
        throw e;
      }
    };
    let refused = false;
    const attemptOnce = async (): Promise<boolean> => {
      try {
        await start();
        // Stopped while joining: leave again at once.
        if (state.stopping) await state.consumer?.disconnect().catch(() => undefined);
        return true;
      } catch (e) {
        if (isAuthorizationError(e)) {
          // An ACL is missing: said once, at error; it takes the administrator to fix.
          if (!refused)
            this.o.log?.('error', 'Kafka refuses this consumer group or its topics; retrying', {
              group: options.group,
              topics: options.topics,
              error: (e as Error).message,
              hint: 'npm run kafka:setup grants each service what it consumes (README, "Security", "Kafka")',
            });
          refused = true;
        } else
          this.o.log?.('warn', 'consumer cannot reach the broker yet; retrying', {
            group: options.group,
            error: (e as Error).message,
          });
        return false;
      }
    };
    const keepTrying = async () => {
      for (let attempt = 0; !state.stopping; attempt++) {
        // Every second at most: a broker back after an outage is used again within about a second.
        // Refused by the authorizer: every 5 s, until the grants are there.
        if (attempt > 0)
          await new Promise((r) =>
            setTimeout(r, refused ? 5_000 : Math.min(250 * 2 ** Math.min(attempt, 4), 1_000)),
          );
        if (state.stopping || (await attemptOnce())) return;
      }
    };
    // Joining runs in the background so a service starts (and reports /ready down) while the broker is away.
    void keepTrying();
    return {
      group: options.group,
      stop: async () => {
        state.stopping = true;
        const consumer = state.consumer;
        if (consumer) {
          await consumer.disconnect().catch(() => undefined);
          this.consumers.delete(consumer);
        }
        this.groupStates.delete(options.group);
      },
    };
  }

  private async handleChunk(
    topic: string,
    partition: number,
    records: KafkaMessage[],
    processor: InboxProcessor,
    group: string,
  ): Promise<void> {
    const parsed: Array<{ record: KafkaMessage; message: IntegrationMessage }> = [];
    for (const record of records) {
      try {
        parsed.push({
          record,
          message: fromKafkaRecord({
            topic,
            partition,
            offset: record.offset,
            key: record.key,
            value: record.value,
            headers: record.headers as Record<string, unknown>,
          }),
        });
      } catch (e) {
        if (!(e instanceof MalformedMessageError)) throw e;
        await this.deadLetter(topic, partition, record, group, 'parse', e.message, 0);
      }
    }
    const outcomes = await processor.processBatch(parsed.map((p) => p.message));
    const settled: IntegrationMessage[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.status === 'dead') {
        await this.deadLetter(
          topic,
          partition,
          parsed[i]!.record,
          group,
          outcome.reason,
          outcome.error,
          outcome.attempts,
        );
        if (outcome.reason !== 'proof') settled.push(parsed[i]!.message);
      }
    }
    await processor.recordDead(settled);
  }

  private async deadLetter(
    topic: string,
    partition: number,
    record: KafkaMessage,
    group: string,
    reason: string,
    error: string,
    attempts: number,
  ): Promise<void> {
    this.o.log?.('error', 'message sent to the dead-letter topic', {
      topic,
      partition,
      offset: record.offset,
      reason,
      error,
    });
    const producer = await this.getProducer();
    const headers: Record<string, string | Buffer> = {};
    for (const [k, v] of Object.entries(record.headers ?? {})) {
      if (v !== undefined) headers[k] = Array.isArray(v) ? (v[0] as Buffer) : (v as Buffer);
    }
    await producer.send({
      topic: this.physical(deadLetterTopicOf(topic)),
      acks: -1,
      messages: [
        {
          key: record.key,
          value: record.value,
          headers: {
            ...headers,
            dlq_reason: reason,
            dlq_error: error.slice(0, 4000),
            dlq_attempts: String(attempts),
            dlq_original_topic: topic,
            dlq_original_partition: String(partition),
            dlq_original_offset: record.offset,
            dlq_consumer_group: group,
            dlq_failed_at: new Date().toISOString(),
          },
        },
      ],
    });
  }

  /**
   * Ready when the broker answers and every consumer group of this process is a member taking messages.
   * Each group is shown with its assigned partitions, its lag (records behind the high watermark after
   * the last batch, per partition) and when it last took messages in.
   */
  async ping(): Promise<Record<string, unknown>> {
    const admin = await this.getAdmin();
    await admin.describeCluster();
    const consumerGroups = Object.fromEntries(
      [...this.groupStates].sort(([a], [b]) => a.localeCompare(b)).map(([name, g]) => [name, { ...g }]),
    );
    const idle = Object.entries(consumerGroups).filter(([, g]) => g.state !== 'member');
    if (idle.length > 0) {
      throw Object.assign(
        new Error(
          `consumer groups not consuming: ${idle.map(([name, g]) => `${name} (${g.state} since ${g.since})`).join(', ')}`,
        ),
        { details: { consumerGroups } },
      );
    }
    return { consumerGroups };
  }

  /** Each consumer group's state, for /ready and the metrics. */
  consumerGroups(): ReadonlyMap<string, Readonly<GroupState>> {
    return this.groupStates;
  }

  private groupStateOf(name: string): GroupState {
    let g = this.groupStates.get(name);
    if (!g) {
      g = {
        state: 'joining',
        since: new Date().toISOString(),
        partitions: {},
        lag: {},
        lastDeliveryAt: null,
      };
      this.groupStates.set(name, g);
    }
    return g;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.producer = null;
    this.producerConnecting = null;
    this.admin = null;
  }

  private async getProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.producerConnecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        retry: { retries: 10, initialRetryTime: 100, maxRetryTime: 1000 },
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().catch((e: unknown) => {
      this.producerConnecting = null;
      throw e;
    });
    return this.producerConnecting;
  }

  private async getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    return this.admin;
  }
}
