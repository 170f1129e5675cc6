// npm run bench -- dashboard [--quick]
// Joint-meeting dashboard latency with the facts of 1,000,000 ledger events (about 110,000 referrals
// in 30,000 cases across the city's counties over a year), p50/p99.
import { eventStoreMigrations, runMigrations } from '@platform/event-store';
import pg from 'pg';
import { runReadModelMigrations, readModelDataSource } from '@platform/read-model';
import { factsReadModel } from '../apps/oversight/src/ledger/read-model/facts.read-model.js';
import { oversightMigrations } from '../apps/oversight/src/ledger/read-model/oversight.migrations.js';
import { OversightQuery } from '../apps/oversight/src/ledger/read-model/oversight.query.js';
import {
  databaseUrl,
  dropDatabase,
  environment,
  freshDatabase,
  percentile,
  printTable,
  quick,
  writeResult,
} from './lib.js';

const url = databaseUrl();
const ledgerEvents = quick ? 5_000 : 1_000_000;
const referrals = Math.round(ledgerEvents / 9); // ~9 ledger events per referral (issued, lifecycle, overdue…)
const iterations = quick ? 20 : 300;

const dbName = `bench_dashboard_${Date.now()}`;
const pool = new pg.Pool({ connectionString: await freshDatabase(url, dbName), max: 4 });
try {
  await runMigrations(pool, 'oversight', [...eventStoreMigrations, ...oversightMigrations]);
  await runReadModelMigrations(pool, 'oversight', factsReadModel.migrations);
  await pool.query(
    `INSERT INTO oversight.referral_facts (referral_id, case_id, department, jurisdiction, county_code, category, issued_at, received_at,
       acknowledged_at, decided_at, completed_at, status, declined, overdue_acknowledge, overdue_decide, outcome, amount)
     SELECT gen_random_uuid(), gen_random_uuid(),
            (ARRAY['civil-affairs','health','housing','education'])[1 + g % 4],
            c, c, (ARRAY['medical','housing','education','dibao','temporary'])[1 + g % 5],
            t, t + interval '1 minute', t + (g % 72) * interval '1 hour', t + (g % 240) * interval '1 hour',
            CASE WHEN g % 3 = 0 THEN NULL ELSE t + (g % 400) * interval '1 hour' END,
            CASE WHEN g % 3 = 0 THEN 'accepted' WHEN g % 17 = 0 THEN 'declined' ELSE 'completed' END,
            g % 17 = 0, g % 23 = 0, g % 29 = 0,
            CASE WHEN g % 3 = 0 THEN NULL WHEN g % 5 = 0 THEN 'not_eligible' ELSE 'granted' END,
            CASE WHEN g % 5 = 0 THEN NULL ELSE 500 + g % 5000 END
       FROM generate_series(1, $1::int) g,
            LATERAL (SELECT (ARRAY['150802000000','150821000000','150822000000','150823000000','150824000000','150825000000','150826000000'])[1 + g % 7] AS c,
                            timestamptz '2026-01-01' + (g % 330) * interval '1 day' + (g % 86400) * interval '1 second' AS t) x`,
    [referrals],
  );
  await pool.query(
    `INSERT INTO oversight.case_facts (case_id, county_code, opened_at, reported_to_government, first_reported_at)
     SELECT gen_random_uuid(), (ARRAY['150802000000','150821000000','150822000000'])[1 + g % 3], timestamptz '2026-01-01' + (g % 330) * interval '1 day',
            CASE WHEN g % 40 = 0 THEN 1 ELSE 0 END, CASE WHEN g % 40 = 0 THEN timestamptz '2026-01-01' + (g % 330) * interval '1 day' END
       FROM generate_series(1, $1::int) g`,
    [Math.round(referrals / 3.6)],
  );
  await pool.query('VACUUM ANALYZE oversight.referral_facts');
  await pool.query('VACUUM ANALYZE oversight.case_facts');
  const dataSource = await readModelDataSource({
    pool,
    schema: 'oversight',
    entities: factsReadModel.entities,
  }).initialize();
  const q = new OversightQuery(dataSource);
  const now = new Date('2026-11-27T00:00:00Z');
  const variants = [
    { name: 'whole city, last 90 days', period: { from: new Date('2026-08-29T00:00:00Z'), to: now } },
    {
      name: 'one county, whole year',
      period: { from: new Date('2026-01-01T00:00:00Z'), to: now, county: '150802000000' },
    },
    {
      name: 'one department, whole year',
      period: { from: new Date('2026-01-01T00:00:00Z'), to: now, department: 'health' },
    },
  ];
  const results = [];
  const all: Record<string, number[]> = {};
  for (const v of variants) {
    const lat: number[] = [];
    for (let i = 0; i < iterations; i++) {
      const s = performance.now();
      const d = await q.dashboard(v.period, now);
      lat.push(performance.now() - s);
      if (d.rows.length === 0) throw new Error('empty dashboard');
    }
    lat.sort((a, b) => a - b);
    all[v.name] = lat;
    results.push({ query: v.name, iterations, 'p50 ms': percentile(lat, 50), 'p99 ms': percentile(lat, 99) });
  }
  printTable(
    `dashboard over the facts of ${ledgerEvents.toLocaleString('en-US')} ledger events (${referrals.toLocaleString('en-US')} referrals)`,
    results,
  );
  writeResult('dashboard', {
    benchmark: 'dashboard',
    environment: await environment(pool),
    settings: { ledgerEvents, referrals, iterations },
    results,
    latencies: all,
  });
} finally {
  await pool.end();
  await dropDatabase(url, dbName);
}
