import { testPool } from '@platform/testing';
import type { Pool } from 'pg';
import { withClient, withTransaction } from './transaction.js';

// Real PostgreSQL. A database restart ends every backend, including one a service holds between two
// statements of a transaction; the pool does not listen for a checked-out connection's errors, so an
// unguarded connection ends the whole process (found by the fault suite's "PostgreSQL away").
describe('a backend ended while a connection is checked out', () => {
  let pool: Pool;
  let killer: Pool;

  beforeAll(() => {
    pool = testPool(2);
    killer = testPool(1);
  });
  afterAll(async () => {
    await Promise.all([pool.end(), killer.end()]);
  });

  const endBackend = async (pid: number) => {
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    // Let the termination notice arrive while the connection sits idle between statements.
    await new Promise((r) => setTimeout(r, 300));
  };

  it('fails the transaction, not the process, and the pool goes on with a new connection', async () => {
    let pid = 0;
    await expect(
      withTransaction(pool, async (tx) => {
        pid = (await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        await endBackend(pid);
        await tx.query('SELECT 1');
      }),
    ).rejects.toThrow();
    const after = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(after.rows[0]!.pid).not.toBe(pid);
  });

  it('withClient gives back a broken connection destroyed, not to be reused', async () => {
    let pid = 0;
    await withClient(pool, async (client) => {
      pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await endBackend(pid);
    });
    for (let i = 0; i < 3; i++) {
      const r = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      expect(r.rows[0]!.pid).not.toBe(pid);
    }
  });
});
