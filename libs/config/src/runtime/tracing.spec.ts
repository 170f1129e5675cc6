import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, startOtlpReceiver, type OtlpReceiver } from '@platform/testing';
import {
  correlationIdOfTrace,
  currentCorrelationId,
  parseTraceparent,
  publishSpanIdOf,
  traceIdOfCorrelation,
} from './trace-scope.js';
import { Tracing } from './tracing.js';

const settings = (endpoint?: string, ratio = 1) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
  OTEL_SERVICE_NAME: undefined,
  OTEL_TRACES_SAMPLER_ARG: ratio,
  OTEL_BSP_SCHEDULE_DELAY: 50,
});

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('reads a valid header and refuses every malformed one', () => {
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-01`)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      sampled: true,
    });
    expect(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.sampled).toBe(false);
    // A later version may add fields; version 00 may not.
    expect(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)?.traceId).toBe(TRACE);
    for (const bad of [
      `00-${TRACE}-${SPAN}-01-extra`,
      `ff-${TRACE}-${SPAN}-01`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}`,
      `00-${TRACE}-${SPAN}-1`,
      `00-${TRACE}-${SPAN}-01\u0000`,
      '',
      'x'.repeat(600),
      undefined,
      ['00', TRACE],
    ])
      expect(parseTraceparent(bad)).toBeNull();
  });

  it('turns a trace id into a correlation id and back', () => {
    const correlation = correlationIdOfTrace(TRACE);
    expect(correlation).toBe('4bf92f35-77b3-4da6-a3ce-929d0e0e4736');
    expect(traceIdOfCorrelation(correlation)).toBe(TRACE);
    // Ids that are no hex (the policy seed's) still name a valid trace.
    expect(traceIdOfCorrelation('policy-seed-1700000000000')).toMatch(/^0{31}1$/);
    expect(traceIdOfCorrelation('0000')).toMatch(/^0{31}1$/);
    expect(publishSpanIdOf('0190f1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b')).toBe('9a0b1c2d3e4f5a6b');
  });
});

/** A server that runs the request through the tracing middleware, as bootstrap does, and reports what the handler saw. */
async function serve(tracing: Tracing, status = 201) {
  const seen: Array<string | undefined> = [];
  const http = tracing.httpMiddleware();
  const scope = tracing.scopeMiddleware();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    http(req, res, () =>
      scope(req, res, () => {
        // After an await, as in a command handler: the scope is still there.
        void Promise.resolve().then(() => {
          seen.push(currentCorrelationId());
          res.writeHead(status).end();
        });
      }),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const call = (headers: Record<string, string> = {}) =>
    new Promise<number>((resolve, reject) => {
      const r = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/cases?idNumber=secret', headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        },
      );
      r.on('error', reject);
      r.end();
    });
  return { seen, call, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('Tracing (a real OTLP/HTTP receiver)', () => {
  let receiver: OtlpReceiver;
  /** Waits until the receiver holds exactly this many spans (a wrong count fails with what it holds). */
  const received = (count: number, timeoutMs = 10_000) =>
    eventually(
      async () => {
        expect(receiver.spans.map((s) => s.name)).toHaveLength(count);
        return true;
      },
      { timeoutMs, what: `${count} spans` },
    );
  beforeEach(async () => {
    receiver = await startOtlpReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('records a request as a child of the caller, and its events take its trace as correlation id', async () => {
    const tracing = new Tracing(settings(receiver.endpoint), 'intake');
    const app = await serve(tracing);
    try {
      expect(await app.call({ traceparent: `00-${TRACE}-${SPAN}-01` })).toBe(201);
      expect(await app.call({ traceparent: 'garbage' })).toBe(201);
      await tracing.flush();
      await received(2);
      const [child, own] = receiver.spans;
      expect(child).toMatchObject({ service: 'intake', traceId: TRACE, parentSpanId: SPAN, kind: 2 });
      expect(child!.attributes).toMatchObject({
        'http.request.method': 'POST',
        'http.response.status_code': 201,
      });
      // A malformed traceparent is no parent: a new trace, never the caller's garbage.
      expect(own!.parentSpanId).toBeUndefined();
      expect(own!.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(app.seen).toEqual([correlationIdOfTrace(TRACE), correlationIdOfTrace(own!.traceId)]);
      // No path, no query string: the query may carry personal data.
      expect(JSON.stringify(receiver.spans)).not.toContain('secret');
    } finally {
      await app.close();
      await tracing.shutdown();
    }
  });

  it('links a consumer to the producer span whose traceparent the message carries', async () => {
    const intake = new Tracing(settings(receiver.endpoint), 'intake');
    const health = new Tracing(settings(receiver.endpoint), 'health');
    const message = {
      id: '0190f1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
      type: 'intake.ReferralIssued',
      source: 'intake',
      subject: 'case-1',
      topic: 'intake.events',
      correlationId: correlationIdOfTrace(TRACE),
    };
    const published = intake.publish(message);
    expect(published.traceparent).toBe(`00-${TRACE}-9a0b1c2d3e4f5a6b-01`);
    published.end();
    health.consume(
      { ...message, traceparent: published.traceparent },
      'health.referrals',
      'kafka',
    )('handled');
    // The event log carries no traceparent: the span still joins the correlation's trace.
    health.consume(message, 'oversight.ledger', 'event-log')('dead', 'handler: boom');
    await Promise.all([intake.flush(), health.flush()]);
    await received(3);
    const producer = receiver.spans.find((s) => s.kind === 4)!;
    const consumers = receiver.spans.filter((s) => s.kind === 5);
    expect(producer).toMatchObject({ service: 'intake', traceId: TRACE, spanId: '9a0b1c2d3e4f5a6b' });
    expect(producer.attributes['messaging.destination.name']).toBe('intake.events');
    expect(consumers[0]).toMatchObject({
      service: 'health',
      traceId: TRACE,
      parentSpanId: '9a0b1c2d3e4f5a6b',
    });
    expect(consumers[0]!.attributes).toMatchObject({
      'messaging.consumer.group.name': 'health.referrals',
      'sap.outcome': 'handled',
    });
    expect(consumers[1]).toMatchObject({ traceId: TRACE, status: { code: 2, message: 'handler: boom' } });
    expect(consumers[1]!.parentSpanId).toBeUndefined();
    await Promise.all([intake.shutdown(), health.shutdown()]);
  });

  it('keeps the traces the sampling ratio chose, and a sampled caller’s always', async () => {
    const tracing = new Tracing(settings(receiver.endpoint, 0), 'intake');
    const app = await serve(tracing);
    try {
      await app.call();
      await app.call({ traceparent: `00-${TRACE}-${SPAN}-01` });
      await app.call({ traceparent: `00-${TRACE}-${SPAN}-00` });
      await tracing.flush();
      await received(1);
      expect(receiver.spans[0]!.parentSpanId).toBe(SPAN);
      // Unrecorded requests still have a trace id for their events.
      expect(app.seen.every((c) => c && /^[0-9a-f-]{36}$/.test(c))).toBe(true);
    } finally {
      await app.close();
      await tracing.shutdown();
    }
  });

  it('keeps serving when the collector refuses or is gone, and retries a refused export', async () => {
    receiver.refuseNext(1);
    const tracing = new Tracing(settings(receiver.endpoint), 'intake');
    const app = await serve(tracing);
    const gone = new Tracing(settings('http://127.0.0.1:9'), 'intake');
    const other = await serve(gone);
    try {
      expect(await app.call()).toBe(201);
      expect(await other.call()).toBe(201);
      await Promise.all([tracing.flush(), gone.flush()]);
      await received(1, 20_000);
    } finally {
      await Promise.all([app.close(), other.close()]);
      await Promise.all([tracing.shutdown(), gone.shutdown()]);
    }
  }, 30_000);

  it('with no endpoint records nothing but still gives each request its trace, and messages their stable traceparent', async () => {
    const tracing = new Tracing(settings(undefined), 'intake');
    expect(tracing.enabled).toBe(false);
    const app = await serve(tracing);
    try {
      await app.call({ traceparent: `00-${TRACE}-${SPAN}-01` });
      await app.call();
      expect(app.seen[0]).toBe(correlationIdOfTrace(TRACE));
      expect(app.seen[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(app.seen[1]).not.toBe(app.seen[0]);
      expect(
        tracing.publish({
          id: '0190f1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b',
          type: 't',
          source: 's',
          subject: 'x',
          topic: 'intake.events',
          correlationId: correlationIdOfTrace(TRACE),
        }).traceparent,
      ).toBe(`00-${TRACE}-9a0b1c2d3e4f5a6b-01`);
      expect(currentCorrelationId()).toBeUndefined();
    } finally {
      await app.close();
    }
  });
});
