import { jsonEvent, KurrentDBClient } from '@kurrent/kurrentdb-client';
import {
  describeEventStoreContract,
  freePort,
  testEvent,
  uniqueName,
  type EventStoreHarness,
} from '@platform/testing';
import type { DbExecutor } from '../event-store.port.js';
import { uuidv7 } from '../uuidv7.js';
import { KurrentDbEventStore, KurrentDbTransactionError } from './kurrentdb-event-store.js';

/**
 * The EventStore contract against a real KurrentDB, when KURRENTDB_CONNECTION_STRING names one
 * (`docker compose --profile kurrentdb up --abort-on-container-exit kurrentdb-contract`). CI machines have
 * no KurrentDB: there, the single test below says in its name that the suite did not run.
 */
const connectionString = process.env.KURRENTDB_CONNECTION_STRING;

function kurrentHarness(url: string): () => EventStoreHarness {
  return () => {
    const client = KurrentDBClient.connectionString(url);
    return {
      // A fresh schema name is a fresh stream prefix: each test sees only its own streams in $all.
      async create() {
        return new KurrentDbEventStore({ client, schema: uniqueName('es') });
      },
      async reopen(store, { upcasters }) {
        return new KurrentDbEventStore({ client, schema: store.schema, upcasters });
      },
      async cleanup() {
        await client.dispose();
      },
    };
  };
}

if (connectionString) {
  describeEventStoreContract('KurrentDbEventStore', kurrentHarness(connectionString));

  describe('KurrentDbEventStore (KurrentDB specifics)', () => {
    let client: KurrentDBClient;
    let store: KurrentDbEventStore;

    beforeAll(() => {
      client = KurrentDBClient.connectionString(connectionString);
    });
    beforeEach(() => {
      store = new KurrentDbEventStore({ client, schema: uniqueName('es') });
    });
    afterAll(async () => {
      await client.dispose();
    });

    it('keeps each event in <schema>-<stream>, its hash and recorded instant in the KurrentDB metadata', async () => {
      await store.appendToStream('case-1', [testEvent('a.A', { n: 1 })], { expectedVersion: 'no_stream' });
      const [recorded] = await store.readStream('case-1');
      const raw = [];
      for await (const r of client.readStream(`${store.schema}-case-1`)) raw.push(r.event);
      expect(raw).toHaveLength(1);
      expect(raw[0]).toMatchObject({ id: recorded!.eventId, type: 'a.A', data: { n: 1 }, revision: 0n });
      expect(raw[0]!.metadata).toMatchObject({
        hash: recorded!.hash,
        recordedAt: recorded!.recordedAt.getTime(),
        schemaVersion: 1,
      });
    });

    it('answers an exact retry with the same event ids with the first result, writing nothing', async () => {
      const events = [
        { ...testEvent('a.A', {}), eventId: uuidv7() },
        { ...testEvent('a.B', {}), eventId: uuidv7() },
      ];
      const first = await store.appendToStream('retry-1', events, { expectedVersion: 'any' });
      await store.appendToStream('retry-1', [testEvent('a.Other', {})], { expectedVersion: 2 });
      const again = await store.appendToStream('retry-1', events, { expectedVersion: 'any' });
      expect(again).toEqual(first);
      expect((await store.readStream('retry-1')).map((e) => e.type)).toEqual(['a.A', 'a.B', 'a.Other']);
      // Some of the ids with a new one is not a retry, and writes nothing either.
      await expect(
        store.appendToStream('retry-1', [events[0]!, { ...testEvent('a.C', {}), eventId: uuidv7() }], {
          expectedVersion: 'any',
        }),
      ).rejects.toThrow(/not as a retry/);
      expect(await store.readStream('retry-1')).toHaveLength(3);
    });

    it("refuses a PostgreSQL transaction unless built with 'append-before-commit', and never uses it", async () => {
      const untouchable = {
        query: () => Promise.reject(new Error('the transaction must not be used')),
      } as unknown as DbExecutor;
      await expect(
        store.appendToStream('tx-1', [testEvent('a.A', {})], {
          expectedVersion: 'no_stream',
          transaction: untouchable,
        }),
      ).rejects.toThrow(KurrentDbTransactionError);
      expect(await store.readStream('tx-1')).toEqual([]);
      const before = new KurrentDbEventStore({
        client,
        schema: store.schema,
        transactionalAppends: 'append-before-commit',
      });
      await before.appendToStream('tx-1', [testEvent('a.A', {})], {
        expectedVersion: 'no_stream',
        transaction: untouchable,
      });
      expect((await store.readStream('tx-1', { transaction: untouchable })).map((e) => e.type)).toEqual([
        'a.A',
      ]);
    });

    it('sees only its own prefix in $all, head() and listStreams()', async () => {
      const other = new KurrentDbEventStore({ client, schema: uniqueName('es') });
      await store.appendToStream('mine-1', [testEvent('a.A', {})], { expectedVersion: 'no_stream' });
      await other.appendToStream('theirs-1', [testEvent('a.B', {})], { expectedVersion: 'no_stream' });
      await store.appendToStream('mine-2', [testEvent('a.C', {})], { expectedVersion: 'no_stream' });
      const all = await store.readAll();
      expect(all.events.map((e) => e.streamId)).toEqual(['mine-1', 'mine-2']);
      expect(await store.head()).toEqual(all.checkpoint);
      expect(await store.listStreams()).toEqual(['mine-1', 'mine-2']);
      expect(await store.listStreams({ after: 'mine-1' })).toEqual(['mine-2']);
      expect(await other.listStreams({ prefix: 'theirs' })).toEqual(['theirs-1']);
    });

    it('reports an event written under its prefix by something else, and history hidden by stream metadata', async () => {
      await store.appendToStream('v-1', [testEvent('a.A', {})], { expectedVersion: 'no_stream' });
      await client.appendToStream(`${store.schema}-v-1`, jsonEvent({ type: 'a.Forged', data: { x: 1 } }));
      const forged = await store.verifyStream('v-1');
      expect(forged).toMatchObject({ ok: false, eventsChecked: 1, firstBroken: { streamVersion: 2 } });
      expect(forged.firstBroken!.reason).toMatch(/no hash envelope/);

      await store.appendToStream('v-2', [testEvent('a.A', {}), testEvent('a.B', {})], {
        expectedVersion: 'no_stream',
      });
      await client.setStreamMetadata(`${store.schema}-v-2`, { truncateBefore: 1 });
      const truncated = await store.verifyStream('v-2');
      expect(truncated.ok).toBe(false);
      expect(truncated.firstBroken!.reason).toMatch(/truncateBefore/);
    });
  });
} else {
  describe('KurrentDbEventStore', () => {
    it(
      'KurrentDB contract suite NOT RUN (KURRENTDB_CONNECTION_STRING unset, no KurrentDB server here): ' +
        'only checks that the adapter loads, constructs, and does not mistake an unreachable server for an empty store',
      async () => {
        // Nothing listens on a port just released: the client fails at once instead of retrying.
        const port = await freePort();
        const client = KurrentDBClient.connectionString(
          `kurrentdb://127.0.0.1:${port}?tls=false&maxDiscoverAttempts=1&defaultDeadline=5000`,
        );
        try {
          const store = new KurrentDbEventStore({ client, schema: 'kurrentdb_offline' });
          expect(store.schema).toBe('kurrentdb_offline');
          expect(store.streamName('case-1')).toBe('kurrentdb_offline-case-1');
          expect(() => new KurrentDbEventStore({ client, schema: 'has-dash' })).toThrow(/must match/);
          await expect(store.readStream('case-1')).rejects.toThrow();
          await expect(
            store.appendToStream('case-1', [testEvent('a.A', {})], { expectedVersion: 'no_stream' }),
          ).rejects.toThrow();
        } finally {
          await client.dispose();
        }
      },
    );
  });
}
