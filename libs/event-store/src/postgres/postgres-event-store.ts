import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { canonicalJson } from '../canonical-json.js';
import { onCommitted, signalCommitted } from '../commit-signal.js';
import { recordCommitPosition } from '../commit-positions.js';
import { InvalidEventError, StreamVersionConflict } from '../errors.js';
import { idempotencyMarkSql, idempotencyMarkValues, idempotencyScope } from '../idempotency-scope.js';
import {
  personalDataOf,
  rememberSealedSchema,
  type PersonalDataProtection,
} from '../personal-data/personal-data.js';
import {
  START,
  type AppendOptions,
  type AppendResult,
  type Checkpoint,
  type DbExecutor,
  type EventMetadata,
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
import { uuidv7, UUID_PATTERN } from '../uuidv7.js';
import { quoteIdent } from './migrations.js';
import { prepared } from './prepared.js';
import { readHorizonSql } from './read-horizon.js';
import { EVENT_READ_TYPES, hexOf } from './row-types.js';

const ZERO_HASH: Buffer = Buffer.alloc(32);

interface EventColumns {
  global_position: string;
  transaction_id: string;
  stream_id: string;
  stream_version: string;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

interface EventRow extends EventColumns, Record<string, unknown> {
  hash: Buffer;
}

/** A row read with EVENT_READ_TYPES: the hash stays PostgreSQL's hex text. */
interface ReadRow extends EventColumns, Record<string, unknown> {
  hash: string;
}

const COLUMNS =
  'global_position, transaction_id, stream_id, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, hash';

export interface PostgresEventStoreOptions {
  pool: Pool;
  schema: string;
  upcasters?: UpcasterRegistry;
  /**
   * Seals personal values before they are hashed and stored, and opens them on every read. Defaults to
   * the protection registered for `pool` (`protectPersonalData`); null: none.
   */
  personalData?: PersonalDataProtection | null;
  /** Supplies eventIds for events that come without one. */
  newId?: () => string;
  /** Default `gatherMs` of this store's subscriptions. */
  gatherMs?: number;
}

/** The hash input of one event: exactly what append_events hashes (see the migration). */
export function eventHashInput(
  canonical: string,
  streamId: string,
  streamVersion: number,
  recordedAt: Date,
): Buffer {
  return Buffer.from(`${canonical}|${streamId}|${streamVersion}|${recordedAt.getTime()}`, 'utf8');
}

export function canonicalEventDocument(e: {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
}): string {
  return canonicalJson({
    data: e.data,
    eventId: e.eventId,
    metadata: e.metadata,
    schemaVersion: e.schemaVersion,
    type: e.type,
  });
}

/**
 * PostgreSQL event store for one service schema.
 * Guarantees: one round trip per append with optimistic concurrency; a global order
 * (transaction id, position) that readers cannot skip; append-only rows; a per-stream hash chain.
 */
export class PostgresEventStore implements EventStore {
  readonly schema: string;
  private readonly table: string;
  private readonly fn: string;
  private readonly horizon: string;
  private readonly upcasters: UpcasterRegistry;
  private readonly newId: () => string;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.schema = options.schema;
    const s = quoteIdent(options.schema);
    this.table = `${s}.events`;
    this.fn = `${s}.append_events`;
    this.horizon = readHorizonSql(s);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.newId = options.newId ?? (() => uuidv7());
    void this.personal; // plain-SQL readers of this log find its protection from now on
  }

  async appendToStream(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    if (!streamId || streamId.length > 512) throw new InvalidEventError('streamId must be 1..512 characters');
    if (events.length === 0) throw new InvalidEventError('appendToStream needs at least one event');
    const expected = this.expectedToSql(options.expectedVersion);
    const eventIds: string[] = [];
    const personal = this.personal;
    const sealed = personal
      ? await Promise.all(events.map((e) => personal.seal(this.schema, streamId, e.data ?? null)))
      : null;
    const docs = events.map((e, n) => {
      if (!e.type) throw new InvalidEventError('event type is required');
      if (!e.metadata?.actor?.id) throw new InvalidEventError(`event ${e.type}: metadata.actor is required`);
      const eventId = e.eventId ?? this.newId();
      if (!UUID_PATTERN.test(eventId)) throw new InvalidEventError(`event ${e.type}: eventId must be a UUID`);
      eventIds.push(eventId);
      // The canonical text is what a JSON round trip keeps, so the hashed text and the stored jsonb
      // describe the same values.
      try {
        return canonicalEventDocument({
          eventId,
          type: e.type,
          schemaVersion: e.schemaVersion ?? 1,
          data: sealed ? sealed[n] : (e.data ?? null),
          metadata: e.metadata,
        });
      } catch (err) {
        throw new InvalidEventError(`event ${e.type}: ${(err as Error).message}`);
      }
    });
    const executor: DbExecutor = options.transaction ?? this.options.pool;
    // A request with an Idempotency-Key: its key is marked committed by the same transaction as the
    // events — in the caller's transaction, or in the same statement when the append commits alone.
    const mark = idempotencyScope.getStore();
    const append = `SELECT out_position, out_version, out_transaction_id FROM ${this.fn}($1, $2, $3::text[])`;
    try {
      const { rows } = await executor.query<{
        out_position: string;
        out_version: string;
        out_transaction_id: string;
      }>(
        mark && !options.transaction
          ? prepared(`WITH idempotency AS (${idempotencyMarkSql(mark, 4)}) ${append}`, [
              streamId,
              expected,
              docs,
              ...idempotencyMarkValues(mark),
            ])
          : prepared(append, [streamId, expected, docs]),
      );
      if (mark && options.transaction) {
        await executor.query(prepared(idempotencyMarkSql(mark), idempotencyMarkValues(mark)));
      }
      const appended = rows.map((r, i) => ({
        eventId: eventIds[i]!,
        streamVersion: Number(r.out_version),
        globalPosition: BigInt(r.out_position),
      }));
      const last = appended[appended.length - 1]!;
      recordCommitPosition(this.schema, {
        transactionId: BigInt(rows[rows.length - 1]!.out_transaction_id),
        globalPosition: last.globalPosition,
      });
      // Committed already unless the caller owns the transaction (it signals after its commit).
      if (!options.transaction) signalCommitted(this.schema);
      return { nextExpectedVersion: last.streamVersion, lastPosition: last.globalPosition, events: appended };
    } catch (e) {
      const err = e as { code?: string; detail?: string };
      if (err.code === 'EV409') {
        throw new StreamVersionConflict(streamId, String(options.expectedVersion), Number(err.detail ?? 0));
      }
      throw e;
    }
  }

  async readStreams(
    streamIds: string[],
    options: { transaction?: DbExecutor } = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    const out = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
    if (streamIds.length === 0) return out;
    const executor: DbExecutor = options.transaction ?? this.options.pool;
    const { rows } = await executor.query<ReadRow>({
      ...prepared(
        `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
        [[...new Set(streamIds)]],
      ),
      types: EVENT_READ_TYPES,
    });
    for (const e of await this.recorded(rows)) out.get(e.streamId)!.push(e);
    return out;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const executor: DbExecutor = options.transaction ?? this.options.pool;
    const { rows } = await executor.query<ReadRow>({
      ...prepared(
        `SELECT ${COLUMNS} FROM ${this.table}
          WHERE stream_id = $1 AND stream_version >= $2 AND stream_version <= $3
            AND ($4::timestamptz IS NULL OR recorded_at <= $4)
          ORDER BY stream_version`,
        [
          streamId,
          options.fromVersion ?? 1,
          options.toVersion ?? Number.MAX_SAFE_INTEGER,
          options.until ?? null,
        ],
      ),
      types: EVENT_READ_TYPES,
    });
    return this.recorded(rows);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? START;
    const limit = Math.max(1, Math.min(options.limit ?? 1000, 100_000));
    // Only below the oldest transaction of this database still running (the read horizon): anything
    // at or above it may yet gain events with lower positions, and a reader that passed them would
    // never see them. Evaluated once per statement (initplan), with this statement's snapshot.
    const { rows } = await this.options.pool.query<ReadRow>({
      ...prepared(
        `SELECT ${COLUMNS} FROM ${this.table}
          WHERE (transaction_id, global_position) > ($1::text::xid8, $2::bigint)
            AND transaction_id < (SELECT ${this.horizon})
          ORDER BY transaction_id, global_position
          LIMIT $3`,
        [after.transactionId.toString(), after.globalPosition.toString(), limit],
      ),
      types: EVENT_READ_TYPES,
    });
    const events = await this.recorded(rows);
    const last = events[events.length - 1];
    return {
      events,
      checkpoint: last ? { transactionId: last.transactionId, globalPosition: last.globalPosition } : after,
    };
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    return new PollingSubscription(this, { gatherMs: this.options.gatherMs, ...options });
  }

  async verifyStream(streamId: string): Promise<StreamVerification> {
    const { rows } = await this.options.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = $1 ORDER BY stream_version`,
      [streamId],
    );
    let previous: Buffer = ZERO_HASH;
    let expectedVersion = 1;
    for (const row of rows) {
      const version = Number(row.stream_version);
      const base = {
        streamVersion: version,
        eventId: row.event_id,
        globalPosition: BigInt(row.global_position),
      };
      if (version !== expectedVersion) {
        return {
          streamId,
          ok: false,
          eventsChecked: expectedVersion - 1,
          firstBroken: { ...base, reason: `version ${expectedVersion} is missing` },
        };
      }
      const canonical = canonicalEventDocument({
        eventId: row.event_id,
        type: row.event_type,
        schemaVersion: row.schema_version,
        data: row.data,
        metadata: row.metadata,
      });
      const recomputed = createHash('sha256')
        .update(previous)
        .update(eventHashInput(canonical, row.stream_id, version, row.recorded_at))
        .digest();
      if (!recomputed.equals(row.hash)) {
        return {
          streamId,
          ok: false,
          eventsChecked: version - 1,
          firstBroken: { ...base, reason: 'stored hash does not match the recomputed chain' },
        };
      }
      previous = row.hash;
      expectedVersion++;
    }
    return { streamId, ok: true, eventsChecked: rows.length };
  }

  async head(): Promise<Checkpoint> {
    // The text output has its own name: `ORDER BY transaction_id` would otherwise sort that text
    // ("1000" before "999") instead of the xid8 column.
    const { rows } = await this.options.pool.query<{ transaction_text: string; global_position: string }>(
      `SELECT transaction_id::text AS transaction_text, global_position FROM ${this.table}
        WHERE transaction_id < (SELECT ${this.horizon})
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    const r = rows[0];
    return r
      ? { transactionId: BigInt(r.transaction_text), globalPosition: BigInt(r.global_position) }
      : START;
  }

  async listStreams(options: { after?: string; limit?: number; prefix?: string } = {}): Promise<string[]> {
    const { rows } = await this.options.pool.query<{ stream_id: string }>(
      `SELECT stream_id FROM ${quoteIdent(this.schema)}.streams
        WHERE stream_id > $1 AND ($2::text IS NULL OR starts_with(stream_id, $2))
        ORDER BY stream_id LIMIT $3`,
      [options.after ?? '', options.prefix ?? null, Math.max(1, Math.min(options.limit ?? 1000, 10_000))],
    );
    return rows.map((r) => r.stream_id);
  }

  private expectedToSql(expected: AppendOptions['expectedVersion']): number {
    if (expected === 'any') return -1;
    if (expected === 'no_stream') return 0;
    if (!Number.isInteger(expected) || expected < 0) {
      throw new InvalidEventError(`expectedVersion must be 'any', 'no_stream' or a version >= 0`);
    }
    return expected;
  }

  private get personal(): PersonalDataProtection | null {
    const p =
      this.options.personalData === undefined
        ? (personalDataOf(this.options.pool) ?? null)
        : this.options.personalData;
    if (p && !this.sealedSchemaKnown) {
      rememberSealedSchema(this.schema, p);
      this.sealedSchemaKnown = true;
    }
    return p;
  }
  private sealedSchemaKnown = false;

  /** Rows as events, their personal values opened (one key lookup for the whole batch). */
  private async recorded(rows: ReadRow[]): Promise<RecordedEvent[]> {
    const personal = this.personal;
    if (!personal || rows.length === 0) return rows.map((r) => this.toRecorded(r, r.data));
    const opened = await personal.open(rows);
    return rows.map((r, n) => this.toRecorded(r, opened[n]));
  }

  private toRecorded(r: ReadRow, stored: unknown): RecordedEvent {
    const { schemaVersion, data } = this.upcasters.upcast(r.event_type, r.schema_version, stored);
    return {
      eventId: r.event_id,
      type: r.event_type,
      schemaVersion,
      data,
      metadata: r.metadata,
      streamId: r.stream_id,
      streamVersion: Number(r.stream_version),
      globalPosition: BigInt(r.global_position),
      transactionId: BigInt(r.transaction_id),
      recordedAt: r.recorded_at,
      hash: hexOf(r.hash),
    };
  }
}

/** Catch-up subscription by polling; a full batch is followed at once by the next read. */
class PollingSubscription implements Subscription {
  private current: Checkpoint;
  private stopped = false;
  /** A commit was signalled since the last poll began. */
  private signalled = false;
  private wake: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private readonly loop: Promise<void>;
  private resolveCaughtUp!: () => void;
  readonly caughtUp: Promise<void>;
  private readonly gatherMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly options: SubscribeOptions,
  ) {
    this.gatherMs = options.gatherMs ?? 0;
    this.current = options.after ?? START;
    this.caughtUp = new Promise((r) => (this.resolveCaughtUp = r));
    const gatherMs = this.gatherMs;
    this.unsubscribe = onCommitted(store.schema, () => {
      if (this.signalled) return; // a wake-up is already on its way
      this.signalled = true;
      // Waiting a moment lets the commits that follow join the same batch (one read, one transaction).
      if (gatherMs > 0) setTimeout(() => this.wake?.(), gatherMs);
      else this.wake?.();
    });
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
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    const idleMs = this.options.pollIntervalMs ?? 250;
    const maxIdleMs = Math.max(idleMs, this.options.maxIdleMs ?? idleMs * 4);
    const retryMs = Math.min(this.options.retryIntervalMs ?? 10, idleMs);
    const gatherMs = this.gatherMs;
    let attempt = 0;
    // Empty polls since the last wake-up: each waits twice as long, up to the idle interval.
    let misses = 0;
    // Fallback polls in a row that found nothing: each rests twice as long, up to maxIdleMs.
    let quiet = 0;
    while (!this.stopped) {
      const woken = this.signalled;
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
        // After a wake-up that found nothing (an older open transaction hides the commit), look again
        // soon, then less and less often; otherwise rest until the next signal or the fallback poll.
        if (events.length > 0) misses = 0;
        else if (woken) misses = 1;
        else if (misses > 0) misses++;
        quiet = events.length > 0 || woken || misses > 0 ? 0 : quiet + 1;
        if (this.signalled) {
          // Signalled meanwhile: look again now, or after the gathering moment.
          if (gatherMs > 0) await this.sleep(gatherMs);
          continue;
        }
        const idle = Math.min(idleMs * 2 ** Math.min(quiet, 10), maxIdleMs);
        const delay = misses === 0 ? idle : retryMs * 2 ** (misses - 1);
        if (delay >= idleMs) misses = 0;
        await this.sleep(Math.min(delay, idle));
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
