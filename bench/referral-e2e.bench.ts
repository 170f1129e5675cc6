// npm run bench -- referral-e2e [--quick] [--rates=20,100,300] [--seconds=60]
// Separate processes over real Kafka and PostgreSQL: intake opens and accepts cases with three needs
// at fixed rates; latency from intake's commit of each referral to the department's read model
// showing it received. p50/p95/p99 per rate, and whether the backlog stayed flat.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import os from 'node:os';
import {
  cpuShare,
  cpuSnapshot,
  databaseUrl,
  dropDatabase,
  environment,
  freshDatabase,
  option,
  percentile,
  printTable,
  quick,
  writeResult,
} from './lib.js';
import { caseBody, login, post, startApp, type Service } from './services.js';

const adminUrl = databaseUrl();
const rates = quick ? [5] : (option('rates')?.split(',').map(Number) ?? [20, 100, 300]);
const seconds = quick ? 2 : Number(option('seconds') ?? 60);
const departments = ['health', 'housing', 'education'];
const prefix = `bench_e2e_${Date.now().toString(36)}`;
let startedKafka = false;
if (!process.env.KAFKA_BROKERS) {
  if (spawnSync('bash', ['scripts/kafka.sh', 'start'], { stdio: 'inherit' }).status !== 0)
    throw new Error('no Kafka: set KAFKA_BROKERS or install Java and Maven');
  startedKafka = true;
}
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const url = await freshDatabase(adminUrl, prefix);
const env = {
  DATABASE_URL: url,
  DATABASE_SCHEMA_PREFIX: prefix,
  KAFKA_BROKERS: brokers,
  KAFKA_NAME_PREFIX: `${prefix}.`,
  KAFKA_TOPIC_PARTITIONS: '6',
  JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  // Runs (a soak) can outlast the 15-minute access token; clients here log in once.
  JWT_TTL_SECONDS: '28800',
  DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10',
};
const services: Service[] = [];
const pool = new pg.Pool({ connectionString: url, max: 4 });
try {
  services.push(await startApp('intake', env));
  for (const app of departments) services.push(await startApp(app, env));
  const intake = services[0]!.url;
  const token = await login(intake, 'shuanghe.window');
  const schema = (d: string) => `"${prefix}_${d}"`;
  const results = [];
  const cpu: Array<Record<string, number>> = [];
  const all: Record<string, number[]> = {};
  // A first, unmeasured round warms the broker and the services' JIT: a broker started a moment ago
  // spends a third of a core on its own start-up during the first minute.
  const rounds = [
    ...(quick ? [] : [{ rate: rates[0]!, seconds: 15, warmUp: true }]),
    ...rates.map((rate) => ({ rate, seconds, warmUp: false })),
  ];
  for (const { rate, seconds, warmUp } of rounds) {
    const issued = new Map<string, number>(); // referralId → intake commit time (ms)
    const seen = new Map<string, number>();
    // Referrals the generator has seen issued and no read model shows yet, by department. The poller
    // asks only for these, so watching costs what the backlog costs, not what the whole run wrote.
    const pending = new Map<string, Set<string>>(departments.map((d) => [d, new Set<string>()]));
    let failures = 0;
    const httpMs: number[] = []; // open + accept, as the window's client sees them
    let polling = true;
    const since = new Date();
    const cpuBefore = cpuSnapshot(services);
    // Watch the departments' read models every 10 ms (the resolution of the measurement).
    const poller = (async () => {
      while (polling) {
        const now = Date.now();
        for (const d of departments) {
          const ids = pending.get(d)!;
          if (ids.size === 0) continue;
          const { rows } = await pool.query(
            `SELECT referral_id FROM ${schema(d)}.referral_inbox WHERE referral_id = ANY($1::uuid[])`,
            [[...ids]],
          );
          for (const r of rows) {
            ids.delete(r.referral_id);
            if (!seen.has(r.referral_id)) seen.set(r.referral_id, now);
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const interval = 1000 / rate;
    const start = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; performance.now() - start < seconds * 1000; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(
        (async () => {
          const sent = performance.now();
          try {
            const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
            const opened = await post(
              `${intake}/cases`,
              caseBody(['medical', 'housing', 'education']),
              headers,
            );
            if (opened.status !== 201) return void failures++;
            const { caseId } = opened.json() as { caseId: string };
            const accepted = await post(`${intake}/cases/${caseId}/accept`, null, {
              authorization: `Bearer ${token}`,
            });
            if (accepted.status !== 200) return void failures++;
            const { referrals } = accepted.json() as {
              referrals: Array<{ referralId: string; department: string }>;
            };
            for (const r of referrals) pending.get(r.department)?.add(r.referralId);
            httpMs.push(performance.now() - sent);
          } catch {
            // Refused or timed out under overload: counted, not fatal.
            failures++;
          }
        })(),
      );
    }
    await Promise.all(inflight);
    const sentAt = Date.now();
    // Commit times of the referrals intake issued in this window.
    const { rows } = await pool.query(
      `SELECT data->>'referralId' AS id, recorded_at FROM ${schema('intake')}.events WHERE event_type = 'intake.ReferralIssued' AND recorded_at >= $1`,
      [since],
    );
    for (const r of rows) issued.set(r.id, new Date(r.recorded_at).getTime());
    // The rate intake actually committed at: under overload requests queue in front of it.
    const commitTimes = [...issued.values()];
    const committedRate =
      issued.size / 3 / Math.max(1, (Math.max(...commitTimes) - Math.min(...commitTimes)) / 1000);
    httpMs.sort((a, b) => a - b);
    const backlogAtEnd = [...issued.keys()].filter((id) => !seen.has(id)).length;
    const cpuLoad = cpuShare(cpuBefore, cpuSnapshot(services));
    const deadline = Date.now() + 60_000;
    while ([...issued.keys()].some((id) => !seen.has(id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    polling = false;
    await poller;
    const lat = [...issued]
      .filter(([id]) => seen.has(id))
      .map(([id, t]) => seen.get(id)! - t)
      .sort((a, b) => a - b);
    if (warmUp) continue;
    all[`${rate}`] = lat;
    results.push({
      'cases/s': rate,
      'committed cases/s': Math.round(committedRate),
      'http p99 ms': Math.round(percentile(httpMs, 99)),
      referrals: issued.size,
      delivered: lat.length,
      'p50 ms': percentile(lat, 50),
      'p95 ms': percentile(lat, 95),
      'p99 ms': percentile(lat, 99),
      'backlog at end': backlogAtEnd,
      'drain ms': Math.max(0, Math.max(...[...seen.values()]) - sentAt),
      'http failures': failures,
    });
    cpu.push({ 'cases/s': rate, ...cpuLoad });
  }
  printTable('CPU while sending (cores used, of ' + os.cpus().length + ')', cpu);
  printTable(
    `referral-e2e: intake commit → department read model (received), ${seconds} s per rate, 3 needs per case`,
    results,
  );
  writeResult('referral-e2e', {
    benchmark: 'referral-e2e',
    environment: await environment(pool),
    settings: { rates, seconds, warmUpSeconds: quick ? 0 : 15, partitions: 6, pollResolutionMs: 10 },
    results,
    cpu,
    latencies: all,
  });
} finally {
  await Promise.all(services.map((s) => s.stop()));
  await pool.end();
  await dropDatabase(adminUrl, prefix);
  if (startedKafka) spawnSync('bash', ['scripts/kafka.sh', 'stop'], { stdio: 'inherit' });
}
