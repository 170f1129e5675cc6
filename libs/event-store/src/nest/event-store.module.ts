import { DynamicModule, Inject, Module, type OnModuleInit } from '@nestjs/common';
import { PLATFORM_CONFIG, ReadinessRegistry, type PlatformConfig } from '@platform/config';
import type { Pool } from 'pg';
import { EVENT_STORE } from '../event-store.port.js';
import { eventStoreMigrations } from '../postgres/event-store.migrations.js';
import { runMigrations } from '../postgres/migrations.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';
import { ReadHorizonMonitor } from '../postgres/read-horizon.js';
import { UpcasterRegistry } from '../upcasters.js';
import { MIGRATION_POOL, PG_POOL } from './database.module.js';

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

@Module({})
export class EventStoreModule {
  static forService(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [
        { provide: EVENT_STORE_SCHEMA, useValue: options.schema },
        EventStoreMigrator,
        {
          provide: EVENT_STORE,
          inject: [PG_POOL, PLATFORM_CONFIG],
          useFactory: (pool: Pool, config: PlatformConfig) =>
            new PostgresEventStore({
              pool,
              schema: options.schema,
              upcasters: options.upcasters,
              gatherMs: config.SUBSCRIPTION_GATHER_MS,
            }),
        },
        {
          // The horizon is the database's, not the schema's: one check, however many services share the
          // process (the last registration wins; every schema's read_horizon() gives the same answer).
          provide: ReadHorizonMonitor,
          inject: [PG_POOL, PLATFORM_CONFIG, ReadinessRegistry],
          useFactory: (pool: Pool, config: PlatformConfig, readiness: ReadinessRegistry) => {
            const monitor = new ReadHorizonMonitor({
              pool,
              schema: options.schema,
              alertMs: config.READ_HORIZON_ALERT_MS ?? 60_000,
            });
            readiness.register({ name: 'read-horizon', check: () => monitor.check() });
            return monitor;
          },
        },
      ],
      exports: [EVENT_STORE, EVENT_STORE_SCHEMA],
    };
  }
}
