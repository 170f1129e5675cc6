// Types only: the client (and the native addon it loads on import) is loaded by whoever builds the
// KurrentDBClient, so services on PostgreSQL never load it. The constants below are checked against its types.
import type {
  AllStreamSubscription,
  BACKWARDS as BackwardsType,
  END as EndType,
  ErrorType,
  EventData,
  FORWARDS as ForwardsType,
  KurrentDBClient,
  NO_STREAM as NoStreamType,
  PrefixesFilter,
  ReadPosition,
  START as StartType,
  WrongExpectedVersionError,
} from '@kurrent/kurrentdb-client';
import { onCommitted, signalCommitted } from '../commit-signal.js';
import { InvalidEventError, StreamVersionConflict } from '../errors.js';
import {
  START,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  type DbExecutor,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamVerification,
  type SubscribeOptions,
  type Subscription,
} from '../event-store.port.js';
import { UpcasterRegistry } from '../upcasters.js';
import { uuidv7 } from '../uuidv7.js';
import {
  checkpointOf,
  decodeRecord,
  isAfter,
  isStart,
  positionOf,
  prepareAppend,
  streamPrefix,
  verifyChain,
  type Decoded,
  type KurrentDbEnvelope,
  type PreparedEvent,
  type StoredEvent,
} from './kurrentdb-codec.js';

type PreparedData = PreparedEvent['data'];

/**
 * What `appendToStream` does when it is handed a PostgreSQL `transaction` (a consumer's inbox
 * transaction). KurrentDB cannot join it, so the events and the caller's transaction can never be one
 * atomic commit:
 * - `'refuse'` (default): throw KurrentDbTransactionError, nothing is written.
 * - `'append-before-commit'`: append at once, outside the transaction. The events are durable before the
 *   caller commits; if the caller's transaction then rolls back, the events stay and the message is
 *   redelivered. Nothing is lost; a redelivery is absorbed only where the caller supplies deterministic
 *   event ids (see `idempotenceWindow`), otherwise the handler runs again on the new state of the stream.
 */
export type TransactionalAppendPolicy = 'refuse' | 'append-before-commit';

export interface KurrentDbEventStoreOptions {
  client: KurrentDBClient;
  /**
   * The service's name, the same as its PostgreSQL schema (projection checkpoints and commit signals use
   * it). Each port stream `s` is the KurrentDB stream `<schema>-s`; reads of $all see only that prefix,
   * so several services can share one KurrentDB. Must match /^[a-z_][a-z0-9_]*$/.
   */
  schema: string;
  upcasters?: UpcasterRegistry;
  /** Supplies eventIds for events that come without one. */
  newId?: () => string;
  /** Default `gatherMs` of this store's subscriptions. */
  gatherMs?: number;
  /** See TransactionalAppendPolicy. */
  transactionalAppends?: TransactionalAppendPolicy;
  /**
   * An append whose events carry caller-supplied ids first looks for those ids among this many of the
   * stream's latest events; an exact retry returns the first append's result instead of writing again.
   * Default 1000.
   */
  idempotenceWindow?: number;
  /** Wake subscriptions with a live, filtered subscription to $all (appends by other processes). Default true. */
  liveWakeups?: boolean;
  /** Attempts of an `expectedVersion: 'any'` append that keeps losing the race for the stream's tail. Default 20. */
  anyRetries?: number;
}

export class KurrentDbTransactionError extends Error {
  readonly code = 'KURRENTDB_TRANSACTION';
  constructor(streamId: string) {
    super(
      `appendToStream(${streamId}) was given a PostgreSQL transaction, which KurrentDB cannot join: the events ` +
        `would not commit or roll back with it. Construct KurrentDbEventStore with transactionalAppends: ` +
        `'append-before-commit' to append outside it (libs/event-store/README.md, "KurrentDB").`,
    );
    this.name = 'KurrentDbTransactionError';
  }
}

/** An event under this store's prefix that it cannot read: it refuses to guess rather than skip it. */
export class KurrentDbForeignEventError extends Error {
  readonly code = 'KURRENTDB_FOREIGN_EVENT';
  constructor(reason: string) {
    super(`KurrentDB event not written by KurrentDbEventStore: ${reason}`);
    this.name = 'KurrentDbForeignEventError';
  }
}

const READ_PAGE = 4096;
const PARALLEL_READS = 16;

const KURRENT_START: typeof StartType = 'start';
const END: typeof EndType = 'end';
const NO_STREAM: typeof NoStreamType = 'no_stream';
const FORWARDS: typeof ForwardsType = 'forwards';
const BACKWARDS: typeof BackwardsType = 'backwards';
const STREAM_NOT_FOUND: `${ErrorType.STREAM_NOT_FOUND}` = 'stream-not-found';
const STREAM_DELETED: `${ErrorType.STREAM_DELETED}` = 'stream-deleted';
const WRONG_EXPECTED_VERSION: `${ErrorType.WRONG_EXPECTED_VERSION}` = 'wrong-expected-version';

/** The client's errors carry their kind in `type` (ErrorType): compared by value, not by class. */
function errorType(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { type?: unknown }).type : undefined;
}

function isNotFound(e: unknown): boolean {
  return errorType(e) === STREAM_NOT_FOUND;
}

function isWrongExpectedVersion(e: unknown): e is WrongExpectedVersionError {
  return errorType(e) === WRONG_EXPECTED_VERSION;
}

/** What the client's streamNameFilter({ prefixes }) builds. */
function prefixFilter(prefix: string): PrefixesFilter {
  return { filterOn: 'streamName', checkpointInterval: 1, prefixes: [prefix] };
}

/** What the client's jsonEvent() builds. */
function jsonEvent(e: {
  id: string;
  type: string;
  data: PreparedData;
  metadata: KurrentDbEnvelope;
}): EventData {
  return { id: e.id, contentType: 'application/json', type: e.type, data: e.data, metadata: e.metadata };
}

/**
 * EventStore on KurrentDB (EventStoreDB) through the official gRPC client.
 *
 * Same port, same hash chain (the PostgreSQL adapter's input, kept in each event's metadata), same
 * checkpoints in $all order: `{ transactionId: commit, globalPosition: prepare }`. Differences, all in
 * libs/event-store/README.md ("KurrentDB"):
 * - `transaction` options cannot apply (see TransactionalAppendPolicy); reads given one read committed
 *   state, which already includes any append made "in" it.
 * - An append reads the stream's last event (for the previous hash) and writes at exactly that revision,
 *   then reads its events back for their $all positions: three round trips where PostgreSQL needs one.
 * - `recordedAt` is this process's clock at append (never before the stream's previous event), not the
 *   database's: it is in the hash, so it is fixed before the write.
 * - `listStreams` has no index to read: it scans this store's part of $all once and then only what is new.
 * - Event ids are unique per stream here, not per store.
 */
export class KurrentDbEventStore implements EventStore {
  readonly schema: string;
  /** `<schema>-`: every stream of this store, and nothing else, starts with it. */
  readonly prefix: string;
  private readonly client: KurrentDBClient;
  private readonly upcasters: UpcasterRegistry;
  private readonly newId: () => string;
  private readonly policy: TransactionalAppendPolicy;
  private readonly idempotenceWindow: number;
  private readonly anyRetries: number;
  /** Stream names seen in $all so far, and where that scan stopped. */
  private readonly streamIndex = {
    names: new Set<string>(),
    after: START as Checkpoint,
    sorted: null as string[] | null,
  };

  constructor(private readonly options: KurrentDbEventStoreOptions) {
    this.schema = options.schema;
    this.prefix = streamPrefix(options.schema);
    this.client = options.client;
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.newId = options.newId ?? (() => uuidv7());
    this.policy = options.transactionalAppends ?? 'refuse';
    this.idempotenceWindow = Math.max(1, options.idempotenceWindow ?? 1000);
    this.anyRetries = Math.max(1, options.anyRetries ?? 20);
  }

  /** The KurrentDB stream that holds the port's stream `streamId`. */
  streamName(streamId: string): string {
    return `${this.prefix}${streamId}`;
  }

  /** Server round trip for readiness: a missing stream is an answer. */
  async ping(): Promise<void> {
    await this.readBackwards(this.streamName('readiness-probe'), 1);
  }

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (!streamId || streamId.length > 512) throw new InvalidEventError('streamId must be 1..512 characters');
    if (events.length === 0) throw new InvalidEventError('appendToStream needs at least one event');
    const expected = options.expectedVersion;
    if (expected !== 'any' && expected !== 'no_stream' && (!Number.isInteger(expected) || expected < 0)) {
      throw new InvalidEventError(`expectedVersion must be 'any', 'no_stream' or a version >= 0`);
    }
    if (options.transaction && this.policy === 'refuse') throw new KurrentDbTransactionError(streamId);
    const supplied = events.some((e) => e.eventId !== undefined);
    // KurrentDB gives ids back in lower case; the hash must cover the id as it will be read.
    const eventIds = events.map((e) => (e.eventId ?? this.newId()).toLowerCase());
    const name = this.streamName(streamId);
    for (let attempt = 1; ; attempt++) {
      // Newest first. Only the last event is needed for the chain; the window only for idempotence.
      const recent = (await this.readBackwards(name, supplied ? this.idempotenceWindow : 1)).map((d) =>
        this.must(d),
      );
      const tail = recent[0] ?? null;
      const version = tail?.streamVersion ?? 0;
      if (supplied) {
        const earlier = this.earlierAppend(streamId, recent, eventIds, expected);
        if (earlier) return earlier;
      }
      const mustBeEmpty = expected === 'no_stream' || expected === 0;
      if (
        (mustBeEmpty && version > 0) ||
        (typeof expected === 'number' && expected > 0 && version !== expected)
      ) {
        throw new StreamVersionConflict(streamId, String(expected), version);
      }
      const prepared = prepareAppend(streamId, events, eventIds, tail, Date.now());
      // A lost race arrives as WrongExpectedVersionError, or as `success: false` on a client made with
      // `throwOnAppendFailure=false` in its connection string.
      let conflict: WrongExpectedVersionError | 'lost' | null = null;
      try {
        const result = await this.client.appendToStream(
          name,
          prepared.map((p) => jsonEvent({ id: p.eventId, type: p.type, data: p.data, metadata: p.envelope })),
          // Always the revision the chain was computed on: a concurrent append makes this one fail
          // instead of forking the chain.
          { streamState: tail ? BigInt(tail.streamVersion - 1) : NO_STREAM },
        );
        if (!result.success) conflict = 'lost';
      } catch (e) {
        if (!isWrongExpectedVersion(e)) throw e;
        conflict = e;
      }
      if (conflict) {
        if (expected === 'any' && attempt < this.anyRetries) {
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 100)));
          continue;
        }
        throw new StreamVersionConflict(streamId, String(expected), await this.actualVersion(name, conflict));
      }
      signalCommitted(this.schema);
      const written = await this.readForwards(name, BigInt(version), prepared.length);
      const appended = written.map((d) => this.must(d));
      if (
        appended.length !== prepared.length ||
        appended.some((a, i) => a.eventId !== prepared[i]!.eventId)
      ) {
        throw new Error(`appended to ${name} at revision ${version}, but reading it back found other events`);
      }
      return this.resultOf(appended);
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    // `options.transaction` changes nothing here: appends never wait for a PostgreSQL commit.
    const from = Math.max(1, options.fromVersion ?? 1);
    const to = options.toVersion ?? Number.MAX_SAFE_INTEGER;
    if (to < from) return [];
    const count = Math.min(to - from + 1, Number.MAX_SAFE_INTEGER);
    const stored = (await this.readForwards(this.streamName(streamId), BigInt(from - 1), count)).map((d) =>
      this.must(d),
    );
    const until = options.until?.getTime();
    return (until === undefined ? stored : stored.filter((e) => e.recordedAt.getTime() <= until)).map((e) =>
      this.toRecorded(e),
    );
  }

  async readStreams(
    streamIds: string[],
    _options: { transaction?: DbExecutor } = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const out = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
    const unique = [...new Set(streamIds)];
    for (let i = 0; i < unique.length; i += PARALLEL_READS) {
      const chunk = unique.slice(i, i + PARALLEL_READS);
      const read = await Promise.all(chunk.map((id) => this.readStream(id)));
      chunk.forEach((id, j) => out.set(id, read[j]!));
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? START;
    const limit = Math.max(1, Math.min(options.limit ?? 1000, 100_000));
    const events: RecordedEvent[] = [];
    for (const d of await this.scan(after, limit)) events.push(this.toRecorded(this.must(d)));
    const last = events[events.length - 1];
    return {
      events,
      checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after,
    };
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return new KurrentDbSubscription(
      this,
      this.client,
      {
        gatherMs: this.options.gatherMs,
        ...options,
      },
      this.options.liveWakeups ?? true,
    );
  }

  async verifyStream(streamId: string): Promise<StreamVerification> {
    const name = this.streamName(streamId);
    // History hidden by stream metadata ($tb, $maxCount, $maxAge; a soft delete sets $tb) is not in the
    // chain any more: say so instead of verifying what is left.
    const { metadata } = await this.client.getStreamMetadata(name);
    const hiding = (['truncateBefore', 'maxCount', 'maxAge'] as const).filter(
      (k) => metadata?.[k] !== undefined,
    );
    let records: Decoded[];
    try {
      records = await this.readForwards(name, 0n, Number.MAX_SAFE_INTEGER);
    } catch (e) {
      if (errorType(e) !== STREAM_DELETED) throw e;
      records = [];
      hiding.push('truncateBefore');
    }
    if (hiding.length > 0) {
      return {
        streamId,
        ok: false,
        eventsChecked: 0,
        firstBroken: {
          streamVersion: 1,
          eventId: '',
          globalPosition: 0n,
          reason: `the stream is deleted or its metadata hides events (${hiding.join(', ')})`,
        },
      };
    }
    return verifyChain(streamId, records);
  }

  async head(): Promise<Checkpoint> {
    for await (const resolved of this.client.readAll({
      direction: BACKWARDS,
      fromPosition: END,
      maxCount: 1,
      filter: prefixFilter(this.prefix),
    })) {
      if (resolved.event?.position) return checkpointOf(resolved.event.position);
    }
    return START;
  }

  async listStreams(options: { after?: string; limit?: number; prefix?: string } = {}): Promise<string[]> {
    const index = this.streamIndex;
    // Every stream's first event (revision 0) names it; only what was appended since the last call is read.
    for (;;) {
      const page = await this.scan(index.after, READ_PAGE, true);
      for (const d of page) {
        // Undecodable events are listed too: verifyStream reports them.
        if (d.streamVersion === 1 && !index.names.has(d.streamId)) {
          index.names.add(d.streamId);
          index.sorted = null;
        }
        const position = d.ok ? d.event.position : d.position;
        if (position && isAfter(position, index.after)) index.after = checkpointOf(position);
      }
      if (page.length < READ_PAGE) break;
    }
    const sorted = (index.sorted ??= [...index.names].sort());
    const after = options.after ?? '';
    const limit = Math.max(1, Math.min(options.limit ?? 1000, 10_000));
    const out: string[] = [];
    for (const name of sorted) {
      if (name <= after || (options.prefix !== undefined && !name.startsWith(options.prefix))) continue;
      out.push(name);
      if (out.length === limit) break;
    }
    return out;
  }

  /** Recorded events after `after` in $all order, under this store's prefix, at most `limit`. */
  private async scan(after: Checkpoint, limit: number, lenient = false): Promise<Decoded[]> {
    const fromStart = isStart(after);
    const fromPosition: ReadPosition = fromStart ? KURRENT_START : positionOf(after);
    const out: Decoded[] = [];
    // A read from a position includes the event at it: one more, dropped below. maxCount counts events
    // that pass the filter, so the read ends by itself (the client's iterator cannot be closed early).
    for await (const resolved of this.client.readAll({
      direction: FORWARDS,
      fromPosition,
      maxCount: limit + (fromStart ? 0 : 1),
      filter: prefixFilter(this.prefix),
    })) {
      const e = resolved.event;
      if (!e || out.length >= limit) continue;
      if (!fromStart && (!e.position || !isAfter(e.position, after))) continue;
      const d = decodeRecord(e, this.prefix);
      if (!d.ok && !lenient) throw new KurrentDbForeignEventError(d.reason);
      out.push(d);
    }
    return out;
  }

  /** The newest `count` events of a KurrentDB stream, newest first; none when it does not exist. */
  private async readBackwards(name: string, count: number): Promise<Decoded[]> {
    const out: Decoded[] = [];
    try {
      for await (const resolved of this.client.readStream(name, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: count,
        requiresLeader: true,
      })) {
        if (resolved.event) out.push(decodeRecord(resolved.event, this.prefix));
      }
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
    return out;
  }

  /** Up to `count` events from `fromRevision` (0-based) in version order; none when the stream does not exist. */
  private async readForwards(name: string, fromRevision: bigint, count: number): Promise<Decoded[]> {
    const out: Decoded[] = [];
    try {
      for await (const resolved of this.client.readStream(name, {
        direction: FORWARDS,
        fromRevision,
        maxCount: count,
        requiresLeader: true,
      })) {
        if (resolved.event) out.push(decodeRecord(resolved.event, this.prefix));
      }
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
    return out;
  }

  private must(d: Decoded): StoredEvent {
    if (!d.ok) throw new KurrentDbForeignEventError(d.reason);
    return d.event;
  }

  /**
   * An append whose ids are all among the stream's latest events, in order and where the expected version
   * puts them, is a retry of an append that succeeded: its result, nothing written. A partial match is an
   * error, as KurrentDB's own idempotence check makes it.
   */
  private earlierAppend(
    streamId: string,
    recent: StoredEvent[],
    eventIds: string[],
    expected: AppendOptions['expectedVersion'],
  ): AppendResult | null {
    const byId = new Map(recent.map((e) => [e.eventId, e]));
    const found = eventIds.map((id) => byId.get(id));
    if (found.every((f) => f === undefined)) return null;
    const first = found[0];
    const exact =
      found.every((f, i) => f !== undefined && f.streamVersion === first!.streamVersion + i) &&
      (expected === 'any' || first!.streamVersion === (expected === 'no_stream' ? 0 : expected) + 1);
    if (!exact) {
      const ids = eventIds.filter((_, i) => found[i] !== undefined).join(', ');
      throw new InvalidEventError(
        `stream ${streamId} already holds event id(s) ${ids}, but not as a retry of this append (same ids, order and expected version)`,
      );
    }
    return this.resultOf(found as StoredEvent[]);
  }

  private resultOf(events: StoredEvent[]): AppendResult {
    const last = events[events.length - 1]!;
    return {
      nextExpectedVersion: last.streamVersion,
      lastPosition: last.position.prepare,
      events: events.map((e) => ({
        eventId: e.eventId,
        streamVersion: e.streamVersion,
        globalPosition: e.position.prepare,
      })),
    };
  }

  private async actualVersion(name: string, e: WrongExpectedVersionError | 'lost'): Promise<number> {
    const actual: unknown = e === 'lost' ? undefined : e.actualState;
    if (typeof actual === 'bigint') return Number(actual) + 1;
    if (actual === NO_STREAM) return 0;
    const [tail] = await this.readBackwards(name, 1);
    return tail ? tail.streamVersion : 0;
  }

  private toRecorded(e: StoredEvent): RecordedEvent {
    const { schemaVersion, data } = this.upcasters.upcast(e.type, e.schemaVersion, e.data);
    return {
      eventId: e.eventId,
      type: e.type,
      schemaVersion,
      data,
      metadata: e.metadata,
      streamId: e.streamId,
      streamVersion: e.streamVersion,
      globalPosition: e.position.prepare,
      transactionId: e.position.commit,
      recordedAt: e.recordedAt,
      hash: e.hash,
    };
  }
}

/**
 * Catch-up by `readAll` pages (batches, a handler that throws retries its batch, checkpoints exactly as
 * readAll gives them), woken at once by commits in this process (`signalCommitted`) and by a live,
 * filtered subscription to $all from its end (appends by other processes), with a fallback poll should
 * that subscription drop.
 */
class KurrentDbSubscription implements Subscription {
  private current: Checkpoint;
  private stopped = false;
  private signalled = false;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private readonly loop: Promise<void>;
  private resolveCaughtUp!: () => void;
  readonly caughtUp: Promise<void>;
  private readonly gatherMs: number;
  private live: AllStreamSubscription | null = null;
  private liveRetryAt = 0;

  constructor(
    private readonly store: KurrentDbEventStore,
    private readonly client: KurrentDBClient,
    private readonly options: SubscribeOptions,
    private readonly liveWakeups: boolean,
  ) {
    this.gatherMs = options.gatherMs ?? 0;
    this.current = options.after ?? START;
    this.caughtUp = new Promise((r) => (this.resolveCaughtUp = r));
    this.unsubscribe = onCommitted(store.schema, () => this.signal());
    this.loop = this.run();
  }

  get position(): Checkpoint {
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    this.wake?.();
    await this.loop;
    await this.closeLive();
  }

  private signal(): void {
    if (this.signalled) return; // a wake-up is already on its way
    this.signalled = true;
    if (this.gatherMs > 0) setTimeout(() => this.wake?.(), this.gatherMs);
    else this.wake?.();
  }

  private openLive(idleMs: number): void {
    if (!this.liveWakeups || this.live || this.stopped || Date.now() < this.liveRetryAt) return;
    try {
      const live = this.client.subscribeToAll({
        fromPosition: END,
        filter: prefixFilter(this.store.prefix),
      });
      live.on('data', () => this.signal());
      const dropped = (error?: Error) => {
        if (this.live !== live) return;
        this.live = null;
        this.liveRetryAt = Date.now() + Math.max(idleMs * 4, 1000);
        if (error && !this.stopped) {
          this.options.onError?.(new Error(`live wake-ups stopped, polling meanwhile: ${error.message}`), 0);
        }
      };
      live.on('error', (error: Error) => dropped(error));
      live.on('end', () => dropped());
      live.on('close', () => dropped());
      this.live = live;
    } catch (e) {
      this.liveRetryAt = Date.now() + Math.max(idleMs * 4, 1000);
      this.options.onError?.(e as Error, 0);
    }
  }

  private async closeLive(): Promise<void> {
    const live = this.live;
    this.live = null;
    if (!live) return;
    // Bounded: a subscription whose connection is already gone may never confirm.
    await Promise.race([live.unsubscribe().catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const idleMs = this.options.pollIntervalMs ?? 250;
    let attempt = 0;
    while (!this.stopped) {
      this.openLive(idleMs);
      this.signalled = false;
      try {
        const { events, checkpoint } = await this.store.readAll({ after: this.current, limit: batchSize });
        if (events.length > 0) {
          await this.options.handler(events);
          this.current = checkpoint;
        }
        attempt = 0;
        if (events.length === batchSize) continue;
        this.resolveCaughtUp();
        if (this.signalled) {
          if (this.gatherMs > 0) await this.sleep(this.gatherMs);
          continue;
        }
        await this.sleep(idleMs);
      } catch (e) {
        attempt++;
        this.options.onError?.(e as Error, attempt);
        await this.sleep(Math.min(idleMs * 2 ** Math.min(attempt, 8), this.options.maxRetryMs ?? 10_000));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }
}
