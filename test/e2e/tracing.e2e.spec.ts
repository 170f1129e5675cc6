import {
  eventually,
  requireDatabaseUrl,
  requireKafkaBrokers,
  startOtlpReceiver,
  uniqueName,
  type OtlpReceiver,
  type ReceivedSpan,
} from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

/**
 * One business transaction is one trace: a window's request that accepts a case, intake's publication
 * of the referral to Kafka and health's handling of it arrive at a real OTLP/HTTP receiver under one
 * trace id — the caller's, when it sent a `traceparent` — with the consumer's span a child of the
 * producer's (intake and health as their own processes over real Kafka).
 */
describe('traces across the window and a department (real Kafka, OTLP/HTTP)', () => {
  const prefix = uniqueName('traces');
  let receiver: OtlpReceiver;
  let intake: RunningService;
  let health: RunningService;
  let window: Api;
  let token: string;
  let person = 0;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const env = {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      KAFKA_BROKERS: requireKafkaBrokers().join(','),
      KAFKA_NAME_PREFIX: `${prefix}.`,
      KAFKA_TOPIC_PARTITIONS: '3',
      DATABASE_POOL_SIZE: '4',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    intake = await startService('intake', env);
    health = await startService('health', env);
    token = await new Api(intake.url).login('shuanghe.window');
    window = new Api(intake.url).as(token);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([health?.stop(), intake?.stop()]);
    await receiver?.close();
  });

  /** Opens a case with one medical need and accepts it, the accept sent with these headers. */
  const openAndAccept = async (headers: Record<string, string>) => {
    const opened = await window.ok<{ caseId: string }>(
      'POST',
      '/cases',
      {
        channel: 'window',
        villageCode: '150802100201',
        household: [
          {
            name: '追踪测试',
            idNumber: residentId(`15080219800712${String(++person).padStart(3, '0')}`),
            relationship: 'applicant',
          },
        ],
        needs: [{ category: 'medical', description: '住院费用' }],
        consentToShare: true,
      },
      201,
    );
    const res = await fetch(`${intake.url}/cases/${opened.caseId}/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
    expect(res.status).toBe(200);
    return opened.caseId;
  };

  const spansOf = (traceId: string) => receiver.spans.filter((s) => s.traceId === traceId);

  /** Waits until the trace holds the window's request, intake's publication and health's handling. */
  const wholeTrace = (traceId: string) =>
    eventually(
      async () => {
        const spans = spansOf(traceId);
        const request = spans.find((s) => s.kind === 2 && s.name === 'POST /cases/:id/accept');
        const published = spans.find(
          (s) =>
            s.kind === 4 &&
            s.service === 'intake' &&
            s.attributes['cloudevents.event_type'] === 'intake.ReferralIssued',
        );
        const handled = spans.find(
          (s) =>
            s.kind === 5 &&
            s.service === 'health' &&
            s.attributes['cloudevents.event_type'] === 'intake.ReferralIssued' &&
            s.attributes['sap.outcome'] === 'handled',
        );
        return request && published && handled ? { request, published, handled } : undefined;
      },
      {
        timeoutMs: 60_000,
        what: `intake's request and publication and health's handling in trace ${traceId}`,
      },
    );

  it("continues the caller's trace through intake, Kafka and health", async () => {
    const traceId = 'a3ce929d0e0e47364bf92f3577b34da6';
    const callerSpan = '00f067aa0ba902b7';
    await openAndAccept({ traceparent: `00-${traceId}-${callerSpan}-01` });
    const { request, published, handled }: Record<string, ReceivedSpan> = await wholeTrace(traceId);
    expect(request).toMatchObject({ service: 'intake', parentSpanId: callerSpan });
    expect(request.attributes).toMatchObject({
      'http.route': '/cases/:id/accept',
      'http.response.status_code': 200,
    });
    expect(published.attributes['messaging.destination.name']).toBe('intake.events');
    // The department's handling hangs under the publication whose traceparent the Kafka record carried.
    expect(handled.parentSpanId).toBe(published.spanId);
    expect(handled.attributes['messaging.consumer.group.name']).toMatch(/health/);
  }, 90_000);

  it('starts a trace of its own for a caller without one (or with a malformed one)', async () => {
    const before = new Set(receiver.spans.map((s) => s.traceId));
    await openAndAccept({ traceparent: '00-not-a-trace-01' });
    const request = await eventually(
      async () =>
        receiver.spans.find(
          (s) => s.name === 'POST /cases/:id/accept' && !before.has(s.traceId) && s.service === 'intake',
        ),
      { timeoutMs: 30_000, what: 'the accept request span' },
    );
    expect(request.parentSpanId).toBeUndefined();
    await wholeTrace(request.traceId);
    // Nothing a person typed reaches the collector: no names, no ID numbers, no query strings.
    const everything = JSON.stringify(receiver.spans);
    expect(everything).not.toContain('追踪测试');
    expect(everything).not.toContain('150802198007');
  }, 90_000);
});
