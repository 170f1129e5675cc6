import {
  DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';
import { MetricsRegistry, PLATFORM_CONFIG, ReadinessRegistry, type PlatformConfig } from '@platform/config';
import type { Pool } from 'pg';
import { EVENT_STORE, type EventStore } from '../event-store.port.js';
import { KurrentDbEventStore } from '../kurrentdb/kurrentdb-event-store.js';
import { eventStoreMigrations } from '../postgres/event-store.migrations.js';
import { runMigrations } from '../postgres/migrations.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';
import { ReadHorizonMonitor } from '../postgres/read-horizon.js';
import { UpcasterRegistry } from '../upcasters.js';
import { MIGRATION_POOL, PERSONAL_DATA, PG_POOL } from './database.module.js';
import type { PersonalDataProtection } from '../personal-data/personal-data.js';

export const EVENT_STORE_SCHEMA = Symbol('EVENT_STORE_SCHEMA');

export interface EventStoreModuleOptions {
  /** The service's own schema: its events are its own data. */
  schema: string;
  upcasters?: UpcasterRegistry;
}

class EventStoreMigrator implements OnModuleInit {
  constructor(
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(EVENT_STORE_SCHEMA) private readonly schema: string,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schema, eventStoreMigrations);
  }
}

const logger = new Logger('EventStore');

/**
 * The KurrentDB client of this process, per connection string: every service's store in it shares one.
 * The client is imported only here, when EVENT_STORE=kurrentdb: importing it loads a native addon and a
 * gRPC stack that services on PostgreSQL do not need.
 */
const kurrentClients = new Map<string, { client: Promise<KurrentDBClient>; users: number }>();

export const KURRENTDB_CLIENT = Symbol('KURRENTDB_CLIENT');

/** Lends the shared client to one service's store and gives it back on shutdown (the last one disposes it). */
export class KurrentDbClientLease implements OnApplicationShutdown {
  private released = false;

  private constructor(
    private readonly connectionString: string,
    readonly client: KurrentDBClient,
  ) {}

  static async open(connectionString: string): Promise<KurrentDbClientLease> {
    let entry = kurrentClients.get(connectionString);
    if (!entry) {
      const client = import('@kurrent/kurrentdb-client').then((m) =>
        m.KurrentDBClient.connectionString(connectionString),
      );
      entry = { client, users: 0 };
      kurrentClients.set(connectionString, entry);
    }
    entry.users++;
    return new KurrentDbClientLease(connectionString, await entry.client);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const entry = kurrentClients.get(this.connectionString);
    if (!entry || --entry.users > 0) return;
    kurrentClients.delete(this.connectionString);
    await this.client.dispose();
  }
}

/** Said at start, every time: what still reads PostgreSQL's event tables and so sees none of these events. */
const KURRENTDB_GAPS =
  "log seals and audit:verify (libs/audit), the relay's chain proofs (previousPublished) and the event-log " +
  "transport (libs/messaging), the access log (libs/auth) and oversight's ledger queries read the " +
  'PostgreSQL events tables directly and see none of the events stored in KurrentDB ' +
  '(libs/event-store/README.md, "KurrentDB")';

// The horizon is the database's: one gauge per application, however many schemas it serves.
const horizonMetricRegistered = new WeakSet<MetricsRegistry>();

@Module({})
export class EventStoreModule {
  static forService(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: EVENT_STORE_SCHEMA, useValue: options.schema },
        EventStoreMigrator,
        {
          // Only when EVENT_STORE=kurrentdb; null otherwise (no connection is made). Nest calls the lease's
          // onApplicationShutdown: the last store of the process to shut down disposes the client.
          provide: KURRENTDB_CLIENT,
          inject: [PLATFORM_CONFIG],
          useFactory: async (config: PlatformConfig) =>
            config.EVENT_STORE === 'kurrentdb'
              ? await KurrentDbClientLease.open(config.KURRENTDB_CONNECTION_STRING!)
              : null,
        },
        {
          // EVENT_STORE selects the log; PostgreSQL stays required either way (inbox, outbox, read models,
          // projection and relay checkpoints live in the service's schema, which the migrator still creates).
          provide: EVENT_STORE,
          inject: [PG_POOL, PLATFORM_CONFIG, KURRENTDB_CLIENT, ReadinessRegistry, PERSONAL_DATA],
          useFactory: (
            pool: Pool,
            config: PlatformConfig,
            lease: KurrentDbClientLease | null,
            readiness: ReadinessRegistry,
            personalData: PersonalDataProtection,
          ): EventStore => {
            if (config.EVENT_STORE === 'kurrentdb' && lease) {
              const store = new KurrentDbEventStore({
                client: lease.client,
                schema: options.schema,
                upcasters: options.upcasters,
                gatherMs: config.SUBSCRIPTION_GATHER_MS,
                // Consumers append in their inbox transaction, which KurrentDB cannot join: the events are
                // durable before the inbox row commits (README, "KurrentDB").
                transactionalAppends: 'append-before-commit',
              });
              readiness.register({ name: 'kurrentdb', check: () => store.ping() });
              logger.warn(
                `${options.schema}: events are stored in KurrentDB under the stream prefix "${store.prefix}". ` +
                  `Not yet on KurrentDB: ${KURRENTDB_GAPS}. Appends made in an inbox transaction commit before it.`,
              );
              return store;
            }
            return new PostgresEventStore({
              pool,
              schema: options.schema,
              upcasters: options.upcasters,
              gatherMs: config.SUBSCRIPTION_GATHER_MS,
              personalData,
            });
          },
        },
        {
          // The horizon is the database's, not the schema's: one check, however many services share the
          // process (the last registration wins; every schema's read_horizon() gives the same answer).
          provide: ReadHorizonMonitor,
          // Metrics are optional: a module put together without the service runtime (tests) has none.
          inject: [PG_POOL, PLATFORM_CONFIG, ReadinessRegistry, { token: MetricsRegistry, optional: true }],
          useFactory: (
            pool: Pool,
            config: PlatformConfig,
            readiness: ReadinessRegistry,
            metrics: MetricsRegistry | undefined,
          ) => {
            const monitor = new ReadHorizonMonitor({
              pool,
              schema: options.schema,
              alertMs: config.READ_HORIZON_ALERT_MS ?? 60_000,
            });
            readiness.register({ name: 'read-horizon', check: () => monitor.check() });
            if (metrics && !horizonMetricRegistered.has(metrics)) {
              horizonMetricRegistered.add(metrics);
              metrics.scraped(
                'gauge',
                'sap_read_horizon_held_seconds',
                "How long one open transaction has held the database's read horizon (0: none)",
                [],
                async () => {
                  const h = await monitor.holder();
                  const held = h && (h.pid !== null || h.preparedGid !== null) ? h.heldMs / 1000 : 0;
                  return [{ labels: {}, value: held }];
                },
              );
            }
            return monitor;
          },
        },
      ],
      exports: [EVENT_STORE, EVENT_STORE_SCHEMA],
    };
  }
}
