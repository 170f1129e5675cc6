// npm run bench -- dibao [--quick]
// The dibao issue's targets on apps/platform (event-log transport, its own database, clock control):
//  (a) every step of the procedure over HTTP with 20 concurrent officers — intake, investigation,
//      verification, appraisal, township review, first notice, submission, county review, spot check,
//      second notice, approval, recheck, change, suspension: p50/p95/p99 per step (target p99 ≤ 100 ms);
//  (b) the long-term public notice list (GET /public/dibao/recipients, 长期公示) of a county with 10,000
//      granted households, random pages by township and by village (target p99 ≤ 50 ms per page);
//  (c) the monthly payment roster CSV (GET /civil-affairs/dibao/rosters/:month) of a county with
//      100,000 recipients (target ≤ 5 s).
// (b) and (c) are seeded by appending, with the event store API, the events the decider writes for a
// granted household (received, investigation recorded, decision made) into a side log (schema
// <prefix>_seed), folded into the platform's civil-affairs read model (applications and allowance
// periods) by the dibao projection itself, run here. Not into the platform's own log: there every
// department would consume 110,000 decisions (oversight's ledger records ~25 a second on this machine),
// which takes over an hour and loads the machine during the measurement.
// The public list is rate-limited per address (30 a minute): the generator spreads its requests over
// loopback addresses, as many members of the public would.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { eventStoreMigrations, PostgresEventStore, runMigrations } from '@platform/event-store';
import { ProjectionRunner, readModelDataSource } from '@platform/read-model';
import {
  computeAllowance,
  type AllowanceStandard,
} from '../apps/civil-affairs/src/dibao/domain/allowance.js';
import type {
  DibaoEvent,
  HouseholdMember,
  Officer,
} from '../apps/civil-affairs/src/dibao/domain/dibao-application.decider.js';
import { DEFAULT_DIBAO_RULES } from '../apps/civil-affairs/src/dibao/domain/dibao-rules.js';
import { dibaoProjection } from '../apps/civil-affairs/src/dibao/read-model/dibao.projection.js';
import { DibaoQuery } from '../apps/civil-affairs/src/dibao/read-model/dibao.query.js';
import { dibaoReadModel } from '../apps/civil-affairs/src/dibao/read-model/dibao.read-model.js';
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
import { login, nextResidentId, startApp } from './services.js';

const DAY = 86_400_000;
const LINHE = '150802000000';
const WUYUAN = '150821000000';
const JINBU = '150802100201';
/** The villages of the demo tree, by county: the seeded households are spread over them. */
const VILLAGES: Record<string, Array<{ village: string; township: string }>> = {
  [LINHE]: [
    { village: '150802001001', township: '150802001000' },
    { village: '150802001002', township: '150802001000' },
    { village: '150802002001', township: '150802002000' },
    { village: '150802100201', township: '150802100000' },
    { village: '150802100202', township: '150802100000' },
    { village: '150802101201', township: '150802101000' },
  ],
  [WUYUAN]: [
    { village: '150821100201', township: '150821100000' },
    { village: '150821100202', township: '150821100000' },
    { village: '150821101201', township: '150821101000' },
  ],
};
const STANDARD: AllowanceStandard = {
  urbanDibaoMonthly: 870,
  ruralDibaoMonthly: 690,
  specialHardshipMonthly: 1131,
};

const officers = 20;
// Sizes can be overridden (--applications=, --list=, --roster=) and parts skipped (--parts=procedure,list,roster).
const size = (name: string, full: number, small: number) => Number(option(name) ?? (quick ? small : full));
const applications = size('applications', 600, 40);
const listHouseholds = size('list', 10_000, 500);
const rosterHouseholds = size('roster', 100_000, 2_000);
const parts = option('parts')?.split(',') ?? ['procedure', 'list', 'roster'];
const listRequests = quick ? 100 : 1_000;
const rosterRepeats = quick ? 2 : 5;
const rosterMonth = '2026-11';
/** A second pass with think time between an officer's commands (0: none). */
const thinkMs = Number(option('think') ?? (quick ? 0 : 1000));
const paced = size('paced', 200, 20);

const adminUrl = databaseUrl();
const prefix = `bench_dibao_${Date.now().toString(36)}`;
const url = await freshDatabase(adminUrl, prefix);
// Should the platform die (an uncaught exception), Node leaves a diagnostic report here.
const reports = path.join(os.tmpdir(), 'dibao-bench-reports');
process.env.BENCH_NODE_ARGS ??= `--report-uncaught-exception --report-on-fatalerror --report-directory=${reports}`;
const app = await startApp('platform', {
  DATABASE_URL: url,
  DATABASE_SCHEMA_PREFIX: prefix,
  TRANSPORT: 'event-log',
  KAFKA_BROKERS: '',
  JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  // Runs (a soak) can outlast the 15-minute access token; clients here log in once.
  JWT_TTL_SECONDS: '28800',
  DATABASE_POOL_SIZE: '20',
  CLOCK_CONTROL: 'true',
});
const pool = new pg.Pool({ connectionString: url, max: 2 });
// Seeding only: the events are a fixture, their commits need not wait for the disk.
const seedPool = new pg.Pool({ connectionString: url, max: 8, options: '-c synchronous_commit=off' });

/** What was measured so far: written at the end, or when the run is interrupted (a shared machine). */
const results: Record<string, unknown> = { benchmark: 'dibao' };
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await app.stop();
  await Promise.all([pool.end(), seedPool.end()]);
  await dropDatabase(adminUrl, prefix);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(
      `bench dibao: ${signal}; writing what was measured, stopping the platform, dropping ${prefix}`,
    );
    writeResult('dibao', { ...results, interrupted: signal });
    // The run in progress fails as its connections close: that must not end the process before the drop.
    process.on('uncaughtException', () => undefined);
    process.on('unhandledRejection', () => undefined);
    void cleanup().finally(() => process.exit(1));
  });
}

// ---------------------------------------------------------------------------------------------------
// HTTP: node:http with keep-alive (the generator shares the two cores with the platform).

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
interface Reply {
  status: number;
  text: string;
  ms: number;
}

function call(
  method: string,
  path: string,
  o: { token?: string; body?: unknown; localAddress?: string } = {},
): Promise<Reply> {
  const body = o.body === undefined ? undefined : JSON.stringify(o.body);
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      `${app.url}${path}`,
      { method, agent, headers, localAddress: o.localAddress },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Runs `work` over `items` with `concurrency` workers, each taking the next item when done. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The platform's CPU when idle (its background polls), measured once it has started. */
let idleCores = 0;
const platformCores = async (ms: number) => {
  const before = cpuSnapshot([app]);
  await new Promise((r) => setTimeout(r, ms));
  return cpuShare(before, cpuSnapshot([app]))[app.name] ?? 0;
};

/** Waits until the platform's CPU is back to idle (within 5% of a core), at most `maxMs`. */
async function settle(maxMs = 600_000) {
  const deadline = Date.now() + maxMs;
  while ((await platformCores(1000)) > idleCores + 0.05 && Date.now() < deadline);
}

/** Throws when the platform process has gone (a crash leaves a report in `reports`). */
function alive() {
  try {
    process.kill(app.pid!, 0);
  } catch {
    throw new Error(`the platform exited; see ${reports} for a diagnostic report`);
  }
}

/** The machine is shared: its 1-minute load average goes with each figure (2 cores). */
const load = () => Math.round(os.loadavg()[0]! * 100) / 100;

async function until<T>(what: string, probe: () => Promise<T | undefined>, maxMs = 900_000): Promise<T> {
  const deadline = Date.now() + maxMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    'p50 ms': percentile(sorted, 50),
    'p95 ms': percentile(sorted, 95),
    'p99 ms': percentile(sorted, 99),
    'max ms': sorted.at(-1) ?? Number.NaN,
  };
};

try {
  const schema = (
    await pool.query<{ s: string }>(
      `SELECT table_schema AS s FROM information_schema.tables
        WHERE table_name = 'dibao_applications' AND table_schema LIKE $1`,
      [`${prefix}%`],
    )
  ).rows[0]!.s;
  await new Promise((r) => setTimeout(r, 2000));
  idleCores = await platformCores(3000);
  const tokens = {
    admin: await login(app.url, 'admin'),
    window: await login(app.url, 'shuanghe.window'),
    village: await login(app.url, 'jinbu.village'),
    county: await login(app.url, 'linhe.civil'),
    wuyuan: await login(app.url, 'wuyuan.civil'),
  };
  const ok = async (r: Promise<Reply>, what: string, status = 200) => {
    const reply = await r;
    if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${reply.text.slice(0, 300)}`);
    return reply;
  };
  const setClock = (offsetMs: number) =>
    ok(call('POST', '/admin/clock', { token: tokens.admin, body: { offsetMs } }), 'clock');
  const today = async () => {
    const r = await ok(call('GET', '/admin/clock', { token: tokens.admin }), 'clock');
    const now = (JSON.parse(r.text) as { now: string }).now;
    return new Date(Date.parse(now) + 8 * 3600_000).toISOString().slice(0, 10);
  };
  await ok(
    call('POST', '/admin/policy/allowance-standards', {
      token: tokens.admin,
      body: {
        content: { [LINHE]: STANDARD },
        effectiveFrom: '2026-01-01',
        reason: '临河区人民政府关于 2026 年城乡最低生活保障标准的通知',
      },
    }),
    'standards',
    201,
  );

  // -------------------------------------------------------------------------------------------------
  // (a) The procedure, step by step, 20 officers at a time. A command refused for a concurrent write
  // (409 STREAM_VERSION_CONFLICT) is sent again, as the officer would: its latency runs to the success.
  const failures: string[] = [];
  results.failures = failures;
  const at = (id: string, s: string) => `/civil-affairs/dibao/applications/${id}/${s}`;
  interface Household {
    applicant: { name: string; idNumber: string };
    spouse: { name: string; idNumber: string };
  }
  let clockBase = 0;
  const procedure = async (label: string, n: number, thinkMs: number) => {
    const latencies = new Map<string, number[]>();
    const conflicts = new Map<string, number>();
    const gaveUp = new Map<string, number>();
    const think = () =>
      thinkMs > 0 ? new Promise((r) => setTimeout(r, thinkMs * (0.5 + Math.random()))) : Promise.resolve();
    const step = async (name: string, token: string, path: string, body?: unknown, status = 200) => {
      const t = performance.now();
      let r = await call('POST', path, { token, body });
      const conflict = () => r.status === 409 && r.text.includes('STREAM_VERSION_CONFLICT');
      for (let retry = 0; conflict() && retry < 10; retry++) {
        conflicts.set(name, (conflicts.get(name) ?? 0) + 1);
        r = await call('POST', path, { token, body });
      }
      (latencies.get(name) ?? latencies.set(name, []).get(name)!).push(performance.now() - t);
      if (conflict()) {
        // Still refused after ten attempts: the officer gives up; counted, the application dropped.
        gaveUp.set(name, (gaveUp.get(name) ?? 0) + 1);
        throw new Error(`${name}: gave up after 10 conflicts`);
      }
      if (r.status !== status) {
        failures.push(`${label} ${name}: ${r.status} ${r.text.slice(0, 300)}`);
        throw new Error(`${name}: ${r.status} ${r.text.slice(0, 300)}`);
      }
      await think();
      return JSON.parse(r.text) as Record<string, unknown>;
    };
    const households = new Map<string, Household>();
    const cases = Array.from({ length: n }, (_, i) => ({
      applicant: { name: `压测申请人${i}`, idNumber: nextResidentId() },
      spouse: { name: `压测配偶${i}`, idNumber: nextResidentId() },
    }));
    const ids: string[] = [];
    const cpu: Record<string, Record<string, number>> = {};
    const phase = async (name: string, work: (id: string) => Promise<void>, items: string[] = ids) => {
      alive();
      await settle();
      const started = performance.now();
      const before = cpuSnapshot([app]);
      await inParallel(items, officers, (id) => work(id).catch(() => undefined));
      cpu[name] = { ...cpuShare(before, cpuSnapshot([app])), load: load() };
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${label}, ${name}: ${items.length} applications in ${seconds.toFixed(1)} s, load ${load().toFixed(2)}`,
      );
    };
    await setClock(clockBase);
    await phase(
      'intake',
      async (i) => {
        const h = cases[Number(i)]!;
        const opened = await step(
          'intake: open case (POST /cases)',
          tokens.window,
          '/cases',
          {
            channel: 'window',
            villageCode: JINBU,
            household: [
              { ...h.applicant, relationship: 'applicant', phone: '13904780011' },
              { ...h.spouse, relationship: 'spouse' },
            ],
            needs: [{ category: 'dibao', description: '家庭收入低，申请低保' }],
            consentToShare: true,
          },
          201,
        );
        const accepted = await step(
          'intake: accept',
          tokens.window,
          `/cases/${opened.caseId as string}/accept`,
        );
        const referralId = (accepted.needs as Array<{ referral: { referralId: string } }>)[0]!.referral
          .referralId;
        ids.push(referralId);
        households.set(referralId, h);
      },
      cases.map((_, i) => String(i)),
    );
    await until('applications received', async () => {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${schema}".dibao_applications WHERE application_id = ANY($1::uuid[])`,
        [ids],
      );
      return rows[0]!.n === ids.length ? true : undefined;
    });

    const day = await today();
    await phase('township steps', async (id) => {
      const h = households.get(id)!;
      const household = [
        { ...h.applicant, relationship: 'applicant' },
        { ...h.spouse, relationship: 'spouse' },
      ];
      await step('investigation/start', tokens.window, at(id, 'investigation/start'));
      await step('investigation', tokens.village, at(id, 'investigation'), {
        date: day,
        investigators: ['李春梅', '张桂兰'],
        membersPresent: [h.applicant.name],
        household,
        area: 'rural',
        livingConditions: '砖房两间，主要劳动力患病，收入低',
        incomes: [{ memberIdNumber: h.applicant.idNumber, source: '种植收入', monthlyAmount: 600 }],
        assets: [{ kind: '耕地', description: '承包地 5 亩' }],
        investigatorsConfirmed: true,
        applicantConfirmed: true,
      });
      await step('verification', tokens.window, at(id, 'verification'), {
        findings: [{ department: '公安', findings: '家庭成员名下无机动车' }],
        conclusion: '家庭收入和财产状况符合规定',
      });
      await step('appraisal', tokens.village, at(id, 'appraisal'), {
        date: day,
        participantsDue: 12,
        attended: 9,
        agreed: 8,
        signed: true,
        record: '村民代表会议评议，多数同意',
      });
      await step('township-review', tokens.window, at(id, 'township-review'), {
        recommendation: 'approve',
        opinion: '经审核，家庭月人均收入低于农村低保标准，同意纳入保障',
      });
      await step('first-notice', tokens.window, at(id, 'first-notice'));
    });

    // The first notice runs seven days.
    await setClock(clockBase + 8 * DAY);
    const visit = await today();
    const submitted: string[] = [];
    await phase('county steps', async (id) => {
      const sample = (await step('submit', tokens.window, at(id, 'submit'))).spotCheckSample as {
        sampled: boolean;
      } | null;
      await step('county-review', tokens.county, at(id, 'county-review'), {
        recommendation: 'approve',
        opinion: '材料齐全，调查属实',
      });
      if (sample?.sampled) {
        await step('spot-check', tokens.county, at(id, 'spot-check'), {
          visitDate: visit,
          visitors: ['刘海燕', '赵敏'],
          findings: '入户核查，情况与调查记录一致',
          confirmed: true,
        });
      }
      await step('second-notice', tokens.county, at(id, 'second-notice'));
      submitted.push(id);
    });

    // And the second.
    await setClock(clockBase + 16 * DAY);
    const recheckDay = await today();
    const approved: string[] = [];
    await phase(
      'decisions',
      async (id) => {
        await step('approve', tokens.county, at(id, 'approve'), { opinion: '同意纳入农村最低生活保障' });
        approved.push(id);
      },
      submitted,
    );
    await phase(
      'after the grant',
      async (id) => {
        const h = households.get(id)!;
        await step('recheck', tokens.window, at(id, 'recheck'), {
          date: recheckDay,
          findings: '入户复查：配偶外出务工，家庭人口减少',
          conclusion: 'changed',
        });
        await step('change', tokens.county, at(id, 'change'), {
          household: [{ ...h.applicant, relationship: 'applicant' }],
          incomes: [{ memberIdNumber: h.applicant.idNumber, source: '种植收入', monthlyAmount: 600 }],
          area: 'rural',
          opinion: '家庭人口减少，变更月保障金',
        });
        await step('recheck', tokens.window, at(id, 'recheck'), {
          date: recheckDay,
          findings: '入户复查：家庭月人均收入已高于标准',
          conclusion: 'no_longer_eligible',
        });
        await step('suspend', tokens.county, at(id, 'suspend'), {
          reasons: ['经复查，家庭月人均收入已高于农村低保标准'],
          opinion: '决定停止保障',
        });
      },
      approved,
    );
    clockBase += 17 * DAY;
    const rows = [...latencies.entries()].map(([name, values]) => ({
      step: name,
      ...summary(values),
      conflicts: conflicts.get(name) ?? 0,
      'gave up': gaveUp.get(name) ?? 0,
    }));
    printTable(
      `(a) the procedure's commands, ${officers} officers${thinkMs ? `, ${thinkMs} ms think time` : ' back to back'}, ${n} applications`,
      rows,
    );
    return { label, applications: n, thinkMs, steps: rows, cpu, latencies: Object.fromEntries(latencies) };
  };
  const procedures: Array<Record<string, unknown>> = [];
  results.procedures = procedures;
  if (parts.includes('procedure')) {
    if (applications > 0) procedures.push(await procedure('back to back', applications, 0));
    if (thinkMs > 0) procedures.push(await procedure('with think time', paced, thinkMs));
  }

  // -------------------------------------------------------------------------------------------------
  // Seeding (b) and (c): the events of granted households, appended with the event store API to a side
  // log and folded by the dibao projection into the platform's read model as they come.
  await setClock(0);
  const seedSchema = `${prefix}_seed`;
  await runMigrations(seedPool, seedSchema, eventStoreMigrations);
  const store = new PostgresEventStore({ pool: seedPool, schema: seedSchema });
  const readModel = await readModelDataSource({
    pool: seedPool,
    schema,
    entities: dibaoReadModel.entities,
  }).initialize();
  const countyOfficer = (code: string): Officer =>
    code === LINHE
      ? { id: 'u-ca-linhe', name: '刘海燕', role: 'county_civil_affairs' }
      : { id: 'u-ca-wuyuan', name: '孙立军', role: 'county_civil_affairs' };
  const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
  const GIVEN = '建国秀兰德胜春梅海燕志强桂英玉珍文华明军丽娟红霞永福';
  const nameOf = (i: number) =>
    `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${GIVEN[(i * 13 + 5) % GIVEN.length]}`;
  const bj = (local: string) => new Date(`${local}+08:00`).toISOString();
  /** A decision instant between January 2024 and October 2026 (Beijing), spread by `i`. */
  const decidedAt = (i: number) =>
    new Date(
      Date.parse(bj('2024-01-02T09:00')) + ((i * 7_919) % 1_030) * DAY + (i % 8) * 3600_000,
    ).toISOString();

  const seedHousehold = async (county: string, i: number) => {
    const place = VILLAGES[county]![i % VILLAGES[county]!.length]!;
    const applicationId = randomUUID();
    const refs = { caseId: randomUUID(), referralId: applicationId };
    const size = 1 + (i % 4);
    const household: HouseholdMember[] = Array.from({ length: size }, (_, k) => ({
      name: nameOf(i * 5 + k),
      idNumber: nextResidentId(),
      relationship: k === 0 ? 'applicant' : k === 1 ? 'spouse' : 'child',
      disabled: (i + k) % 11 === 0,
      seriousIllness: (i + k) % 17 === 0,
    }));
    const incomes = [
      { memberIdNumber: household[0]!.idNumber, source: '务农收入', monthlyAmount: 100 * size },
    ];
    const decided = decidedAt(i);
    const day = new Date(Date.parse(decided) + 8 * 3600_000).toISOString().slice(0, 10);
    const received = new Date(Date.parse(decided) - 40 * DAY).toISOString();
    const investigated = new Date(Date.parse(decided) - 30 * DAY).toISOString();
    const outcome = computeAllowance({
      program: 'dibao',
      area: 'rural',
      household,
      incomes,
      standard: STANDARD,
      day,
      rules: DEFAULT_DIBAO_RULES,
    });
    if (!outcome.eligible) throw new Error('seed household not eligible');
    const by = countyOfficer(county);
    const events: DibaoEvent[] = [
      {
        type: 'civil-affairs.DibaoApplicationReceived',
        data: {
          ...refs,
          applicationId,
          caseNumber: `${county.slice(0, 6)}-${day.slice(0, 4)}-${String(i).padStart(6, '0')}`,
          program: 'dibao',
          villageCode: place.village,
          townshipCode: place.township,
          countyCode: county,
          area: 'rural',
          applicant: { name: household[0]!.name, idNumber: household[0]!.idNumber, phone: null },
          description: '家庭收入低，申请低保',
          urgency: 'normal',
          acceptedBy: null,
          investigationDueAt: new Date(Date.parse(received) + 14 * DAY).toISOString(),
          townshipReviewDueAt: new Date(Date.parse(received) + 28 * DAY).toISOString(),
          deadlinesProvisional: [],
          policy: {},
          rules: DEFAULT_DIBAO_RULES.version,
          at: received,
        },
      },
      {
        type: 'civil-affairs.DibaoInvestigationRecorded',
        data: {
          ...refs,
          date: investigated.slice(0, 10),
          investigators: ['李春梅', '张桂兰'],
          membersPresent: [household[0]!.name],
          household,
          area: 'rural',
          livingConditions: '砖房两间，收入低',
          incomes,
          assets: [],
          investigatorsConfirmed: true,
          applicantConfirmed: true,
          specialHardship: null,
          by: { id: 'u-twp', name: '李春梅', role: 'township_officer' },
          onBehalfOf: null,
          rules: DEFAULT_DIBAO_RULES.version,
          at: investigated,
        },
      },
      {
        type: 'civil-affairs.DibaoDecisionMade',
        data: {
          ...refs,
          program: 'dibao',
          outcome: 'granted',
          monthlyAmount: outcome.allowance.monthlyAmount,
          documentNumber: `${county === LINHE ? '临河区' : '五原县'}民保决〔${day.slice(0, 4)}〕${String(i).padStart(6, '0')}号`,
          documentType: 'approval',
          allowance: outcome.allowance,
          reasons: [],
          opinion: '同意纳入农村最低生活保障',
          by,
          policy: {},
          rules: DEFAULT_DIBAO_RULES.version,
          at: decided,
        },
      },
    ];
    const metadata = (e: DibaoEvent) => ({
      actor: { id: by.id, role: by.role, department: 'civil-affairs', jurisdiction: county },
      correlationId: applicationId,
      causationId: null,
      occurredAt: (e.data as { at: string }).at,
    });
    await store.appendToStream(
      `dibao-${applicationId}`,
      events.map((e) => ({ type: e.type, data: e.data, metadata: metadata(e) })),
      { expectedVersion: 'no_stream' },
    );
  };
  const counts = async (county: string) =>
    (
      await pool.query<{ n: number; p: number }>(
        `SELECT (SELECT count(*)::int FROM "${schema}".dibao_applications WHERE county_code = $1 AND status = 'granted') AS n,
                (SELECT count(*)::int FROM "${schema}".dibao_allowance_periods WHERE county_code = $1) AS p`,
        [county],
      )
    ).rows[0]!;
  const seed = async (county: string, n: number) => {
    const before = await counts(county);
    const t = performance.now();
    const runner = new ProjectionRunner({ dataSource: readModel, store, projection: dibaoProjection(store) });
    await runner.start();
    await inParallel(
      Array.from({ length: n }, (_, i) => i),
      8,
      (i) => seedHousehold(county, i),
    );
    const appendMs = performance.now() - t;
    // Not runner.caughtUp(): the log's visible head waits for every open transaction of the database,
    // the platform's included; count the rows instead.
    await until(`${county} projected`, async () => {
      const after = await counts(county);
      return after.n - before.n === n && after.p - before.p === n ? true : undefined;
    });
    await runner.stop();
    return {
      county,
      households: n,
      events: n * 3,
      appendS: appendMs / 1000,
      projectedS: (performance.now() - t) / 1000,
    };
  };
  const seeding: Array<Record<string, unknown>> = [];
  results.seeding = seeding;
  if (parts.includes('list')) seeding.push(await seed(LINHE, listHouseholds));
  if (parts.includes('roster')) seeding.push(await seed(WUYUAN, rosterHouseholds));
  await readModel.destroy();
  printTable('seeding (events appended to a side log, folded by the dibao projection as they come)', seeding);
  // Planner statistics and the visibility map, as autovacuum would keep them (it is off on this machine).
  await pool.query(`VACUUM ANALYZE "${schema}".dibao_applications`);
  await pool.query(`VACUUM ANALYZE "${schema}".dibao_allowance_periods`);
  await settle();

  const list: Array<Record<string, unknown>> = [];
  const listSamples: Record<string, Record<string, number[]>> = {};
  const roster: Array<Record<string, unknown>> = [];
  const rosterQuery: Array<Record<string, unknown>> = [];
  const listSql: Array<Record<string, unknown>> = [];
  const plans: Record<string, string[]> = {};
  Object.assign(results, { list, listSql, roster, rosterQuery, plans, listSamples });
  // -------------------------------------------------------------------------------------------------
  // (b) The long-term public notice list of 临河区, random pages, one address per 25 requests.
  if (parts.includes('list')) {
    const listed = await pool.query<{ township_code: string; village_code: string; n: number }>(
      `SELECT township_code, village_code, count(*)::int AS n FROM "${schema}".dibao_applications
        WHERE county_code = $1 AND status = 'granted' GROUP BY 1, 2`,
      [LINHE],
    );
    const townships = new Map<string, number>();
    for (const r of listed.rows) townships.set(r.township_code, (townships.get(r.township_code) ?? 0) + r.n);
    const pageSize = 20;
    const targets = [
      ...[...townships].map(([code, n]) => ({ by: 'township', query: `townshipCode=${code}`, n })),
      ...listed.rows.map((r) => ({ by: 'village', query: `villageCode=${r.village_code}`, n: r.n })),
    ];
    let sent = 0;
    const address = () => `127.0.${1 + Math.floor(sent / 25 / 250)}.${1 + (Math.floor(sent / 25) % 250)}`;
    const listRun = async (concurrency: number) => {
      const samples: Record<string, number[]> = { township: [], village: [] };
      let refused = 0;
      await inParallel(
        Array.from({ length: listRequests }, (_, i) => i),
        concurrency,
        async (i) => {
          const t = targets[i % targets.length]!;
          const pages = Math.max(1, Math.ceil(t.n / pageSize));
          const page = 1 + Math.floor(Math.random() * pages);
          const localAddress = address();
          sent++;
          const r = await call(
            'GET',
            `/public/dibao/recipients?${t.query}&page=${page}&pageSize=${pageSize}`,
            {
              localAddress,
            },
          );
          if (r.status !== 200) {
            refused++;
            return;
          }
          samples[t.by]!.push(r.ms);
        },
      );
      return { samples, refused };
    };
    await listRun(4); // warm-up: plans, caches
    for (const concurrency of [1, 10]) {
      const { samples, refused } = await listRun(concurrency);
      const loadNow = load();
      listSamples[concurrency] = samples;
      for (const by of ['township', 'village'])
        list.push({
          concurrency,
          by,
          ...summary(samples[by]!),
          refused: by === 'township' ? refused : 0,
          load: loadNow,
        });
      list.push({
        concurrency,
        by: 'all',
        ...summary([...samples.township!, ...samples.village!]),
        refused: 0,
        load: loadNow,
      });
    }
    printTable(
      `(b) GET /public/dibao/recipients, ${listHouseholds.toLocaleString('en-US')} granted households in 临河区, page of ${pageSize}`,
      list,
    );

    const deepest = targets.filter((t) => t.by === 'township').sort((x, y) => y.n - x.n)[0]!;
    // The query of DibaoQuery.recipients for the last page of the largest township.
    const listPlan = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS)
       SELECT a.application_id, a.program, a.village_code, a.township_code, a.county_code, a.applicant_name,
              a.household_size, a.monthly_amount, a.decided_at, p.total
         FROM (SELECT application_id, count(*) OVER () AS total FROM "${schema}".dibao_applications
                WHERE status = 'granted' AND township_code = $1 ORDER BY village_code, decided_at, application_id
                LIMIT 20 OFFSET $2) p
         JOIN "${schema}".dibao_applications a ON a.application_id = p.application_id
        ORDER BY a.village_code, a.decided_at, a.application_id`,
      [deepest.query.split('=')[1], Math.max(0, deepest.n - 20)],
    );
    plans.list = listPlan.rows.map((r) => r['QUERY PLAN']);
    console.log(`\nlast page of the largest township, query plan:\n${plans.list.join('\n')}`);

    // The list's SQL alone, before and after this change, alternating, random pages of each township:
    // before, TypeORM's getManyAndCount (a count, then every column of the township's households sorted
    // for one page); after, DibaoQuery.recipients (a page's ids from the index, then its rows).
    const sql: Record<string, number[]> = { before: [], after: [] };
    const townshipTargets = targets.filter((t) => t.by === 'township');
    for (let i = 0; i < (quick ? 40 : 400); i++) {
      const t = townshipTargets[i % townshipTargets.length]!;
      const code = t.query.split('=')[1];
      const offset = pageSize * Math.floor(Math.random() * Math.ceil(t.n / pageSize));
      const before = async () => {
        const s = performance.now();
        await pool.query(
          `SELECT COUNT(DISTINCT(a.application_id)) AS cnt FROM "${schema}".dibao_applications a
            WHERE a.status = 'granted' AND a.township_code = $1`,
          [code],
        );
        await pool.query(
          `SELECT * FROM "${schema}".dibao_applications a WHERE a.status = 'granted' AND a.township_code = $1
            ORDER BY a.village_code, a.decided_at, a.application_id LIMIT 20 OFFSET $2`,
          [code, offset],
        );
        sql.before!.push(performance.now() - s);
      };
      const after = async () => {
        const s = performance.now();
        await pool.query(
          `SELECT a.application_id, a.program, a.village_code, a.township_code, a.county_code, a.applicant_name,
                  a.household_size, a.monthly_amount, a.decided_at, p.total
             FROM (SELECT application_id, count(*) OVER () AS total FROM "${schema}".dibao_applications
                    WHERE status = 'granted' AND township_code = $1 ORDER BY village_code, decided_at, application_id
                    LIMIT 20 OFFSET $2) p
             JOIN "${schema}".dibao_applications a ON a.application_id = p.application_id
            ORDER BY a.village_code, a.decided_at, a.application_id`,
          [code, offset],
        );
        sql.after!.push(performance.now() - s);
      };
      if (i % 2 === 0) await before().then(after);
      else await after().then(before);
    }
    for (const [which, values] of Object.entries(sql))
      listSql.push({ query: which, ...summary(values), load: load() });
    printTable('(b) the list query alone, a random page of a township, before and after', listSql);
  }

  // -------------------------------------------------------------------------------------------------
  // (c) The payment roster of 五原县 for a month: the whole CSV.
  if (parts.includes('roster')) {
    for (let i = 0; i < rosterRepeats; i++) {
      const r = await call('GET', `/civil-affairs/dibao/rosters/${rosterMonth}?purpose=bench`, {
        token: tokens.wuyuan,
      });
      if (r.status !== 200) throw new Error(`roster: ${r.status} ${r.text.slice(0, 300)}`);
      const lines = r.text.trimEnd().split('\r\n').length - 2; // header and total
      if (lines !== rosterHouseholds) throw new Error(`roster: ${lines} lines, expected ${rosterHouseholds}`);
      roster.push({ repeat: i, lines, MiB: r.text.length / 2 ** 20, ms: r.ms, load: load() });
    }
    printTable(`(c) GET /civil-affairs/dibao/rosters/${rosterMonth}, 五原县`, roster);
    // The read alone, in this process: how much of the request is the query and decoding its rows.
    const reads = await readModelDataSource({ pool, schema, entities: dibaoReadModel.entities }).initialize();
    try {
      const q = new DibaoQuery(reads);
      for (let i = 0; i < rosterRepeats; i++) {
        const t = performance.now();
        const rows = await q.roster(WUYUAN, rosterMonth);
        rosterQuery.push({ repeat: i, rows: rows.length, ms: performance.now() - t, load: load() });
      }
    } finally {
      await reads.destroy();
    }
    printTable('(c) DibaoQuery.roster alone (SQL and row decoding, in the benchmark process)', rosterQuery);
    const explain = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS)
       SELECT a.application_id, a.village_code, a.township_code, a.county_code, a.program, a.applicant_name,
              a.applicant_id_number, a.household_size, p.monthly_amount, a.document_number
         FROM "${schema}".dibao_allowance_periods p
         JOIN "${schema}".dibao_applications a ON a.application_id = p.application_id
        WHERE p.county_code = $1 AND p.first_month IS NOT NULL
          AND coalesce(p.last_month, '9999-12') >= $2 AND p.first_month <= $2
        ORDER BY a.village_code, a.decided_at, a.application_id`,
      [WUYUAN, rosterMonth],
    );
    plans.roster = explain.rows.map((r) => r['QUERY PLAN']);
    console.log(`\nroster query plan:\n${plans.roster.join('\n')}`);
  }

  writeResult('dibao', {
    ...results,
    environment: await environment(pool),
    settings: {
      officers,
      applications,
      paced,
      thinkMs,
      listHouseholds,
      rosterHouseholds,
      listRequests,
      rosterRepeats,
      rosterMonth,
      parts,
      seeding: 'events appended with the event store API to a side log, folded by the dibao projection',
      idleCores,
    },
  });
  if (failures.length > 0)
    throw new Error(`${failures.length} commands failed:\n${failures.slice(0, 10).join('\n')}`);
} finally {
  await cleanup();
}
