// npm run bench -- resume [--quick] [--rounds=N] [--outage=SECONDS]
// How soon delivery resumes after a crash (docs/reliability.md): intake and health as their own processes
// over a Kafka broker of this benchmark's own (scripts/kafka.sh on spare ports). Each round sends one
// referral while the part is down and measures, from the moment the part is back, until the referral is
// in health's inbox:
//   consumer  kill -9 of health, started again at once
//   broker    kill -9 of the broker, started again at once
//   outage    the broker stopped for --outage seconds (default 30; 5 with --quick), then started
// It also counts the calls that failed meanwhile (the window keeps opening cases while a part is down).
import { ownBroker } from './broker.js';
import {
  databaseUrl,
  dropDatabase,
  environment,
  freshDatabase,
  median,
  option,
  printTable,
  quick,
  writeResult,
} from './lib.js';
import { login, nextResidentId, startApp } from './services.js';
import pg from 'pg';

const rounds = Number(option('rounds') ?? (quick ? 1 : 3));
const outageSeconds = Number(option('outage') ?? (quick ? 5 : 30));
const adminUrl = databaseUrl();
const prefix = `bench_resume_${Date.now().toString(36)}`;
const broker = await ownBroker(prefix);
broker.start();
const url = await freshDatabase(adminUrl, prefix);
const env = {
  DATABASE_URL: url,
  DATABASE_SCHEMA_PREFIX: prefix,
  JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  // Runs (a soak) can outlast the 15-minute access token; clients here log in once.
  JWT_TTL_SECONDS: '28800',
  KAFKA_BROKERS: broker.address,
  KAFKA_TOPIC_PARTITIONS: '3',
  DATABASE_POOL_SIZE: '5',
};
const intake = await startApp('intake', env);
let health = await startApp('health', env);
const pool = new pg.Pool({ connectionString: url, max: 2 });

const window = await login(intake.url, 'shuanghe.window');

/** Opens and accepts a one-need case at the window; the health referral's id, or null when a call failed. */
async function refer(): Promise<string | null> {
  const call = (path: string, body: unknown) =>
    fetch(`${intake.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${window}` },
      body: JSON.stringify(body),
    });
  const opened = await call('/cases', {
    channel: 'window',
    villageCode: '150802100201',
    household: [{ name: '恢复测试', idNumber: nextResidentId(), relationship: 'applicant' }],
    needs: [{ category: 'medical', description: '住院费用' }],
    consentToShare: true,
  });
  if (opened.status !== 201) return null;
  const { caseId } = (await opened.json()) as { caseId: string };
  const accepted = await call(`/cases/${caseId}/accept`, {});
  if (accepted.status !== 200) return null;
  const view = (await accepted.json()) as { referrals: Array<{ referralId: string; department: string }> };
  return view.referrals.find((r) => r.department === 'health')!.referralId;
}

/** Milliseconds from `since` until health's own table has the referral (its inbox read model). */
async function deliveredAfter(referralId: string, since: number): Promise<number> {
  const table = `"${prefix}_health".referral_inbox`;
  for (;;) {
    const { rows } = await pool.query(`SELECT 1 FROM ${table} WHERE referral_id = $1`, [referralId]);
    if (rows.length > 0) return performance.now() - since;
    if (performance.now() - since > 180_000) throw new Error(`referral ${referralId} not delivered in 180 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Keeps the window working while a part is down: how many calls failed. */
function keepWorking(): { stop: () => Promise<{ calls: number; failed: number }> } {
  let running = true;
  let calls = 0;
  let failed = 0;
  const loop = (async () => {
    while (running) {
      calls++;
      if ((await refer().catch(() => null)) === null) failed++;
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { calls, failed };
    },
  };
}

const rows: Array<Record<string, unknown>> = [];
try {
  // Warm: the first referral goes through before anything is measured.
  const warm = await refer();
  await deliveredAfter(warm!, performance.now());

  for (let round = 1; round <= rounds; round++) {
    // consumer: kill -9 of health, started again at once.
    {
      const work = keepWorking();
      process.kill(health.pid!, 'SIGKILL');
      const sent = await refer();
      const started = performance.now();
      health = await startApp('health', env);
      const ready = performance.now() - started;
      const delivered = await deliveredAfter(sent!, started);
      const { calls, failed } = await work.stop();
      rows.push({
        round,
        fault: 'consumer kill -9',
        'restart → /ready ms': Math.round(ready),
        'restart → delivered ms': Math.round(delivered),
        calls,
        failed,
      });
    }
    // broker: kill -9 of the broker, started again at once.
    {
      const work = keepWorking();
      broker.kill();
      const sent = await refer();
      const t0 = performance.now();
      broker.start();
      const back = performance.now();
      const delivered = await deliveredAfter(sent!, back);
      const { calls, failed } = await work.stop();
      rows.push({
        round,
        fault: 'broker kill -9',
        'restart → /ready ms': Math.round(back - t0),
        'restart → delivered ms': Math.round(delivered),
        calls,
        failed,
      });
    }
    // outage: the broker away for a while (kafka.sh stop is a clean stop).
    {
      const work = keepWorking();
      broker.stop();
      const sent = await refer();
      await new Promise((r) => setTimeout(r, outageSeconds * 1000));
      const t0 = performance.now();
      broker.start();
      const back = performance.now();
      const delivered = await deliveredAfter(sent!, back);
      const { calls, failed } = await work.stop();
      rows.push({
        round,
        fault: `broker away ${outageSeconds} s`,
        'restart → /ready ms': Math.round(back - t0),
        'restart → delivered ms': Math.round(delivered),
        calls,
        failed,
      });
    }
  }
  printTable('delivery after each fault (from the moment the part is back)', rows);
  const summary = ['consumer kill -9', 'broker kill -9', `broker away ${outageSeconds} s`].map((fault) => {
    const of = rows.filter((r) => r.fault === fault);
    return {
      fault,
      rounds: of.length,
      'median ms': median(of.map((r) => r['restart → delivered ms'] as number)),
      'max ms': Math.max(...of.map((r) => r['restart → delivered ms'] as number)),
      'failed calls': of.reduce((a, r) => a + (r.failed as number), 0),
      calls: of.reduce((a, r) => a + (r.calls as number), 0),
    };
  });
  printTable('summary', summary);
  writeResult('resume', { environment: await environment(pool), rounds, outageSeconds, rows, summary });
} finally {
  await pool.end();
  await Promise.allSettled([health.stop(), intake.stop()]);
  broker.remove();
  await dropDatabase(adminUrl, prefix);
}
