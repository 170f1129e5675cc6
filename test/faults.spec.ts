import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { requireDatabaseUrl } from '@platform/testing';

/**
 * The fault suite's short version (`npm run faults -- --quick`): the deployment of six processes over a
 * broker of its own runs the scenario undisturbed and then with every app and the broker killed and
 * restarted while it runs; the end states must be the same and no call may fail for good. The full run
 * (100 cases, one and two instances, a 30 s broker outage) is `npm run faults`; its figures are in
 * docs/reliability.md.
 */
describe('fault suite (--quick)', () => {
  it('ends as an undisturbed run does, with every app and the broker killed once', () => {
    const r = spawnSync(process.execPath, [path.resolve('dist/bench/faults.js'), '--quick'], {
      env: { ...process.env, DATABASE_URL: requireDatabaseUrl() },
      encoding: 'utf8',
      timeout: 600_000,
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect({ code: r.status, tail: r.status === 0 ? '' : out.slice(-6000) }).toEqual({ code: 0, tail: '' });
    expect(out).toContain('same end state: yes');
  }, 660_000);
});
