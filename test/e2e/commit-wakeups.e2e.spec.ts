import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  CommitNotifier,
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  type RecordedEvent,
} from '@platform/event-store';
import { dropSchema, eventually, testPool, uniqueName } from '@platform/testing';
import type pg from 'pg';

/**
 * A commit in another process wakes this process's subscriptions through PostgreSQL NOTIFY, so a second
 * instance's relay or projection does not wait for its fallback poll. The subscription here polls once a
 * minute: only the wake-up can bring the other process's event within the test's bound. Real PostgreSQL,
 * a real second Node process (the built event store in dist/).
 */
describe('cross-process commit wake-ups (NOTIFY)', () => {
  const schema = uniqueName('wake');
  let pool: pg.Pool;
  let notifier: CommitNotifier;
  const seen: RecordedEvent[] = [];
  let stopSubscription: () => Promise<void>;

  beforeAll(async () => {
    pool = testPool(4);
    await runMigrations(pool, schema, eventStoreMigrations);
    notifier = new CommitNotifier(pool);
    await notifier.start();
    const store = new PostgresEventStore({ pool, schema });
    const sub = store.subscribeToAll({
      pollIntervalMs: 60_000,
      handler: async (batch) => void seen.push(...batch),
    });
    await sub.caughtUp;
    stopSubscription = () => sub.stop();
  });

  afterAll(async () => {
    await stopSubscription?.();
    await notifier?.stop();
    await dropSchema(pool, schema);
    await pool.end();
  });

  /** Another Node process appends one event to the schema (and signals its commit, as every service does). */
  async function appendElsewhere(label: string): Promise<void> {
    const lib = path.resolve('dist/libs/event-store/src/index.js');
    const script = `
      import pg from 'pg';
      const { CommitNotifier, PostgresEventStore } = await import(${JSON.stringify(lib)});
      const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
      const notifier = new CommitNotifier(pool);
      await notifier.start();
      const store = new PostgresEventStore({ pool, schema: ${JSON.stringify(schema)} });
      await store.appendToStream('s-' + ${JSON.stringify(label)}, [{ type: 'test.Written', data: { label: ${JSON.stringify(label)} },
        metadata: { actor: { id: 'u', role: 'r', department: 'd', jurisdiction: 'j' }, correlationId: 'c', causationId: null, occurredAt: new Date().toISOString() } }],
        { expectedVersion: 'no_stream' });
      await new Promise((r) => setTimeout(r, 200)); // the NOTIFY is sent after the commit, asynchronously
      await notifier.stop();
      await pool.end();`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: path.resolve('.'),
      env: process.env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
  }

  const arrived = (label: string) =>
    eventually(async () => seen.find((e) => (e.data as { label: string }).label === label), {
      what: `the other process's event ${label}`,
      timeoutMs: 15_000,
    });

  it('wakes a subscription polling once a minute, and counts what came from elsewhere', async () => {
    const before = notifier.received;
    await appendElsewhere('first');
    await arrived('first');
    expect(notifier.received).toBeGreaterThan(before);
  });

  it('ignores signals for schemas nobody here follows and payloads it cannot read', async () => {
    const before = notifier.received;
    await pool.query(
      `SELECT pg_notify('sap_commits', 'nobody_follows_this other'), pg_notify('sap_commits', '')`,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(notifier.received).toBe(before);
    expect(notifier.listening).toBe(true);
  });

  it('listens again after its connection is killed', async () => {
    const killed = await pool.query<{ n: string }>(
      `SELECT count(pg_terminate_backend(pid))::text AS n FROM pg_stat_activity
        WHERE application_name = 'social-assistance-listen' AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()
          AND datname = current_database()`,
    );
    expect(Number(killed.rows[0]!.n)).toBeGreaterThan(0);
    await eventually(async () => (notifier.listening ? true : undefined), {
      what: 'the LISTEN connection back',
    });
    await appendElsewhere('after-kill');
    await arrived('after-kill');
  });
});
