import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from '@platform/event-store';
import type { IntegrationMessage } from '../integration-message.js';
import { traceparentOf } from '../integration-message.js';

type KafkaHeaders = Record<string, string>;

/** CloudEvents 1.0 Kafka protocol binding, binary content mode: attributes in `ce_*` headers, data in the value. */
export function toKafkaRecord(
  m: IntegrationMessage,
  /** The publishing span, when traces are on; otherwise the one its correlation and id determine. */
  traceparent: string = traceparentOf(m.correlationId, m.id),
): { key: string; value: string; headers: KafkaHeaders } {
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
      // The origin's proof; ce_previousversion 0 (and no ce_previoushash): the stream's first published event.
      ce_sourceversion: String(m.sourceVersion),
      ce_sourcehash: m.sourceHash,
      ce_previousversion: String(m.previousPublished?.version ?? 0),
      ...(m.previousPublished ? { ce_previoushash: m.previousPublished.hash } : {}),
      traceparent,
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
  const proof = proofOf(h);
  const traceparent = headerText(h, 'traceparent');
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
    sourceStream: proof.sourceStream,
    sourcePosition: headerText(h, 'ce_sourceposition') ?? '',
    sourceVersion: proof.sourceVersion,
    sourceHash: proof.sourceHash,
    previousPublished: proof.previousPublished,
    recordedAt: headerText(h, 'ce_recordedat') ?? headerText(h, 'ce_time')!,
    topic: record.topic,
    ...(traceparent ? { traceparent } : {}),
    partition: record.partition,
    offset: record.offset,
  };
}

const HASH = /^[0-9a-f]{64}$/;

/** The origin's proof headers; a record without them cannot be checked, so it is malformed. */
function proofOf(
  h: Record<string, unknown> | undefined,
): Pick<IntegrationMessage, 'sourceStream' | 'sourceVersion' | 'sourceHash' | 'previousPublished'> {
  const names = ['ce_sourcestream', 'ce_sourceversion', 'ce_sourcehash', 'ce_previousversion'];
  const missing = names.filter((k) => !headerText(h, k));
  if (missing.length) throw new MalformedMessageError(`missing proof headers: ${missing.join(', ')}`);
  const sourceVersion = Number(headerText(h, 'ce_sourceversion'));
  const previousVersion = Number(headerText(h, 'ce_previousversion'));
  const sourceHash = headerText(h, 'ce_sourcehash')!;
  const previousHash = headerText(h, 'ce_previoushash');
  if (!Number.isInteger(sourceVersion) || sourceVersion < 1) {
    throw new MalformedMessageError('ce_sourceversion is not a positive integer');
  }
  if (!Number.isInteger(previousVersion) || previousVersion < 0 || previousVersion >= sourceVersion) {
    throw new MalformedMessageError('ce_previousversion is not a version before ce_sourceversion');
  }
  if (!HASH.test(sourceHash)) throw new MalformedMessageError('ce_sourcehash is not a hex sha256');
  if (previousVersion > 0 && !HASH.test(previousHash ?? '')) {
    throw new MalformedMessageError('ce_previoushash is missing or not a hex sha256');
  }
  return {
    sourceStream: headerText(h, 'ce_sourcestream')!,
    sourceVersion,
    sourceHash,
    previousPublished: previousVersion > 0 ? { version: previousVersion, hash: previousHash! } : null,
  };
}
