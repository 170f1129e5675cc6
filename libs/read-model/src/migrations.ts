import { grantServiceRole, serviceRoleFor } from '@platform/event-store';
import type pg from 'pg';
import { MigrationExecutor } from 'typeorm';
import { readModelDataSource, type MigrationClass } from './data-source.js';

/**
 * Applies a capability's pending TypeORM migrations to one schema, in one transaction on the
 * migration (owner) pool under the same advisory lock as the storage engine's migrations, so several
 * processes starting at once apply each exactly once; then grants the service role its tables again.
 */
export async function runReadModelMigrations(
  ownerPool: pg.Pool,
  schema: string,
  migrations: MigrationClass[],
  options: { grantTo?: string } = {},
): Promise<string[]> {
  const grantee = options.grantTo ?? (await serviceRoleFor(ownerPool));
  const dataSource = readModelDataSource({ pool: ownerPool, schema, entities: [], migrations });
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await runner.startTransaction();
    await runner.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrations:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'all';
    const applied = await executor.executePendingMigrations();
    if (grantee) {
      const client = (await runner.connect()) as pg.PoolClient;
      await grantServiceRole(client, schema, grantee);
    }
    await runner.commitTransaction();
    return applied.map((m) => m.name);
  } catch (e) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw e;
  } finally {
    await runner.release();
    await dataSource.destroy();
  }
}
