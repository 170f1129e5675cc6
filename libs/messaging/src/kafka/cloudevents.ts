import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '@platform/event-store';
import type { IntegrationMessage } from '../integration-message.js';
import { traceparentOf } from '../integration-message.js';

type KafkaHeaders = Record<string, string>;

/** CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes in `ce_*` headers, data in the value. */
export function toKafkaRecord(m: IntegrationMessage): { key: string; value: string; headers: KafkaHeaders } {
  return {
    key: m.subject,
    value: JSON.stringify(m.data),
    headers: {
      ce_specversion: '1.0',
      ce_id: m.id,
      ce_type: m.type,
      ce_source: m.source,
      ce_time: m.time,
      ce_subject: m.subject,
      'content-type': 'application/json; charset=utf-8',
      ce_schemaversion: String(m.schemaVersion),
      ce_correlationid: m.correlationId,
      ...(m.causationId ? { ce_causationid: m.causationId } : {}),
      ce_actor: JSON.stringify(m.actor),
      ce_sourcestream: m.sourceStream,
      ce_sourceposition: m.sourcePosition,
      ce_recordedat: m.recordedAt,
      traceparent: traceparentOf(m.correlationId, m.id),
    },
  };
}

export class MalformedMessageError extends Error {
  readonly code = 'MALFORMED_MESSAGE';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

function headerText(
  headers: IncomingHttpHeaders | Record<string, unknown> | undefined,
  name: string,
): string | undefined {
  const v = headers?.[name];
  if (v === undefined || v === null) return undefined;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (Array.isArray(v)) return headerText({ [name]: v[0] }, name);
  return String(v);
}

/** Parses a consumed record back into a message; throws MalformedMessageError naming what is wrong. */
export function fromKafkaRecord(record: {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, unknown>;
}): IntegrationMessage {
  const h = record.headers;
  const required = ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'ce_subject'];
  const missing = required.filter((k) => !headerText(h, k));
  if (missing.length) throw new MalformedMessageError(`missing CloudEvents headers: ${missing.join(', ')}`);
  if (headerText(h, 'ce_specversion') !== '1.0') {
    throw new MalformedMessageError(`unsupported ce_specversion ${headerText(h, 'ce_specversion')}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(record.value?.toString('utf8') ?? 'null');
  } catch (e) {
    throw new MalformedMessageError(`value is not JSON: ${(e as Error).message}`);
  }
  let actor: Actor;
  try {
    actor = JSON.parse(headerText(h, 'ce_actor') ?? 'null') as Actor;
  } catch {
    throw new MalformedMessageError('ce_actor is not JSON');
  }
  if (!actor || typeof actor !== 'object' || !actor.id)
    throw new MalformedMessageError('ce_actor is missing');
  const schemaVersion = Number(headerText(h, 'ce_schemaversion') ?? '1');
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1) {
    throw new MalformedMessageError('ce_schemaversion is not a positive integer');
  }
  return {
    id: headerText(h, 'ce_id')!,
    type: headerText(h, 'ce_type')!,
    source: headerText(h, 'ce_source')!,
    subject: headerText(h, 'ce_subject')!,
    time: headerText(h, 'ce_time')!,
    schemaVersion,
    data,
    correlationId: headerText(h, 'ce_correlationid') ?? headerText(h, 'ce_id')!,
    causationId: headerText(h, 'ce_causationid') ?? null,
    actor,
    sourceStream: headerText(h, 'ce_sourcestream') ?? '',
    sourcePosition: headerText(h, 'ce_sourceposition') ?? '',
    recordedAt: headerText(h, 'ce_recordedat') ?? headerText(h, 'ce_time')!,
    topic: record.topic,
    partition: record.partition,
    offset: record.offset,
  };
}
