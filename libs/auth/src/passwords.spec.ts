import {
  hashPassword,
  PASSWORD_HASH_CONCURRENCY,
  PASSWORD_HASH_QUEUE,
  PasswordHashingBusyError,
  passwordHashingLoad,
  verifyPassword,
} from './passwords.js';

describe('password hashing', () => {
  it('verifies what it hashed', async () => {
    const stored = await hashPassword('Correct-Horse-7');
    expect(await verifyPassword('Correct-Horse-7', stored)).toBe(true);
    expect(await verifyPassword('wrong', stored)).toBe(false);
  });

  it('runs a bounded number of hashes at once and refuses a flood at once with a 503', async () => {
    const stored = await hashPassword('Correct-Horse-7');
    const flood = PASSWORD_HASH_CONCURRENCY + PASSWORD_HASH_QUEUE + 10;
    const started = performance.now();
    const outcomes = Array.from({ length: flood }, () =>
      verifyPassword('wrong', stored).then(
        () => 'checked',
        (e: unknown) => e,
      ),
    );
    expect(passwordHashingLoad()).toEqual({
      running: PASSWORD_HASH_CONCURRENCY,
      queued: PASSWORD_HASH_QUEUE,
    });
    const refusals = (await Promise.all(outcomes.slice(-10))) as PasswordHashingBusyError[];
    // Refused without waiting for any hash.
    expect(performance.now() - started).toBeLessThan(50);
    for (const r of refusals) {
      expect(r).toBeInstanceOf(PasswordHashingBusyError);
      expect(r.getStatus()).toBe(503);
    }
    expect(await Promise.all(outcomes.slice(0, -10))).toEqual(Array(flood - 10).fill('checked'));
    expect(passwordHashingLoad()).toEqual({ running: 0, queued: 0 });
  }, 60_000);
});
