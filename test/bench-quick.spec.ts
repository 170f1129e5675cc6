import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { requireDatabaseUrl, requireKafkaBrokers } from '@platform/testing';

/**
 * Benchmarks are not timed tests: `npm test` only runs each with --quick so they keep working and
 * keep writing their results. Targets are read in docs/benchmarks.md, never asserted here.
 */
/** The start (where the error is named) and the end of a failed run's output. */
function excerpt(output: string): string {
  return output.length <= 6000 ? output : `${output.slice(0, 3000)}\n…\n${output.slice(-3000)}`;
}

describe('benchmarks (--quick)', () => {
  const names = [
    'append',
    'replay',
    'case-replay',
    'dashboard',
    'http',
    'referral-e2e',
    'verification',
    'register-lookup',
    'wakeup',
  ];

  // The verification benchmark's Kafka setup starts five services: referral-e2e already keeps that path
  // (services over the broker) working, so here it runs on the embedded platform only.
  const EXTRA: Record<string, string[]> = { verification: ['--parts=platform'] };

  it.each(names)(
    '%s runs and writes its JSON result',
    (name) => {
      const before = new Set(readdirSync(path.resolve('bench/results')));
      const r = spawnSync(
        process.execPath,
        [path.resolve(`dist/bench/${name}.bench.js`), '--quick', ...(EXTRA[name] ?? [])],
        {
          env: {
            ...process.env,
            DATABASE_URL: requireDatabaseUrl(),
            KAFKA_BROKERS: requireKafkaBrokers().join(','),
          },
          encoding: 'utf8',
          timeout: 240_000,
        },
      );
      expect({
        code: r.status,
        output: r.status === 0 ? '' : excerpt(`${r.stdout}\n${r.stderr}`),
      }).toEqual({ code: 0, output: '' });
      const written = readdirSync(path.resolve('bench/results')).filter(
        (f) => !before.has(f) && f.startsWith(`${name}-`),
      );
      expect(written).toHaveLength(1);
    },
    300_000,
  );
});
