import http from 'node:http';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from '@platform/testing';

export interface Service {
  name: string;
  pid?: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts an app from dist/ as its own process and waits for /ready. */
export function startApp(app: string, env: Record<string, string>): Promise<Service> {
  // The benchmarks log in as demo users: AUTH_DEMO_USERS is off unless set.
  return startScript(app, path.resolve(`dist/apps/${app}/src/main.js`), { AUTH_DEMO_USERS: 'true', ...env });
}

/** Starts a built script as its own process on a free PORT and waits until GET /ready answers 200. */
export async function startScript(
  name: string,
  script: string,
  env: Record<string, string>,
): Promise<Service> {
  const port = await freePort();
  let out = '';
  // BENCH_NODE_ARGS passes flags to the services, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them.
  const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, LOG_LEVEL: 'error', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let stopping = false;
  // A part that dies by itself says why (kill -9 by a fault suite is expected and stays quiet).
  child.once('exit', (code, signal) => {
    if (!stopping && signal !== 'SIGKILL')
      console.error(`\n${name} exited by itself (${code ?? signal}); its last output:\n${out.slice(-4000)}`);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited: ${out}`);
    try {
      if ((await fetch(`${url}/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready: ${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    pid: child.pid,
    url,
    stop: () =>
      new Promise((resolve) => {
        stopping = true;
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

export async function login(url: string, username: string): Promise<string> {
  const r = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'Demo@2026' }),
  });
  return ((await r.json()) as { accessToken: string }).accessToken;
}

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
let serial = 0;
/** A valid resident ID, unique for the first ten million calls of a run (region 150802, born 1970–1999). */
export function nextResidentId(): string {
  serial++;
  const year = 1970 + (serial % 30);
  const month = String(1 + (Math.floor(serial / 30) % 12)).padStart(2, '0');
  const day = String(1 + (Math.floor(serial / 360) % 28)).padStart(2, '0');
  const seq = String(Math.floor(serial / 10_080) % 1000).padStart(3, '0');
  const body = `150802${year}${month}${day}${seq}`;
  return body + '10X98765432'[WEIGHTS.reduce((s, w, i) => s + w * Number(body[i]), 0) % 11];
}

export function caseBody(categories: string[]) {
  return JSON.stringify({
    channel: 'window',
    villageCode: '150802100201',
    household: [{ name: '压测申请人', idNumber: nextResidentId(), relationship: 'applicant' }],
    needs: categories.map((category) => ({ category, description: '压测需求' })),
    consentToShare: true,
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * POST with a keep-alive agent. The load generator shares the cores with the services it measures;
 * plain node:http costs it a fraction of what fetch does.
 */
export function post(
  url: string,
  body: string | null,
  headers: Record<string, string>,
): Promise<{ status: number; json: () => unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}
