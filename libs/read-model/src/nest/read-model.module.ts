import { Inject, type OnApplicationShutdown, type OnModuleInit, type Provider } from '@nestjs/common';
import { EVENT_STORE_SCHEMA, MIGRATION_POOL, PG_POOL } from '@platform/event-store';
import type pg from 'pg';
import type { DataSource } from 'typeorm';
import { readModelDataSource, type MigrationClass, type ReadModelOptions } from '../data-source.js';
import { runReadModelMigrations } from '../migrations.js';

/** The service's read-model DataSource (TypeORM), in the module that declared `readModelProviders`. */
export const READ_MODEL = Symbol('READ_MODEL');
const READ_MODEL_MIGRATIONS = Symbol('READ_MODEL_MIGRATIONS');

class ReadModelLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(MIGRATION_POOL) private readonly migrationPool: pg.Pool,
    @Inject(EVENT_STORE_SCHEMA) private readonly schema: string,
    @Inject(READ_MODEL_MIGRATIONS) private readonly migrations: MigrationClass[],
    @Inject(READ_MODEL) private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    await runReadModelMigrations(this.migrationPool, this.schema, this.migrations);
  }

  async onApplicationShutdown(): Promise<void> {
    // Borrowed connections only: the service pool itself is ended by the database module.
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * A capability's read models in its service's schema: the DataSource (`READ_MODEL`) over the
 * service pool, and its TypeORM migrations applied at start (module init, after the event store's).
 * Used inside a module that imports the service's messaging or event-store module.
 */
export function readModelProviders(options: Pick<ReadModelOptions, 'entities' | 'migrations'>): Provider[] {
  return [
    { provide: READ_MODEL_MIGRATIONS, useValue: options.migrations ?? [] },
    {
      provide: READ_MODEL,
      inject: [PG_POOL, EVENT_STORE_SCHEMA],
      useFactory: (pool: pg.Pool, schema: string) =>
        readModelDataSource({
          pool,
          schema,
          entities: options.entities,
          migrations: options.migrations,
        }).initialize(),
    },
    ReadModelLifecycle,
  ];
}
