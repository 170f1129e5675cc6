import { createHash } from 'node:crypto';
import type { JSONType, Position } from '@kurrent/kurrentdb-client';
import { InvalidEventError } from '../errors.js';
import type { Checkpoint, EventMetadata, NewEvent, StreamVerification } from '../event-store.port.js';
import { canonicalEventDocument, eventHashInput } from '../postgres/postgres-event-store.js';
import { UUID_PATTERN } from '../uuidv7.js';

/**
 * What the KurrentDB adapter writes and reads, without a connection: stream names, checkpoints, the
 * metadata envelope and the hash chain. The hash input is the PostgreSQL adapter's (`eventHashInput` over
 * `canonicalEventDocument`), so both adapters chain the same event to the same hash.
 */

export const ZERO_HASH: Buffer = Buffer.alloc(32);

/** Same rule as a PostgreSQL schema name: no `-`, so `<schema>-` cannot be another store's prefix. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

export function streamPrefix(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new InvalidEventError(
      `schema "${schema}" must match ${SCHEMA_NAME} (it prefixes KurrentDB streams)`,
    );
  }
  return `${schema}-`;
}

/** KurrentDB's $all position as our checkpoint: commit position first, prepare position second. */
export function checkpointOf(position: Position): Checkpoint {
  return { transactionId: position.commit, globalPosition: position.prepare };
}

export function positionOf(checkpoint: Checkpoint): Position {
  return { commit: checkpoint.transactionId, prepare: checkpoint.globalPosition };
}

export function isStart(checkpoint: Checkpoint): boolean {
  return checkpoint.transactionId === 0n && checkpoint.globalPosition === 0n;
}

/** Strictly after, in $all order (commit, then prepare). */
export function isAfter(position: Position, checkpoint: Checkpoint): boolean {
  return (
    position.commit > checkpoint.transactionId ||
    (position.commit === checkpoint.transactionId && position.prepare > checkpoint.globalPosition)
  );
}

/**
 * The KurrentDB event metadata this adapter writes. `metadata` is the port's EventMetadata; the rest is
 * what PostgreSQL keeps in columns. `$correlationId`/`$causationId` are KurrentDB's own conventions (its
 * `$by_correlation_id` projection reads them); they are copies, outside the hash.
 */
export type KurrentDbEnvelope = {
  metadata: EventMetadata;
  schemaVersion: number;
  /** Milliseconds since the epoch: the instant in the hash input, and `RecordedEvent.recordedAt`. */
  recordedAt: number;
  /** Hex sha256 chaining this event to the previous event of its stream. */
  hash: string;
  $correlationId?: string;
  $causationId?: string;
};

/** One event as this adapter stored it, decoded from KurrentDB, before upcasting. */
export interface StoredEvent {
  streamId: string;
  streamVersion: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: EventMetadata;
  recordedAt: Date;
  hash: string;
  position: Position;
}

/** The parts of a KurrentDB recorded event that decoding needs (a subset of the client's RecordedEvent). */
export interface KurrentRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** Either way with the port's stream id and version, so that listing and verifying can name it. */
export type Decoded = { streamId: string; streamVersion: number } & (
  | { ok: true; event: StoredEvent }
  | { ok: false; eventId: string; position: Position | undefined; reason: string }
);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/** Reads an event back; anything this adapter did not write (no envelope, binary data) is reported, not guessed. */
export function decodeRecord(record: KurrentRecord, prefix: string): Decoded {
  const streamVersion = Number(record.revision) + 1;
  const eventId = record.id.toLowerCase();
  const streamId = record.streamId.startsWith(prefix)
    ? record.streamId.slice(prefix.length)
    : record.streamId;
  const fail = (reason: string): Decoded => ({
    ok: false,
    streamId,
    streamVersion,
    eventId,
    position: record.position,
    reason: `${record.streamId}@${record.revision}: ${reason}`,
  });
  if (!record.streamId.startsWith(prefix)) return fail(`stream is outside this store's prefix "${prefix}"`);
  if (!record.isJson) return fail('not a JSON event: not written by this adapter');
  if (!record.position) return fail('KurrentDB returned the event without its $all position');
  const env = record.metadata;
  if (
    !isRecord(env) ||
    !isRecord(env.metadata) ||
    typeof env.schemaVersion !== 'number' ||
    !Number.isInteger(env.schemaVersion) ||
    typeof env.recordedAt !== 'number' ||
    !Number.isFinite(env.recordedAt) ||
    typeof env.hash !== 'string' ||
    !/^[0-9a-f]{64}$/.test(env.hash)
  ) {
    return fail('metadata has no hash envelope: not written by this adapter');
  }
  return {
    ok: true,
    streamId,
    streamVersion,
    event: {
      streamId,
      streamVersion,
      eventId,
      type: record.type,
      schemaVersion: env.schemaVersion,
      data: record.data,
      metadata: env.metadata as EventMetadata,
      recordedAt: new Date(env.recordedAt),
      hash: env.hash,
      position: record.position,
    },
  };
}

export function chainHash(previous: Buffer, canonical: string, streamId: string, version: number, at: Date) {
  return createHash('sha256')
    .update(previous)
    .update(eventHashInput(canonical, streamId, version, at))
    .digest();
}

/** The previous event of the stream, as far as an append needs it. */
export interface StreamTail {
  streamVersion: number;
  hash: string;
  recordedAt: Date;
}

export interface PreparedEvent {
  eventId: string;
  type: string;
  /** The canonical values: what a JSON round trip gives back, so what is hashed is what is stored. */
  data: JSONType;
  envelope: KurrentDbEnvelope;
  streamVersion: number;
}

/**
 * Validates events as the PostgreSQL adapter does, and computes their versions and chained hashes after
 * `tail` (null: a new stream). Every event of one append gets the same recorded instant, never earlier
 * than the tail's, so `readStream({ until })` sees a stream's history in version order.
 */
export function prepareAppend(
  streamId: string,
  events: NewEvent[],
  eventIds: string[],
  tail: StreamTail | null,
  nowMs: number,
): PreparedEvent[] {
  const recordedAtMs = Math.max(Math.floor(nowMs), tail ? tail.recordedAt.getTime() : 0);
  const recordedAt = new Date(recordedAtMs);
  let previous = tail ? Buffer.from(tail.hash, 'hex') : ZERO_HASH;
  let version = tail?.streamVersion ?? 0;
  return events.map((e, i) => {
    if (!e.type) throw new InvalidEventError('event type is required');
    if (e.type.startsWith('$'))
      throw new InvalidEventError(`event ${e.type}: types starting with $ are KurrentDB's`);
    if (!e.metadata?.actor?.id) throw new InvalidEventError(`event ${e.type}: metadata.actor is required`);
    const eventId = eventIds[i]!;
    if (!UUID_PATTERN.test(eventId)) throw new InvalidEventError(`event ${e.type}: eventId must be a UUID`);
    const schemaVersion = e.schemaVersion ?? 1;
    let canonical: string;
    try {
      canonical = canonicalEventDocument({
        eventId,
        type: e.type,
        schemaVersion,
        data: e.data ?? null,
        metadata: e.metadata,
      });
    } catch (err) {
      throw new InvalidEventError(`event ${e.type}: ${(err as Error).message}`);
    }
    version += 1;
    const hash = chainHash(previous, canonical, streamId, version, recordedAt);
    previous = hash;
    const stored = JSON.parse(canonical) as { data: unknown; metadata: EventMetadata };
    const envelope: KurrentDbEnvelope = {
      metadata: stored.metadata,
      schemaVersion,
      recordedAt: recordedAtMs,
      hash: hash.toString('hex'),
      $correlationId: stored.metadata.correlationId,
      ...(stored.metadata.causationId ? { $causationId: stored.metadata.causationId } : {}),
    };
    return {
      eventId,
      type: e.type,
      // The client JSON.stringifies the data of an application/json event, so null, numbers and booleans
      // travel like objects; its type names only objects, arrays and strings.
      data: stored.data as JSONType,
      envelope,
      streamVersion: version,
    };
  });
}

/**
 * Recomputes a stream's chain from its decoded events in version order, exactly as the PostgreSQL
 * adapter's verifyStream does, and names the first event that does not check out.
 */
export function verifyChain(streamId: string, records: Decoded[]): StreamVerification {
  let previous = ZERO_HASH;
  let expectedVersion = 1;
  for (const r of records) {
    const base = r.ok
      ? {
          streamVersion: r.event.streamVersion,
          eventId: r.event.eventId,
          globalPosition: r.event.position.prepare,
        }
      : { streamVersion: r.streamVersion, eventId: r.eventId, globalPosition: r.position?.prepare ?? 0n };
    if (base.streamVersion !== expectedVersion) {
      return {
        streamId,
        ok: false,
        eventsChecked: expectedVersion - 1,
        firstBroken: { ...base, reason: `version ${expectedVersion} is missing` },
      };
    }
    if (!r.ok) {
      return {
        streamId,
        ok: false,
        eventsChecked: expectedVersion - 1,
        firstBroken: { ...base, reason: r.reason },
      };
    }
    const e = r.event;
    let canonical: string;
    try {
      canonical = canonicalEventDocument(e);
    } catch (err) {
      return {
        streamId,
        ok: false,
        eventsChecked: expectedVersion - 1,
        firstBroken: { ...base, reason: `cannot be hashed: ${(err as Error).message}` },
      };
    }
    const stored = Buffer.from(e.hash, 'hex');
    if (!chainHash(previous, canonical, streamId, e.streamVersion, e.recordedAt).equals(stored)) {
      return {
        streamId,
        ok: false,
        eventsChecked: expectedVersion - 1,
        firstBroken: { ...base, reason: 'stored hash does not match the recomputed chain' },
      };
    }
    previous = stored;
    expectedVersion++;
  }
  return { streamId, ok: true, eventsChecked: records.length };
}
