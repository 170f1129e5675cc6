import { requireDatabaseUrl, uniqueName } from '@platform/testing';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
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
  let windowToken: string;

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
    windowToken = await api.login('shuanghe.window');
    window = api.as(windowToken);
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

  describe('headers, caching, proxies and the API description', () => {
    const html = { accept: 'text/html,application/xhtml+xml' };

    it('sends the security headers on every answer, and no-store on the API', async () => {
      const asset = readdirSync('dist/web/assets').find((f) => f.endsWith('.js'));
      expect(asset).toBeDefined(); // npm run build builds apps/web
      const answers = {
        health: await fetch(`${platform.url}/health`),
        cases: await fetch(`${platform.url}/cases?pageSize=1`, {
          headers: { authorization: `Bearer ${windowToken}` },
        }),
        unauthorised: await fetch(`${platform.url}/cases`),
        tooDeep: await fetch(`${platform.url}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `${'['.repeat(100)}${']'.repeat(100)}`,
        }),
        ui: await fetch(`${platform.url}/`, { headers: html }),
        asset: await fetch(`${platform.url}/assets/${asset}`),
        docs: await fetch(`${platform.url}/docs`, { headers: html }),
      };
      expect(answers.cases.status).toBe(200);
      expect(answers.ui.headers.get('content-type')).toContain('text/html');
      for (const [what, r] of Object.entries(answers)) {
        const h = (name: string) => [what, name, r.headers.get(name)];
        expect(h('x-powered-by')).toEqual([what, 'x-powered-by', null]);
        expect(h('x-content-type-options')).toEqual([what, 'x-content-type-options', 'nosniff']);
        expect(h('x-frame-options')).toEqual([what, 'x-frame-options', 'DENY']);
        expect(h('referrer-policy')).toEqual([what, 'referrer-policy', 'no-referrer']);
        // Local http: no HSTS unless HSTS=true says the service is reached over HTTPS.
        expect(h('strict-transport-security')).toEqual([what, 'strict-transport-security', null]);
        const csp = r.headers.get('content-security-policy') ?? '';
        for (const directive of [
          "script-src 'self'",
          "style-src 'self' 'unsafe-inline'",
          "img-src 'self' data:",
          "connect-src 'self'",
          "frame-ancestors 'none'",
          "object-src 'none'",
        ]) {
          expect([what, csp.includes(directive)]).toEqual([what, true]);
        }
        const cache = r.headers.get('cache-control');
        if (what === 'asset') expect(cache).toBe('public, max-age=31536000, immutable');
        else if (what === 'ui') expect(cache).toBe('no-cache');
        else expect([what, cache?.includes('no-store')]).toEqual([what, true]);
      }
    });

    it('serves the API description at /docs in development', async () => {
      const docs = await fetch(`${platform.url}/docs`, { headers: html });
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger-ui');
      const json = await fetch(`${platform.url}/docs-json`);
      expect(json.status).toBe(200);
      expect(((await json.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty(
        '/public/progress',
      );
    });

    it('does not let a client name its own address: the per-address limit holds whatever X-Forwarded-For says', async () => {
      // No TRUST_PROXY: req.ip is the socket address, which the throttler keys on (30 a minute here).
      const statuses: number[] = [];
      for (let i = 1; i <= 31; i++) {
        const r = await fetch(`${platform.url}/public/progress?caseNumber=X&queryCode=Y`, {
          headers: { 'x-forwarded-for': `1.2.3.${i}` },
        });
        statuses.push(r.status);
        await r.arrayBuffer();
      }
      expect(statuses.slice(0, 30)).not.toContain(429);
      expect(statuses[30]).toBe(429);
    });

    it('renders the web UI and the Swagger page in Chromium under the policy, and the print button works', async () => {
      const executablePath = execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
      expect(existsSync(executablePath)).toBe(true);
      const browser = await chromium.launch({
        executablePath,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      try {
        const page = await browser.newPage({ locale: 'zh-CN' });
        const violations: string[] = [];
        page.on('console', (m) => {
          if (/Content Security Policy/i.test(m.text())) violations.push(`${page.url()}: ${m.text()}`);
        });
        await page.goto(`${platform.url}/login`);
        await page.getByLabel('用户名').fill('city.jointmeeting');
        await page.getByLabel('密码', { exact: true }).fill('Demo@2026');
        await page.getByRole('button', { name: /^登\s*录$/ }).click();
        await page.waitForURL(/\/workbench\//);
        await page.getByRole('heading', { name: '联席会议看板' }).waitFor();
        await page.waitForLoadState('networkidle');
        await page.goto(`${platform.url}/docs`);
        await page.locator('.swagger-ui .information-container .title').waitFor();
        await page.locator('.swagger-ui .opblock-summary-path').first().waitFor();
        expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(0);
        expect(violations).toEqual([]);

        // The printable documents' only script is their print button, allowed by its hash; no other inline
        // handler runs. The document is served here with the headers of a real answer of the platform.
        const csp = (await fetch(`${platform.url}/health`)).headers.get('content-security-policy')!;
        await page.route(`${platform.url}/print-check`, (route) =>
          route.fulfill({
            status: 200,
            headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp },
            body:
              '<!doctype html><button id="print" onclick="window.print()">打印</button>' +
              '<button id="other" onclick="document.title=\'pwned\'">x</button>',
          }),
        );
        // In the page `globalThis` is the browser's window (`window` here is the spec's API client).
        await page.addInitScript(() => {
          const w = globalThis as unknown as { printed: boolean; print: () => void };
          w.printed = false;
          w.print = () => (w.printed = true);
        });
        await page.goto(`${platform.url}/print-check`);
        await page.click('#print');
        await page.click('#other');
        expect(await page.evaluate(() => (globalThis as unknown as { printed: boolean }).printed)).toBe(true);
        expect(await page.title()).not.toBe('pwned');
        expect(violations.length).toBe(1);
      } finally {
        await browser.close();
      }
    }, 60_000);
  });
});
