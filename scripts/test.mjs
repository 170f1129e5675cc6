// `npm test`: static checks, then every test against real infrastructure.
// Starts what is missing: a local Kafka broker (scripts/kafka.sh) unless KAFKA_BROKERS is set,
// and an embedded PostgreSQL unless DATABASE_URL is set. Stops what it started.
// Extra arguments go to Jest: `npm test -- libs/event-store` runs one folder, and skips the static checks.
import { spawnSync, spawn } from 'node:child_process';
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
  const focused = jestArgs.some((a) => !a.startsWith('-'));
  if (!focused) {
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
  code = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '--experimental-vm-modules',
        '--no-warnings=ExperimentalWarning',
        'node_modules/jest/bin/jest.js',
        '--maxWorkers=2',
        ...jestArgs,
      ],
      { cwd: root, stdio: 'inherit', env },
    );
    child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0)));
    for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  });
} catch (e) {
  if (e !== 1) console.error(e);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
