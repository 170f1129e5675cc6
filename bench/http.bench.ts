// npm run bench -- http [--quick]
// POST /cases and GET the health inbox under load with autocannon at 50 connections (apps/platform,
// event-log transport, the machine's PostgreSQL): requests/s and latency percentiles.
import autocannon from 'autocannon';
import pg from 'pg';
import { databaseUrl, environment, printTable, quick, writeResult } from './lib.js';
import { caseBody, login, startApp } from './services.js';

const url = databaseUrl();
const seconds = quick ? 2 : 20;
const prefix = `bench_http_${Date.now().toString(36)}`;
const app = await startApp('platform', {
  DATABASE_URL: url,
  DATABASE_SCHEMA_PREFIX: prefix,
  TRANSPORT: 'event-log',
  KAFKA_BROKERS: '',
  JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  DATABASE_POOL_SIZE: '20',
});
const pool = new pg.Pool({ connectionString: url, max: 2 });
try {
  const window = await login(app.url, 'shuanghe.window');
  const health = await login(app.url, 'linhe.health');
  // Something in the inbox: accepted cases with a medical need.
  for (let i = 0; i < (quick ? 20 : 200); i++) {
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
      autocannon({ ...opts, connections: 50, duration: seconds }, (err, res) =>
        err ? reject(err) : resolve(res),
      ),
    );
  const open = await run({
    url: `${app.url}/cases`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${window}` },
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, body: caseBody(['medical', 'housing', 'education']) }),
      },
    ],
  });
  const inbox = await run({
    url: `${app.url}/health/referrals?pageSize=20`,
    headers: { authorization: `Bearer ${health}` },
  });
  const row = (name: string, r: autocannon.Result) => ({
    request: name,
    'req/s': Math.round(r.requests.average),
    'p50 ms': r.latency.p50,
    'p90 ms': r.latency.p90,
    'p99 ms': r.latency.p99,
    '2xx': r['2xx'],
    errors: r.errors + r.non2xx,
  });
  const results = [row('POST /cases (3 needs)', open), row('GET /health/referrals', inbox)];
  printTable(`http, 50 connections, ${seconds} s each`, results);
  writeResult('http', {
    benchmark: 'http',
    environment: await environment(pool),
    settings: { seconds, connections: 50 },
    results,
  });
  if (open.non2xx > 0 || inbox.non2xx > 0) throw new Error('requests failed under load');
} finally {
  await app.stop();
  await pool.end();
}
