import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
