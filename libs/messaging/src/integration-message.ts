import type { Actor, DbExecutor, RecordedEvent } from '@platform/event-store';
import { cloudEventSourceOf, topicOf, type ContractRegistry } from '@platform/contracts';
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
  recordedAt: string;
  topic: string;
  /** Where it was read from, when the transport has such a notion (Kafka). */
  partition?: number;
  offset?: string;
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

export function toIntegrationMessage(event: RecordedEvent, contracts: ContractRegistry): IntegrationMessage {
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
    recordedAt: event.recordedAt.toISOString(),
    topic: topicOf(contract.department),
  };
}

/** W3C traceparent whose trace id is the correlation id: one trace per business transaction. */
export function traceparentOf(correlationId: string, spanSeed: string): string {
  const trace = correlationId.replace(/-/g, '').toLowerCase().padEnd(32, '0').slice(0, 32);
  const span = spanSeed.replace(/-/g, '').toLowerCase().slice(-16).padStart(16, '0');
  return `00-${/^[0-9a-f]{32}$/.test(trace) ? trace : '0'.repeat(31) + '1'}-${/^[0-9a-f]{16}$/.test(span) ? span : '0'.repeat(15) + '1'}-01`;
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
