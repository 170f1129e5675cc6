import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Shared helpers: environment facts, repeats, percentiles, a table on stdout and JSON in bench/results. */
export const quick = process.argv.includes('--quick');

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('bench: DATABASE_URL is required (e.g. postgres://postgres@127.0.0.1:5432/test)');
    process.exit(2);
  }
  return url;
}

export async function environment(pool: pg.Pool): Promise<Record<string, unknown>> {
  const version = (await pool.query('SHOW server_version')).rows[0].server_version;
  const sync = (await pool.query('SHOW synchronous_commit')).rows[0].synchronous_commit;
  const fsync = (await pool.query('SHOW fsync')).rows[0].fsync;
  const setting = async (name: string) => (await pool.query(`SHOW ${name}`)).rows[0][name] as string;
  const [autovacuum, sharedBuffers, workMem] = [
    await setting('autovacuum'),
    await setting('shared_buffers'),
    await setting('work_mem'),
  ];
  const attempt = <T>(fn: () => T): T | null => {
    try {
      return fn();
    } catch {
      return null;
    }
  };
  const kafka = attempt(
    () =>
      /<kafka\.version>([^<]+)</.exec(readFileSync(path.resolve('infra/kafka/pom.xml'), 'utf8'))?.[1] ?? null,
  );
  const git = attempt(() =>
    execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim(),
  );
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    postgres: version,
    synchronousCommit: sync,
    fsync,
    autovacuum,
    sharedBuffers,
    workMem,
    kafka,
    quick,
    commit: git,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export function printTable(title: string, rows: Array<Record<string, unknown>>): void {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]!);
  const fmt = (v: unknown) =>
    typeof v === 'number'
      ? Number.isInteger(v)
        ? v.toLocaleString('en-US')
        : v.toFixed(2)
      : String(v ?? '');
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => fmt(r[c]).length)));
  console.log(cols.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(cols.map((c, i) => fmt(r[c]).padStart(widths[i]!)).join('  '));
}

export function writeResult(name: string, data: Record<string, unknown>): string {
  const dir = path.resolve('bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(data, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
  return file;
}

/** Runs `work` with `concurrency` workers for `seconds`; returns operations per second. */
export async function throughput(
  concurrency: number,
  seconds: number,
  work: (worker: number, i: number) => Promise<number>,
): Promise<number> {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      for (let i = 0; performance.now() < deadline; i++) done += await work(w, i);
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Drops a benchmark database. Without FORCE: terminating a peer library's idle connection would raise
 * an unhandled error in this process; a database still in use is reported and left behind instead.
 */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 200));
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  } catch (e) {
    console.error(`bench: could not drop database ${name}: ${(e as Error).message}`);
  } finally {
    await admin.end();
  }
}

export const actor = {
  id: 'bench',
  role: 'township_officer',
  department: 'intake',
  jurisdiction: '150802100000',
};
export const metadata = () => ({
  actor,
  correlationId: '01a21b7d-557c-7a89-a790-2e63cdc40712',
  causationId: null,
  occurredAt: new Date().toISOString(),
});
export const payload = (i: number) => ({
  caseId: '01a21b7d-557c-7a89-a790-2e63cdc40712',
  referralId: `r-${i}`,
  category: 'medical',
  amount: 1000 + (i % 97),
  note: '透析费用报销，金额按政策核定',
});

/** `--name=value` from the command line. */
export function option(name: string): string | undefined {
  const prefix = `--${name}=`;
  return process.argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
}

export interface CpuSnapshot {
  at: number;
  ticks: Record<string, number>;
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * CPU time used so far by each named service process, by PostgreSQL, by the Kafka broker, by this
 * process and by the whole machine, from /proc (Linux only; empty elsewhere). Two snapshots give the
 * cores each part used in between, which shows where a saturated machine spends itself.
 */
export function cpuSnapshot(services: Array<{ name: string; pid?: number }>): CpuSnapshot {
  const ticks: Record<string, number> = {};
  const add = (k: string, v: number) => (ticks[k] = (ticks[k] ?? 0) + v);
  const named = new Map(services.filter((s) => s.pid).map((s) => [s.pid!, s.name]));
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return { at: performance.now(), ticks };
  }
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const used = Number(fields[11]) + Number(fields[12]); // utime + stime
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const pid = Number(p);
      if (named.has(pid)) add(named.get(pid)!, used);
      else if (pid === process.pid) add('load generator', used);
      else if (comm === 'postgres') add('postgres', used);
      else if (comm === 'java' && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('kafka'))
        add('kafka', used);
    } catch {
      // the process ended meanwhile
    }
  }
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    add('machine', cpu.reduce((a, b) => a + b, 0) - cpu[3]! - (cpu[4] ?? 0)); // all but idle and iowait
  } catch {
    // not Linux
  }
  return { at: performance.now(), ticks };
}

/** Cores used by each part between two snapshots (1.00 = one core busy all the time). */
export function cpuShare(before: CpuSnapshot, after: CpuSnapshot): Record<string, number> {
  const seconds = (after.at - before.at) / 1000;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(after.ticks)) {
    out[k] = Math.round(((v - (before.ticks[k] ?? 0)) / TICKS_PER_SECOND / seconds) * 100) / 100;
  }
  return out;
}
