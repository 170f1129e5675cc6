// npm run bench -- register-lookup [--quick] [--departments=health,housing] [--entries=1000000]
//                                  [--people=400000] [--lookups=1000]
// A department's register lookup for one household (救助台账查询), the household-verification issue's
// second target (p99 ≤ 20 ms with 1,000,000 register entries), on apps/platform (event-log transport,
// its own database):
//  health  — POST /health/assistance-register/lookup as 临河区's health officer: 1,000,000 entries of
//            medical assistance over 400,000 people (2.5 a person);
//  housing — POST /housing/register/lookup as 临河区's housing officer: 1,000,000 entries over the same
//            people's 133,333 households (7.5 a household, each naming its three members).
// One household's three ID numbers per request: 1,000 random households one request at a time, then
// 1,000 from 10 clients at once. The rows are written straight into the read-model tables (INSERT …
// SELECT generate_series: the rows the registers' projections write), then VACUUM ANALYZE, as autovacuum
// would (it is off on this machine). The lookup's SQL alone and its plan are measured too, to tell the
// query from the rest of the request (validation, and the access log: one appended event per member).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { PostgresEventStore } from '@platform/event-store';
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
  seedHealthRegister,
  seedHousingRegisterBulk,
} from './registers.js';
import { login, post, startApp } from './services.js';

const entries = Number(option('entries') ?? (quick ? 5_000 : 1_000_000));
const people = Number(option('people') ?? Math.round(entries / 2.5));
const lookups = Number(option('lookups') ?? (quick ? 50 : 1_000));
const departments = option('departments')?.split(',') ?? ['health', 'housing'];
const households = Math.floor(people / 3);
const adminUrl = databaseUrl();
const prefix = `bench_lookup_${Date.now().toString(36)}`;
const load = () => Math.round(os.loadavg()[0]! * 100) / 100;
const url = await freshDatabase(adminUrl, prefix);
const app = await startApp('platform', {
  DATABASE_URL: url,
  DATABASE_SCHEMA_PREFIX: prefix,
  TRANSPORT: 'event-log',
  KAFKA_BROKERS: '',
  JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  // Runs (a soak) can outlast the 15-minute access token; clients here log in once.
  JWT_TTL_SECONDS: '28800',
});
const pool = new pg.Pool({ connectionString: url, max: 4 });
// Seeding only: a fixture, its commits need not wait for the disk.
const seedPool = new pg.Pool({ connectionString: url, max: 1, options: '-c synchronous_commit=off' });
const results: Record<string, unknown> = {
  benchmark: 'register-lookup',
  settings: { entries, people, households, lookups, departments, membersPerLookup: 3 },
};
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
    console.error(`bench register-lookup: ${signal}; writing what was measured, dropping ${prefix}`);
    writeResult('register-lookup', { ...results, interrupted: signal });
    process.on('uncaughtException', () => undefined);
    process.on('unhandledRejection', () => undefined);
    void cleanup().finally(() => process.exit(1));
  });
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

async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

interface Department {
  table: string;
  user: string;
  path: string;
  body: (ids: string[]) => Record<string, unknown>;
  found: (reply: unknown) => number;
  seed: (schema: string, fixtures: string, progress: (n: number) => void) => Promise<void>;
  /** Proposed fixes, each measured on this run's database (SQL alone; HTTP too when `http`). */
  fixes?: (schema: string) => Array<{ variant: string; apply: string; revert?: string; http?: boolean }>;
  /** The lookup's SQL as the service sends it ($1: the ID numbers), and the verification answer's. */
  sql: (schema: string) => Array<{ name: string; text: string; extra: string[] }>;
}

const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const yearAgo = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
const DEPARTMENTS: Record<string, Department> = {
  health: {
    table: 'health_assistance_register',
    user: 'linhe.health',
    path: '/health/assistance-register/lookup',
    body: (ids) => ({ memberIdNumbers: ids, purpose: '低保审核' }),
    found: (r) => (r as { entries: unknown[] }).entries.length,
    seed: (schema, fixtures, progress) =>
      seedHealthRegister(seedPool, schema, fixtures, entries, people, progress),
    sql: (schema) => [
      {
        // HealthAssistanceQuery.registerOf (TypeORM's query builder, every column).
        name: 'registerOf (the lookup)',
        text: `SELECT programme, decision_reference, person_id_number, person_name, household_id, amount_fen,
                      date, medical_cost_fen, personal_payment_fen, serious_illness, county_code, hospital
                 FROM "${schema}".health_assistance_register g
                WHERE g.person_id_number = ANY($1)
                ORDER BY g.person_id_number ASC, g.date DESC, g.decision_reference ASC`,
        extra: [],
      },
      {
        // registerEntriesForAnswer: what a verification's answer reads.
        name: 'registerEntriesForAnswer (verification)',
        text: `SELECT person_id_number, date::text AS date, amount_fen, medical_cost_fen, personal_payment_fen,
                      serious_illness
                 FROM "${schema}".health_assistance_register
                WHERE person_id_number = ANY($1::text[]) AND date BETWEEN $2::date AND $3::date`,
        extra: [yearAgo, today],
      },
    ],
  },
  housing: {
    table: 'housing_register_entries',
    user: 'linhe.housing',
    path: '/housing/register/lookup',
    body: (ids) => ({ idNumbers: ids, purpose: '低保审核' }),
    found: (r) => (r as { items: unknown[] }).items.length,
    seed: (schema, fixtures, progress) =>
      seedHousingRegisterBulk(seedPool, schema, fixtures, entries, households, progress),
    fixes: (schema) => {
      const t = `"${schema}".housing_register_entries`;
      return [
        {
          // Element statistics for the members' array: without them the planner takes 0.5% of the table
          // per ID number (DEFAULT_CONTAIN_SEL), ~15,000 rows for a household of three.
          variant: 'member statistics 1000',
          apply: `ALTER TABLE ${t} ALTER COLUMN member_id_numbers SET STATISTICS 1000; ANALYZE ${t}`,
          revert: `ALTER TABLE ${t} ALTER COLUMN member_id_numbers SET STATISTICS -1; ANALYZE ${t}`,
        },
        {
          // No parallel plan for this table: a register lookup reads a handful of rows.
          variant: 'parallel_workers 0',
          apply: `ALTER TABLE ${t} SET (parallel_workers = 0)`,
          http: true,
        },
      ];
    },
    sql: (schema) => [
      {
        // HousingRegisterQuery.byMembers for a county officer (TypeORM's query builder, every column).
        name: 'byMembers (the lookup, county scope)',
        text: `SELECT * FROM "${schema}".housing_register_entries r
                WHERE r.member_id_numbers && $1::text[] AND r.county_code = '150802000000'
                ORDER BY r.given_on ASC, r.event_id ASC`,
        extra: [],
      },
      {
        // HousingRegisterAnswerer: the rows part of what a verification's answer reads.
        name: 'answerer rows (verification)',
        text: `SELECT r.event_id::text, to_jsonb(r) FROM "${schema}".housing_register_entries r
                WHERE r.member_id_numbers && $1::text[]`,
        extra: [],
      },
    ],
  },
};

try {
  const fixtures = `${prefix}_bench`;
  await createPersons(seedPool, fixtures, people);
  const picks = Array.from({ length: lookups * 3 + 200 }, () => Math.floor(Math.random() * households));
  const wanted = [...new Set(picks)];
  const members = await householdsOf(pool, fixtures, wanted);
  const household = (i: number) => members.get(wanted[i % wanted.length]!)!;
  const seeding: Array<Record<string, unknown>> = [];
  const http: Array<Record<string, unknown>> = [];
  const cpu: Array<Record<string, unknown>> = [];
  const sql: Array<Record<string, unknown>> = [];
  const plans: Record<string, string[]> = {};
  const samples: Record<string, number[]> = {};
  Object.assign(results, { seeding, http, cpu, sql, plans, samples });

  for (const name of departments) {
    const d = DEPARTMENTS[name];
    if (!d) throw new Error(`unknown department ${name} (health, housing)`);
    const schema = await schemaWith(pool, prefix, d.table);
    const seedStarted = performance.now();
    await d.seed(schema, fixtures, (n) =>
      process.stdout.write(
        `\rseeding ${name}'s register: ${n.toLocaleString('en-US')} / ${entries.toLocaleString('en-US')}`,
      ),
    );
    console.log();
    const insertS = (performance.now() - seedStarted) / 1000;
    await pool.query(`VACUUM ANALYZE "${schema}".${d.table}`);
    const size = (
      await pool.query<{ table: string; indexes: string }>(
        `SELECT pg_size_pretty(pg_table_size($1)) AS table, pg_size_pretty(pg_indexes_size($1)) AS indexes`,
        [`"${schema}".${d.table}`],
      )
    ).rows[0]!;
    seeding.push({
      department: name,
      entries,
      people,
      households,
      'insert s': Math.round(insertS * 10) / 10,
      'with vacuum s': Math.round((performance.now() - seedStarted) / 100) / 10,
      table: size.table,
      indexes: size.indexes,
    });

    const token = await login(app.url, d.user);
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    let found = 0;
    const lookup = async (ids: string[]) => {
      const t = performance.now();
      const r = await post(`${app.url}${d.path}`, JSON.stringify(d.body(ids)), headers);
      const ms = performance.now() - t;
      if (r.status !== 200)
        throw new Error(`${name} lookup: ${r.status} ${JSON.stringify(r.json()).slice(0, 300)}`);
      found += d.found(r.json());
      return ms;
    };
    // Warm-up: plans, caches, the JIT.
    await inParallel(
      Array.from({ length: 100 }, (_, i) => i),
      4,
      async (i) => void (await lookup(household(i + 2 * lookups))),
    );
    const httpRuns = async (variant: string) => {
      for (const [k, clients] of [1, 10].entries()) {
        const ms: number[] = [];
        found = 0;
        const before = cpuSnapshot([app]);
        const t = performance.now();
        await inParallel(
          Array.from({ length: lookups }, (_, i) => i),
          clients,
          async (i) => void ms.push(await lookup(household(i + k * lookups))),
        );
        const seconds = (performance.now() - t) / 1000;
        const cores = cpuShare(before, cpuSnapshot([app]));
        cpu.push({ department: name, variant, clients, ...cores, 'load 1m': load() });
        samples[`${name}-${variant}-${clients}`] = ms;
        http.push({
          department: name,
          variant,
          clients,
          ...summary(ms),
          'req/s': Math.round(lookups / seconds),
          'entries per lookup': Math.round((found / lookups) * 10) / 10,
          load: load(),
        });
      }
    };
    // The SQL alone, one household at a time from this process, and its plans.
    const sqlRuns = async (variant: string) => {
      for (const s of d.sql(schema)) {
        const ms: number[] = [];
        for (let i = 0; i < lookups; i++) {
          const t = performance.now();
          await pool.query(s.text, [household(i + 3 * lookups), ...s.extra]);
          ms.push(performance.now() - t);
        }
        sql.push({ department: name, variant, query: s.name, ...summary(ms), load: load() });
        const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${s.text}`, [
          household(7),
          ...s.extra,
        ]);
        plans[`${name} (${variant}): ${s.name}`] = rows.map((r) => r['QUERY PLAN']);
      }
    };
    await httpRuns('as is');
    await sqlRuns('as is');
    // What each lookup writes besides reading: one access-log event per member, appended one after the
    // other (AccessLog.record), each a durable commit. Three, as the service does, from this process.
    const store = new PostgresEventStore({ pool, schema });
    const appends: number[] = [];
    for (let i = 0; i < Math.min(lookups, 300); i++) {
      const t = performance.now();
      for (const id of household(i)) {
        await store.appendToStream(
          `access-bench-${name}-${id}`,
          [
            {
              type: 'audit.AccessRecorded', // AccessLog's ACCESS_RECORDED
              data: {
                resourceType: `${name}-register`,
                resourceId: id,
                caseId: null,
                fields: ['register.entries'],
                purpose: '压测',
                viewedAt: new Date().toISOString(),
              },
              metadata: {
                actor: { id: 'bench', role: 'auditor', department: name, jurisdiction: '150802000000' },
                correlationId: randomUUID(),
                causationId: null,
                occurredAt: new Date().toISOString(),
              },
            },
          ],
          { expectedVersion: 'any' },
        );
      }
      appends.push(performance.now() - t);
    }
    sql.push({
      department: name,
      variant: 'as is',
      query: 'three access-log appends',
      ...summary(appends),
      load: load(),
    });
    for (const f of d.fixes?.(schema) ?? []) {
      await pool.query(f.apply);
      await sqlRuns(f.variant);
      if (f.http) await httpRuns(f.variant);
      if (f.revert) await pool.query(f.revert);
    }
  }
  printTable(
    'seeding (INSERT … SELECT generate_series into the read-model tables, then VACUUM ANALYZE)',
    seeding,
  );
  for (const [name, plan] of Object.entries(plans)) console.log(`\n${name}, plan:\n${plan.join('\n')}`);
  printTable('the SQL alone, one household at a time (from the benchmark process)', sql);
  printTable('CPU while looking up (cores used)', cpu);
  printTable(
    `register lookup of one household (3 members), ${entries.toLocaleString('en-US')} entries in the register`,
    http,
  );
  writeResult('register-lookup', { ...results, environment: await environment(pool) });
} finally {
  await cleanup();
}
