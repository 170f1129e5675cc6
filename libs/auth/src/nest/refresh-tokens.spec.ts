import { createHash } from 'node:crypto';
import { dropSchema, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import { RefreshTokens, type RotateOutcome } from './refresh-tokens.js';

// Real PostgreSQL: two instances (each its own pool) exchanging the tokens of one database.
describe('refresh tokens: single use, families that end together', () => {
  let pools: Pool[];
  let schema: string;
  let a: RefreshTokens;
  let b: RefreshTokens;

  beforeAll(async () => {
    pools = [testPool(4), testPool(4)];
    schema = uniqueName('requests');
    a = new RefreshTokens(pools[0]!, schema, { ttlSeconds: 3600 });
    b = new RefreshTokens(pools[1]!, schema, { ttlSeconds: 3600 });
    await a.migrate(pools[0]!);
  });
  afterAll(async () => {
    await dropSchema(pools[0]!, schema);
    await Promise.all(pools.map((p) => p.end()));
  });

  const outcomeOf = (store: RefreshTokens, token: string) =>
    store.rotate(token, async (o: RotateOutcome) => o);
  /** Exchanges like the endpoint: spends the token and issues the next of its family. */
  const exchange = (store: RefreshTokens, token: string) =>
    store.rotate(token, async (o, tx) =>
      o.kind === 'rotated'
        ? {
            o,
            next: await store.issue(o.userId, o.tokenVersion, { id: o.familyId, expiresAt: o.expiresAt }, tx),
          }
        : { o, next: null },
    );
  const row = async (token: string) =>
    (
      await pools[0]!.query(`SELECT * FROM "${schema}".refresh_tokens WHERE token_hash = $1`, [
        createHash('sha256').update(token).digest('hex'),
      ])
    ).rows[0] as { family_id: string; used_at: Date | null; revoked_at: Date | null; expires_at: Date };

  it('stores only a digest; an exchange spends the token and continues the family to the same end', async () => {
    const first = await a.issue('u-1', 3);
    const stored = await row(first.refreshToken);
    expect(JSON.stringify(stored)).not.toContain(first.refreshToken);
    const { o, next } = await exchange(b, first.refreshToken);
    expect(o).toMatchObject({ kind: 'rotated', userId: 'u-1', tokenVersion: 3, familyId: stored.family_id });
    expect(next!.refreshExpiresAt).toBe(stored.expires_at.toISOString());
    expect((await row(next!.refreshToken)).family_id).toBe(stored.family_id);
    expect((await row(first.refreshToken)).used_at).not.toBeNull();
  });

  it('the same token shown twice at once, to two instances: one exchange, the other told it raced', async () => {
    const { refreshToken } = await a.issue('u-2', 0);
    const outcomes = await Promise.all([exchange(a, refreshToken), exchange(b, refreshToken)]);
    expect(outcomes.map((x) => x.o.kind).sort()).toEqual(['raced', 'rotated']);
  });

  it('a spent token shown again after the grace ends the family: the newer token stops working too', async () => {
    const first = await a.issue('u-3', 0);
    const { next } = await exchange(a, first.refreshToken);
    // The thief replays the first token a minute later.
    await pools[0]!.query(
      `UPDATE "${schema}".refresh_tokens SET used_at = now() - interval '1 minute' WHERE token_hash = $1`,
      [createHash('sha256').update(first.refreshToken).digest('hex')],
    );
    expect((await outcomeOf(b, first.refreshToken)).kind).toBe('reused');
    expect(await outcomeOf(a, next!.refreshToken)).toEqual({ kind: 'invalid', reason: 'revoked' });
  });

  it('refuses unknown, expired and logged-out tokens, and a failed exchange spends nothing', async () => {
    expect(await outcomeOf(a, 'not-a-token-we-issued-0123456789')).toEqual({
      kind: 'invalid',
      reason: 'unknown',
    });
    const short = new RefreshTokens(pools[0]!, schema, { ttlSeconds: 1 });
    const old = await short.issue('u-4', 0);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await outcomeOf(a, old.refreshToken)).toEqual({ kind: 'invalid', reason: 'expired' });
    const session = await a.issue('u-5', 0);
    expect(await a.revoke(session.refreshToken)).toBe(true);
    expect(await outcomeOf(b, session.refreshToken)).toEqual({ kind: 'invalid', reason: 'revoked' });
    expect(await a.revoke('never-issued-token-0123456789')).toBe(false);
    // The endpoint refuses inside the exchange (a disabled user): the token is not spent by a rollback.
    const kept = await a.issue('u-6', 0);
    await expect(
      a.rotate(kept.refreshToken, async () => {
        throw new Error('the database went away');
      }),
    ).rejects.toThrow('went away');
    expect((await row(kept.refreshToken)).used_at).toBeNull();
  });

  it('forgets sessions a day after they ended', async () => {
    const gone = await a.issue('u-7', 0);
    await pools[0]!.query(
      `UPDATE "${schema}".refresh_tokens SET expires_at = now() - interval '2 days' WHERE token_hash = $1`,
      [createHash('sha256').update(gone.refreshToken).digest('hex')],
    );
    expect(await a.sweep()).toBeGreaterThanOrEqual(1);
    expect(await row(gone.refreshToken)).toBeUndefined();
  });
});
