import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import {
  MetricsRegistry,
  PLATFORM_CONFIG,
  ReadinessRegistry,
  Tracing,
  type PlatformConfig,
} from '@platform/config';
import { platformContracts, schemaOf, type ContractRegistry } from '@platform/contracts';
import {
  EVENT_STORE,
  EventStoreModule,
  MIGRATION_POOL,
  PG_POOL,
  quoteIdent,
  runMigrations,
  type EventStore,
} from '@platform/event-store';
import type { Pool } from 'pg';
import { EventLogTransport } from '../event-log/event-log-transport.js';
import { KafkaTransport } from '../kafka/kafka-transport.js';
import { kafkaConnectionOf } from '../kafka/kafka-connection.js';
import { messagingMigrations } from '../messaging.migrations.js';
import { OutboxRelay } from '../outbox-relay.js';
import { INTEGRATION_TRANSPORT, type IntegrationTransport } from '../transport.port.js';
import type { Outcome } from '../inbox-processor.js';

export const CONTRACTS = Symbol('CONTRACTS');
export const SERVICE_SCHEMA = Symbol('SERVICE_SCHEMA');
export const OUTBOX_RELAY = Symbol('OUTBOX_RELAY');
const SERVICE_DEPARTMENT = Symbol('SERVICE_DEPARTMENT');

function logTo(logger: Logger) {
  return (level: 'debug' | 'info' | 'warn' | 'error', message: string, detail?: Record<string, unknown>) => {
    const line = detail ? `${message} ${JSON.stringify(detail)}` : message;
    if (level === 'error') logger.error(line);
    else if (level === 'warn') logger.warn(line);
    else if (level === 'debug') logger.debug(line);
    else logger.log(line);
  };
}

/** Department name from `<department>.events` or `<department>.seals`. */
export function departmentOfTopic(topic: string): string {
  const dot = topic.indexOf('.');
  return dot < 0 ? topic : topic.slice(0, dot);
}

class TransportLifecycle implements OnApplicationShutdown {
  constructor(@Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport) {}
  async onApplicationShutdown(): Promise<void> {
    await this.transport.close();
  }
}

/** Counts what each consumer group takes in, and when it last did (time since last delivery). */
function consumerMetrics(metrics: MetricsRegistry) {
  const taken = metrics.counter(
    'sap_messages_total',
    'Integration messages a consumer group took in, by outcome (handled, duplicate, ignored, dead_<reason>)',
    ['group', 'outcome'],
  );
  const last = metrics.gauge(
    'sap_consumer_last_message_timestamp_seconds',
    'When a consumer group last took in a message (Unix time)',
    ['group'],
  );
  return (group: string, outcomes: readonly Outcome[]) => {
    for (const o of outcomes)
      taken.inc({ group, outcome: o.status === 'dead' ? `dead_${o.reason}` : o.status });
    if (outcomes.length > 0) last.set({ group }, Date.now() / 1000);
  };
}

/** Caps the rows a scrape counts: a backlog beyond it reads as the cap, still far past any alert. */
const LAG_COUNT_CAP = 1_000_000;

/**
 * What a department's schema says when scraped: events appended, the relay's backlog (Kafka), each
 * event-log consumer's backlog, dead letters kept. Cheap queries on indexed columns.
 */
function registerServiceMetrics(
  metrics: MetricsRegistry,
  pool: Pool,
  schema: string,
  department: string,
  relay: boolean,
): void {
  const s = quoteIdent(schema);
  metrics.scraped(
    'counter',
    'sap_events_appended_total',
    "Events appended to a department's log",
    ['department'],
    async () => {
      const { rows } = await pool.query<{ n: string | null }>(
        `SELECT max(global_position)::text AS n FROM ${s}.events`,
      );
      return [{ labels: { department }, value: Number(rows[0]?.n ?? 0) }];
    },
  );
  if (relay) {
    const backlog = async () => {
      const { rows } = await pool.query<{ n: string; oldest: Date | null }>(
        `WITH cp AS (SELECT coalesce((SELECT global_position FROM ${s}.relay_checkpoints WHERE relay = $1), 0) AS p),
              waiting AS (SELECT recorded_at FROM ${s}.events, cp WHERE global_position > cp.p ORDER BY global_position LIMIT ${LAG_COUNT_CAP})
         SELECT count(*)::text AS n, min(recorded_at) AS oldest FROM waiting`,
        [department],
      );
      return rows[0]!;
    };
    metrics.scraped(
      'gauge',
      'sap_relay_lag_events',
      'Events of a department not yet published to Kafka by its outbox relay',
      ['department'],
      async () => [{ labels: { department }, value: Number((await backlog()).n) }],
    );
    metrics.scraped(
      'gauge',
      'sap_relay_lag_seconds',
      'Age of the oldest event the outbox relay has not yet published (0 when none waits)',
      ['department'],
      async () => {
        const { oldest } = await backlog();
        return [
          { labels: { department }, value: oldest ? Math.max(0, (Date.now() - oldest.getTime()) / 1000) : 0 },
        ];
      },
    );
  }
  metrics.scraped(
    'gauge',
    'sap_consumer_lag_events',
    "Events on a topic an event-log consumer group has not yet taken in (Kafka: see the broker's own lag)",
    ['group', 'topic'],
    async () => {
      const { rows } = await pool.query<{ consumer_group: string; topic: string; global_position: string }>(
        `SELECT consumer_group, topic, global_position::text FROM ${s}.event_log_checkpoints`,
      );
      const samples = [];
      for (const r of rows) {
        const source = quoteIdent(
          schemaOf(departmentOfTopic(r.topic), process.env.DATABASE_SCHEMA_PREFIX || undefined),
        );
        const { rows: n } = await pool.query<{ n: string }>(
          `SELECT count(*)::text AS n FROM (SELECT 1 FROM ${source}.events WHERE global_position > $1 LIMIT ${LAG_COUNT_CAP}) w`,
          [r.global_position],
        );
        samples.push({ labels: { group: r.consumer_group, topic: r.topic }, value: Number(n[0]!.n) });
      }
      return samples;
    },
  );
  metrics.scraped(
    'gauge',
    'sap_dead_letters',
    "Dead letters kept in a department's schema (event-log transport; Kafka keeps them on <topic>.dlq)",
    ['department'],
    async () => {
      const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${s}.dead_letters`);
      return [{ labels: { department }, value: Number(rows[0]!.n) }];
    },
  );
}

/** What each Kafka consumer group of this process says about itself: lag and its last delivery. */
function kafkaConsumerMetrics(metrics: MetricsRegistry, transport: KafkaTransport): void {
  metrics.scraped(
    'gauge',
    'sap_kafka_consumer_lag_messages',
    'Records a Kafka consumer group of this process is behind, summed over its partitions (after each batch)',
    ['group'],
    async () =>
      [...transport.consumerGroups()].map(([group, g]) => ({
        labels: { group },
        value: Object.values(g.lag).reduce((a, b) => a + b, 0),
      })),
  );
  metrics.scraped(
    'gauge',
    'sap_consumer_member',
    '1 while a consumer group of this process is a member taking messages, 0 while it (re)joins',
    ['group'],
    async () =>
      [...transport.consumerGroups()].map(([group, g]) => ({
        labels: { group },
        value: g.state === 'member' ? 1 : 0,
      })),
  );
  metrics.scraped(
    'gauge',
    'sap_consumer_last_delivery_timestamp_seconds',
    'When a consumer group of this process last took messages in (Unix seconds; absent before the first)',
    ['group'],
    async () =>
      [...transport.consumerGroups()]
        .filter(([, g]) => g.lastDeliveryAt !== null)
        .map(([group, g]) => ({
          labels: { group },
          value: Date.parse(g.lastDeliveryAt!) / 1000,
        })),
  );
}

/** The integration transport for the whole process: Kafka when configured, else the event log. */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(): DynamicModule {
    return {
      module: MessagingModule,
      providers: [
        { provide: CONTRACTS, useFactory: () => platformContracts() },
        {
          provide: INTEGRATION_TRANSPORT,
          inject: [
            PLATFORM_CONFIG,
            PG_POOL,
            CONTRACTS,
            ReadinessRegistry,
            { token: MetricsRegistry, optional: true },
            { token: Tracing, optional: true },
          ],
          useFactory: (
            config: PlatformConfig,
            pool: Pool,
            contracts: ContractRegistry,
            readiness: ReadinessRegistry,
            metrics: MetricsRegistry | undefined,
            tracing: Tracing | undefined,
          ) => {
            const tracer = tracing?.enabled ? tracing : undefined;
            const log = logTo(new Logger('Messaging'));
            const observe = metrics && consumerMetrics(metrics);
            const transport: IntegrationTransport =
              config.TRANSPORT === 'kafka'
                ? new KafkaTransport({
                    brokers: config.KAFKA_BROKERS!.split(',').map((b) => b.trim()),
                    connection: kafkaConnectionOf(config),
                    clientId: config.KAFKA_CLIENT_ID,
                    pool,
                    contracts,
                    partitions: config.KAFKA_TOPIC_PARTITIONS,
                    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
                    maxRetries: config.CONSUMER_MAX_RETRIES,
                    retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
                    namePrefix: config.KAFKA_NAME_PREFIX,
                    fetchMaxWaitMs: config.KAFKA_FETCH_MAX_WAIT_MS,
                    sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
                    fetchMinBytes: config.KAFKA_FETCH_MIN_BYTES,
                    log,
                    observe,
                    tracer,
                  })
                : new EventLogTransport({
                    pool,
                    contracts,
                    schemaOfTopic: (topic) =>
                      schemaOf(departmentOfTopic(topic), config.DATABASE_SCHEMA_PREFIX),
                    maxRetries: config.CONSUMER_MAX_RETRIES,
                    retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
                    pollIntervalMs: config.POLL_INTERVAL_MS,
                    log,
                    observe,
                    tracer,
                  });
            readiness.register({ name: `transport:${transport.kind}`, check: () => transport.ping() });
            if (metrics && transport instanceof KafkaTransport) kafkaConsumerMetrics(metrics, transport);
            return transport;
          },
        },
        TransportLifecycle,
      ],
      exports: [CONTRACTS, INTEGRATION_TRANSPORT],
    };
  }

  /**
   * A department's own event store and messaging tables in its schema, plus its outbox relay
   * (started only where there is a broker to publish to).
   */
  static forService(options: { department: string; publishes: boolean }): DynamicModule {
    return {
      module: ServiceMessagingModule,
      imports: [
        EventStoreModule.forService({
          schema: schemaOf(options.department, process.env.DATABASE_SCHEMA_PREFIX || undefined),
        }),
      ],
      providers: [
        {
          provide: SERVICE_SCHEMA,
          useValue: schemaOf(options.department, process.env.DATABASE_SCHEMA_PREFIX || undefined),
        },
        { provide: SERVICE_DEPARTMENT, useValue: options.department },
        {
          provide: OUTBOX_RELAY,
          inject: [PG_POOL, EVENT_STORE, INTEGRATION_TRANSPORT, CONTRACTS, PLATFORM_CONFIG],
          useFactory: (
            pool: Pool,
            store: EventStore,
            transport: IntegrationTransport,
            contracts: ContractRegistry,
            config: PlatformConfig,
          ) =>
            options.publishes && transport.kind === 'kafka'
              ? new OutboxRelay({
                  name: options.department,
                  pool,
                  store,
                  transport,
                  contracts,
                  pollIntervalMs: config.POLL_INTERVAL_MS,
                  log: logTo(new Logger(`Relay:${options.department}`)),
                })
              : null,
        },
      ],
      exports: [EventStoreModule, SERVICE_SCHEMA, OUTBOX_RELAY],
    };
  }
}

@Module({})
export class ServiceMessagingModule implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(OUTBOX_RELAY) private readonly relay: OutboxRelay | null,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(SERVICE_DEPARTMENT) private readonly department: string,
    @Optional() @Inject(MetricsRegistry) private readonly metrics: MetricsRegistry | null,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schema, messagingMigrations);
    if (this.metrics)
      registerServiceMetrics(this.metrics, this.pool, this.schema, this.department, this.relay !== null);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
