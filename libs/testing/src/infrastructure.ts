import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';

/**
 * Infrastructure for integration tests. `npm test` starts what is missing (local Kafka broker,
 * embedded PostgreSQL) and exports the addresses; a test that cannot find them fails, never skips.
 */
export function requireDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: this test needs a real PostgreSQL. Run it through `npm test` (which starts one) or set DATABASE_URL.',
    );
  }
  return url;
}

export function requireKafkaBrokers(): string[] {
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    throw new Error(
      'KAFKA_BROKERS is not set: this test needs a real Kafka broker. Run it through `npm test` (which starts scripts/kafka.sh) or set KAFKA_BROKERS.',
    );
  }
  return brokers.split(',').map((b) => b.trim());
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export function testPool(max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: requireDatabaseUrl(), max });
  pool.on('error', () => undefined);
  return pool;
}

export async function dropSchema(pool: pg.Pool, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}

/** Polls until the probe returns a value other than undefined, or fails with the last state. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 20_000, intervalMs = 50, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
  );
}

/** A TCP port free on 127.0.0.1 right now, for a service a test or benchmark starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * Moves the server's transaction-id counter past `beyond`, so that tests can write rows with explicit
 * transaction ids up to it (they are only visible to readers below the counter). Cheap: ~100k ids/s.
 */
export async function advanceTransactionIds(pool: pg.Pool, beyond: number): Promise<void> {
  const client = await pool.connect();
  try {
    const now = Number((await client.query(`SELECT pg_current_xact_id()::text AS x`)).rows[0].x);
    if (now > beyond) return;
    await client.query('SET synchronous_commit = off');
    await client.query(
      `DO $$ BEGIN FOR i IN 0..${beyond - now} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`,
    );
  } finally {
    client.release();
  }
}

/**
 * Waits until a projection's checkpoint reaches the last event committed to `schema`'s log. Unlike
 * `ProjectionRunner.caughtUp()`, which stops at the read horizon, this cannot return early while a
 * transaction elsewhere on the server (another test worker) holds the horizon back.
 */
export async function projectedToLogEnd(
  pool: pg.Pool,
  schema: string,
  checkpoint: () => Promise<{ transactionId: bigint; globalPosition: bigint }>,
  timeoutMs = 20_000,
): Promise<void> {
  const { rows } = await pool.query<{ tx: string; pos: string }>(
    `SELECT transaction_id::text AS tx, global_position::text AS pos FROM "${schema}".events
      ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
  );
  if (!rows[0]) return;
  const end = { tx: BigInt(rows[0].tx), pos: BigInt(rows[0].pos) };
  await eventually(
    async () => {
      const c = await checkpoint();
      return c.transactionId > end.tx || (c.transactionId === end.tx && c.globalPosition >= end.pos)
        ? true
        : undefined;
    },
    { timeoutMs, intervalMs: 10, what: `projection at the end of ${schema}'s log` },
  );
}

/**
 * Rebuilds a read model until `done` says it shows the latest events. A rebuild reads the log up to the
 * database's read horizon, which another suite's open transaction on the same database can hold back for
 * a moment; then the rebuild stops short, and the next one reaches the end.
 */
export async function rebuildUntil(
  rebuild: () => Promise<unknown>,
  done: () => Promise<boolean>,
): Promise<void> {
  await eventually(
    async () => {
      await rebuild();
      return (await done()) ? true : undefined;
    },
    { what: 'a rebuild to reach the latest events' },
  );
}
