import { requireDatabaseUrl, uniqueName } from '@platform/testing';
import { startService, type RunningService } from './harness.js';

/**
 * Password guessing is limited per address across all accounts, per (address, account), and per account
 * across addresses (slowed, never locked); password hashing is bounded, so a login flood gets 429/503
 * quickly and the rest of the platform stays responsive. TRUST_PROXY=loopback lets the test name the
 * client's address with X-Forwarded-For (the test talks to the platform over loopback, as a proxy would).
 */
describe('login throttling', () => {
  let platform: RunningService;

  const prefix = uniqueName('loginlimits');
  let second: RunningService | null = null;

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '4',
      TRUST_PROXY: 'loopback',
    });
  }, 150_000);

  afterAll(async () => {
    await Promise.all([platform?.stop(), second?.stop()]);
  });

  const login = async (address: string, username: string, password: string, url = platform.url) => {
    const r = await fetch(`${url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ username, password }),
    });
    const text = await r.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // not JSON: the status says enough
    }
    return { status: r.status, retryAfter: r.headers.get('retry-after'), body };
  };

  it('refuses an address after 30 failures spread over many accounts; another address still logs in to them', async () => {
    const attacker = '203.0.113.10';
    const statuses: number[] = [];
    // A few guesses at a named officer, then one guess at each of many other accounts.
    for (let i = 0; i < 5; i++) statuses.push((await login(attacker, 'linhe.health', `guess-${i}`)).status);
    for (let i = 0; i < 25; i++) statuses.push((await login(attacker, `user${i}`, 'Wrong@2026')).status);
    expect(statuses).toEqual(Array(30).fill(401));

    const refused = await login(attacker, 'shuanghe.window', 'Wrong@2026');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      code: 'LOGIN_RATE_LIMITED',
      message: expect.stringMatching(/登录失败次数过多/),
    });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused.retryAfter)).toBeLessThanOrEqual(600);
    // Even the right password: the address is out of guesses for now.
    expect((await login(attacker, 'linhe.health', 'Demo@2026')).status).toBe(429);

    // Someone at another address logs in to the account the attacker failed on.
    const elsewhere = await login('198.51.100.20', 'linhe.health', 'Demo@2026');
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body).toHaveProperty('accessToken');
  });

  it('ten wrong passwords from one office lock that officer out at that office only', async () => {
    const office = '203.0.113.30';
    for (let i = 0; i < 10; i++)
      expect((await login(office, 'chezhan.window', `guess-${i}`)).status).toBe(401);
    const locked = await login(office, 'chezhan.window', 'Demo@2026');
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'LOGIN_RATE_LIMITED' });
    expect(locked.retryAfter).toMatch(/^\d+$/);
    // The same office still reaches its other accounts; the officer logs in from elsewhere.
    expect((await login(office, 'shuanghe.window', 'Demo@2026')).status).toBe(200);
    expect((await login('198.51.100.31', 'chezhan.window', 'Demo@2026')).status).toBe(200);
  });

  it('a burst of wrong passwords sent at once to two instances checks ten in all, then both refuse', async () => {
    // A second instance of the service on the same database, behind the same proxy.
    second = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '4',
      TRUST_PROXY: 'loopback',
    });
    const office = '203.0.113.70';
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(office, 'shuanghe.window', `guess-${i}`, i % 2 ? second!.url : platform.url),
      ),
    );
    const statuses = answers.map((a) => a.status);
    // Each instance alone would have checked ten: the budget is one across the instances.
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(20);
    for (const url of [platform.url, second.url])
      expect((await login(office, 'shuanghe.window', 'Demo@2026', url)).status).toBe(429);
    // The officer from another address, on either instance.
    expect((await login('198.51.100.71', 'shuanghe.window', 'Demo@2026', second.url)).status).toBe(200);
  }, 150_000);

  it('keeps answering /health during a burst of parallel wrong logins, which get 429 or 503, never 500', async () => {
    let burstDone = false;
    const burst = [
      // 50 at once from one address: at most 30 are even checked.
      ...Array.from({ length: 50 }, (_, i) => login('203.0.113.50', `flood${i}`, 'Wrong@2026')),
      // 50 at once from 50 addresses: past the hashing queue they get 503 LOGIN_BUSY.
      ...Array.from({ length: 50 }, (_, i) => login(`192.0.2.${i + 1}`, `flood${i}`, 'Wrong@2026')),
    ];
    // Whether each /health answer came while the burst was still being answered.
    const healthDuringBurst: boolean[] = [];
    const probing = (async () => {
      for (let i = 0; i < 5; i++) {
        const h = await fetch(`${platform.url}/health`);
        await h.arrayBuffer();
        expect(h.status).toBe(200);
        healthDuringBurst.push(!burstDone);
      }
    })();
    const answers = await Promise.all(burst);
    burstDone = true;
    await probing;

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => ![401, 429, 503].includes(s))).toEqual([]);
    expect(statuses.slice(0, 50).filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    // 80 checks at once are more than the hashes running plus the queue: the rest are refused at once.
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    for (const a of answers.filter((x) => x.status === 503)) {
      expect(a.body).toMatchObject({ code: 'LOGIN_BUSY', message: expect.stringContaining('登录请求过多') });
      expect(a.retryAfter).toBe('1');
    }
    // Hashing runs off the event loop: /health answers while the hashes are still running. A starved loop
    // would answer it only after the whole burst. (How fast, on a quiet machine: `npm run bench -- http`.)
    expect(healthDuringBurst[0]).toBe(true);
  }, 120_000);
});
