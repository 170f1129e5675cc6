import { dropSchema, testEvent, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import type { NewEvent, RecordedEvent } from '../event-store.port.js';
import { eventStoreMigrations } from '../postgres/event-store.migrations.js';
import { runMigrations } from '../postgres/migrations.js';
import { PostgresEventStore } from '../postgres/postgres-event-store.js';
import { uuidv7 } from '../uuidv7.js';
import {
  checkpointOf,
  decodeRecord,
  isAfter,
  positionOf,
  prepareAppend,
  streamPrefix,
  verifyChain,
  type Decoded,
  type KurrentRecord,
} from './kurrentdb-codec.js';

/**
 * The KurrentDB adapter's encoding and hash chain, without a KurrentDB server (none runs on CI): what it
 * would write and how it reads and verifies it. Events come from the PostgreSQL adapter, so the chain is
 * checked against hashes that PostgreSQL's append_events computed.
 */

const PREFIX = 'intake-';

/** An event as KurrentDB would hand it back after this adapter wrote it: JSON data, envelope in metadata. */
function asKurrentRecord(e: RecordedEvent, prefix = PREFIX): KurrentRecord {
  return {
    streamId: `${prefix}${e.streamId}`,
    id: e.eventId,
    revision: BigInt(e.streamVersion - 1),
    type: e.type,
    isJson: true,
    data: JSON.parse(JSON.stringify(e.data)),
    metadata: JSON.parse(
      JSON.stringify({
        metadata: e.metadata,
        schemaVersion: e.schemaVersion,
        recordedAt: e.recordedAt.getTime(),
        hash: e.hash,
        $correlationId: e.metadata.correlationId,
      }),
    ),
    position: { commit: e.transactionId, prepare: e.globalPosition },
  };
}

describe('KurrentDB codec (offline: no KurrentDB server involved)', () => {
  let pool: Pool;
  let schema: string;
  let pg: PostgresEventStore;
  const first: NewEvent[] = [
    {
      ...testEvent('a.Opened', { x: 1.5, s: '中文 ✓', nested: { b: 1, a: [1, 'x', null] } }),
      eventId: uuidv7(),
    },
    { ...testEvent('a.Noted', null), eventId: uuidv7() },
  ];
  const second: NewEvent[] = [{ ...testEvent('a.Closed', { y: true, z: 'é' }, 2), eventId: uuidv7() }];
  let events: RecordedEvent[];

  beforeAll(async () => {
    pool = testPool(2);
    schema = uniqueName('kdbcodec');
    await runMigrations(pool, schema, eventStoreMigrations);
    pg = new PostgresEventStore({ pool, schema });
    await pg.appendToStream('case-1', first, { expectedVersion: 'no_stream' });
    await pg.appendToStream('case-1', second, { expectedVersion: 2 });
    events = await pg.readStream('case-1');
  });
  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('computes exactly the hashes that PostgreSQL append_events stored, append by append', () => {
    const [a, b, c] = events;
    const firstAppend = prepareAppend(
      'case-1',
      first,
      first.map((e) => e.eventId!),
      null,
      a!.recordedAt.getTime(),
    );
    expect(firstAppend.map((p) => [p.streamVersion, p.envelope.hash])).toEqual([
      [1, a!.hash],
      [2, b!.hash],
    ]);
    const secondAppend = prepareAppend(
      'case-1',
      second,
      [second[0]!.eventId!],
      { streamVersion: 2, hash: b!.hash, recordedAt: b!.recordedAt },
      c!.recordedAt.getTime(),
    );
    expect(secondAppend.map((p) => [p.streamVersion, p.envelope.hash])).toEqual([[3, c!.hash]]);
    expect(secondAppend[0]!.envelope).toMatchObject({
      schemaVersion: 2,
      recordedAt: c!.recordedAt.getTime(),
    });
  });

  it('writes the canonical values it hashed, and never records an instant before the previous event', () => {
    const tail = { streamVersion: 7, hash: 'ab'.repeat(32), recordedAt: new Date(Date.now() + 60_000) };
    const [p] = prepareAppend(
      's',
      [testEvent('a.A', { keep: 1, drop: undefined })],
      [uuidv7()],
      tail,
      Date.now(),
    );
    expect(p!.data).toEqual({ keep: 1 });
    expect(p!.streamVersion).toBe(8);
    expect(p!.envelope.recordedAt).toBe(tail.recordedAt.getTime());
    expect(() => prepareAppend('s', [testEvent('$metadata', {})], [uuidv7()], null, 0)).toThrow(
      /KurrentDB's/,
    );
    expect(() => prepareAppend('s', [testEvent('a.A', { n: 1n })], [uuidv7()], null, 0)).toThrow(/bigint/);
  });

  it('verifies a chain that PostgreSQL wrote, read back as KurrentDB events', () => {
    const decoded = events.map((e) => decodeRecord(asKurrentRecord(e), PREFIX));
    expect(decoded.every((d) => d.ok)).toBe(true);
    expect(verifyChain('case-1', decoded)).toEqual({ streamId: 'case-1', ok: true, eventsChecked: 3 });
    const [d] = decoded;
    expect(d).toMatchObject({
      streamId: 'case-1',
      streamVersion: 1,
      event: { eventId: events[0]!.eventId, recordedAt: events[0]!.recordedAt, hash: events[0]!.hash },
    });
  });

  it('names the first event whose data changed, the first missing version, and the first foreign event', () => {
    const records = events.map((e) => asKurrentRecord(e));
    const tampered = records.map((r, i) => (i === 1 ? { ...r, data: { forged: true } } : r));
    expect(
      verifyChain(
        'case-1',
        tampered.map((r) => decodeRecord(r, PREFIX)),
      ),
    ).toMatchObject({
      ok: false,
      eventsChecked: 1,
      firstBroken: { streamVersion: 2, reason: 'stored hash does not match the recomputed chain' },
    });
    expect(
      verifyChain(
        'case-1',
        records.slice(1).map((r) => decodeRecord(r, PREFIX)),
      ),
    ).toMatchObject({
      ok: false,
      eventsChecked: 0,
      firstBroken: { streamVersion: 2, reason: 'version 1 is missing' },
    });
    const foreign = records.map((r, i) => (i === 2 ? { ...r, metadata: { $correlationId: 'x' } } : r));
    const verdict = verifyChain(
      'case-1',
      foreign.map((r) => decodeRecord(r, PREFIX)),
    );
    expect(verdict).toMatchObject({ ok: false, eventsChecked: 2, firstBroken: { streamVersion: 3 } });
    expect(verdict.firstBroken!.reason).toMatch(/no hash envelope/);
  });

  it('refuses to read binary events, events outside its prefix and events without a position', () => {
    const r = asKurrentRecord(events[0]!);
    const reasons = [
      { ...r, isJson: false, data: new Uint8Array([1]) },
      { ...r, streamId: `housing-${events[0]!.streamId}` },
      { ...r, position: undefined },
    ].map((x) => decodeRecord(x, PREFIX) as Extract<Decoded, { ok: false }>);
    expect(reasons.map((d) => d.ok)).toEqual([false, false, false]);
    expect(reasons.map((d) => d.reason)).toEqual([
      expect.stringMatching(/not a JSON event/),
      expect.stringMatching(/outside this store's prefix/),
      expect.stringMatching(/without its \$all position/),
    ]);
  });

  it("maps KurrentDB's $all position to the checkpoint (commit, prepare) and orders by it", () => {
    const p = { commit: 1200n, prepare: 1100n };
    expect(checkpointOf(p)).toEqual({ transactionId: 1200n, globalPosition: 1100n });
    expect(positionOf(checkpointOf(p))).toEqual(p);
    expect(isAfter({ commit: 1200n, prepare: 1101n }, checkpointOf(p))).toBe(true);
    expect(isAfter({ commit: 1201n, prepare: 0n }, checkpointOf(p))).toBe(true);
    expect(isAfter(p, checkpointOf(p))).toBe(false);
    expect(isAfter({ commit: 1199n, prepare: 9999n }, checkpointOf(p))).toBe(false);
  });

  it('prefixes streams with a schema name that no other store can share', () => {
    expect(streamPrefix('civil_affairs')).toBe('civil_affairs-');
    expect(() => streamPrefix('civil-affairs')).toThrow(/must match/);
    expect(() => streamPrefix('')).toThrow(/must match/);
  });
});
