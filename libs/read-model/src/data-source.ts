import { assertSchemaName } from '@platform/event-store';
import pg from 'pg';
import { DataSource, type EntitySchema, type MigrationInterface } from 'typeorm';

// TypeORM's entity and migration lists accept classes (decorated entities, migrations) or schemas.
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityTarget = Function | EntitySchema;
export type MigrationClass = new () => MigrationInterface;

export interface ReadModelOptions {
  /** The service's pool: the DataSource borrows its connections instead of opening a pool of its own. */
  pool: pg.Pool;
  /** The service's schema: every entity without an explicit schema lives here. */
  schema: string;
  entities: EntityTarget[];
  migrations?: MigrationClass[];
}

/** Where TypeORM records the migrations it ran, beside the storage engine's `schema_migrations`. */
export const TYPEORM_MIGRATIONS_TABLE = 'typeorm_migrations';

/**
 * TypeORM's PostgreSQL driver creates its pool with `new driver.Pool(options)`. Handing it this instead
 * of `pg` makes every DataSource of the process draw from the one service pool (a process running every
 * department would otherwise hold a pool per schema), and leaves ending that pool to its owner.
 */
function borrowedPoolDriver(pool: pg.Pool) {
  function Pool() {
    return {
      connect: (callback: (err: Error | undefined, client?: pg.PoolClient, done?: () => void) => void) =>
        pool.connect(callback as Parameters<pg.Pool['connect']>[0]),
      query: (...args: Parameters<pg.Pool['query']>) => pool.query(...args),
      on: () => undefined,
      end: (callback?: (err?: Error) => void) => callback?.(),
    };
  }
  return { Pool, Client: pg.Client, types: pg.types, defaults: pg.defaults };
}

/**
 * A TypeORM DataSource over a service's read models: entities in the service's schema, migrations
 * committed with the code (`synchronize` stays off), connections from the service's own pool.
 */
export function readModelDataSource(o: ReadModelOptions): DataSource {
  assertSchemaName(o.schema);
  return new DataSource({
    type: 'postgres',
    driver: borrowedPoolDriver(o.pool),
    schema: o.schema,
    entities: o.entities,
    migrations: o.migrations ?? [],
    migrationsTableName: TYPEORM_MIGRATIONS_TABLE,
    migrationsTransactionMode: 'all',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    logging: false,
  });
}

/** The schema a migration runs in (the DataSource's), quoted for SQL. */
export function migrationSchema(queryRunner: { connection: DataSource }): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema) throw new Error('read-model migration: the DataSource has no schema');
  assertSchemaName(schema);
  return `"${schema}"`;
}

/**
 * From a migration that adds what a projection must fill from the events it already saw: forget the
 * projection's checkpoint, so it replays the log once (its upserts keep the tables readable meanwhile).
 * A database whose projections never ran has no checkpoint table yet, and nothing to forget.
 */
export async function replayProjection(
  queryRunner: { connection: DataSource; query(sql: string, params?: unknown[]): Promise<unknown> },
  projection: string,
): Promise<void> {
  const checkpoints = `${migrationSchema(queryRunner)}.projection_checkpoints`;
  const [{ present }] = (await queryRunner.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [
    checkpoints,
  ])) as [{ present: boolean }];
  if (present) await queryRunner.query(`DELETE FROM ${checkpoints} WHERE projection = $1`, [projection]);
}
