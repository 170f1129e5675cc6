import { requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, residentId, startService, type RunningService } from './harness.js';

/**
 * The edges an anonymous or careless request reaches first: a body nested or sized to hurt, a NUL byte,
 * a page number far past any list. Each gets a clear JSON error in Chinese, the platform stays responsive,
 * and nothing is recorded.
 */
describe('input at the edges', () => {
  let platform: RunningService;
  let window: Api;
  let viewer: Api;

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('edges'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '4',
    });
    const api = new Api(platform.url);
    window = api.as(await api.login('shuanghe.window'));
    viewer = api.as(await api.login('city.jointmeeting'));
  }, 150_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const post = (path: string, body: string, token?: string) =>
    fetch(`${platform.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));

  it('refuses a deeply nested body before parsing it, in Chinese, and stays responsive', async () => {
    const nested = `{"username":${'['.repeat(20_000)}${']'.repeat(20_000)},"password":"x"}`;
    const started = performance.now();
    const r = await post('/auth/login', nested);
    expect(r.status).toBe(400);
    expect(r.type).toContain('application/json');
    expect(JSON.parse(r.text)).toMatchObject({
      code: 'BODY_TOO_DEEP',
      message: expect.stringContaining('嵌套'),
    });
    const health = await fetch(`${platform.url}/health`);
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses a body over the size limit with 413, and malformed JSON with 400, both as JSON in Chinese', async () => {
    const big = await post('/auth/login', JSON.stringify({ username: 'x'.repeat(2_000_000), password: 'y' }));
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text)).toMatchObject({
      code: 'BODY_TOO_LARGE',
      message: expect.stringContaining('过大'),
    });
    const broken = await post('/auth/login', '{"username": "a",');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text)).toMatchObject({
      code: 'MALFORMED_JSON',
      message: expect.stringContaining('JSON'),
    });
  });

  it('refuses a NUL byte in any text and a page far past any list, and records nothing', async () => {
    const before = await window.ok<{ total: number }>('GET', '/cases?pageSize=1');
    const nul = await window.call('POST', '/cases', {
      channel: 'window',
      villageCode: '150802100201',
      household: [
        { name: '王\u0000明', idNumber: residentId('15080219800101011'), relationship: 'applicant' },
      ],
      needs: [{ category: 'medical', description: '住院' }],
      consentToShare: true,
    });
    expect(nul.status).toBe(422);
    expect(JSON.stringify(nul.body)).toContain('household.0.name');
    const page = await window.call('GET', '/cases?page=99999999999&pageSize=20');
    expect(page.status).toBe(422);
    expect(JSON.stringify(page.body)).toContain('page');
    expect((await window.ok<{ total: number }>('GET', '/cases?pageSize=1')).total).toBe(before.total);
  });

  it('reads a time typed without a zone as Beijing time, and refuses what is no time', async () => {
    const d = await viewer.ok<{ period: { from: string; to: string } }>(
      'GET',
      `/oversight/dashboard?from=${encodeURIComponent('2026-11-01 00:00:00')}&to=2026-12-01`,
    );
    expect(d.period).toEqual({ from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' });
    const zoned = await viewer.ok<{ period: { from: string } }>(
      'GET',
      '/oversight/dashboard?from=2026-11-01T00:00:00Z',
    );
    expect(zoned.period.from).toBe('2026-11-01T00:00:00.000Z');
    const bad = await viewer.call('GET', '/oversight/dashboard?from=yesterday');
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('from');
  });
});
