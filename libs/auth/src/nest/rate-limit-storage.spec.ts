import { runMigrations } from '@platform/event-store';
import { dropSchema, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import { REQUESTS_MIGRATIONS } from './idempotency.js';
import { PostgresThrottlerStorage } from './rate-limit-storage.js';

// Real PostgreSQL: two instances of a service count one address together.
describe('public rate limits shared by every instance', () => {
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

  it('counts hits from two instances together and blocks past the limit on both', async () => {
    const [a, b] = pools.map((p) => new PostgresThrottlerStorage(p, schema));
    const hits = [];
    // Limit 5 per 60 s; blocked 1 s once over it. Alternate between the instances.
    for (let i = 0; i < 6; i++)
      hits.push(await (i % 2 ? b! : a!).increment('addr-1', 60_000, 5, 1_000, 'default'));
    expect(hits.map((h) => h.totalHits)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(hits.map((h) => h.isBlocked)).toEqual([false, false, false, false, false, true]);
    expect(hits[5]!.timeToBlockExpire).toBe(1);
    expect(hits[0]!.timeToExpire).toBeGreaterThan(58);
    // Blocked on the other instance too; another address is not.
    expect((await b!.increment('addr-1', 60_000, 5, 1_000, 'default')).isBlocked).toBe(true);
    expect((await b!.increment('addr-2', 60_000, 5, 1_000, 'default')).isBlocked).toBe(false);
    // Sent at once, 20 hits of a fresh address are each counted.
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a! : b!).increment('addr-3', 60_000, 100, 1_000, 'default'),
      ),
    );
    expect(burst.map((h) => h.totalHits).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('starts a new window once the old one has passed', async () => {
    const s = new PostgresThrottlerStorage(pools[0]!, schema);
    await s.increment('addr-4', 300, 1, 300, 'default');
    expect((await s.increment('addr-4', 300, 1, 300, 'default')).isBlocked).toBe(true);
    await new Promise((r) => setTimeout(r, 700));
    const fresh = await s.increment('addr-4', 300, 1, 300, 'default');
    expect(fresh).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
