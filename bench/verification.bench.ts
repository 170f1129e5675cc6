// npm run bench -- verification [--quick] [--parts=platform,kafka] [--rate=10] [--seconds=60]
// Household economic verification (家庭经济状况核对) across departments, open loop: the township window
// starts `rate` verifications a second (POST /civil-affairs/verifications with the household's
// authorisation, three members each) for `seconds`; each is complete when every department on the
// platform (civil affairs, health, housing, education) has answered. Latency of each verification: from
// the moment its POST was sent to the recording of the last of the four answers in civil affairs' log
// (the events' `recorded_at`, the database clock of this machine, taken at the append just before the
// commit that makes the report show it). Two setups, each on its own database:
//  platform — apps/platform alone, event-log transport (target p99 ≤ 500 ms);
//  kafka    — intake, civil affairs, health, housing, education as separate processes over a Kafka broker
//             (KAFKA_BROKERS, or the broker scripts/kafka.sh starts; target p99 ≤ 2 s).
// The registers are seeded (straight into the read-model tables) so that the answers have content: health
// has entries for half the people, housing a rental subsidy for a third of the households, education a
// waived term for half the children.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { schemaOf, VERIFYING_DEPARTMENTS } from '@platform/contracts';
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
import {
  createPersons,
  householdsOf,
  schemaWith,
  seedEducationRegister,
  seedHealthRegister,
  seedHousingRegister,
} from './registers.js';
import { login, post, startApp, type Service } from './services.js';

const JINBU = '150802100201';
const rate = Number(option('rate') ?? 10);
const seconds = Number(option('seconds') ?? (quick ? 3 : 60));
// Unmeasured first: a broker or service started a moment ago is still warming up (JIT, connections, fetches).
const warmUp = quick ? 3 : 150;
const parts = option('parts')?.split(',') ?? ['platform', 'kafka'];
const departments = [...VERIFYING_DEPARTMENTS] as string[];
const total = Math.ceil(rate * seconds) + warmUp;
/** Households in the registers: the verified ones and as many again that are never asked about. */
const households = Math.max(quick ? 100 : 2_000, 2 * total);
const adminUrl = databaseUrl();
const stamp = Date.now().toString(36);
const load = () => Math.round(os.loadavg()[0]! * 100) / 100;
const beijingToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const results: Record<string, unknown> = {
  benchmark: 'verification',
  settings: { rate, seconds, warmUp, parts, households, membersPerHousehold: 3, departments },
};
const cleanups: Array<() => Promise<void>> = [];
async function cleanup() {
  while (cleanups.length > 0) await cleanups.pop()!().catch((e: Error) => console.error(e.message));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`bench verification: ${signal}; writing what was measured, stopping services`);
    writeResult('verification', { ...results, interrupted: signal });
    process.on('uncaughtException', () => undefined);
    process.on('unhandledRejection', () => undefined);
    void cleanup().finally(() => process.exit(1));
  });
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    'p50 ms': Math.round(percentile(sorted, 50)),
    'p95 ms': Math.round(percentile(sorted, 95)),
    'p99 ms': Math.round(percentile(sorted, 99)),
    'max ms': Math.round(sorted.at(-1) ?? Number.NaN),
  };
};

interface Tracked {
  sentAt: number; // wall clock (ms) when the POST was sent
  httpMs: number;
  openedAt?: number;
  answers: Map<string, number>; // department → recorded_at (ms) of its first answer
  completeAt?: number;
  measured: boolean;
}

let kafkaStarted = false;
let kafkaBrokers = process.env.KAFKA_BROKERS ?? '';
function kafka(): string {
  if (kafkaBrokers) return kafkaBrokers;
  // scripts/kafka.sh honours KAFKA_PORT, KAFKA_CONTROLLER_PORT and KAFKA_STATE_DIR from the environment.
  if (spawnSync('bash', ['scripts/kafka.sh', 'start'], { stdio: 'inherit' }).status !== 0)
    throw new Error('no Kafka: set KAFKA_BROKERS or install Java and Maven');
  kafkaStarted = true;
  cleanups.unshift(async () => {
    spawnSync('bash', ['scripts/kafka.sh', 'stop'], { stdio: 'inherit' });
  });
  kafkaBrokers = `127.0.0.1:${process.env.KAFKA_PORT ?? '9092'}`;
  return kafkaBrokers;
}

/** The broker scripts/kafka.sh started for KAFKA_STATE_DIR (its pid file), when there is one. */
function brokerProcess(): Array<{ name: string; pid: number }> {
  // Only a broker this run started, or one named by KAFKA_STATE_DIR (the default one may be another's).
  if (!kafkaStarted && !process.env.KAFKA_STATE_DIR) return [];
  try {
    const dir = process.env.KAFKA_STATE_DIR ?? path.resolve('.data/kafka');
    const pid = Number(readFileSync(path.join(dir, 'broker.pid'), 'utf8').trim());
    return pid > 0 ? [{ name: 'kafka (this run)', pid }] : [];
  } catch {
    return [];
  }
}

async function setup(name: 'platform' | 'kafka') {
  const prefix = `bench_verify_${name}_${stamp}`;
  const url = await freshDatabase(adminUrl, prefix);
  cleanups.push(() => dropDatabase(adminUrl, prefix));
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  cleanups.push(() => pool.end());
  const common = {
    DATABASE_URL: url,
    DATABASE_SCHEMA_PREFIX: prefix,
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    // Runs (a soak) can outlast the 15-minute access token; clients here log in once.
    JWT_TTL_SECONDS: '28800',
    DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10',
  };
  const services: Service[] = [];
  cleanups.push(async () => {
    await Promise.all(services.map((s) => s.stop()));
  });
  let civil: string;
  if (name === 'platform') {
    services.push(await startApp('platform', { ...common, TRANSPORT: 'event-log', KAFKA_BROKERS: '' }));
    civil = services[0]!.url;
  } else {
    const env = {
      ...common,
      KAFKA_BROKERS: kafka(),
      KAFKA_NAME_PREFIX: `${prefix}.`,
      KAFKA_TOPIC_PARTITIONS: '6',
    };
    // Intake first: it creates the identity schema and its topics (as the e2e specs do).
    services.push(await startApp('intake', env));
    // The others side by side; each one that started is stopped at the end even if another did not start.
    const started = await Promise.allSettled(
      ['civil-affairs', ...departments.slice(1)].map(async (app) => services.push(await startApp(app, env))),
    );
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    civil = services.find((s) => s.name === 'civil-affairs')!.url;
  }

  // Seed the registers.
  const seedStarted = performance.now();
  const schemas = {
    civil: await schemaWith(pool, prefix, 'verifications'),
    health: await schemaWith(pool, prefix, 'health_assistance_register'),
    housing: await schemaWith(pool, prefix, 'housing_register_entries'),
    education: await schemaWith(pool, prefix, 'education_register_entries'),
  };
  const fixtures = `${prefix}_bench`;
  await createPersons(pool, fixtures, households * 3);
  await seedHealthRegister(pool, schemas.health, fixtures, households * 3, households * 3);
  await seedHousingRegister(pool, schemas.housing, fixtures, households);
  await seedEducationRegister(pool, schemas.education, fixtures, households);
  for (const t of [
    `"${schemas.health}".health_assistance_register`,
    `"${schemas.housing}".housing_register_entries`,
    `"${schemas.education}".education_register_entries`,
  ])
    await pool.query(`VACUUM ANALYZE ${t}`);
  const seeding = {
    setup: name,
    households,
    people: households * 3,
    healthEntries: households * 3,
    seconds: Math.round((performance.now() - seedStarted) / 100) / 10,
  };
  // Households 0 … total-1 are verified in order (the warm-up first); each is three people.
  const members = await householdsOf(
    pool,
    fixtures,
    Array.from({ length: total }, (_, h) => h),
  );

  // Tokens are signed with the shared secret: intake's login (the platform's, for apps/platform) serves all.
  const token = await login(services[0]!.url, 'shuanghe.window');
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  const tracked = new Map<string, Tracked>();
  const failures: string[] = [];
  let sent = 0;
  let answered = 0;
  const start = (h: number, measured: boolean) => {
    const ids = members.get(h)!;
    const body = JSON.stringify({
      villageCode: JINBU,
      members: ids.map((idNumber, i) => ({
        name: `压测成员${h}-${i}`,
        idNumber,
        relationship: ['applicant', 'spouse', 'child'][i],
      })),
      authorisation: { reference: `SQ-BENCH-${h}`, signedOn: beijingToday() },
    });
    const sentAt = Date.now();
    const t = performance.now();
    sent++;
    return post(`${civil}/civil-affairs/verifications`, body, headers)
      .then((r) => {
        answered++;
        if (r.status !== 201) {
          failures.push(`${r.status} ${JSON.stringify(r.json()).slice(0, 300)}`);
          return;
        }
        const { verificationId } = r.json() as { verificationId: string };
        tracked.set(verificationId, {
          sentAt,
          httpMs: performance.now() - t,
          answers: new Map(),
          measured,
        });
      })
      .catch((e: Error) => {
        answered++;
        failures.push(e.message);
      });
  };

  // The observer: civil affairs' log, for the verifications not complete yet (the streams' own index).
  let observing = true;
  const observe = async () => {
    const open = [...tracked].filter(([, v]) => v.completeAt === undefined).map(([id]) => id);
    if (open.length === 0) return;
    const { rows } = await pool.query<{
      stream_id: string;
      event_type: string;
      department: string | null;
      source: string | null;
      at: Date;
    }>(
      `SELECT stream_id, event_type, data->>'department' AS department, data->>'source' AS source,
              recorded_at AS at
         FROM "${schemas.civil}".events
        WHERE stream_id = ANY($1::text[])
          AND event_type IN ('civil-affairs.VerificationOpened', 'civil-affairs.VerificationAnswerRecorded')`,
      [open.map((id) => `verification-${id}`)],
    );
    for (const r of rows) {
      const v = tracked.get(r.stream_id.slice('verification-'.length))!;
      const at = r.at.getTime();
      if (r.event_type === 'civil-affairs.VerificationOpened') v.openedAt = at;
      else if (r.source === 'platform' && r.department && !v.answers.has(r.department))
        v.answers.set(r.department, at);
    }
    for (const v of tracked.values())
      if (v.completeAt === undefined && departments.every((d) => v.answers.has(d)))
        v.completeAt = Math.max(...v.answers.values());
  };
  const complete = () => [...tracked.values()].filter((v) => v.completeAt !== undefined).length;
  const backlog: Array<Record<string, number>> = [];
  const began = Date.now();
  const observer = (async () => {
    let lastSample = 0;
    while (observing) {
      await observe();
      if (Date.now() - lastSample >= 1000) {
        lastSample = Date.now();
        backlog.push({
          s: Math.round((Date.now() - began) / 100) / 10,
          sent,
          answered,
          started: tracked.size,
          complete: complete(),
          backlog: sent - complete(),
          load: load(),
        });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  // Open loop at `rate` a second: the warm-up (unmeasured), then the measured window.
  const openLoop = async (from: number, n: number, measured: boolean) => {
    const inflight: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      inflight.push(start(from + i, measured));
    }
    await Promise.all(inflight);
    return (performance.now() - t0) / 1000;
  };
  await openLoop(0, warmUp, false);
  const settleUntil = Date.now() + 30_000;
  while (complete() < tracked.size && Date.now() < settleUntil) await new Promise((r) => setTimeout(r, 200));
  const measuredN = total - warmUp;
  // The broker this run uses, by its pid file, apart from any other broker on the machine ("kafka").
  const watched = [...services, ...(name === 'kafka' ? brokerProcess() : [])];
  const cpuBefore = cpuSnapshot(watched);
  const loadBefore = load();
  const sendStarted = Date.now();
  const sendSeconds = await openLoop(warmUp, measuredN, true);
  const cpu = { setup: name, ...cpuShare(cpuBefore, cpuSnapshot(watched)), 'load 1m': load() };
  const sendEnded = Date.now();
  const drainDeadline = Date.now() + 60_000;
  while (complete() < tracked.size && Date.now() < drainDeadline)
    await new Promise((r) => setTimeout(r, 100));
  observing = false;
  await observer;
  await observe();

  const measured = [...tracked.values()].filter((v) => v.measured);
  const done = measured.filter((v) => v.completeAt !== undefined);
  const e2e = done.map((v) => v.completeAt! - v.sentAt);
  const server = done.filter((v) => v.openedAt).map((v) => v.completeAt! - v.openedAt!);
  const completions = done.map((v) => v.completeAt!).sort((a, b) => a - b);
  const row = {
    setup: name,
    offered: rate,
    'started/s': Math.round((measured.length / sendSeconds) * 10) / 10,
    'complete/s':
      completions.length > 1
        ? Math.round(
            (completions.length / Math.max(1, (completions.at(-1)! - completions[0]!) / 1000)) * 10,
          ) / 10
        : 0,
    verifications: measured.length,
    complete: done.length,
    ...summary(e2e),
    'server p99 ms': Math.round(
      percentile(
        server.sort((a, b) => a - b),
        99,
      ),
    ),
    'http p99 ms': Math.round(
      percentile(
        measured.map((v) => v.httpMs).sort((a, b) => a - b),
        99,
      ),
    ),
    'backlog at end': measured.filter((v) => (v.completeAt ?? Infinity) > sendEnded).length,
    'drain ms': Math.max(0, (completions.at(-1) ?? sendEnded) - sendEnded),
    failures: failures.length,
    'load before': loadBefore,
    'load after': load(),
  };
  // Where the time goes, per department: the request's way there (opened in civil affairs → the answer
  // recorded in the department's own log, stream verification-answer-<id>) and the answer's way back
  // (→ recorded in civil affairs' report).
  const ids = [...tracked].filter(([, v]) => v.measured && v.openedAt).map(([id]) => id);
  const perDepartment: Array<Record<string, unknown>> = [];
  /** Each answer's way back, in ms, by department: retries of a refused append show as steps. */
  const wayBack: Record<string, number[]> = {};
  for (const d of departments) {
    const { rows } = await pool.query<{ stream_id: string; at: Date }>(
      `SELECT stream_id, recorded_at AS at FROM "${schemaOf(d, prefix)}".events
        WHERE stream_id = ANY($1::text[]) AND event_type = $2`,
      [ids.map((id) => `verification-answer-${id}`), `${d}.VerificationAnswered`],
    );
    const own = new Map(rows.map((r) => [r.stream_id.slice('verification-answer-'.length), r.at.getTime()]));
    const there: number[] = [];
    const back: number[] = [];
    const total: number[] = [];
    for (const id of ids) {
      const v = tracked.get(id)!;
      const answeredAt = own.get(id);
      const recordedAt = v.answers.get(d);
      if (answeredAt !== undefined) there.push(answeredAt - v.openedAt!);
      if (answeredAt !== undefined && recordedAt !== undefined) back.push(recordedAt - answeredAt);
      if (recordedAt !== undefined) total.push(recordedAt - v.openedAt!);
    }
    const p = (values: number[], q: number) =>
      Math.round(
        percentile(
          values.sort((a, b) => a - b),
          q,
        ),
      );
    wayBack[d] = back.map(Math.round);
    perDepartment.push({
      setup: name,
      department: d,
      n: total.length,
      'there p50': p(there, 50),
      'there p99': p(there, 99),
      'back p50': p(back, 50),
      'back p99': p(back, 99),
      'opened→recorded p50': p(total, 50),
      'p95 ms': p(total, 95),
      'p99 ms': p(total, 99),
    });
  }
  const http = { setup: name, ...summary(measured.map((v) => v.httpMs)) };
  return {
    row,
    cpu,
    perDepartment,
    http,
    seeding,
    backlog: backlog.filter((b) => b.s * 1000 >= sendStarted - began),
    failures: failures.slice(0, 20),
    samples: { e2e, server, wayBack },
    environment: await environment(pool),
  };
}

try {
  const rows: Array<Record<string, unknown>> = [];
  const cpu: Array<Record<string, unknown>> = [];
  const perDepartment: Array<Record<string, unknown>> = [];
  const http: Array<Record<string, unknown>> = [];
  const details: Record<string, unknown> = {};
  Object.assign(results, { results: rows, cpu, perDepartment, http, details });
  for (const name of ['platform', 'kafka'] as const) {
    if (!parts.includes(name)) continue;
    const r = await setup(name);
    rows.push(r.row);
    cpu.push(r.cpu);
    perDepartment.push(...r.perDepartment);
    http.push(r.http);
    details[name] = { seeding: r.seeding, backlog: r.backlog, failures: r.failures, samples: r.samples };
    results.environment = r.environment;
    printTable(`${name}: backlog (sent − complete) each second while sending and draining`, r.backlog);
    await cleanup(); // each setup's services and database before the next
  }
  // The setups run different processes: every column in every row, so the table shows them all.
  const columns = [...new Set(cpu.flatMap((r) => Object.keys(r)))];
  printTable(
    'CPU while sending (cores used, of ' + os.cpus().length + ')',
    cpu.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? '']))),
  );
  printTable('each department: verification opened → its answer recorded', perDepartment);
  printTable('POST /civil-affairs/verifications as the window sees it', http);
  printTable(
    `verification: POST sent → last department's answer recorded, ${rate}/s for ${seconds} s (3 members each)`,
    rows,
  );
  results.kafkaStartedByBench = kafkaStarted;
  writeResult('verification', results);
  const failed = rows.reduce((n, r) => n + (r.failures as number), 0);
  if (failed > 0) throw new Error(`${failed} verification requests failed`);
} finally {
  await cleanup();
}
