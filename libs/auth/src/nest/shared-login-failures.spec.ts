import { runMigrations } from '@platform/event-store';
import { dropSchema, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import { DEFAULT_LOGIN_LIMITS, LoginLimiter, type LoginLimits } from '../login-limiter.js';
import { REQUESTS_MIGRATIONS } from './idempotency.js';
import { SharedLoginFailures } from './shared-login-failures.js';

// Real PostgreSQL: two instances of a service, each its own limiter and pool, one shared budget.
describe('failed logins counted across instances', () => {
  let pools: Pool[];
  let schema: string;

  beforeAll(async () => {
    pools = [testPool(2), testPool(2)];
    schema = uniqueName('requests');
    await runMigrations(pools[0]!, schema, REQUESTS_MIGRATIONS);
  });
  afterAll(async () => {
    await dropSchema(pools[0]!, schema);
    await Promise.all(pools.map((p) => p.end()));
  });

  const instances = (limits: LoginLimits = DEFAULT_LOGIN_LIMITS) =>
    pools.map((pool) => ({
      limiter: new LoginLimiter(limits),
      shared: new SharedLoginFailures(pool, schema, limits),
    }));

  /** Whether an instance would let one more attempt go on (its place given back at once). */
  const probe = async (
    i: { limiter: LoginLimiter; shared: SharedLoginFailures },
    address: string,
    user: string,
  ) => {
    const a = i.limiter.admit(address, user, await i.shared.reserve(address, user));
    await i.shared.release(address, user);
    return a;
  };

  /** One wrong password at an instance, as the login endpoint handles it. */
  const fail = async (
    i: { limiter: LoginLimiter; shared: SharedLoginFailures },
    address: string,
    user: string,
  ) => {
    const a = i.limiter.admit(address, user, await i.shared.reserve(address, user));
    if (!a.allowed) {
      await i.shared.release(address, user);
      return a;
    }
    a.attempt.failed();
    return a;
  };

  it('a burst of wrong passwords sent at once to two instances gets at most the pair’s ten checks in all', async () => {
    const [a, b] = instances();
    // Each request as the endpoint handles it: reserve, admit, a password check that takes a while, failure.
    const attempt = async (i: { limiter: LoginLimiter; shared: SharedLoginFailures }) => {
      const shared = await i.shared.reserve('10.9.0.1', 'city.health');
      const admission = i.limiter.admit('10.9.0.1', 'city.health', shared);
      if (!admission.allowed) {
        await i.shared.release('10.9.0.1', 'city.health');
        return 'refused';
      }
      await new Promise((r) => setTimeout(r, 30));
      admission.attempt.failed();
      return 'checked';
    };
    const outcomes = await Promise.all(Array.from({ length: 40 }, (_, n) => attempt(n % 2 ? b! : a!)));
    expect(outcomes.filter((o) => o === 'checked')).toHaveLength(10);
    // The refused ones gave their places back: exactly the ten checked remain counted.
    expect((await a!.shared.counts('10.9.0.1', 'city.health')).pair.failures).toBe(10);
  });

  it('a right password gives its place back on every instance’s count', async () => {
    const [a, b] = instances();
    const shared = await a!.shared.reserve('10.8.0.1', 'linhe.window');
    expect(shared.pair.failures).toBe(1);
    // While it is being checked the other instance sees it.
    expect((await b!.shared.counts('10.8.0.1', 'linhe.window')).pair.failures).toBe(1);
    const admission = a!.limiter.admit('10.8.0.1', 'linhe.window', shared);
    expect(admission.allowed).toBe(true);
    if (admission.allowed) admission.attempt.succeeded();
    await a!.shared.release('10.8.0.1', 'linhe.window');
    expect(await b!.shared.counts('10.8.0.1', 'linhe.window')).toMatchObject({
      address: { failures: 0 },
      pair: { failures: 0 },
      account: { failures: 0 },
    });
  });

  it('ten wrong passwords for one account from one address, spread over two instances, lock the pair on both', async () => {
    const [a, b] = instances();
    for (let n = 0; n < 10; n++)
      expect((await fail(n % 2 ? b! : a!, '10.0.0.1', 'linhe.health')).allowed).toBe(true);
    for (const i of [a!, b!]) {
      const next = await probe(i, '10.0.0.1', 'linhe.health');
      expect(next).toMatchObject({ allowed: false, scope: 'address-account' });
      expect(!next.allowed && next.retryAfterSeconds).toBeGreaterThan(500);
    }
    // Another address for the same account is not locked (only slowed past the account's budget).
    expect((await probe(b!, '10.0.0.2', 'linhe.health')).allowed).toBe(true);
  });

  it('thirty guesses at thirty accounts from one address, spread over two instances, lock the address on both', async () => {
    const [a, b] = instances();
    for (let n = 0; n < 30; n++)
      expect((await fail(n % 2 ? b! : a!, '10.1.0.1', `user${n}`)).allowed).toBe(true);
    for (const i of [a!, b!]) {
      expect(await probe(i, '10.1.0.1', 'user99')).toMatchObject({
        allowed: false,
        scope: 'address',
      });
    }
  });

  it('a window that has run out starts again, and no address or username is stored in clear', async () => {
    const short: LoginLimits = { ...DEFAULT_LOGIN_LIMITS, perAddressAccount: { limit: 2, windowMs: 400 } };
    const [a, b] = instances(short);
    await fail(a!, '10.2.0.1', 'shuanghe.window');
    await fail(b!, '10.2.0.1', 'shuanghe.window');
    expect((await probe(a!, '10.2.0.1', 'shuanghe.window')).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    const fresh = await b!.shared.counts('10.2.0.1', 'shuanghe.window');
    expect(fresh.pair.failures).toBe(0);
    await fail(b!, '10.2.0.1', 'shuanghe.window');
    expect((await a!.shared.counts('10.2.0.1', 'shuanghe.window')).pair.failures).toBe(1);
    const { rows } = await pools[0]!.query(`SELECT key FROM "${schema}".login_failures`);
    expect(rows.length).toBeGreaterThan(0);
    for (const { key } of rows) expect(key).toMatch(/^[0-9a-f]{64}$/);
  });
});
