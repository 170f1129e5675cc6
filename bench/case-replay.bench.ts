// npm run bench -- case-replay [--quick]
// Point-in-time reconstruction of one case with 1,000 ledger events (oversight's /cases/:id/state):
// read the case's entries up to an instant and fold them. Latency p50/p99.
import { eventStoreMigrations, PostgresEventStore, runMigrations, uuidv7 } from '@platform/event-store';
import pg from 'pg';
import { LedgerQuery } from '../apps/oversight/src/ledger/application/ledger.query.js';
import { replay } from '../apps/oversight/src/ledger/domain/case-replay.js';
import { oversightMigrations } from '../apps/oversight/src/ledger/read-model/oversight.migrations.js';
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
const eventsPerCase = 1000;
const iterations = quick ? 30 : 500;
const otherCases = quick ? 20 : 500; // the ledger holds other cases too, as it would in production

const dbName = `bench_case_replay_${Date.now()}`;
const pool = new pg.Pool({ connectionString: await freshDatabase(url, dbName), max: 4 });
try {
  await runMigrations(pool, 'oversight', [...eventStoreMigrations, ...oversightMigrations]);
  const store = new PostgresEventStore({ pool, schema: 'oversight' });
  const base = Date.parse('2026-01-05T01:00:00Z');
  const write = async (caseId: string, count: number) => {
    const depts = ['health', 'housing', 'education', 'civil-affairs'];
    const referrals = depts.map(() => uuidv7());
    const names = [
      'ReferralReceived',
      'ReferralAcknowledged',
      'ReferralProgressNoted',
      'ReferralAccepted',
      'ReferralOverdue',
      'ReferralReopened',
      'ReferralCompleted',
    ];
    const events = [];
    for (let i = 0; i < count; i++) {
      const at = new Date(base + i * 60_000).toISOString();
      let type: string;
      let data: Record<string, unknown>;
      if (i === 0)
        [type, data] = [
          'intake.CaseOpened',
          {
            caseId,
            caseNumber: '150802-2026-000001',
            channel: 'window',
            villageCode: '150802100201',
            countyCode: '150802000000',
            urgency: 'normal',
            categories: ['medical'],
            at,
          },
        ];
      else if (i <= depts.length)
        [type, data] = [
          'intake.ReferralIssued',
          {
            caseId,
            referralId: referrals[i - 1],
            needId: `need-${i}`,
            category: 'medical',
            department: depts[i - 1],
            jurisdiction: '150802000000',
            at,
          },
        ];
      else {
        const d = i % depts.length;
        [type, data] = [
          `${depts[d]}.${names[i % names.length]}`,
          { caseId, referralId: referrals[d], deadline: 'decide', outcome: 'granted', amount: 100, at },
        ];
      }
      events.push({
        type,
        data,
        metadata: {
          actor: { id: 'u', role: 'health_officer', department: 'health', jurisdiction: '150802000000' },
          correlationId: caseId,
          causationId: null,
          occurredAt: at,
          source: {
            department: type.split('.')[0],
            recordedAt: at,
            topic: `${type.split('.')[0]}.events`,
            partition: 0,
            offset: String(i),
            stream: 'x',
            position: String(i),
          },
        },
      });
    }
    for (let i = 0; i < events.length; i += 100)
      await store.appendToStream(`ledger-${caseId}`, events.slice(i, i + 100), { expectedVersion: 'any' });
  };
  for (let c = 0; c < otherCases; c++) await write(uuidv7(), 50);
  const caseId = uuidv7();
  await write(caseId, eventsPerCase);
  await pool.query('VACUUM ANALYZE oversight.events');
  const ledger = new LedgerQuery(pool, 'oversight');
  const latencies: number[] = [];
  let folded = 0;
  for (let i = 0; i < iterations; i++) {
    const at = new Date(base + Math.floor(Math.random() * eventsPerCase) * 60_000);
    const s = performance.now();
    const state = replay(caseId, await ledger.entries(caseId, { at }));
    latencies.push(performance.now() - s);
    folded += state.lastPosition ? 1 : 0;
  }
  if (folded !== iterations) throw new Error('replay produced an empty state');
  latencies.sort((a, b) => a - b);
  const results = [
    {
      measure: `state of a ${eventsPerCase}-event case at a random instant`,
      iterations,
      'p50 ms': percentile(latencies, 50),
      'p99 ms': percentile(latencies, 99),
      'max ms': latencies.at(-1)!,
    },
  ];
  printTable('case-replay', results);
  writeResult('case-replay', {
    benchmark: 'case-replay',
    environment: await environment(pool),
    settings: { eventsPerCase, iterations, otherCases },
    results,
    latencies,
  });
} finally {
  await pool.end();
  await dropDatabase(url, dbName);
}
