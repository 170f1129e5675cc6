import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The trace a request belongs to (W3C Trace Context). Its trace id is the correlation id of every event
 * the request appends (README, "Operations", "Traces"), so one business transaction is one trace: the
 * request at the window, the relay's publish and each department's handling of it. Set by the HTTP layer
 * around the handler; read when event metadata is built.
 */
export interface TraceScope {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** The request's own span: 16 lowercase hex digits. */
  spanId: string;
}

export const traceScope = new AsyncLocalStorage<TraceScope>();

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/** A trace id written as a UUID (8-4-4-4-12), the shape correlation ids have always had. */
export function correlationIdOfTrace(traceId: string): string {
  return `${traceId.slice(0, 8)}-${traceId.slice(8, 12)}-${traceId.slice(12, 16)}-${traceId.slice(16, 20)}-${traceId.slice(20)}`;
}

/**
 * The trace id a correlation id stands for: its hex digits (a UUID's 32), padded or cut to 32. Ids that
 * are not hex (the policy seed's, older events') get a fixed valid id rather than an invalid one.
 */
export function traceIdOfCorrelation(correlationId: string): string {
  const hex = correlationId.replace(/-/g, '').toLowerCase().padEnd(32, '0').slice(0, 32);
  return TRACE_ID.test(hex) && !/^0+$/.test(hex) ? hex : '0'.repeat(31) + '1';
}

/**
 * The span id under which a message is published: the last 16 hex digits of its event id, so a re-sent
 * message carries the same `traceparent` as its first sending.
 */
export function publishSpanIdOf(messageId: string): string {
  const span = messageId.replace(/-/g, '').toLowerCase().slice(-16).padStart(16, '0');
  return SPAN_ID.test(span) && !/^0+$/.test(span) ? span : '0'.repeat(15) + '1';
}

/** The correlation id of whatever the current request appends; undefined outside a request. */
export function currentCorrelationId(): string | undefined {
  const scope = traceScope.getStore();
  return scope ? correlationIdOfTrace(scope.traceId) : undefined;
}

export interface TraceParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/**
 * Reads a `traceparent` header (version 00 and later versions' first four fields, as the W3C
 * recommendation asks). Anything malformed, or an all-zero id, is no parent at all: the request starts
 * its own trace.
 */
export function parseTraceparent(header: unknown): TraceParent | null {
  if (typeof header !== 'string' || header.length > 512) return null;
  const [version, traceId, spanId, flags, ...rest] = header.trim().split('-');
  if (!version || !/^[0-9a-f]{2}$/.test(version) || version === 'ff') return null;
  if (version === '00' && rest.length > 0) return null;
  if (!traceId || !TRACE_ID.test(traceId) || /^0+$/.test(traceId)) return null;
  if (!spanId || !SPAN_ID.test(spanId) || /^0+$/.test(spanId)) return null;
  if (!flags || !/^[0-9a-f]{2}$/.test(flags)) return null;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

export function formatTraceparent(traceId: string, spanId: string, sampled = true): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}
