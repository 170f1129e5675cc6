import {
  dropSchema,
  eventually,
  requireDatabaseUrl,
  testEvent,
  testPool,
  uniqueName,
} from '@platform/testing';
import pg, { type Pool } from 'pg';
import { eventStoreMigrations } from './event-store.migrations.js';
import { runMigrations } from './migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { ReadHorizonMonitor } from './read-horizon.js';

/** DATABASE_URL with another database or user. */
function urlWith(change: { database?: string; user?: string }): string {
  const url = new URL(requireDatabaseUrl());
  if (change.database) url.pathname = `/${change.database}`;
  if (change.user) {
    url.username = change.user;
    url.password = '';
  }
  return url.toString();
}

/** A connection in a transaction that has taken a transaction id and stays open. */
async function openTransaction(connectionString: string, applicationName: string) {
  const client = new pg.Client({ connectionString, application_name: applicationName });
  client.on('error', () => undefined);
  await client.connect();
  await client.query('BEGIN');
  const { rows } = await client.query<{ xid: string; pid: number }>(
    'SELECT pg_current_xact_id()::text AS xid, pg_backend_pid() AS pid',
  );
  return {
    xid: BigInt(rows[0]!.xid),
    pid: rows[0]!.pid,
    async end() {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    },
  };
}

describe('read horizon', () => {
  let pool: Pool;
  let schema: string;
  let store: PostgresEventStore;

  beforeAll(() => {
    pool = testPool(10);
  });
  beforeEach(async () => {
    schema = uniqueName('rh');
    await runMigrations(pool, schema, eventStoreMigrations);
    store = new PostgresEventStore({ pool, schema });
  });
  afterEach(async () => {
    await dropSchema(pool, schema);
  });
  afterAll(async () => {
    await pool.end();
  });

  const oldHorizon = async () =>
    BigInt(
      (await pool.query<{ h: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS h')).rows[0]!
        .h,
    );
  const append = (stream: string, n: number) =>
    store.appendToStream(
      stream,
      Array.from({ length: n }, (_, i) => testEvent('rh.Appended', { i })),
      { expectedVersion: 'no_stream' },
    );

  describe('a transaction left open in another database', () => {
    let otherDb: string;
    let other: Awaited<ReturnType<typeof openTransaction>>;

    beforeEach(async () => {
      otherDb = uniqueName('rh_other_db');
      await pool.query(`CREATE DATABASE "${otherDb}"`);
      other = await openTransaction(urlWith({ database: otherDb }), 'rh-other-database');
    });
    afterEach(async () => {
      await other.end();
      await pool.query(`DROP DATABASE IF EXISTS "${otherDb}" WITH (FORCE)`);
    });

    it('does not hold back subscriptions of this database', async () => {
      const delivered: number[] = [];
      const sub = store.subscribeToAll({
        pollIntervalMs: 20,
        handler: async (batch) => void delivered.push(...batch.map((e) => (e.data as { i: number }).i)),
      });
      try {
        await append('rh-a', 3);
        // The server-wide horizon is stuck behind the other database's transaction …
        expect(await oldHorizon()).toBeLessThanOrEqual(other.xid);
        // … and this database's is not.
        await eventually(async () => (delivered.length >= 3 ? true : undefined), {
          timeoutMs: 10_000,
          what: 'the subscription to deliver 3 events while another database has a transaction open',
        });
        expect(delivered).toEqual([0, 1, 2]);
        await append('rh-b', 2);
        await eventually(async () => (delivered.length >= 5 ? true : undefined), { timeoutMs: 10_000 });
        expect(delivered).toEqual([0, 1, 2, 0, 1]);
        expect(await oldHorizon()).toBeLessThanOrEqual(other.xid);
        const head = await store.head();
        const all = await store.readAll();
        expect(all.events).toHaveLength(5);
        expect(head).toEqual(all.checkpoint);
      } finally {
        await sub.stop();
      }
    });

    it('is waited for by a connection only until it has seen it as the oldest for 200 ms', async () => {
      await append('rh-a', 1); // a later transaction ends, so the open one is among the running xids
      const client = await pool.connect();
      const horizon = async (fn = 'read_horizon') =>
        BigInt((await client.query(`SELECT "${schema}".${fn}()::text AS h`)).rows[0].h);
      try {
        await client.query(`SELECT set_config('event_store.read_horizon_seen', '', false)`);
        // First sight on a fresh connection: the oldest running xid, as pg_snapshot_xmin would say …
        expect(await horizon()).toBeLessThanOrEqual(other.xid);
        // … the exact horizon already passes it …
        await eventually(async () => ((await horizon('read_horizon_exact')) > other.xid ? true : undefined), {
          timeoutMs: 10_000,
        });
        // … and so does the connection's, once it has been the oldest for a while.
        await new Promise((r) => setTimeout(r, 250));
        await eventually(async () => ((await horizon()) > other.xid ? true : undefined), {
          timeoutMs: 10_000,
        });
      } finally {
        client.release();
      }
    });

    it('ignores it for a role that is neither superuser nor the other session’s user', async () => {
      // backend_xid and datid of every session are visible to any role: no SECURITY DEFINER needed.
      const role = uniqueName('rh_reader');
      await pool.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER`);
      await pool.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
      await pool.query(`GRANT SELECT ON "${schema}".events TO "${role}"`);
      const readerPool = new pg.Pool({ connectionString: urlWith({ user: role }), max: 2 });
      try {
        await append('rh-a', 2);
        const reader = new PostgresEventStore({ pool: readerPool, schema });
        const { rows } = await readerPool.query<{ superuser: string }>(
          `SELECT current_setting('is_superuser') AS superuser`,
        );
        expect(rows[0]!.superuser).toBe('off');
        const page = await eventually(
          async () => {
            const p = await reader.readAll();
            return p.events.length === 2 ? p : undefined;
          },
          { timeoutMs: 10_000, what: 'a least-privilege role to read past the other database’s transaction' },
        );
        expect(page.events.map((e) => e.streamId)).toEqual(['rh-a', 'rh-a']);
        expect(await oldHorizon()).toBeLessThanOrEqual(other.xid);
      } finally {
        await readerPool.end();
        await pool.query(`REVOKE ALL ON "${schema}".events FROM "${role}"`);
        await pool.query(`REVOKE ALL ON SCHEMA "${schema}" FROM "${role}"`);
        await pool.query(`DROP ROLE "${role}"`);
      }
    });
  });

  describe('a transaction left open in this database', () => {
    it('still holds the horizon, and readiness names its backend', async () => {
      const appName = uniqueName('rh-forgotten');
      const open = await openTransaction(requireDatabaseUrl(), appName);
      const delivered: number[] = [];
      const sub = store.subscribeToAll({
        pollIntervalMs: 20,
        handler: async (batch) => void delivered.push(...batch.map((e) => (e.data as { i: number }).i)),
      });
      try {
        await append('rh-held', 2);
        await new Promise((r) => setTimeout(r, 300));
        // Gap safety: it may still append below positions already taken, so nothing past it is read.
        expect(delivered).toEqual([]);
        expect((await store.readAll()).events).toEqual([]);

        // Held for less than the threshold: not reported.
        const lenient = new ReadHorizonMonitor({ pool, schema, alertMs: 60_000 });
        await lenient.check().catch((e: Error) => expect(e.message).not.toContain(`pid ${open.pid} `));

        const strict = new ReadHorizonMonitor({ pool, schema, alertMs: 100 });
        // Another test's short transaction may be older for a moment; ours stays until it ends.
        const message = await eventually(
          async () => {
            const m = await strict.check().then(
              () => '',
              (e: Error) => e.message,
            );
            return m.includes(`pid ${open.pid} `) ? m : undefined;
          },
          { timeoutMs: 10_000, what: 'the readiness check to name the open transaction' },
        );
        expect(message).toContain(`application_name "${appName}"`);
        const { rows } = await pool.query<{ u: string }>('SELECT current_user AS u');
        expect(message).toContain(`user "${rows[0]!.u}"`);
        expect(message).toContain('state "idle in transaction"');
        // /ready is public: the session's SQL (which may quote personal data) is not repeated there.
        expect(message).not.toContain('pg_current_xact_id()');
        expect(message).toContain(`xid ${open.xid}`);
        expect(message).toMatch(/held for \d+ s/);
      } finally {
        await open.end();
      }
      try {
        await eventually(async () => (delivered.length >= 2 ? true : undefined), { timeoutMs: 10_000 });
        expect(delivered).toEqual([0, 1]);
        const after = await new ReadHorizonMonitor({ pool, schema, alertMs: 100 }).holder();
        expect(after?.pid).not.toBe(open.pid);
      } finally {
        await sub.stop();
      }
    });
  });

  describe('head()', () => {
    it('returns the numerically largest transaction id across digit boundaries', async () => {
      // Explicit ids (the column's default is only a default), inserted so that position order disagrees.
      for (const [i, xid] of ['1000', '999', '100', '99'].entries()) {
        await pool.query(
          `INSERT INTO "${schema}".events (transaction_id, stream_id, stream_version, event_id, event_type,
             schema_version, data, metadata, recorded_at, hash)
           VALUES ($1::xid8, 'rh-digits', $2, gen_random_uuid(), 'rh.Digit', 1, '{}', $3, now(), '\\x00')`,
          [xid, i + 1, JSON.stringify(testEvent('rh.Digit', {}).metadata)],
        );
      }
      const head = await store.head();
      expect(head.transactionId).toBe(1000n);
      expect(head.globalPosition).toBe(
        BigInt((await pool.query(`SELECT min(global_position) AS p FROM "${schema}".events`)).rows[0].p),
      );
      const all = await store.readAll();
      expect(all.events.map((e) => e.transactionId)).toEqual([99n, 100n, 999n, 1000n]);
      expect(all.checkpoint).toEqual(head);
    });
  });
});
