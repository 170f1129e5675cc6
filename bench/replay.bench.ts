// npm run bench -- replay [--quick]
// 1,000,000 events: readAll start to end, a projection rebuild into a TypeORM-defined read table,
// Emmett's readMessagesBatch over the same events, and the limit: a bare keyset SELECT of the rows.
import { dumbo } from '@event-driven-io/dumbo';
import { getPostgreSQLEventStore, readMessagesBatch } from '@event-driven-io/emmett-postgresql';
import {
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  START,
  type Checkpoint,
} from '@platform/event-store';
import { ProjectionRunner, readModelDataSource, type Projection } from '@platform/read-model';
import pg from 'pg';
import { EntitySchema } from 'typeorm';
import { writeEmmettFixture, writeOursFixture } from './fixtures.js';
import {
  databaseUrl,
  dropDatabase,
  environment,
  freshDatabase,
  median,
  printTable,
  quick,
  writeResult,
} from './lib.js';

const url = databaseUrl();
const total = quick ? 5_000 : 1_000_000;
const repeats = quick ? 1 : 3;
const batch = 5000;

interface ReferralStat {
  referralId: string;
  caseId: string;
  events: number;
  lastType: string;
  amount: number;
}
const ReferralStatEntity = new EntitySchema<ReferralStat>({
  name: 'ReferralStat',
  tableName: 'referral_stats',
  schema: 'ours',
  columns: {
    referralId: { name: 'referral_id', type: 'text', primary: true },
    caseId: { name: 'case_id', type: 'text' },
    events: { type: 'int' },
    lastType: { name: 'last_type', type: 'text' },
    amount: { type: 'numeric' },
  },
});

const dbName = `bench_replay_${Date.now()}`;
const benchUrl = await freshDatabase(url, dbName);
const pool = new pg.Pool({ connectionString: benchUrl, max: 6 });
const peerName = `${dbName}_emmett`;
const peerUrl = await freshDatabase(url, peerName);
const peerPool = new pg.Pool({ connectionString: peerUrl, max: 2 });
const peer = getPostgreSQLEventStore(peerUrl);
const peerDumbo = dumbo({ connectionString: peerUrl });
// The platform's read-model DataSource: TypeORM on the benchmark's own pool.
const orm = readModelDataSource({ pool, schema: 'ours', entities: [ReferralStatEntity] });

try {
  await runMigrations(pool, 'ours', eventStoreMigrations);
  await pool.query(
    `CREATE TABLE ours.referral_stats (referral_id text PRIMARY KEY, case_id text NOT NULL, events int NOT NULL, last_type text NOT NULL, amount numeric NOT NULL)`,
  );
  await orm.initialize();
  await peer.appendToStream('warm', [{ type: 'x.Warm', data: {} }]); // creates Emmett's schema
  const t = performance.now();
  await writeOursFixture(pool, 'ours', total, (n) =>
    quick || n % 200_000 === 0 ? process.stderr.write(`fixture ours ${n}/${total}\n`) : undefined,
  );
  const fixtureSeconds = (performance.now() - t) / 1000;
  await writeEmmettFixture(peerPool, total);
  await pool.query('VACUUM ANALYZE ours.events');
  await peerPool.query('VACUUM ANALYZE emt_messages');
  const ours = new PostgresEventStore({ pool, schema: 'ours' });

  const readAllOurs = async () => {
    let after: Checkpoint = START;
    let n = 0;
    for (;;) {
      const page = await ours.readAll({ after, limit: batch });
      if (page.events.length === 0) return n;
      n += page.events.length;
      after = page.checkpoint;
    }
  };
  const bareSelect = async () => {
    let after = 0;
    let n = 0;
    for (;;) {
      const { rows } = await pool.query(
        `SELECT global_position, transaction_id, stream_id, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, hash
           FROM ours.events WHERE global_position > $1 ORDER BY global_position LIMIT $2`,
        [after, batch],
      );
      if (rows.length === 0) return n;
      n += rows.length;
      after = Number(rows[rows.length - 1].global_position);
    }
  };
  const readAllEmmett = async () => {
    let after = 0n;
    let n = 0;
    for (;;) {
      const r = await readMessagesBatch(peerDumbo.execute, { after, batchSize: batch });
      if (r.messages.length === 0) return n - 1; // minus the warm-up event
      n += r.messages.length;
      after = r.currentGlobalPosition;
    }
  };
  const projection: Projection = {
    name: 'referral-stats',
    async reset(manager) {
      await manager.query('DELETE FROM ours.referral_stats');
    },
    async apply(events, manager) {
      const rows = new Map<string, ReferralStat>();
      for (const e of events) {
        const d = e.data as { referralId: string; caseId: string; amount: number };
        const row = rows.get(d.referralId) ?? {
          referralId: d.referralId,
          caseId: d.caseId,
          events: 0,
          lastType: e.type,
          amount: 0,
        };
        row.events++;
        row.lastType = e.type;
        row.amount += d.amount;
        rows.set(d.referralId, row);
      }
      // TypeORM defines the table and builds the upsert; the runner's EntityManager executes it inside
      // its checkpoint transaction.
      const [sql, params] = manager
        .createQueryBuilder()
        .insert()
        .into(ReferralStatEntity)
        .values([...rows.values()])
        .orUpdate(['events', 'last_type', 'amount'], ['referral_id'])
        .getQueryAndParameters();
      const upsert = sql.replace(
        /DO UPDATE SET (.*)$/s,
        'DO UPDATE SET "events" = "referral_stats"."events" + EXCLUDED."events", "last_type" = EXCLUDED."last_type", "amount" = "referral_stats"."amount" + EXCLUDED."amount"',
      );
      await manager.query(upsert, params);
    },
  };
  const rebuild = async () =>
    new ProjectionRunner({ dataSource: orm, store: ours, projection, batchSize: batch }).rebuild();

  const samples: Record<string, number[]> = { ours: [], limit: [], emmett: [], rebuild: [] };
  const timed = async (fn: () => Promise<number>) => {
    const s = performance.now();
    const n = await fn();
    if (n !== total) throw new Error(`read ${n} events, expected ${total}`);
    return n / ((performance.now() - s) / 1000);
  };
  const runs: Record<string, () => Promise<number>> = {
    ours: readAllOurs,
    limit: bareSelect,
    emmett: readAllEmmett,
    rebuild,
  };
  for (let rep = 0; rep < repeats; rep++) {
    const order =
      rep % 2 === 0 ? ['ours', 'limit', 'emmett', 'rebuild'] : ['rebuild', 'emmett', 'limit', 'ours'];
    for (const name of order) samples[name]!.push(await timed(runs[name]!));
  }
  const stats = (
    await pool.query('SELECT count(*)::int AS n, sum(events)::int AS e FROM ours.referral_stats')
  ).rows[0];
  if (stats.e !== total) throw new Error(`rebuild folded ${stats.e} events, expected ${total}`);
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
  const results = [
    {
      measure: 'readAll (ours)',
      'events/s': Math.round(m.ours!),
      'vs bare SELECT': m.ours! / m.limit!,
      'vs Emmett': m.ours! / m.emmett!,
    },
    {
      measure: 'bare SELECT (limit)',
      'events/s': Math.round(m.limit!),
      'vs bare SELECT': 1,
      'vs Emmett': m.limit! / m.emmett!,
    },
    {
      measure: 'readMessagesBatch (Emmett)',
      'events/s': Math.round(m.emmett!),
      'vs bare SELECT': m.emmett! / m.limit!,
      'vs Emmett': 1,
    },
    {
      measure: 'projection rebuild (ours, TypeORM table)',
      'events/s': Math.round(m.rebuild!),
      'vs bare SELECT': m.rebuild! / m.limit!,
      'vs Emmett': m.rebuild! / m.emmett!,
    },
  ];
  printTable(`replay of ${total.toLocaleString('en-US')} events (median of ${repeats})`, results);
  console.log(
    `fixture written in ${fixtureSeconds.toFixed(1)} s (${Math.round(total / fixtureSeconds)} events/s through append_events); read model rows: ${stats.n}`,
  );
  writeResult('replay', {
    benchmark: 'replay',
    environment: await environment(pool),
    settings: { total, repeats, batch },
    results,
    samples,
    fixtureSeconds,
  });
} finally {
  await orm.destroy().catch(() => undefined);
  await peer.close();
  await peerDumbo.close();
  await peerPool.end();
  await pool.end();
  await dropDatabase(url, dbName);
  await dropDatabase(url, peerName);
}
