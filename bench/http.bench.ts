// npm run bench -- http [--quick]
// POST /cases and GET the health inbox under load with autocannon at 50 connections (apps/platform,
// event-log transport, its own database): requests/s and latency percentiles. Beside it, alternating,
// the limit: node:http + pg with no framework (bench/bare-http.ts) serving the same inbox page, and a
// durable single-row INSERT of the same request body per POST. Last, /health's latency while a burst of
// 100 wrong logins from 51 addresses is hashed and refused (the login throttle keeps the event loop free).
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  cpuShare,
  cpuSnapshot,
  databaseUrl,
  dropDatabase,
  environment,
  freshDatabase,
  median,
  printTable,
  quick,
  writeResult,
} from './lib.js';
import { caseBody, login, startApp, startScript } from './services.js';

const adminUrl = databaseUrl();
const seconds = quick ? 1 : 20;
const repeats = quick ? 1 : 2;
const connections = 50;
const prefix = `bench_http_${Date.now().toString(36)}`;
const url = await freshDatabase(adminUrl, prefix);
const app = await startApp('platform', {
  DATABASE_URL: url,
  DATABASE_SCHEMA_PREFIX: prefix,
  TRANSPORT: 'event-log',
  KAFKA_BROKERS: '',
  JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  // Runs (a soak) can outlast the 15-minute access token; clients here log in once.
  JWT_TTL_SECONDS: '28800',
  DATABASE_POOL_SIZE: '20',
  TRUST_PROXY: 'loopback',
});
const bare = await startScript('bare-http', path.resolve('dist/bench/bare-http.js'), {
  DATABASE_URL: url,
  BARE_SCHEMA: `${prefix}_health`,
  BARE_TABLE: 'bare_cases',
});
const pool = new pg.Pool({ connectionString: url, max: 2 });
try {
  const window = await login(app.url, 'shuanghe.window');
  const health = await login(app.url, 'linhe.health');
  // Something in the inbox: accepted cases with a medical need.
  for (let i = 0; i < (quick ? 5 : 200); i++) {
    const r = await fetch(`${app.url}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${window}` },
      body: caseBody(['medical']),
    });
    const { caseId } = (await r.json()) as { caseId: string };
    await fetch(`${app.url}/cases/${caseId}/accept`, {
      method: 'POST',
      headers: { authorization: `Bearer ${window}` },
    });
  }
  const run = (opts: autocannon.Options) =>
    new Promise<autocannon.Result>((resolve, reject) =>
      autocannon({ ...opts, connections, duration: seconds }, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
  const open = (base: string, path: string) =>
    run({
      url: `${base}${path}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${window}` },
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({ ...req, body: caseBody(['medical', 'housing', 'education']) }),
        },
      ],
    });
  const inbox = (base: string, path: string) =>
    run({ url: `${base}${path}`, headers: { authorization: `Bearer ${health}` } });
  const contenders = {
    'POST /cases (3 needs)': {
      ours: () => open(app.url, '/cases'),
      limit: () => open(bare.url, '/cases'),
    },
    'GET /health/referrals': {
      ours: () => inbox(app.url, '/health/referrals?pageSize=20'),
      limit: () => inbox(bare.url, '/inbox'),
    },
  };
  // Each opened case goes on working inside the platform after its 201 (referrals received by three
  // departments, the ledger, read models). Start each run only when that has settled, so one run's
  // backlog is not charged to the next.
  // (--quick only checks the benchmark runs: its figures are not read, so it does not wait.)
  const settle = async () => {
    if (quick) return;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const before = cpuSnapshot([app]);
      await new Promise((r) => setTimeout(r, 1000));
      const busy = cpuShare(before, cpuSnapshot([app]))[app.name] ?? 0;
      if (busy < 0.05 || Date.now() > deadline) return;
    }
  };
  const samples: Array<Record<string, unknown>> = [];
  let failed = 0;
  for (let r = 0; r < repeats; r++) {
    for (const [request, c] of Object.entries(contenders)) {
      // Alternate which contender goes first, so drift in the machine does not favour one.
      const order = r % 2 === 0 ? (['ours', 'limit'] as const) : (['limit', 'ours'] as const);
      for (const who of order) {
        await settle();
        const res = await c[who]();
        failed += res.non2xx + res.errors;
        samples.push({
          request,
          who,
          repeat: r,
          rps: res.requests.average,
          p50: res.latency.p50,
          p90: res.latency.p90,
          p99: res.latency.p99,
          ok: res['2xx'],
          errors: res.errors + res.non2xx,
        });
      }
    }
  }
  const med = (request: string, who: string, k: string) =>
    median(samples.filter((s) => s.request === request && s.who === who).map((s) => s[k] as number));
  const results = Object.keys(contenders).map((request) => ({
    request,
    'req/s': Math.round(med(request, 'ours', 'rps')),
    'p50 ms': med(request, 'ours', 'p50'),
    'p90 ms': med(request, 'ours', 'p90'),
    'p99 ms': med(request, 'ours', 'p99'),
    'limit req/s': Math.round(med(request, 'limit', 'rps')),
    'limit p99 ms': med(request, 'limit', 'p99'),
    'ours/limit': med(request, 'ours', 'rps') / med(request, 'limit', 'rps'),
  }));
  // /health during login bursts: one address guessing 50 accounts at once, 50 addresses one each.
  const wrongLogin = (address: string, username: string) =>
    fetch(`${app.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ username, password: 'Wrong@2026' }),
    }).then(async (r) => {
      await r.arrayBuffer();
      return r.status;
    });
  const burstHealth: number[] = [];
  const burstTotal: number[] = [];
  for (let b = 0; b < (quick ? 1 : 5); b++) {
    await settle();
    const started = performance.now();
    const burst = [
      ...Array.from({ length: 50 }, (_, i) => wrongLogin(`203.0.113.${b + 1}`, `flood${b}-${i}`)),
      ...Array.from({ length: 50 }, (_, i) => wrongLogin(`10.${b}.0.${i + 1}`, `flood${b}-${i}`)),
    ];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await (await fetch(`${app.url}/health`)).arrayBuffer();
      burstHealth.push(performance.now() - t);
    }
    const statuses = await Promise.all(burst);
    burstTotal.push(performance.now() - started);
    failed += statuses.filter((s) => ![401, 429, 503].includes(s)).length;
  }
  const sorted = [...burstHealth].sort((a, b) => a - b);
  const loginBurst = {
    bursts: burstTotal.length,
    'health p50 ms': Math.round(median(burstHealth)),
    'health max ms': Math.round(sorted.at(-1)!),
    'burst answered ms': Math.round(median(burstTotal)),
  };
  samples.push({ request: 'login burst', health: burstHealth, burstMs: burstTotal });
  printTable(`http, ${connections} connections, ${seconds} s each, median of ${repeats}`, results);
  printTable('GET /health during a burst of 100 wrong logins (median of bursts)', [loginBurst]);
  writeResult('http', {
    benchmark: 'http',
    environment: await environment(pool),
    settings: { seconds, connections, repeats },
    samples,
    results,
    loginBurst,
  });
  if (failed > 0) throw new Error(`${failed} requests failed under load`);
} finally {
  await Promise.all([app.stop(), bare.stop()]);
  await pool.end();
  await dropDatabase(adminUrl, prefix);
}
