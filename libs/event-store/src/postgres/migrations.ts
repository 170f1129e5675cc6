import type { Pool } from 'pg';
import { withTransaction } from './transaction.js';

export interface Migration {
  /** Unique and stable, e.g. 'event-store/001-events'. Applied once per schema, in array order. */
  id: string;
  /** SQL for one schema; `schema` is a validated, quoted identifier. */
  sql: (schema: string) => string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": expected a lower-case SQL identifier`);
  }
}

export function quoteIdent(name: string): string {
  assertSchemaName(name);
  return `"${name}"`;
}

/**
 * Applies pending migrations to one schema in a single transaction under an advisory lock,
 * so several processes starting at once apply each migration exactly once. No `synchronize`.
 */
export async function runMigrations(pool: Pool, schema: string, migrations: Migration[]): Promise<string[]> {
  const s = quoteIdent(schema);
  return withTransaction(pool, async (client) => {
    const applied: string[] = [];
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await client.query<{ id: string }>(`SELECT id FROM ${s}.schema_migrations`)).rows.map((r) => r.id),
    );
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await client.query(m.sql(s));
      await client.query(`INSERT INTO ${s}.schema_migrations (id) VALUES ($1)`, [m.id]);
      applied.push(m.id);
    }
    return applied;
  });
}
