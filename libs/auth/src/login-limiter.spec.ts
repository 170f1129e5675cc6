import { DEFAULT_LOGIN_LIMITS, LoginLimiter, type LoginLimits } from './login-limiter.js';

const MINUTE = 60_000;

describe('LoginLimiter', () => {
  let now: number;
  const limiter = (limits: LoginLimits = DEFAULT_LOGIN_LIMITS) => new LoginLimiter(limits, () => now);
  beforeEach(() => {
    now = Date.parse('2026-11-28T00:00:00Z');
  });

  /** One attempt that fails; returns the refusal, or undefined when it was let through. */
  const fail = (l: LoginLimiter, address: string, username: string) => {
    const a = l.admit(address, username);
    if (!a.allowed) return a;
    a.attempt.failed();
    return undefined;
  };

  it('refuses an address after 30 failures spread over many accounts, for the rest of its window', () => {
    const l = limiter();
    for (let i = 0; i < 30; i++) expect(fail(l, '10.0.0.1', `user${i}`)).toBeUndefined();
    const refused = l.admit('10.0.0.1', 'shuanghe.window');
    expect(refused).toEqual({ allowed: false, scope: 'address', retryAfterSeconds: 600 });
    now += 4 * MINUTE;
    expect(l.admit('10.0.0.1', 'user99')).toMatchObject({ allowed: false, retryAfterSeconds: 360 });
    // Another address is not affected, and the first one may try again once the window has passed.
    expect(l.admit('10.0.0.2', 'user0').allowed).toBe(true);
    now += 6 * MINUTE;
    expect(l.admit('10.0.0.1', 'user0').allowed).toBe(true);
  });

  it('an address locked out for one account is also refused on the others (the 16 free guesses are gone)', () => {
    const l = limiter({ ...DEFAULT_LOGIN_LIMITS, perAddress: { limit: 12, windowMs: 10 * MINUTE } });
    for (let i = 0; i < 10; i++) fail(l, '10.0.0.1', 'linhe.health');
    expect(l.admit('10.0.0.1', 'linhe.health')).toMatchObject({ allowed: false, scope: 'address-account' });
    const others = Array.from({ length: 16 }, (_, i) => fail(l, '10.0.0.1', `other${i}`));
    expect(others.filter((r) => r === undefined)).toHaveLength(2);
    expect(others[2]).toMatchObject({ allowed: false, scope: 'address' });
  });

  it('limits one address on one account to 10 failures, and never locks the account for other addresses', () => {
    const l = limiter();
    for (let i = 0; i < 10; i++) expect(fail(l, 'proxy', 'linhe.health')).toBeUndefined();
    expect(l.admit('proxy', 'linhe.health')).toMatchObject({
      allowed: false,
      scope: 'address-account',
      retryAfterSeconds: 600,
    });
    const elsewhere = l.admit('10.9.9.9', 'linhe.health');
    expect(elsewhere).toMatchObject({ allowed: true, attempt: { slowDownMs: 0 } });
    // The same proxy may still log in to other accounts.
    expect(l.admit('proxy', 'shuanghe.window').allowed).toBe(true);
  });

  it('slows an account that failed 100 times from all addresses together, without refusing it', () => {
    const l = limiter();
    for (let i = 0; i < 100; i++)
      expect(fail(l, `10.1.${i >> 8}.${i & 255}`, 'linhe.health')).toBeUndefined();
    const next = l.admit('10.2.0.1', 'linhe.health');
    expect(next).toMatchObject({ allowed: true, attempt: { slowDownMs: 2_000 } });
    expect(l.admit('10.2.0.1', 'shuanghe.window')).toMatchObject({ attempt: { slowDownMs: 0 } });
    now += 10 * MINUTE;
    expect(l.admit('10.2.0.2', 'linhe.health')).toMatchObject({ attempt: { slowDownMs: 0 } });
  });

  it('does not count successful logins', () => {
    const l = limiter();
    for (let i = 0; i < 200; i++) {
      const a = l.admit('office', 'shuanghe.window');
      expect(a.allowed).toBe(true);
      if (a.allowed) a.attempt.succeeded();
    }
    for (let i = 0; i < 10; i++) expect(fail(l, 'office', 'shuanghe.window')).toBeUndefined();
    expect(l.admit('office', 'shuanghe.window').allowed).toBe(false);
  });

  it('counts attempts still in progress, so a parallel burst cannot pass a limit before the first failure', () => {
    const l = limiter();
    const admitted = Array.from({ length: 50 }, (_, i) => l.admit('burst', `user${i}`)).filter(
      (a) => a.allowed,
    );
    expect(admitted).toHaveLength(30);
    // Settling twice counts once; the successes free their places.
    for (const a of admitted.slice(0, 10)) {
      if (a.allowed) {
        a.attempt.succeeded();
        a.attempt.failed();
      }
    }
    expect(l.admit('burst', 'another').allowed).toBe(true);
  });

  it('keeps at most maxEntries keys per counter', () => {
    const l = limiter({ ...DEFAULT_LOGIN_LIMITS, maxEntries: 100 });
    for (let i = 0; i < 1_000; i++) fail(l, `10.3.${i >> 8}.${i & 255}`, `user${i}`);
    const sizes = l.sizes();
    expect(sizes.addresses).toBeLessThanOrEqual(100);
    expect(sizes.pairs).toBeLessThanOrEqual(100);
    expect(sizes.accounts).toBeLessThanOrEqual(100);
  });
});
