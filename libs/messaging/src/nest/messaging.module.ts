import {
  DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { PLATFORM_CONFIG, ReadinessRegistry, type PlatformConfig } from '@platform/config';
import { platformContracts, schemaOf, type ContractRegistry } from '@platform/contracts';
import {
  EVENT_STORE,
  EventStoreModule,
  MIGRATION_POOL,
  PG_POOL,
  runMigrations,
  type EventStore,
} from '@platform/event-store';
import type { Pool } from 'pg';
import { EventLogTransport } from '../event-log/event-log-transport.js';
import { KafkaTransport } from '../kafka/kafka-transport.js';
import { messagingMigrations } from '../messaging.migrations.js';
import { OutboxRelay } from '../outbox-relay.js';
import { INTEGRATION_TRANSPORT, type IntegrationTransport } from '../transport.port.js';

export const CONTRACTS = Symbol('CONTRACTS');
export const SERVICE_SCHEMA = Symbol('SERVICE_SCHEMA');
export const OUTBOX_RELAY = Symbol('OUTBOX_RELAY');

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
          inject: [PLATFORM_CONFIG, PG_POOL, CONTRACTS, ReadinessRegistry],
          useFactory: (
            config: PlatformConfig,
            pool: Pool,
            contracts: ContractRegistry,
            readiness: ReadinessRegistry,
          ) => {
            const log = logTo(new Logger('Messaging'));
            const transport: IntegrationTransport =
              config.TRANSPORT === 'kafka'
                ? new KafkaTransport({
                    brokers: config.KAFKA_BROKERS!.split(',').map((b) => b.trim()),
                    clientId: config.KAFKA_CLIENT_ID,
                    pool,
                    contracts,
                    partitions: config.KAFKA_TOPIC_PARTITIONS,
                    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
                    maxRetries: config.CONSUMER_MAX_RETRIES,
                    retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
                    namePrefix: config.KAFKA_NAME_PREFIX,
                    fetchMaxWaitMs: config.KAFKA_FETCH_MAX_WAIT_MS,
                    fetchMinBytes: config.KAFKA_FETCH_MIN_BYTES,
                    log,
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
                  });
            readiness.register({ name: `transport:${transport.kind}`, check: () => transport.ping() });
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
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schema, messagingMigrations);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
  }
}
