import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PersonalDataProtection, personalDataSchemaOf } from '@platform/event-store';
import { eventually, freePort, requireDatabaseUrl } from '@platform/testing';
import type pg from 'pg';

export interface RunningService {
  name: string;
  url: string;
  output(): string;
  stop(): Promise<number | null>;
  /** `kill -9`: no shutdown hook runs. */
  kill(): Promise<number | null>;
}

/** Starts one app from dist/ as its own process and waits until /ready answers 200. */
/**
 * The settings every e2e service starts with: its own schemas under `prefix`, the test signing secret, a
 * clock the test can move, fast overdue scans and consumer retries, a small pool.
 */
export function e2eEnv(prefix: string, poolSize = 5): Record<string, string> {
  return {
    DATABASE_URL: requireDatabaseUrl(),
    DATABASE_SCHEMA_PREFIX: prefix,
    JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
    CLOCK_CONTROL: 'true',
    OVERDUE_SCAN_MS: '200',
    CONSUMER_RETRY_BASE_MS: '50',
    DATABASE_POOL_SIZE: String(poolSize),
  };
}

export async function startService(app: string, env: Record<string, string>): Promise<RunningService> {
  const port = await freePort();
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [path.resolve(`dist/apps/${app}/src/main.js`)], {
    // The e2e specs run on the demo city and its users (AUTH_DEMO_USERS is off unless set); a spec may override.
    env: { ...process.env, LOG_LEVEL: 'warn', AUTH_DEMO_USERS: 'true', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  let ready = false;
  try {
    await Promise.race([
      eventually(
        async () => {
          const r = await fetch(`${url}/ready`);
          return r.status === 200 ? true : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200, what: `${app} /ready` },
      ),
      exited.then((code) => {
        if (!ready) throw new Error(`${app} exited with ${code} before it was ready`);
      }),
    ]);
    ready = true;
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n--- ${app} output ---\n${out}`, { cause: e });
  }
  return {
    name: app,
    url,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** A valid resident ID from its first 17 digits (GB 11643-1999 check character). */
export function residentId(first17: string): string {
  return first17 + '10X98765432'[WEIGHTS.reduce((s, w, i) => s + w * Number(first17[i]), 0) % 11];
}

/**
 * Where a route is served: one URL for apps/platform, or a choice by path when each department runs as
 * its own process (`/cases` on intake, `/civil-affairs/…` on civil affairs).
 */
export type Base = string | ((route: string) => string);

export class Api {
  constructor(
    readonly base: Base,
    private token: string | null = null,
  ) {}

  as(token: string): Api {
    return new Api(this.base, token);
  }

  async login(username: string, password = 'Demo@2026'): Promise<string> {
    const r = await this.call('POST', '/auth/login', { username, password });
    if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body as { accessToken: string }).accessToken;
  }

  async call(
    method: string,
    route: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown; text: string }> {
    const base = typeof this.base === 'string' ? this.base : this.base(route);
    const res = await fetch(`${base}${route}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // HTML documents stay text
    }
    return { status: res.status, body: parsed, text };
  }

  /** Calls and insists on the status, reporting the body when it differs. */
  async ok<T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
    status = 200,
  ): Promise<T> {
    const r = await this.call(method, route, body);
    if (r.status !== status)
      throw new Error(`${method} ${route}: expected ${status}, got ${r.status}: ${r.text}`);
    return r.body as T;
  }
}

/**
 * Rows of an event table read in plain SQL, with the personal values the services sealed opened again (the
 * e2e services run without PERSONAL_DATA_KEY, so their keys are stored unwrapped under `prefix`).
 */
export async function openedRows<T extends { data: unknown }>(
  pool: pg.Pool,
  prefix: string,
  rows: T[],
): Promise<T[]> {
  const protection = new PersonalDataProtection({ pool, schema: personalDataSchemaOf(prefix) });
  try {
    const data = await protection.open(rows);
    return rows.map((r, n) => ({ ...r, data: data[n] }));
  } finally {
    await protection.close();
  }
}
