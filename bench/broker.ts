// A Kafka broker of a benchmark's own (scripts/kafka.sh on spare ports and its own state folder), so that
// it can be killed, stopped and started without disturbing anything else on the machine.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '@platform/testing';

export interface OwnBroker {
  address: string;
  start(): void;
  /** A clean stop (SIGTERM, waits for the broker to exit). */
  stop(): void;
  /** kill -9, then waits until the process is gone. */
  kill(): void;
  /** Stops it and removes its data. */
  remove(): void;
}

export async function ownBroker(name: string): Promise<OwnBroker> {
  const stateDir = `/tmp/${name}-kafka`;
  const port = await freePort();
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    KAFKA_STATE_DIR: stateDir,
  };
  const run = (command: 'start' | 'stop') => {
    const r = spawnSync('bash', [path.resolve('scripts/kafka.sh'), command], { env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kafka.sh ${command}: ${r.stdout}${r.stderr}`);
  };
  return {
    address: `127.0.0.1:${port}`,
    start: () => run('start'),
    stop: () => run('stop'),
    kill: () => {
      const pid = Number(readFileSync(path.join(stateDir, 'broker.pid'), 'utf8'));
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      spawnSync('bash', ['-c', `while kill -0 ${pid} 2>/dev/null; do sleep 0.05; done`]);
    },
    remove: () => {
      try {
        run('stop');
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    },
  };
}
