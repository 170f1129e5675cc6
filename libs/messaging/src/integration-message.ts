import { formatTraceparent, publishSpanIdOf, traceIdOfCorrelation } from '@platform/config';
import { prepared, quoteIdent, type Actor, type DbExecutor, type RecordedEvent } from '@platform/event-store';
import { cloudEventSourceOf, contractTopic, type ContractRegistry } from '@platform/contracts';
import type { z } from 'zod';

/** An integration event as it travels between departments: a CloudEvent with our extensions. */
export interface IntegrationMessage {
  /** ce_id: the source event's id, stable across redeliveries (the inbox key). */
  id: string;
  /** ce_type, e.g. `health.ReferralAccepted`. */
  type: string;
  /** ce_source: the publishing department. */
  source: string;
  /** ce_subject: the case id; also the Kafka key, so one case's events stay in order. */
  subject: string;
  /** ce_time: when it happened (the publisher's clock). */
  time: string;
  schemaVersion: number;
  data: unknown;
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  /** The publisher's stream and log position, kept for audit. */
  sourceStream: string;
  sourcePosition: string;
  /** The origin's proof: the event's version in its stream and its hash in the publisher's store (hex). */
  sourceVersion: number;
  sourceHash: string;
  /**
   * The previous public event (one with a contract) of the same stream, or null for the stream's first.
   * Internal events are never published, so consumers check the chain over published events only.
   */
  previousPublished: PublishedLink | null;
  recordedAt: string;
  topic: string;
  /** The span that published it (W3C `traceparent`), when it came over Kafka. */
  traceparent?: string;
  /** Where it was read from, when the transport has such a notion (Kafka). */
  partition?: number;
  offset?: string;
}

export interface PublishedLink {
  version: number;
  hash: string;
}

export interface MessageContext {
  /** The inbox transaction: write the handler's effects through it so they commit with the inbox row. */
  transaction: DbExecutor;
  /** Present when several messages are handled in this transaction (see BatchContext). */
  batch?: BatchContext;
}

/**
 * The messages handled together in one inbox transaction, in order, and a memo that lives as long as
 * that transaction attempt: a handler may read what all of them need in one query on the first
 * message and take its share on each (the attempt is rolled back and redone as a whole on failure).
 */
export interface BatchContext {
  messages: readonly IntegrationMessage[];
  memo: Map<string, unknown>;
}

/** `load` over the batch's messages, run by the first handler that asks and kept under `key` for the rest. */
export async function loadOncePerBatch<T>(
  batch: BatchContext,
  key: string,
  load: (messages: readonly IntegrationMessage[]) => Promise<T>,
): Promise<T> {
  if (batch.memo.has(key)) return batch.memo.get(key) as T;
  const value = await load(batch.messages);
  batch.memo.set(key, value);
  return value;
}

export type MessageHandler = (message: IntegrationMessage, context: MessageContext) => Promise<void>;

/**
 * A handler throws this to refuse a message outright (e.g. it contradicts what the consumer knows):
 * it is dead-lettered at once with reason `refused`, without retries.
 */
export class MessageRefusedError extends Error {
  readonly code = 'MESSAGE_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'MessageRefusedError';
  }
}

export function toIntegrationMessage(
  event: RecordedEvent,
  contracts: ContractRegistry,
  previousPublished: PublishedLink | null,
): IntegrationMessage {
  const contract = contracts.get(event.type);
  if (!contract) throw new Error(`${event.type} is not a public integration event`);
  return {
    id: event.eventId,
    type: event.type,
    source: cloudEventSourceOf(contract.department),
    subject: contract.subject(event.data as Record<string, unknown>),
    time: event.metadata.occurredAt,
    schemaVersion: event.schemaVersion,
    data: publicPayload(contract.schema, event.data),
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId ?? null,
    actor: event.metadata.actor,
    sourceStream: event.streamId,
    sourcePosition: event.globalPosition.toString(),
    sourceVersion: event.streamVersion,
    sourceHash: event.hash,
    previousPublished,
    recordedAt: event.recordedAt.toISOString(),
    topic: contractTopic(contract),
  };
}

/**
 * Messages for a batch of one store's events in order, each linked to the previous public event of
 * its stream (see `publishedLinks`). Events without a contract are left out.
 */
export async function toLinkedMessages(
  db: DbExecutor,
  schema: string,
  events: readonly RecordedEvent[],
  contracts: ContractRegistry,
): Promise<IntegrationMessage[]> {
  const links = await publishedLinks(db, schema, events, contracts);
  return events
    .filter((e) => contracts.isPublic(e.type))
    .map((e) => toIntegrationMessage(e, contracts, links.get(e.eventId) ?? null));
}

/**
 * Per public event of the batch (by event id), the previous public event of its stream **on the same
 * topic**: a stream may publish on several topics (a dibao application's milestones on
 * `civil-affairs.events`, its household's category on `civil-affairs.recipients`), and a consumer sees
 * only its topics, so each topic carries its own chain. One query per topic for the streams in the batch
 * (their latest public event on that topic before the batch's first one), then chained within the batch.
 * A consumer group keeps one chain head per source stream, so it reads a stream from one topic.
 */
export async function publishedLinks(
  db: DbExecutor,
  schema: string,
  events: readonly RecordedEvent[],
  contracts: ContractRegistry,
): Promise<Map<string, PublishedLink | null>> {
  const topicOf = (type: string) => contractTopic(contracts.get(type)!);
  const keyOf = (e: RecordedEvent) => `${topicOf(e.type)}\n${e.streamId}`;
  const published = events.filter((e) => contracts.isPublic(e.type));
  const firstOf = new Map<string, { topic: string; streamId: string; first: number }>();
  for (const e of published) {
    const key = keyOf(e);
    const known = firstOf.get(key);
    if (!known || e.streamVersion < known.first) {
      firstOf.set(key, { topic: topicOf(e.type), streamId: e.streamId, first: e.streamVersion });
    }
  }
  // A stream whose first event is in the batch has nothing before it to look up.
  const lookups = [...firstOf.values()].filter((l) => l.first > 1);
  const last = new Map<string, PublishedLink>();
  for (const topic of new Set(lookups.map((l) => l.topic))) {
    const here = lookups.filter((l) => l.topic === topic);
    const types = contracts
      .list()
      .filter((c) => contractTopic(c) === topic)
      .map((c) => c.type);
    const { rows } = await db.query<{ stream_id: string; stream_version: string; hash: string }>(
      prepared(
        `SELECT k.stream_id, p.stream_version, encode(p.hash, 'hex') AS hash
           FROM unnest($1::text[], $2::bigint[]) AS k(stream_id, before)
           CROSS JOIN LATERAL (
             SELECT e.stream_version, e.hash FROM ${quoteIdent(schema)}.events e
              WHERE e.stream_id = k.stream_id AND e.stream_version < k.before AND e.event_type = ANY($3::text[])
              ORDER BY e.stream_version DESC LIMIT 1) p`,
        [here.map((l) => l.streamId), here.map((l) => l.first), types],
      ),
    );
    for (const r of rows) {
      last.set(`${topic}\n${r.stream_id}`, { version: Number(r.stream_version), hash: r.hash });
    }
  }
  // Each stream's events in version order, whatever order the log shows them in.
  const previousOf = new Map<string, PublishedLink | null>();
  for (const e of [...published].sort((a, b) => a.streamVersion - b.streamVersion)) {
    const key = keyOf(e);
    previousOf.set(e.eventId, last.get(key) ?? null);
    last.set(key, { version: e.streamVersion, hash: e.hash });
  }
  return previousOf;
}

/** W3C traceparent whose trace id is the correlation id: one trace per business transaction. */
export function traceparentOf(correlationId: string, messageId: string): string {
  return formatTraceparent(traceIdOfCorrelation(correlationId), publishSpanIdOf(messageId));
}

/**
 * What leaves the service is what the contract names: unknown (internal, personal) fields are
 * stripped. Data that fails its own contract is passed on as the contract's keys only, so consumers
 * dead-letter it rather than the relay stalling on it.
 */
function publicPayload(schema: z.ZodType, data: unknown): unknown {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  if (shape && data && typeof data === 'object') {
    return Object.fromEntries(Object.entries(data as Record<string, unknown>).filter(([k]) => k in shape));
  }
  return data;
}
