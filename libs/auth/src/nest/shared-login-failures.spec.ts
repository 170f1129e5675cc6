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

  /** One wrong password at an instance, as the login endpoint handles it. */
  const fail = async (
    i: { limiter: LoginLimiter; shared: SharedLoginFailures },
    address: string,
    user: string,
  ) => {
    const a = i.limiter.admit(address, user, await i.shared.counts(address, user));
    if (!a.allowed) return a;
    a.attempt.failed();
    await i.shared.record(address, user);
    return a;
  };

  it('ten wrong passwords for one account from one address, spread over two instances, lock the pair on both', async () => {
    const [a, b] = instances();
    for (let n = 0; n < 10; n++)
      expect((await fail(n % 2 ? b! : a!, '10.0.0.1', 'linhe.health')).allowed).toBe(true);
    for (const i of [a!, b!]) {
      const next = i.limiter.admit(
        '10.0.0.1',
        'linhe.health',
        await i.shared.counts('10.0.0.1', 'linhe.health'),
      );
      expect(next).toMatchObject({ allowed: false, scope: 'address-account' });
      expect(!next.allowed && next.retryAfterSeconds).toBeGreaterThan(500);
    }
    // Another address for the same account is not locked (only slowed past the account's budget).
    expect(
      b!.limiter.admit('10.0.0.2', 'linhe.health', await b!.shared.counts('10.0.0.2', 'linhe.health'))
        .allowed,
    ).toBe(true);
  });

  it('thirty guesses at thirty accounts from one address, spread over two instances, lock the address on both', async () => {
    const [a, b] = instances();
    for (let n = 0; n < 30; n++)
      expect((await fail(n % 2 ? b! : a!, '10.1.0.1', `user${n}`)).allowed).toBe(true);
    for (const i of [a!, b!]) {
      expect(
        i.limiter.admit('10.1.0.1', 'user99', await i.shared.counts('10.1.0.1', 'user99')),
      ).toMatchObject({
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
    expect(
      a!.limiter.admit('10.2.0.1', 'shuanghe.window', await a!.shared.counts('10.2.0.1', 'shuanghe.window'))
        .allowed,
    ).toBe(false);
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
