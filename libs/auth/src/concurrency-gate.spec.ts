import { ConcurrencyGate, GateFullError } from './concurrency-gate.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ConcurrencyGate', () => {
  it('runs at most maxConcurrent at once, queues maxQueued more in order, and refuses the rest at once', async () => {
    const gate = new ConcurrencyGate(2, 3);
    const blockers = Array.from({ length: 5 }, deferred);
    const started: number[] = [];
    const runs = blockers.map((b, i) =>
      gate.run(async () => {
        started.push(i);
        await b.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(gate.stats()).toEqual({ running: 2, queued: 3 });
    await expect(gate.run(async () => 'too many')).rejects.toBeInstanceOf(GateFullError);

    blockers[1]!.resolve();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    for (const b of blockers) b.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(gate.stats()).toEqual({ running: 0, queued: 0 });
  });

  it('frees its place when an operation fails', async () => {
    const gate = new ConcurrencyGate(1, 0);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'ok')).toBe('ok');
  });
});
