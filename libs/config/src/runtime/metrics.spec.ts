import { MetricsRegistry } from './metrics.js';

describe('MetricsRegistry', () => {
  it('gathers one metric from several sources when scraped, leaving out a failing one', async () => {
    const m = new MetricsRegistry('platform');
    let appended = 3;
    m.scraped('counter', 'sap_events_appended_total', 'events', ['department'], async () => [
      { labels: { department: 'intake' }, value: appended },
    ]);
    m.scraped('counter', 'sap_events_appended_total', 'events', ['department'], async () => [
      { labels: { department: 'health' }, value: 7 },
    ]);
    m.scraped('counter', 'sap_events_appended_total', 'events', ['department'], () =>
      Promise.reject(new Error('schema gone')),
    );
    let { body } = await m.render();
    expect(body).toContain('sap_events_appended_total{department="intake",service="platform"} 3');
    expect(body).toContain('sap_events_appended_total{department="health",service="platform"} 7');
    appended = 5; // read again at the next scrape, not accumulated
    ({ body } = await m.render());
    expect(body).toContain('sap_events_appended_total{department="intake",service="platform"} 5');
    expect(body).toContain('# TYPE sap_events_appended_total counter');
    expect(body).toContain('process_resident_memory_bytes');
  });

  it('labels HTTP requests with the matched route pattern, never the raw path', async () => {
    const m = new MetricsRegistry('intake');
    const middleware = m.httpMiddleware();
    const finish = (req: object, status: number) => {
      const listeners: Array<() => void> = [];
      const res = { statusCode: status, once: (_e: string, f: () => void) => listeners.push(f) };
      middleware(req as never, res as never, () => undefined);
      listeners.forEach((f) => f());
    };
    finish(
      { method: 'GET', url: '/cases/0193a0f1-aaaa-7bbb-8ccc-123456789abc', route: { path: '/cases/:id' } },
      200,
    );
    finish({ method: 'GET', url: '/no/such/150802198001011234' }, 404);
    const { body } = await m.render();
    const counts = body.split('\n').filter((l) => l.startsWith('http_request_duration_seconds_count{'));
    expect(counts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^(?=.*route="\/cases\/:id")(?=.*status="200")(?=.*service="intake").* 1$/),
        expect.stringMatching(/^(?=.*route="unmatched")(?=.*status="404").* 1$/),
      ]),
    );
    expect(body).not.toContain('0193a0f1');
    expect(body).not.toContain('150802198001011234');
  });
});
