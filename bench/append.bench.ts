// npm run bench -- append [--quick] [--only=sealing]
// Single-event appends with expected version at 1, 8 and 32 writers, and 100-event batches: ours, the
// limit (plain INSERTs into a table with the same columns and indexes) and Emmett's PostgreSQL store,
// side by side in the same run, alternating, repeated; medians and ratios.
import { randomBytes } from 'node:crypto';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import {
  CommitNotifier,
  eventStoreMigrations,
  PERSONAL_DATA_MIGRATIONS,
  PersonalDataProtection,
  PostgresEventStore,
  runMigrations,
  uuidv7,
} from '@platform/event-store';
import pg from 'pg';
import {
  databaseUrl,
  dropDatabase,
  environment,
  freshDatabase,
  median,
  metadata,
  option,
  payload,
  printTable,
  quick,
  throughput,
  writeResult,
} from './lib.js';

const url = databaseUrl();
const seconds = quick ? 0.5 : 8;
const repeats = quick ? 1 : 3;
const levels = quick ? [1, 8] : [1, 8, 32];
const batchWriters = 4;

const dbName = `bench_append_${Date.now()}`;
const benchUrl = await freshDatabase(url, dbName);
const pool = new pg.Pool({ connectionString: benchUrl, max: 40 });
const peerName = `${dbName}_emmett`;
const peerUrl = await freshDatabase(url, peerName);
const peer = getPostgreSQLEventStore(peerUrl, {
  schema: { autoMigration: 'CreateOrUpdate' },
  connectionOptions: { pooled: true, connectionString: peerUrl },
} as never);

try {
  await runMigrations(pool, 'ours', eventStoreMigrations);
  await pool.query(`
    CREATE SCHEMA limit_;
    CREATE TABLE limit_.events (
      global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      stream_id text NOT NULL, stream_version bigint NOT NULL, event_id uuid NOT NULL UNIQUE,
      event_type text NOT NULL, schema_version integer NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(), hash bytea NOT NULL, UNIQUE (stream_id, stream_version));
    CREATE INDEX ON limit_.events (transaction_id, global_position);`);
  const ours = new PostgresEventStore({ pool, schema: 'ours' });
  // Warm-up: the first append of each contender creates schema objects, caches plans.
  await peer.appendToStream(`warm-${uuidv7()}`, [{ type: 'intake.Warm', data: {} }]);

  let round = 0;
  const contenders = {
    ours: async (c: number) => {
      const r = round++;
      const versions = new Array<number>(c).fill(0);
      return throughput(c, seconds, async (w) => {
        await ours.appendToStream(
          `s-${r}-${w}`,
          [{ type: 'health.ReferralAccepted', data: payload(w), metadata: metadata() }],
          {
            expectedVersion: versions[w] === 0 ? 'no_stream' : versions[w]!,
          },
        );
        versions[w]!++;
        return 1;
      });
    },
    limit: async (c: number) => {
      const r = round++;
      const versions = new Array<number>(c).fill(0);
      return throughput(c, seconds, async (w) => {
        await pool.query(
          `INSERT INTO limit_.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, hash)
           VALUES ($1, $2, $3, $4, 1, $5, $6, $7)`,
          [
            `s-${r}-${w}`,
            ++versions[w]!,
            uuidv7(),
            'health.ReferralAccepted',
            JSON.stringify(payload(w)),
            JSON.stringify(metadata()),
            randomBytes(32),
          ],
        );
        return 1;
      });
    },
    emmett: async (c: number) => {
      const r = round++;
      const versions = new Array<bigint>(c).fill(0n);
      return throughput(c, seconds, async (w) => {
        await peer.appendToStream(
          `s-${r}-${w}`,
          [{ type: 'health.ReferralAccepted', data: payload(w), metadata: metadata() }],
          {
            expectedStreamVersion: versions[w] === 0n ? 'STREAM_DOES_NOT_EXIST' : versions[w]!,
          } as never,
        );
        versions[w]! += 1n;
        return 1;
      });
    },
  };
  const batch = {
    ours: async () => {
      const r = round++;
      return throughput(batchWriters, seconds, async (w, i) => {
        await ours.appendToStream(
          `b-${r}-${w}-${i}`,
          Array.from({ length: 100 }, (_, k) => ({
            type: 'health.ReferralAccepted',
            data: payload(k),
            metadata: metadata(),
          })),
          {
            expectedVersion: 'no_stream',
          },
        );
        return 100;
      });
    },
    limit: async () => {
      const r = round++;
      return throughput(batchWriters, seconds, async (w, i) => {
        const values: unknown[] = [];
        const rows: string[] = [];
        for (let k = 0; k < 100; k++) {
          const b = values.length;
          rows.push(
            `($${b + 1}, $${b + 2}, $${b + 3}, 'health.ReferralAccepted', 1, $${b + 4}, $${b + 5}, $${b + 6})`,
          );
          values.push(
            `b-${r}-${w}-${i}`,
            k + 1,
            uuidv7(),
            JSON.stringify(payload(k)),
            JSON.stringify(metadata()),
            randomBytes(32),
          );
        }
        await pool.query(
          `INSERT INTO limit_.events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, hash) VALUES ${rows.join(',')}`,
          values,
        );
        return 100;
      });
    },
    emmett: async () => {
      const r = round++;
      return throughput(batchWriters, seconds, async (w, i) => {
        await peer.appendToStream(
          `b-${r}-${w}-${i}`,
          Array.from({ length: 100 }, (_, k) => ({
            type: 'health.ReferralAccepted',
            data: payload(k),
            metadata: metadata(),
          })),
        );
        return 100;
      });
    },
  };

  // The same appends with cross-process wake-ups on, as every service runs (COMMIT_NOTIFY): a NOTIFY
  // after each commit, coalesced per schema, on the same pool.
  const withNotify = async (run: () => Promise<number>) => {
    const notifier = new CommitNotifier(pool);
    await notifier.start();
    try {
      return await run();
    } finally {
      await notifier.stop();
    }
  };
  const results: Array<Record<string, unknown>> = [];
  const samples: Record<string, Record<string, number[]>> = {};
  const measure = async (label: string, fns: Record<string, () => Promise<number>>) => {
    samples[label] = { ours: [], 'ours+notify': [], limit: [], emmett: [] };
    for (let rep = 0; rep < repeats; rep++) {
      // Alternate the order so no contender always runs on a warmer or busier database.
      const order =
        rep % 2 === 0
          ? ['ours', 'ours+notify', 'limit', 'emmett']
          : ['emmett', 'limit', 'ours+notify', 'ours'];
      for (const name of order) samples[label]![name]!.push(await fns[name]!());
    }
    const m = Object.fromEntries(Object.entries(samples[label]!).map(([k, v]) => [k, median(v)]));
    results.push({
      scenario: label,
      'ours ev/s': Math.round(m.ours!),
      'with NOTIFY ev/s': Math.round(m['ours+notify']!),
      'limit ev/s': Math.round(m.limit!),
      'emmett ev/s': Math.round(m.emmett!),
      'ours/limit': m.ours! / m.limit!,
      'ours/emmett': m.ours! / m.emmett!,
      'NOTIFY/ours': m['ours+notify']! / m.ours!,
    });
  };
  const onlySealing = option('only') === 'sealing';
  for (const c of onlySealing ? [] : levels) {
    await measure(`single, ${c} writer${c > 1 ? 's' : ''}`, {
      ours: () => contenders.ours(c),
      'ours+notify': () => withNotify(() => contenders.ours(c)),
      limit: () => contenders.limit(c),
      emmett: () => contenders.emmett(c),
    });
  }
  if (!onlySealing) {
    await measure(`100-event batches, ${batchWriters} writers`, {
      ...batch,
      'ours+notify': () => withNotify(batch.ours),
    });
    printTable('append (events/s, median of repeats)', results);
  }

  // Sealing personal values (what every service's store does): the same household events appended to a
  // store without and with the protection, keys wrapped as in production, alternating.
  await runMigrations(pool, 'sealed', eventStoreMigrations);
  await runMigrations(pool, 'sealed_keys', PERSONAL_DATA_MIGRATIONS);
  const protection = new PersonalDataProtection({ pool, schema: 'sealed_keys', masterKey: randomBytes(32) });
  const household = (caseId: string) => ({
    caseId,
    members: [
      { name: '王建国', idNumber: '150802198001011234', relationship: 'applicant', phone: '13800001111' },
      { name: '李秀兰', idNumber: '15080219820202123X', relationship: 'spouse', phone: null },
    ],
    needs: [
      {
        needId: 'n-1',
        category: 'medical',
        description: '妻子患尿毒症，每周透析三次',
        requestedAmount: 5000,
      },
    ],
  });
  const stores = {
    plain: new PostgresEventStore({ pool, schema: 'ours', personalData: null }),
    sealed: new PostgresEventStore({ pool, schema: 'sealed', personalData: protection }),
  };
  const sealing: Array<Record<string, unknown>> = [];
  const sealingSamples: Record<string, Record<string, number[]>> = {};
  for (const c of levels) {
    const label = `household event, ${c} writer${c > 1 ? 's' : ''}`;
    sealingSamples[label] = { plain: [], sealed: [] };
    for (let rep = 0; rep < repeats; rep++) {
      for (const name of rep % 2 === 0 ? (['plain', 'sealed'] as const) : (['sealed', 'plain'] as const)) {
        const r = round++;
        const versions = new Array<number>(c).fill(0);
        // A new household every 10th event: its key is made once, then read from the cache.
        sealingSamples[label]![name]!.push(
          await throughput(c, seconds, async (w) => {
            const stream = `h-${r}-${w}-${Math.floor(versions[w]! / 10)}`;
            await stores[name].appendToStream(
              stream,
              [{ type: 'intake.CaseOpened', data: household(stream), metadata: metadata() }],
              { expectedVersion: versions[w]! % 10 === 0 ? 'no_stream' : versions[w]! % 10 },
            );
            versions[w]!++;
            return 1;
          }),
        );
      }
    }
    const m = Object.fromEntries(Object.entries(sealingSamples[label]!).map(([k, v]) => [k, median(v)]));
    sealing.push({
      scenario: label,
      'plain ev/s': Math.round(m.plain!),
      'sealed ev/s': Math.round(m.sealed!),
      'sealed/plain': m.sealed! / m.plain!,
    });
  }
  await protection.close();
  printTable('sealing personal values (events/s, median of repeats)', sealing);
  writeResult('append', {
    benchmark: 'append',
    environment: await environment(pool),
    settings: { seconds, repeats, levels, batchWriters },
    results,
    samples,
    sealing,
    sealingSamples,
  });
} finally {
  await peer.close();
  await pool.end();
  await dropDatabase(url, dbName);
  await dropDatabase(url, peerName);
}
