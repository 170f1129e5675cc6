import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  RandomIdGenerator,
  TraceIdRatioBasedSampler,
  TracerProvider,
  type IdGenerator,
} from '@opentelemetry/sdk-trace';
import {
  formatTraceparent,
  parseTraceparent,
  publishSpanIdOf,
  traceIdOfCorrelation,
  traceScope,
  type TraceScope,
} from './trace-scope.js';
import type { PlatformConfig } from '../config.schema.js';

/** What a span needs of an integration message (the messaging library's IntegrationMessage). */
export interface TracedMessage {
  id: string;
  type: string;
  source: string;
  subject: string;
  topic: string;
  correlationId: string;
  traceparent?: string;
}

/**
 * Ids the SDK draws from, except for the one span about to start when a caller chose them: a message's
 * span lives in the trace its correlation id names, and its publishing span has the id its traceparent
 * has always had (stable across re-sends). `startSpan` is synchronous, so the choice cannot leak.
 */
class ChosenIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  chosen: { traceId?: string; spanId?: string } | null = null;
  generateTraceId(): string {
    return this.chosen?.traceId ?? this.random.generateTraceId();
  }
  generateSpanId(): string {
    return this.chosen?.spanId ?? this.random.generateSpanId();
  }
}

type RequestWithTrace = IncomingMessage & {
  trace?: TraceScope;
  route?: { path?: string };
  baseUrl?: string;
  user?: { id?: string };
};

/**
 * OpenTelemetry traces (README, "Operations", "Traces"). One business transaction is one trace whose id
 * is the correlation id of its events: the request at the window (a server span, child of the caller's
 * `traceparent` when it sends a valid one), each publication to Kafka (a producer span whose
 * `traceparent` header the record carries) and each department's handling of it (a consumer span, child
 * of that producer span). Spans go to an OTLP/HTTP endpoint in batches; with none configured nothing is
 * recorded, but requests still get a trace id, which their events take as correlation id.
 *
 * Spans never carry personal data: routes are patterns (`/cases/:id`), never paths or query strings.
 */
export class Tracing {
  private readonly provider: TracerProvider | null;
  private readonly tracer: Tracer | null;
  private readonly ids = new ChosenIds();

  constructor(
    config: Pick<
      PlatformConfig,
      | 'OTEL_EXPORTER_OTLP_ENDPOINT'
      | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'
      | 'OTEL_SERVICE_NAME'
      | 'OTEL_TRACES_SAMPLER_ARG'
      | 'OTEL_BSP_SCHEDULE_DELAY'
    >,
    service: string,
  ) {
    const url =
      config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
      (config.OTEL_EXPORTER_OTLP_ENDPOINT &&
        `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`);
    if (!url) {
      this.provider = null;
      this.tracer = null;
      return;
    }
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({
        'service.name': config.OTEL_SERVICE_NAME ?? service,
        'service.namespace': 'social-assistance-platform',
        'service.instance.id': `${hostname()}:${process.pid}`,
      }),
      idGenerator: this.ids,
      sampler: new ParentBasedSampler({
        root: new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG ?? 1),
      }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url, timeoutMillis: 10_000 }),
          scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY ?? 5_000,
          // Spans beyond this wait are dropped (counted by the SDK), never the requests that made them.
          maxQueueSize: 4096,
        }),
      ],
    });
    this.tracer = this.provider.getTracer('social-assistance-platform');
  }

  get enabled(): boolean {
    return this.tracer !== null;
  }

  /**
   * First of the HTTP middleware: the request's span (or, with traces off, only its trace id), ended
   * when the answer is sent. The trace becomes the request's scope after the body is parsed
   * (`scopeMiddleware`): a body parser's stream events would lose a scope entered before it.
   */
  httpMiddleware() {
    return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
      const r = req as RequestWithTrace;
      const parent = parseTraceparent(req.headers.traceparent);
      if (!this.tracer) {
        r.trace = {
          traceId: parent?.traceId ?? newTraceId(),
          spanId: RANDOM.generateSpanId(),
        };
        return next();
      }
      const span = this.start(
        `${req.method ?? 'GET'}`,
        {
          kind: SpanKind.SERVER,
          attributes: { 'http.request.method': req.method ?? 'GET', 'network.protocol.name': 'http' },
        },
        parent,
        parent ? undefined : { traceId: newTraceId() },
      );
      const { traceId, spanId } = span.spanContext();
      r.trace = { traceId, spanId };
      res.once('finish', () => {
        const route = r.route?.path ? `${r.baseUrl ?? ''}${r.route.path}` : undefined;
        if (route) {
          span.updateName(`${req.method} ${route}`);
          span.setAttribute('http.route', route);
        }
        span.setAttribute('http.response.status_code', res.statusCode);
        if (r.user?.id) span.setAttribute('enduser.id', r.user.id);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      res.once('close', () => {
        if (!res.writableFinished && span.isRecording()) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'connection closed before the answer' });
          span.end();
        }
      });
      next();
    };
  }

  /** After the body parser: the rest of the request runs in its trace (events take its correlation id). */
  scopeMiddleware() {
    return (req: IncomingMessage, _res: ServerResponse, next: () => void): void => {
      const scope = (req as RequestWithTrace).trace;
      if (scope) traceScope.run(scope, next);
      else next();
    };
  }

  /** A consumer's handling of one message: child of the span that published it, in its correlation's trace. */
  consume(
    message: TracedMessage,
    group: string,
    transport: 'kafka' | 'event-log',
  ): (outcome: string, error?: string) => void {
    if (!this.tracer) return () => {};
    const parent = parseTraceparent(message.traceparent);
    const span = this.start(
      `process ${message.type}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': transport === 'kafka' ? 'kafka' : 'postgresql-event-log',
          'messaging.operation.type': 'process',
          'messaging.destination.name': message.topic,
          'messaging.consumer.group.name': group,
          'messaging.message.id': message.id,
          'cloudevents.event_id': message.id,
          'cloudevents.event_type': message.type,
          'cloudevents.event_source': message.source,
        },
      },
      parent,
      parent ? undefined : { traceId: traceIdOfCorrelation(message.correlationId) },
    );
    return (outcome, error) => {
      span.setAttribute('sap.outcome', outcome);
      if (outcome === 'dead' || outcome === 'interrupted')
        span.setStatus({ code: SpanStatusCode.ERROR, message: error?.slice(0, 500) });
      span.end();
    };
  }

  /** A message's publication: the first span of its trace outside the request, with its stable id. */
  publish(message: TracedMessage): { traceparent: string; end(error?: string): void } {
    const traceId = traceIdOfCorrelation(message.correlationId);
    const spanId = publishSpanIdOf(message.id);
    if (!this.tracer) return { traceparent: formatTraceparent(traceId, spanId), end: () => {} };
    const span = this.start(
      `send ${message.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': message.topic,
          'messaging.message.id': message.id,
          'cloudevents.event_id': message.id,
          'cloudevents.event_type': message.type,
        },
      },
      null,
      { traceId, spanId },
    );
    const context = span.spanContext();
    return {
      traceparent: formatTraceparent(
        context.traceId,
        context.spanId,
        (context.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED,
      ),
      end: (error) => {
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error.slice(0, 500) });
        span.end();
      },
    };
  }

  /** Sends what is buffered and stops (on close). */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown().catch(() => undefined);
  }

  /** Flushes buffered spans now (tests, the CLI). */
  async flush(): Promise<void> {
    await this.provider?.forceFlush().catch(() => undefined);
  }

  private start(
    name: string,
    options: { kind: SpanKind; attributes: Attributes },
    parent: { traceId: string; spanId: string; sampled: boolean } | null,
    chosen?: { traceId?: string; spanId?: string },
  ): Span {
    const context = parent
      ? trace.setSpanContext(ROOT_CONTEXT, {
          traceId: parent.traceId,
          spanId: parent.spanId,
          traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
          isRemote: true,
        })
      : ROOT_CONTEXT;
    this.ids.chosen = chosen ?? null;
    try {
      return this.tracer!.startSpan(name, options, context);
    } finally {
      this.ids.chosen = null;
    }
  }
}

const RANDOM = new RandomIdGenerator();

/** A new trace id: 48 bits of milliseconds, then 80 random bits (correlation ids stay in time order). */
function newTraceId(): string {
  return Date.now().toString(16).padStart(12, '0').slice(-12) + randomBytes(10).toString('hex');
}
