import type { PlatformConfig } from '@platform/config';
import {
  eventStoreMigrations,
  idempotencyScope,
  PostgresEventStore,
  runMigrations,
  StreamVersionConflict,
  withTransaction,
} from '@platform/event-store';
import { dropSchema, testEvent, testPool, uniqueName } from '@platform/testing';
import type { Pool } from 'pg';
import { IdempotencyKeys, requestFingerprint, requestsSchemaOf } from './idempotency.js';

// Real PostgreSQL: the key store, and the event store marking a key in the events' own transaction.
describe('Idempotency keys', () => {
  let pool: Pool;
  let prefix: string;
  let keys: IdempotencyKeys;
  let store: PostgresEventStore;
  let eventSchema: string;

  beforeAll(async () => {
    pool = testPool(6);
    prefix = uniqueName('idem');
    keys = new IdempotencyKeys(pool, pool, { DATABASE_SCHEMA_PREFIX: prefix } as PlatformConfig, 'intake');
    await keys.onModuleInit();
    eventSchema = `${prefix}_events`;
    await runMigrations(pool, eventSchema, eventStoreMigrations);
    store = new PostgresEventStore({ pool, schema: eventSchema });
  });
  afterAll(async () => {
    keys.onApplicationShutdown();
    await dropSchema(pool, requestsSchemaOf(prefix));
    await dropSchema(pool, eventSchema);
    await pool.end();
  });

  const row = async (user: string, key: string) =>
    (
      await pool.query<{ committed: boolean; status: number | null; body: string | null }>(
        `SELECT committed_at IS NOT NULL AS committed, response_status AS status, response_body AS body
           FROM ${keys.table} WHERE service = 'intake' AND user_id = $1 AND key = $2`,
        [user, key],
      )
    ).rows[0];

  it('the fingerprint ignores key order and tells bodies, paths and methods apart', () => {
    const a = requestFingerprint('POST', '/cases', { a: 1, b: [1, 2] });
    expect(requestFingerprint('POST', '/cases', { b: [1, 2], a: 1 })).toBe(a);
    expect(requestFingerprint('POST', '/cases', { a: 1, b: [2, 1] })).not.toBe(a);
    expect(requestFingerprint('POST', '/cases?x=1', { a: 1, b: [1, 2] })).not.toBe(a);
    expect(requestFingerprint('PUT', '/cases', { a: 1, b: [1, 2] })).not.toBe(a);
  });

  it('claims a new key once; a repeat while it runs is told to wait, with the seconds to wait', async () => {
    const fp = requestFingerprint('POST', '/x', { n: 1 });
    expect(await keys.claim('u1', 'k-run', fp, 'POST', '/x')).toEqual({ kind: 'run' });
    const again = await keys.claim('u1', 'k-run', fp, 'POST', '/x');
    expect(again.kind).toBe('refuse');
    if (again.kind !== 'refuse') return;
    expect(again.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(again.error.status).toBe(409);
    expect(again.error.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(again.error.details.retryAfterSeconds).toBeLessThanOrEqual(10);
  });

  it('replays the stored answer; the same key with another body is refused 422 naming the header', async () => {
    const fp = requestFingerprint('POST', '/x', { n: 2 });
    expect((await keys.claim('u1', 'k-answer', fp, 'POST', '/x')).kind).toBe('run');
    await keys.answer('u1', 'k-answer', 201, { caseId: 'c-1', 名: '张三' });
    expect(await keys.claim('u1', 'k-answer', fp, 'POST', '/x')).toEqual({
      kind: 'replay',
      status: 201,
      body: { caseId: 'c-1', 名: '张三' },
    });
    const other = await keys.claim(
      'u1',
      'k-answer',
      requestFingerprint('POST', '/x', { n: 3 }),
      'POST',
      '/x',
    );
    expect(other.kind === 'refuse' && other.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(other.kind === 'refuse' && other.error.status).toBe(422);
    expect(other.kind === 'refuse' && other.error.message).toContain('Idempotency-Key');
    // Keys are per user: another user's identical key is a different request.
    expect((await keys.claim('u2', 'k-answer', fp, 'POST', '/x')).kind).toBe('run');
  });

  it('a failed request that committed nothing lets its key go; a retry runs afresh', async () => {
    const fp = requestFingerprint('POST', '/x', { n: 4 });
    expect((await keys.claim('u1', 'k-fail', fp, 'POST', '/x')).kind).toBe('run');
    await keys.release('u1', 'k-fail');
    expect(await row('u1', 'k-fail')).toBeUndefined();
    expect((await keys.claim('u1', 'k-fail', fp, 'POST', '/x')).kind).toBe('run');
  });

  it('a holder that died before committing is replaced once its lease has run out, not before', async () => {
    const fp = requestFingerprint('POST', '/x', { n: 5 });
    expect((await keys.claim('u1', 'k-dead', fp, 'POST', '/x')).kind).toBe('run');
    expect((await keys.claim('u1', 'k-dead', fp, 'POST', '/x')).kind).toBe('refuse');
    await pool.query(
      `UPDATE ${keys.table} SET locked_until = now() - interval '1 second' WHERE key = 'k-dead'`,
    );
    expect((await keys.claim('u1', 'k-dead', fp, 'POST', '/x')).kind).toBe('run');
    // Another body never takes over a key, lease or not.
    await pool.query(
      `UPDATE ${keys.table} SET locked_until = now() - interval '1 second' WHERE key = 'k-dead'`,
    );
    const other = await keys.claim('u1', 'k-dead', requestFingerprint('POST', '/x', { n: 6 }), 'POST', '/x');
    expect(other.kind === 'refuse' && other.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a key older than 24 hours answers no more: it is taken afresh, and the sweep removes such keys', async () => {
    const fp = requestFingerprint('POST', '/x', { n: 7 });
    expect((await keys.claim('u1', 'k-old', fp, 'POST', '/x')).kind).toBe('run');
    await keys.answer('u1', 'k-old', 201, { first: true });
    await pool.query(
      `UPDATE ${keys.table} SET created_at = now() - interval '24 hours 1 second' WHERE key = 'k-old'`,
    );
    expect((await keys.claim('u1', 'k-old', fp, 'POST', '/x')).kind).toBe('run');
    expect(await row('u1', 'k-old')).toEqual({ committed: false, status: null, body: null });
    await pool.query(`UPDATE ${keys.table} SET created_at = now() - interval '25 hours' WHERE key = 'k-old'`);
    await pool.query(
      `UPDATE ${keys.table} SET created_at = now() - interval '23 hours' WHERE key = 'k-answer'`,
    );
    expect(await keys.sweep()).toBe(1);
    expect(await row('u1', 'k-old')).toBeUndefined();
    expect(await row('u1', 'k-answer')).toBeDefined();
  });

  describe('the event store marks the key in the events’ transaction', () => {
    const claimed = async (key: string) => {
      expect(
        (await keys.claim('u1', key, requestFingerprint('POST', '/y', { key }), 'POST', '/y')).kind,
      ).toBe('run');
      return keys.mark('u1', key);
    };

    it('an append that commits on its own marks its key', async () => {
      const mark = await claimed('m-alone');
      await idempotencyScope.run(mark, () =>
        store.appendToStream('s-alone', [testEvent('A', {})], { expectedVersion: 'no_stream' }),
      );
      expect((await row('u1', 'm-alone'))?.committed).toBe(true);
    });

    it('an append refused for its version marks nothing', async () => {
      await store.appendToStream('s-conflict', [testEvent('A', {})], { expectedVersion: 'no_stream' });
      const mark = await claimed('m-conflict');
      await expect(
        idempotencyScope.run(mark, () =>
          store.appendToStream('s-conflict', [testEvent('B', {})], { expectedVersion: 'no_stream' }),
        ),
      ).rejects.toBeInstanceOf(StreamVersionConflict);
      expect((await row('u1', 'm-conflict'))?.committed).toBe(false);
    });

    it('in a caller’s transaction the mark commits or rolls back with the events', async () => {
      const rolledBack = await claimed('m-rollback');
      await expect(
        withTransaction(pool, async (tx) => {
          await idempotencyScope.run(rolledBack, () =>
            store.appendToStream('s-rollback', [testEvent('A', {})], {
              expectedVersion: 'no_stream',
              transaction: tx,
            }),
          );
          throw new Error('crash before commit');
        }),
      ).rejects.toThrow('crash before commit');
      expect((await row('u1', 'm-rollback'))?.committed).toBe(false);
      expect(await store.readStream('s-rollback')).toHaveLength(0);

      const committed = await claimed('m-commit');
      await withTransaction(pool, (tx) =>
        idempotencyScope.run(committed, () =>
          store.appendToStream('s-commit', [testEvent('A', {})], {
            expectedVersion: 'no_stream',
            transaction: tx,
          }),
        ),
      );
      expect((await row('u1', 'm-commit'))?.committed).toBe(true);
      expect(await store.readStream('s-commit')).toHaveLength(1);
    });

    it('a committed key without a stored answer tells the retry the request was done, not to repeat it', async () => {
      const fp = requestFingerprint('POST', '/y', { key: 'm-commit' });
      // While its holder's lease runs, the answer is still coming: wait.
      const early = await keys.claim('u1', 'm-commit', fp, 'POST', '/y');
      expect(early.kind === 'refuse' && early.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      // The lease ran out without an answer: the holder died after the commit.
      await pool.query(
        `UPDATE ${keys.table} SET locked_until = now() - interval '1 second' WHERE key = 'm-commit'`,
      );
      const retry = await keys.claim('u1', 'm-commit', fp, 'POST', '/y');
      expect(retry.kind === 'refuse' && retry.error.code).toBe('IDEMPOTENCY_ANSWER_LOST');
      expect(retry.kind === 'refuse' && retry.error.message).toMatch(
        /已于 \d{4}-\d\d-\d\d \d\d:\d\d:\d\d（北京时间）办理完成/,
      );
      // Not released by a later failure either: the events exist.
      await keys.release('u1', 'm-commit');
      expect((await row('u1', 'm-commit'))?.committed).toBe(true);
    });

    it('appends outside the scope mark nothing', async () => {
      await claimed('m-outside');
      await store.appendToStream('s-outside', [testEvent('A', {})], { expectedVersion: 'no_stream' });
      expect((await row('u1', 'm-outside'))?.committed).toBe(false);
    });
  });
});
