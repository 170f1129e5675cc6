import {
  describeEventStoreContract,
  dropSchema,
  eventually,
  testEvent,
  testPool,
  uniqueName,
  readAllUntil,
  type EventStoreHarness,
} from '@platform/testing';
import type { Pool } from 'pg';
import { signalCommitted } from '../commit-signal.js';
import type { RecordedEvent, SubscribeOptions } from '../event-store.port.js';
import { eventStoreMigrations } from './event-store.migrations.js';
import { runMigrations } from './migrations.js';
import { canonicalEventDocument, PostgresEventStore } from './postgres-event-store.js';

function postgresHarness(): EventStoreHarness {
  const pool = testPool(30);
  const schemas: string[] = [];
  return {
    async create() {
      const schema = uniqueName('es');
      schemas.push(schema);
      await runMigrations(pool, schema, eventStoreMigrations);
      return new PostgresEventStore({ pool, schema });
    },
    async reopen(store, { upcasters }) {
      return new PostgresEventStore({ pool, schema: store.schema, upcasters });
    },
    async cleanup() {
      for (const s of schemas) await dropSchema(pool, s);
      await pool.end();
    },
  };
}

describeEventStoreContract('PostgresEventStore', postgresHarness);

describe('PostgresEventStore (PostgreSQL specifics)', () => {
  let pool: Pool;
  let schema: string;
  let store: PostgresEventStore;

  beforeAll(async () => {
    pool = testPool(10);
  });
  beforeEach(async () => {
    schema = uniqueName('es');
    await runMigrations(pool, schema, eventStoreMigrations);
    store = new PostgresEventStore({ pool, schema });
  });
  afterEach(async () => {
    await dropSchema(pool, schema);
  });
  afterAll(async () => {
    await pool.end();
  });

  describe('migrations', () => {
    it('applies each migration once, however often the service starts', async () => {
      expect(await runMigrations(pool, schema, eventStoreMigrations)).toEqual([]);
      const { rows } = await pool.query(`SELECT id FROM "${schema}".schema_migrations`);
      expect(rows.map((r) => r.id)).toEqual(eventStoreMigrations.map((m) => m.id));
      const { rows: cols } = await pool.query(
        `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'events'`,
        [schema],
      );
      expect(cols).toEqual(expect.arrayContaining([{ column_name: 'transaction_id', data_type: 'xid8' }]));
    });
  });

  describe('append-only', () => {
    it('rejects UPDATE, DELETE and TRUNCATE of events in the database itself', async () => {
      await store.appendToStream('case-ro', [testEvent('a.A', { amount: 1 })], {
        expectedVersion: 'no_stream',
      });
      await expect(pool.query(`UPDATE "${schema}".events SET data = '{}'`)).rejects.toThrow(/append-only/);
      await expect(pool.query(`DELETE FROM "${schema}".events`)).rejects.toThrow(/append-only/);
      await expect(pool.query(`TRUNCATE "${schema}".events`)).rejects.toThrow(/append-only/);
      expect((await store.readStream('case-ro'))[0]!.data).toEqual({ amount: 1 });
    });
  });

  describe('one round trip per append', () => {
    it('sends a single statement for a batch of events', async () => {
      const seen: string[] = [];
      const counting = {
        query: (text: string, values?: unknown[]) => {
          seen.push(text);
          return pool.query(text, values);
        },
      } as unknown as Pool;
      const counted = new PostgresEventStore({ pool: counting, schema });
      await counted.appendToStream(
        'case-rt',
        Array.from({ length: 100 }, (_, i) => testEvent('a.Batch', { i })),
        { expectedVersion: 'no_stream' },
      );
      expect(seen).toHaveLength(1);
      expect((await store.readStream('case-rt')).length).toBe(100);
    });
  });

  describe('global order that no reader can skip', () => {
    it('delivers an event whose transaction took a lower position but committed later, once and in order', async () => {
      const delivered: RecordedEvent[] = [];
      const sub = store.subscribeToAll({
        pollIntervalMs: 5,
        handler: async (batch) => {
          delivered.push(...batch);
        },
      });
      const a = await pool.connect();
      try {
        // A takes its position first and stays open.
        await a.query('BEGIN');
        const doc = canonicalEventDocument({
          eventId: '0190a4c4-0000-7000-8000-00000000000a',
          type: 'a.Slow',
          schemaVersion: 1,
          data: { who: 'A' },
          metadata: testEvent('x', {}).metadata,
        });
        const { rows } = await a.query(
          `SELECT out_position FROM "${schema}".append_events('stream-a', 0, $1::text[])`,
          [[doc]],
        );
        const positionA = BigInt(rows[0].out_position);
        // B takes a higher position and commits first.
        const b = await store.appendToStream('stream-b', [testEvent('a.Fast', { who: 'B' })], {
          expectedVersion: 'no_stream',
        });
        expect(b.lastPosition).toBeGreaterThan(positionA);
        // A reader going by position alone would now see B and move past A's position for good.
        const naive = await pool.query(
          `SELECT global_position FROM "${schema}".events ORDER BY global_position`,
        );
        expect(naive.rows.map((r) => BigInt(r.global_position))).toEqual([b.lastPosition]);
        await new Promise((r) => setTimeout(r, 100));
        expect(delivered).toEqual([]); // held back until A is decided
        await a.query('COMMIT');
      } finally {
        a.release();
      }
      const deadline = Date.now() + 5000;
      while (delivered.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      await sub.stop();
      expect(delivered.map((e) => (e.data as { who: string }).who)).toEqual(['A', 'B']);
    });

    it('skips nothing when a transaction that took a position rolls back', async () => {
      const a = await pool.connect();
      await a.query('BEGIN');
      await a.query(`SELECT * FROM "${schema}".append_events('gone', 0, $1::text[])`, [
        [
          canonicalEventDocument({
            eventId: '0190a4c4-0000-7000-8000-0000000000ff',
            type: 'a.Gone',
            schemaVersion: 1,
            data: {},
            metadata: testEvent('x', {}).metadata,
          }),
        ],
      ]);
      await store.appendToStream('kept', [testEvent('a.Kept', {})], { expectedVersion: 'no_stream' });
      await a.query('ROLLBACK');
      a.release();
      const all = await readAllUntil(store, (e) => e.length >= 1);
      expect(all.map((e) => e.type)).toEqual(['a.Kept']);
    });
  });

  describe('waking subscribers instead of polling', () => {
    // The fallback poll is a minute: anything delivered within seconds came from a wake-up.
    const slowPoll = 60_000;
    /** Up to 5 s for `done`; the assertions that follow say what was missing. */
    const waitFor = (done: () => boolean) =>
      eventually(async () => (done() ? true : undefined), { timeoutMs: 5000, intervalMs: 5 }).catch(
        () => undefined,
      );
    /** A caught-up subscription collecting the types it is handed. */
    const watch = async (options: Partial<SubscribeOptions> = {}) => {
      const delivered: string[] = [];
      const sub = store.subscribeToAll({
        pollIntervalMs: slowPoll,
        ...options,
        handler: async (batch) => void delivered.push(...batch.map((e) => e.type)),
      });
      await sub.caughtUp;
      return { delivered, sub };
    };

    it('delivers a commit made in this process at once', async () => {
      const { delivered, sub } = await watch();
      await store.appendToStream('woken', [testEvent('a.Woken', {})], { expectedVersion: 'no_stream' });
      await waitFor(() => delivered.length >= 1);
      await sub.stop();
      expect(delivered).toEqual(['a.Woken']);
    });

    it('gathers the commits that follow a wake-up into one batch', async () => {
      const batches: string[][] = [];
      const sub = store.subscribeToAll({
        pollIntervalMs: slowPoll,
        gatherMs: 300,
        handler: async (batch) => void batches.push(batch.map((e) => e.type)),
      });
      await sub.caughtUp;
      for (const n of [1, 2, 3])
        await store.appendToStream(`gathered-${n}`, [testEvent(`a.G${n}`, {})], {
          expectedVersion: 'no_stream',
        });
      await waitFor(() => batches.flat().length >= 3);
      await sub.stop();
      expect(batches).toEqual([['a.G1', 'a.G2', 'a.G3']]);
    });

    it('keeps looking after a wake-up while an older open transaction hides the commit', async () => {
      const { delivered, sub } = await watch({ retryIntervalMs: 5 });
      const older = await pool.connect();
      try {
        await older.query('BEGIN');
        await older.query('SELECT pg_current_xact_id()'); // holds the commit-safe horizon back
        await store.appendToStream('hidden', [testEvent('a.Hidden', {})], { expectedVersion: 'no_stream' });
        await new Promise((r) => setTimeout(r, 50));
        expect(delivered).toEqual([]);
        await older.query('COMMIT');
      } finally {
        older.release();
      }
      await waitFor(() => delivered.length >= 1);
      await sub.stop();
      expect(delivered).toEqual(['a.Hidden']);
    });

    it('is woken by the owner of a transaction once it commits, not by the append inside it', async () => {
      const { delivered, sub } = await watch();
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        await store.appendToStream('owned', [testEvent('a.Owned', {})], {
          expectedVersion: 'no_stream',
          transaction: tx,
        });
        await tx.query('COMMIT');
      } finally {
        tx.release();
      }
      await new Promise((r) => setTimeout(r, 100));
      expect(delivered).toEqual([]); // nobody said it committed yet
      signalCommitted(schema);
      await waitFor(() => delivered.length >= 1);
      await sub.stop();
      expect(delivered).toEqual(['a.Owned']);
    });
  });

  describe('tamper detection', () => {
    it('names the first edited event when a superuser disables the trigger and rewrites a row', async () => {
      await store.appendToStream(
        'case-tamper',
        [
          testEvent('civil-affairs.AllowanceGranted', { amount: 500 }),
          testEvent('civil-affairs.AllowanceGranted', { amount: 600 }),
          testEvent('civil-affairs.AllowanceGranted', { amount: 700 }),
        ],
        { expectedVersion: 'no_stream' },
      );
      expect((await store.verifyStream('case-tamper')).ok).toBe(true);
      const client = await pool.connect();
      try {
        await client.query(`ALTER TABLE "${schema}".events DISABLE TRIGGER events_append_only`);
        await client.query(
          `UPDATE "${schema}".events SET data = jsonb_set(data, '{amount}', '6000') WHERE stream_id = 'case-tamper' AND stream_version = 2`,
        );
        await client.query(`ALTER TABLE "${schema}".events ENABLE TRIGGER events_append_only`);
      } finally {
        client.release();
      }
      const result = await store.verifyStream('case-tamper');
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({ streamVersion: 2, reason: expect.stringContaining('hash') });
      expect(result.eventsChecked).toBe(1);
    });

    it('reports a removed event as a gap in the chain', async () => {
      await store.appendToStream(
        'case-gap',
        [testEvent('a.A', {}), testEvent('a.B', {}), testEvent('a.C', {})],
        {
          expectedVersion: 'no_stream',
        },
      );
      await pool.query(`ALTER TABLE "${schema}".events DISABLE TRIGGER events_append_only`);
      await pool.query(`DELETE FROM "${schema}".events WHERE stream_id = 'case-gap' AND stream_version = 2`);
      await pool.query(`ALTER TABLE "${schema}".events ENABLE TRIGGER events_append_only`);
      const result = await store.verifyStream('case-gap');
      expect(result.ok).toBe(false);
      expect(result.firstBroken).toMatchObject({ streamVersion: 3, reason: 'version 2 is missing' });
    });
  });
});
