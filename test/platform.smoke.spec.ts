import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PostgresEventStore } from '@platform/event-store';
import { eventually, freePort, testMetadata } from '@platform/testing';
import pg from 'pg';

function startPlatform(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let out = '';
  const base = { ...process.env };
  delete base.DATABASE_URL; // the embedded default
  delete base.KAFKA_BROKERS;
  const child = spawn(process.execPath, [path.resolve('dist/apps/platform/src/main.js')], {
    env: { ...base, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, output: () => out };
}

function postgresRunningIn(dataDir: string): boolean {
  try {
    const pid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('apps/platform on the embedded default', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'platform-smoke-'));
  // When tests run as root, PostgreSQL runs as the postgres user and must reach the folder.
  chmodSync(dataDir, 0o755);

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with its own PostgreSQL, is ready, stops cleanly on Ctrl-C and keeps its data', async () => {
    const [httpPort, pgPort] = await Promise.all([freePort(), freePort()]);
    const env = { PORT: String(httpPort), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir };
    for (const round of [1, 2]) {
      const { child, output } = startPlatform(env);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        const ready = await eventually(
          async () => {
            const r = await fetch(`http://127.0.0.1:${httpPort}/ready`);
            return r.status === 200 ? ((await r.json()) as Record<string, unknown>) : undefined;
          },
          { timeoutMs: 75_000, intervalMs: 200, what: `/ready (round ${round})` },
        );
        expect(ready).toMatchObject({
          status: 'ok',
          info: { database: { status: 'up' }, 'transport:event-log': { status: 'up' } },
        });
        expect((await fetch(`http://127.0.0.1:${httpPort}/health`)).status).toBe(200);
        const docs = await fetch(`http://127.0.0.1:${httpPort}/docs-json`);
        expect(((await docs.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/ready');
        const pool = new pg.Pool({
          connectionString: `postgres://postgres:${readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim()}@127.0.0.1:${pgPort}/platform`,
          max: 2,
        });
        try {
          const store = new PostgresEventStore({ pool, schema: 'intake' });
          if (round === 1) {
            await store.appendToStream(
              'case-smoke',
              [{ type: 'intake.Smoke', data: { n: 1 }, metadata: testMetadata() }],
              {
                expectedVersion: 'no_stream',
              },
            );
          } else {
            expect((await store.readStream('case-smoke')).map((e) => e.data)).toEqual([{ n: 1 }]);
          }
        } finally {
          await pool.end();
        }
      } catch (e) {
        child.kill('SIGKILL');
        throw new Error(`${(e as Error).message}\n--- platform output ---\n${output()}`, { cause: e });
      }
      child.kill('SIGINT');
      expect({ exit: await exited, output: output().slice(-3000) }).toEqual({
        exit: 0,
        output: expect.any(String),
      });
      expect(postgresRunningIn(dataDir)).toBe(false);
    }
  }, 180_000);
});

describe('a department service whose broker is away', () => {
  it('starts, says it is alive but not ready (naming the transport), and stops cleanly', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [path.resolve('dist/apps/health/src/main.js')], {
      env: {
        ...process.env,
        PORT: String(port),
        LOG_LEVEL: 'fatal',
        DATABASE_SCHEMA_PREFIX: `kdown_${Date.now().toString(36)}`,
        KAFKA_BROKERS: '127.0.0.1:9', // nothing listens there
      },
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await eventually(
        async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined),
        {
          timeoutMs: 30_000,
          what: '/health',
        },
      );
      const ready = await fetch(`http://127.0.0.1:${port}/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        details: { database: { status: 'up' }, 'transport:kafka': { status: 'down' } },
      });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
