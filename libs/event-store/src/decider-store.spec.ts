import { dropSchema, testEvent, testPool, uniqueName } from '@platform/testing';
import { DeciderStore, type Decider } from './decider-store.js';
import { StreamVersionConflict } from './errors.js';
import type { EventMetadata, RecordedEvent } from './event-store.port.js';
import { eventStoreMigrations } from './postgres/event-store.migrations.js';
import { runMigrations } from './postgres/migrations.js';
import { PostgresEventStore } from './postgres/postgres-event-store.js';
import { withTransaction } from './postgres/transaction.js';

// A small aggregate: a budget that may not exceed 10 000.
type Command = { type: 'Spend'; amount: number } | { type: 'Touch' };
type Event = { type: 'Spent'; data: { amount: number } };
interface State {
  spent: number;
}
class OverBudget extends Error {}
const budget: Decider<Command, Event, State> = {
  initialState: () => ({ spent: 0 }),
  evolve: (s, e) => ({ spent: s.spent + e.data.amount }),
  decide(c, s) {
    if (c.type === 'Touch') return [];
    if (s.spent + c.amount > 10_000) throw new OverBudget(`${s.spent} + ${c.amount}`);
    return [{ type: 'Spent', data: { amount: c.amount } }];
  },
};

const metadata: EventMetadata = {
  actor: { id: 'u1', role: 'township_officer', department: 'intake', jurisdiction: '150802' },
  correlationId: 'c1',
  causationId: null,
  occurredAt: '2026-11-27T00:00:00.000Z',
};

describe('DeciderStore: the one command-handling path', () => {
  const pool = testPool(6);
  const schema = uniqueName('decider');
  let store: PostgresEventStore;
  let budgets: DeciderStore<Command, Event, State>;
  let n = 0;
  const id = () => `b${++n}`;
  /** What another writer appends to the same stream meanwhile. */
  const interleave = (budgetId: string, amount = 1) =>
    store.appendToStream(`budget-${budgetId}`, [testEvent('t.Spent', { amount })], {
      expectedVersion: 'any',
    });

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    store = new PostgresEventStore({ pool, schema });
    budgets = new DeciderStore({
      store,
      decider: budget,
      streamOf: (b) => `budget-${b}`,
      toStored: (e) => ({ type: `t.${e.type}`, data: e.data }),
      fromStored: (e: RecordedEvent) => ({ type: 'Spent', data: e.data }) as Event,
    });
  });

  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('decides on the folded stream and appends at the expected version, with the metadata given', async () => {
    const b = id();
    const first = await budgets.handle(b, { type: 'Spend', amount: 100 }, { metadata, isNew: true });
    const second = await budgets.handle(b, { type: 'Spend', amount: 250 }, { metadata });
    expect(first).toMatchObject({ state: { spent: 100 }, version: 1 });
    expect(second).toMatchObject({ state: { spent: 350 }, version: 2, events: [{ type: 'Spent' }] });
    const stored = await store.readStream(`budget-${b}`);
    expect(stored.map((e) => [e.type, e.streamVersion, e.metadata.actor.id])).toEqual([
      ['t.Spent', 1, 'u1'],
      ['t.Spent', 2, 'u1'],
    ]);
    expect(await budgets.load(b)).toEqual({ state: { spent: 350 }, version: 2 });
  });

  it('a command that decides nothing appends nothing', async () => {
    const b = id();
    await budgets.handle(b, { type: 'Spend', amount: 5 }, { metadata });
    const r = await budgets.handle(b, { type: 'Touch' }, { metadata });
    expect(r).toEqual({ state: { spent: 5 }, version: 1, events: [] });
    expect(await store.readStream(`budget-${b}`)).toHaveLength(1);
  });

  it('a domain refusal appends nothing', async () => {
    const b = id();
    await budgets.handle(b, { type: 'Spend', amount: 9_000 }, { metadata });
    await expect(budgets.handle(b, { type: 'Spend', amount: 2_000 }, { metadata })).rejects.toThrow(
      OverBudget,
    );
    expect((await budgets.load(b)).version).toBe(1);
  });

  it('after another writer got in first, re-decides on the fresh state (and may then refuse)', async () => {
    const b = id();
    await budgets.handle(b, { type: 'Spend', amount: 9_000 }, { metadata });
    await interleave(b, 800);
    const states: number[] = [];
    // The caller decided on version 1; the stream is at 2 by the time it appends.
    const r = budgets.handle(
      b,
      (s): Command => {
        states.push(s.spent);
        return { type: 'Spend', amount: 500 };
      },
      { metadata, known: { state: { spent: 9_000 }, version: 1 } },
    );
    // 9 000 + 800 (the other writer) + 500 would exceed the budget: the retry refuses, nothing of ours lands.
    await expect(r).rejects.toThrow(OverBudget);
    expect(states).toEqual([9_000, 9_800]);
    expect((await store.readStream(`budget-${b}`)).map((e) => (e.data as Event['data']).amount)).toEqual([
      9_000, 800,
    ]);
  });

  it('retries a stale known state until it lands, then stops at the retry limit', async () => {
    const b = id();
    await budgets.handle(b, { type: 'Spend', amount: 1 }, { metadata });
    await interleave(b);
    // The caller's `known` is one version behind: the first append conflicts, the retry reloads and lands.
    const landed = await budgets.handle(
      b,
      { type: 'Spend', amount: 10 },
      { metadata, known: { state: { spent: 1 }, version: 1 } },
    );
    expect(landed).toMatchObject({ state: { spent: 12 }, version: 3 });

    // A writer that always gets in first: every append conflicts, and the path gives up after the retries.
    const raced = new DeciderStore<Command, Event, State>({
      store: new Proxy(store, {
        get: (target, key, receiver) =>
          key === 'appendToStream'
            ? async (...args: Parameters<PostgresEventStore['appendToStream']>) => {
                await interleave(b);
                return target.appendToStream(...args);
              }
            : Reflect.get(target, key, receiver),
      }),
      decider: budget,
      streamOf: (x) => `budget-${x}`,
      toStored: (e) => ({ type: `t.${e.type}`, data: e.data }),
      fromStored: (e: RecordedEvent) => ({ type: 'Spent', data: e.data }) as Event,
    });
    let attempts = 0;
    await expect(
      raced.handle(
        b,
        (): Command => {
          attempts++;
          return { type: 'Spend', amount: 1 };
        },
        { metadata, retries: 2 },
      ),
    ).rejects.toBeInstanceOf(StreamVersionConflict);
    expect(attempts).toBe(3);
    // Three attempts, three interleaved writes, none of ours.
    expect((await budgets.load(b)).version).toBe(6);
  });

  it('inside a caller transaction a conflict is not retried: the caller sees it and rolls back', async () => {
    const b = id();
    await budgets.handle(b, { type: 'Spend', amount: 1 }, { metadata });
    await interleave(b);
    let attempts = 0;
    await expect(
      withTransaction(pool, (tx) =>
        budgets.handle(
          b,
          (): Command => {
            attempts++;
            return { type: 'Spend', amount: 1 };
          },
          { metadata, transaction: tx, known: { state: { spent: 1 }, version: 1 } },
        ),
      ),
    ).rejects.toBeInstanceOf(StreamVersionConflict);
    expect(attempts).toBe(1);
    expect((await store.readStream(`budget-${b}`)).length).toBe(2);
  });

  it('versions that gain a digit: 9 → 10 and 999 → 1000', async () => {
    const b = id();
    await store.appendToStream(
      `budget-${b}`,
      Array.from({ length: 9 }, () => testEvent('t.Spent', { amount: 1 })),
      { expectedVersion: 'no_stream' },
    );
    expect(await budgets.handle(b, { type: 'Spend', amount: 1 }, { metadata })).toMatchObject({
      state: { spent: 10 },
      version: 10,
    });
    await store.appendToStream(
      `budget-${b}`,
      Array.from({ length: 989 }, () => testEvent('t.Spent', { amount: 0 })),
      { expectedVersion: 10 },
    );
    const r = await budgets.handle(b, { type: 'Spend', amount: 1 }, { metadata });
    expect(r).toMatchObject({ state: { spent: 11 }, version: 1000 });
    expect(
      (await store.readStream(`budget-${b}`, { fromVersion: 1000 })).map((e) => e.streamVersion),
    ).toEqual([1000]);
  });

  it('loads many aggregates in one read, missing ones in their initial state', async () => {
    const [a, b] = [id(), id()];
    await budgets.handle(a, { type: 'Spend', amount: 7 }, { metadata });
    const many = await budgets.loadMany([a, b]);
    expect(many.get(a)).toEqual({ state: { spent: 7 }, version: 1 });
    expect(many.get(b)).toEqual({ state: { spent: 0 }, version: 0 });
  });
});
