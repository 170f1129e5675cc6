// npm run bench -- wakeup [--quick]
// How long a commit in one process takes to reach a subscription in another (two instances of a service
// on one database: the relay leader, a projection, an event-log consumer elsewhere). A writer process
// appends one event every 25 ms, each stamped with its commit time; this process subscribes with the
// default fallback poll (250 ms) and records the delay of each. With cross-process wake-ups (NOTIFY, the
// default) and without (COMMIT_NOTIFY=false: the fallback poll alone); alternating, repeated; p50/p95/max.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  CommitNotifier,
  eventStoreMigrations,
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
  percentile,
  printTable,
  quick,
  writeResult,
} from './lib.js';

const events = quick ? 40 : 400;
const repeats = quick ? 1 : 3;
const gapMs = 25;
const now = () => performance.timeOrigin + performance.now();

if (process.argv.includes('--writer')) {
  // The other process: appends `events` events, `gapMs` apart, each carrying when it committed.
  const [url, notify] = [
    process.argv[process.argv.indexOf('--writer') + 1]!,
    process.argv.includes('--notify'),
  ];
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  const notifier = notify ? new CommitNotifier(pool) : null;
  await notifier?.start();
  const store = new PostgresEventStore({ pool, schema: 'wake' });
  for (let i = 0; i < events; i++) {
    const stream = `w-${uuidv7()}`;
    // The commit time is taken after the append returns: what the subscriber waits from is the commit.
    await store.appendToStream(stream, [{ type: 'bench.Written', data: { i }, metadata: metadata() }], {
      expectedVersion: 'no_stream',
    });
    await pool.query(`INSERT INTO wake.committed (i, at) VALUES ($1, $2)`, [i, now()]);
    await new Promise((r) => setTimeout(r, gapMs));
  }
  await notifier?.stop();
  await pool.end();
  process.exit(0);
}

const url = databaseUrl();
const dbName = `bench_wakeup_${Date.now()}`;
const benchUrl = await freshDatabase(url, dbName);
const pool = new pg.Pool({ connectionString: benchUrl, max: 6 });
const results: Record<string, number[][]> = { notify: [], 'poll only': [] };
try {
  await runMigrations(pool, 'wake', eventStoreMigrations);
  await pool.query(`CREATE TABLE wake.committed (i int, at double precision)`);
  const store = new PostgresEventStore({ pool, schema: 'wake' });
  for (let r = 0; r < repeats; r++) {
    for (const mode of ['notify', 'poll only'] as const) {
      await pool.query('TRUNCATE wake.committed');
      const notifier = mode === 'notify' ? new CommitNotifier(pool) : null;
      await notifier?.start();
      const seen = new Map<number, number>();
      const { checkpoint } = await store.readAll({ limit: 1_000_000 });
      const sub = store.subscribeToAll({
        after: checkpoint,
        pollIntervalMs: 250,
        handler: async (batch) => {
          const at = now();
          for (const e of batch) seen.set((e.data as { i: number }).i, at);
        },
      });
      const writer = spawn(
        process.execPath,
        [
          fileURLToPath(import.meta.url),
          '--writer',
          benchUrl,
          ...(mode === 'notify' ? ['--notify'] : []),
          ...(quick ? ['--quick'] : []),
        ],
        { stdio: 'inherit' },
      );
      const code = await new Promise<number | null>((res) => writer.on('exit', res));
      if (code !== 0) throw new Error(`writer exited ${code}`);
      const deadline = performance.now() + 5_000;
      while (seen.size < events && performance.now() < deadline)
        await new Promise((res) => setTimeout(res, 20));
      await sub.stop();
      await notifier?.stop();
      const { rows } = await pool.query<{ i: number; at: number }>('SELECT i, at FROM wake.committed');
      // The insert of the commit time follows the append, so a wake-up can beat it: no negative delays.
      results[mode]!.push(
        rows.map((row) => Math.max(0, (seen.get(row.i) ?? Infinity) - row.at)).sort((a, b) => a - b),
      );
      console.log(`wakeup: ${mode} round ${r + 1}: ${seen.size}/${events} seen`);
    }
  }
  const table = Object.entries(results).map(([mode, runs]) => ({
    mode,
    'p50 ms': median(runs.map((d) => percentile(d, 50))).toFixed(1),
    'p95 ms': median(runs.map((d) => percentile(d, 95))).toFixed(1),
    'max ms': median(runs.map((d) => d.at(-1)!)).toFixed(1),
  }));
  printTable(
    `Commit in one process to a subscription in another (${events} events, ${gapMs} ms apart, fallback poll 250 ms; median of ${repeats})`,
    table,
  );
  writeResult('wakeup', { environment: await environment(pool), events, gapMs, repeats, table });
} finally {
  await pool.end();
  await dropDatabase(url, dbName);
}
