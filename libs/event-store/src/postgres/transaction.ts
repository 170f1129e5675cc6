import type { Pool, PoolClient } from 'pg';

/**
 * Takes a connection from the pool for `use`, and gives it back — destroyed when it broke. While a
 * connection is checked out the pool no longer listens for its errors: a backend ended between two
 * statements (a PostgreSQL restart, `pg_terminate_backend`) would emit an 'error' nobody handles and end
 * the process. Here it is recorded instead; the next statement fails, and the connection is not reused.
 */
export async function withClient<T>(pool: Pool, use: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => {
    broken = e;
  };
  client.on('error', onError);
  try {
    return await use(client);
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}

/**
 * Runs `work` in one transaction on one pooled connection: committed when it resolves, rolled back
 * when it throws. `begin` may carry settings or locks that ride on the same round trip, e.g.
 * `BEGIN; SET LOCAL synchronous_commit = off`.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient) => Promise<T>,
  begin = 'BEGIN',
): Promise<T> {
  return withClient(pool, async (client) => {
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  });
}

/**
 * Reads that must agree with each other (a page and its total) on one connection, in one REPEATABLE READ,
 * read-only transaction: outside one, each statement sees what was committed when it began.
 */
export function withSnapshot<T>(pool: Pool, read: (tx: PoolClient) => Promise<T>): Promise<T> {
  return withTransaction(pool, read, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
}
