import {
  StreamVersionConflict,
  UpcasterRegistry,
  uuidv7,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from '@platform/event-store';

export interface EventStoreHarness {
  /** A fresh, empty store in its own namespace. */
  create(): Promise<EventStore>;
  /** Another handle on the same store's data, with these upcasters. */
  reopen(store: EventStore, options: { upcasters: UpcasterRegistry }): Promise<EventStore>;
  cleanup(): Promise<void>;
}

export const testActor = {
  id: 'user-township-1',
  role: 'township_officer',
  department: 'intake',
  jurisdiction: '150802001',
};

export function testMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    actor: testActor,
    correlationId: uuidv7(),
    causationId: null,
    occurredAt: new Date().toISOString(),
    ...overrides,
  };
}

export function testEvent(type: string, data: unknown, schemaVersion = 1): NewEvent {
  return { type, data, schemaVersion, metadata: testMetadata() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Reads the global log until `enough` holds. readAll returns only what no reader can skip, so a
 * transaction running elsewhere on the server (another test, another database) may hold events back
 * for a moment; pages continue from the checkpoint and never start over.
 */
export async function readAllUntil(
  store: EventStore,
  enough: (events: RecordedEvent[]) => boolean,
  options: { limit?: number; timeoutMs?: number } = {},
): Promise<RecordedEvent[]> {
  const seen: RecordedEvent[] = [];
  let after;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (!enough(seen)) {
    if (Date.now() > deadline)
      throw new Error(`readAll did not deliver enough events in time (got ${seen.length})`);
    const page = await store.readAll({ after, limit: options.limit ?? 1000 });
    seen.push(...page.events);
    after = page.checkpoint;
    if (page.events.length === 0) await sleep(20);
  }
  return seen;
}

function key(e: RecordedEvent): string {
  return `${e.transactionId}:${e.globalPosition}`;
}

/**
 * Behaviour every EventStore adapter must show. Adapter-specific proofs (out-of-order commit,
 * tampering below the API) live beside the adapter's own spec.
 */
export function describeEventStoreContract(name: string, harness: () => EventStoreHarness): void {
  describe(`${name}: EventStore contract`, () => {
    let h: EventStoreHarness;
    let store: EventStore;

    beforeAll(async () => {
      h = harness();
    });
    beforeEach(async () => {
      store = await h.create();
    });
    afterAll(async () => {
      await h.cleanup();
    });

    describe('appending', () => {
      it('appends to a new stream and reads it back in order with the envelope', async () => {
        const r = await store.appendToStream(
          'case-1',
          [testEvent('intake.CaseOpened', { caseId: '1', n: 1 }), testEvent('intake.NeedAdded', { n: 2 })],
          { expectedVersion: 'no_stream' },
        );
        expect(r.nextExpectedVersion).toBe(2);
        const events = await store.readStream('case-1');
        expect(events.map((e) => [e.type, e.streamVersion, e.data])).toEqual([
          ['intake.CaseOpened', 1, { caseId: '1', n: 1 }],
          ['intake.NeedAdded', 2, { n: 2 }],
        ]);
        const [first] = events;
        expect(first!.eventId).toMatch(/^[0-9a-f-]{36}$/);
        expect(first!.metadata.actor).toEqual(testActor);
        expect(first!.recordedAt).toBeInstanceOf(Date);
        expect(first!.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(first!.schemaVersion).toBe(1);
      });

      it('refuses an append at a stale expected version with StreamVersionConflict and writes nothing', async () => {
        await store.appendToStream('case-2', [testEvent('a.A', {})], { expectedVersion: 'no_stream' });
        await store.appendToStream('case-2', [testEvent('a.B', {})], { expectedVersion: 1 });
        await expect(
          store.appendToStream('case-2', [testEvent('a.C', {})], { expectedVersion: 1 }),
        ).rejects.toThrow(StreamVersionConflict);
        await expect(
          store.appendToStream('case-2', [testEvent('a.C', {})], { expectedVersion: 'no_stream' }),
        ).rejects.toMatchObject({ actual: 2 });
        await expect(
          store.appendToStream('case-x', [testEvent('a.C', {})], { expectedVersion: 3 }),
        ).rejects.toThrow(StreamVersionConflict);
        expect((await store.readStream('case-2')).map((e) => e.type)).toEqual(['a.A', 'a.B']);
        expect(await store.readStream('case-x')).toEqual([]);
      });

      it('reads several streams in one call, each in version order, missing ones empty', async () => {
        await store.appendToStream('many-1', [testEvent('a.A', {}), testEvent('a.B', {})], {
          expectedVersion: 'no_stream',
        });
        await store.appendToStream('many-2', [testEvent('a.C', {})], { expectedVersion: 'no_stream' });
        await store.appendToStream('many-1', [testEvent('a.D', {})], { expectedVersion: 2 });
        const read = await store.readStreams(['many-2', 'many-1', 'many-none']);
        expect(Object.fromEntries([...read].map(([id, es]) => [id, es.map((e) => e.type)]))).toEqual({
          'many-1': ['a.A', 'a.B', 'a.D'],
          'many-2': ['a.C'],
          'many-none': [],
        });
      });

      it("appends with 'any' whatever the version", async () => {
        await store.appendToStream('case-3', [testEvent('a.A', {})], { expectedVersion: 'any' });
        await store.appendToStream('case-3', [testEvent('a.B', {})], { expectedVersion: 'any' });
        expect((await store.readStream('case-3')).map((e) => e.streamVersion)).toEqual([1, 2]);
      });

      it('lets exactly one of many concurrent writers win each version of a stream', async () => {
        const writers = 16;
        const results = await Promise.allSettled(
          Array.from({ length: writers }, (_, i) =>
            store.appendToStream('case-race', [testEvent('a.Raced', { writer: i })], {
              expectedVersion: 'no_stream',
            }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
        expect(rejected.every((r) => r.reason instanceof StreamVersionConflict)).toBe(true);
        expect(await store.readStream('case-race')).toHaveLength(1);
      });

      it('keeps versions contiguous when concurrent writers retry on conflict', async () => {
        const writers = 8;
        const perWriter = 5;
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            for (let i = 0; i < perWriter; i++) {
              for (;;) {
                const current = (await store.readStream('case-busy')).length;
                try {
                  await store.appendToStream('case-busy', [testEvent('a.Step', { w, i })], {
                    expectedVersion: current === 0 ? 'no_stream' : current,
                  });
                  break;
                } catch (e) {
                  if (!(e instanceof StreamVersionConflict)) throw e;
                }
              }
            }
          }),
        );
        const events = await store.readStream('case-busy');
        expect(events.map((e) => e.streamVersion)).toEqual(
          Array.from({ length: writers * perWriter }, (_, i) => i + 1),
        );
        expect((await store.verifyStream('case-busy')).ok).toBe(true);
      });
    });

    describe('reading', () => {
      it('reads a stream between versions and as it stood at an instant (until)', async () => {
        await store.appendToStream('case-t', [testEvent('a.One', {}), testEvent('a.Two', {})], {
          expectedVersion: 'no_stream',
        });
        await sleep(25);
        const between = new Date();
        await sleep(25);
        await store.appendToStream('case-t', [testEvent('a.Three', {})], { expectedVersion: 2 });
        expect((await store.readStream('case-t', { until: between })).map((e) => e.type)).toEqual([
          'a.One',
          'a.Two',
        ]);
        expect((await store.readStream('case-t', { fromVersion: 2 })).map((e) => e.type)).toEqual([
          'a.Two',
          'a.Three',
        ]);
        expect((await store.readStream('case-t', { toVersion: 1 })).map((e) => e.type)).toEqual(['a.One']);
      });

      it('pages through the global log with checkpoints, each event once', async () => {
        for (let i = 0; i < 7; i++) {
          await store.appendToStream(`s-${i}`, [testEvent('a.E', { i })], { expectedVersion: 'no_stream' });
        }
        const events = await readAllUntil(store, (e) => e.length >= 7, { limit: 3 });
        const seen = events.map((e) => (e.data as { i: number }).i);
        expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
      });

      it('delivers every event of many concurrent writers to a subscriber exactly once, in checkpoint order', async () => {
        const delivered: RecordedEvent[] = [];
        const sub = store.subscribeToAll({
          batchSize: 25,
          pollIntervalMs: 5,
          handler: async (batch) => {
            delivered.push(...batch);
          },
        });
        const total = 200;
        await Promise.all(
          Array.from({ length: 20 }, async (_, w) => {
            for (let i = 0; i < total / 20; i++) {
              await store.appendToStream(`w-${w}-${i}`, [testEvent('a.W', { w, i })], {
                expectedVersion: 'no_stream',
              });
            }
          }),
        );
        const deadline = Date.now() + 15_000;
        while (delivered.length < total && Date.now() < deadline) await sleep(20);
        await sub.stop();
        expect(delivered).toHaveLength(total);
        expect(new Set(delivered.map((e) => e.eventId)).size).toBe(total);
        const order = delivered.map((e) => [e.transactionId, e.globalPosition] as const);
        for (let i = 1; i < order.length; i++) {
          const [t0, p0] = order[i - 1]!;
          const [t1, p1] = order[i]!;
          expect(t1 > t0 || (t1 === t0 && p1 > p0)).toBe(true);
        }
        expect(sub.position).toEqual({
          transactionId: delivered.at(-1)!.transactionId,
          globalPosition: delivered.at(-1)!.globalPosition,
        });
        expect(new Set(delivered.map(key)).size).toBe(total);
      });

      it('resumes a subscription from a checkpoint without repeating events', async () => {
        await store.appendToStream('r-1', [testEvent('a.A', {}), testEvent('a.B', {})], {
          expectedVersion: 'no_stream',
        });
        const [firstEvent] = await readAllUntil(store, (e) => e.length >= 1, { limit: 1 });
        const first = {
          checkpoint: {
            transactionId: firstEvent!.transactionId,
            globalPosition: firstEvent!.globalPosition,
          },
        };
        const got: string[] = [];
        const sub = store.subscribeToAll({
          after: first.checkpoint,
          pollIntervalMs: 5,
          handler: async (b) => {
            got.push(...b.map((e) => e.type));
          },
        });
        await sub.caughtUp;
        await sub.stop();
        expect(got).toEqual(['a.B']);
      });
    });

    describe('integrity', () => {
      it('chains each event to the previous one and verifies an untouched stream', async () => {
        await store.appendToStream(
          'v-1',
          [testEvent('a.A', { x: 1.5, s: '中文 ✓', nested: { b: 1, a: [1, 'x'] } })],
          {
            expectedVersion: 'no_stream',
          },
        );
        await store.appendToStream('v-1', [testEvent('a.B', { y: null })], { expectedVersion: 1 });
        const [a, b] = await store.readStream('v-1');
        expect(a!.hash).not.toEqual(b!.hash);
        expect(await store.verifyStream('v-1')).toEqual({ streamId: 'v-1', ok: true, eventsChecked: 2 });
      });
    });

    describe('upcasting', () => {
      it('returns old versions upcast to the current one on every read, leaving the stored event intact', async () => {
        await store.appendToStream('u-1', [testEvent('intake.PersonRecorded', { name: '王 小明' }, 1)], {
          expectedVersion: 'no_stream',
        });
        const upcasters = new UpcasterRegistry()
          .register('intake.PersonRecorded', 1, (d) => {
            const [family, given] = (d as { name: string }).name.split(' ');
            return { familyName: family, givenName: given };
          })
          .register('intake.PersonRecorded', 2, (d) => ({ ...(d as object), nameOrder: 'family-first' }));
        const reader = await h.reopen(store, { upcasters });
        const [e] = await reader.readStream('u-1');
        expect(e!.schemaVersion).toBe(3);
        expect(e!.data).toEqual({ familyName: '王', givenName: '小明', nameOrder: 'family-first' });
        const all = await readAllUntil(reader, (e) => e.some((x) => x.streamId === 'u-1'));
        expect(all.find((x) => x.streamId === 'u-1')!.schemaVersion).toBe(3);
        expect((await reader.verifyStream('u-1')).ok).toBe(true);
      });
    });
  });
}
