import { requireDatabaseUrl, uniqueName } from '@platform/testing';
import pg from 'pg';
import { Api, openedRows, residentId, startService, type RunningService } from './harness.js';

/**
 * A retry after a lost answer gets the first answer (apps/platform as its own process, real PostgreSQL):
 * the same Idempotency-Key and request never run twice — repeated, sent at once, after the client gave
 * up waiting, or after `kill -9` of the platform in the middle of the request.
 */
describe('Idempotency-Key: retries get the first answer', () => {
  const prefix = uniqueName('idem');
  const env = {
    DATABASE_URL: requireDatabaseUrl(),
    DATABASE_SCHEMA_PREFIX: prefix,
    JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
    TRANSPORT: 'event-log',
    KAFKA_BROKERS: '',
    DATABASE_POOL_SIZE: '6',
  };
  let platform: RunningService;
  let token: string;
  let pool: pg.Pool;
  let person = 0;

  beforeAll(async () => {
    platform = await startService('platform', env);
    token = await new Api(platform.url).login('shuanghe.window');
    pool = new pg.Pool({ connectionString: requireDatabaseUrl(), max: 2 });
  }, 150_000);

  afterAll(async () => {
    await platform?.stop();
    await pool?.end();
  });

  /** A household no other test uses (one applicant, a medical need). */
  const caseBody = () => ({
    channel: 'window',
    villageCode: '150802100201',
    household: [
      {
        name: '幂等测试',
        idNumber: residentId(`15080219750315${String(++person).padStart(3, '0')}`),
        relationship: 'applicant',
      },
    ],
    needs: [{ category: 'medical', description: '住院费用' }],
    consentToShare: true,
  });

  const send = async (method: string, path: string, body: unknown, key?: string, signal?: AbortSignal) => {
    const r = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(key !== undefined ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
      signal,
    });
    const text = await r.text();
    return {
      status: r.status,
      body: (text ? JSON.parse(text) : null) as Record<string, unknown>,
      replayed: r.headers.get('idempotent-replayed'),
      retryAfter: r.headers.get('retry-after'),
    };
  };

  /** The case streams opened for this ID number, in intake's own event log (its household is sealed). */
  const casesOf = async (idNumber: string) => {
    const { rows } = await pool.query<{ stream_id: string; data: unknown }>(
      `SELECT stream_id, data FROM "${prefix}_intake".events WHERE event_type = 'intake.CaseOpened'`,
    );
    return (await openedRows(pool, prefix, rows))
      .filter((r) =>
        (r.data as { household: Array<{ idNumber: string }> }).household.some((m) => m.idNumber === idNumber),
      )
      .map((r) => r.stream_id);
  };
  const casesFor = async (idNumber: string) => (await casesOf(idNumber)).length;
  const eventCount = async () =>
    Number(
      (await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${prefix}_intake".events`)).rows[0]!.n,
    );

  it('a repeat gets the first answer, marked as replayed, and records nothing more', async () => {
    const body = caseBody();
    const first = await send('POST', '/cases', body, 'open-1');
    expect(first.status).toBe(201);
    expect(first.replayed).toBeNull();
    const events = await eventCount();
    const again = await send('POST', '/cases', { ...body }, 'open-1');
    expect(again.status).toBe(201);
    expect(again.replayed).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await eventCount()).toBe(events);
    expect(await casesFor(body.household[0]!.idNumber)).toBe(1);
    // Without a key the same request is a second attempt, refused as a duplicate.
    const unkeyed = await send('POST', '/cases', body);
    expect(unkeyed.status).toBe(409);
    expect(unkeyed.body.code).toBe('DUPLICATE_OPEN_CASE');
  });

  it('accepting twice with one key answers 200 both times; without a key the second is refused', async () => {
    const opened = await send('POST', '/cases', caseBody(), 'open-2');
    const id = opened.body.caseId as string;
    const first = await send('POST', `/cases/${id}/accept`, {}, 'accept-2');
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('accepted');
    const again = await send('POST', `/cases/${id}/accept`, {}, 'accept-2');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const unkeyed = await send('POST', `/cases/${id}/accept`, {});
    expect(unkeyed.status).toBe(409);
  });

  it('the same key with another request is refused 422 naming the header, and changes nothing', async () => {
    const body = caseBody();
    expect((await send('POST', '/cases', body, 'open-3')).status).toBe(201);
    const events = await eventCount();
    const other = caseBody();
    const reused = await send('POST', '/cases', other, 'open-3');
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', field: 'Idempotency-Key' });
    expect(reused.body.message).toContain('Idempotency-Key');
    expect(await eventCount()).toBe(events);
    expect(await casesFor(other.household[0]!.idNumber)).toBe(0);
  });

  it('refuses a malformed key with 400 in Chinese', async () => {
    for (const key of ['has space', 'x'.repeat(201), 'caf\u00e9']) {
      const r = await send('POST', '/cases', caseBody(), key);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID', field: 'Idempotency-Key' });
      expect(r.body.message).toContain('ASCII');
    }
  });

  it('five identical requests sent at once open one case; each gets that case or is told to wait', async () => {
    const body = caseBody();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => send('POST', '/cases', body, 'open-burst')),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(new Set(created.map((a) => a.body.caseId)).size).toBe(1);
    for (const waiting of answers.filter((a) => a.status !== 201)) {
      expect(waiting.status).toBe(409);
      expect(waiting.body.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      expect(Number(waiting.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(await casesFor(body.household[0]!.idNumber)).toBe(1);
    const later = await send('POST', '/cases', body, 'open-burst');
    expect(later.status).toBe(201);
    expect(later.body.caseId).toBe(created[0]!.body.caseId);
  });

  it('a client that gave up waiting retries and gets the case that was opened, once', async () => {
    const body = caseBody();
    const controller = new AbortController();
    const abandoned = send('POST', '/cases', body, 'open-timeout', controller.signal);
    setTimeout(() => controller.abort(), 5);
    await expect(abandoned).rejects.toThrow();
    // The platform finishes (or never got) the first request; the retry follows its advice to wait.
    let retry = await send('POST', '/cases', body, 'open-timeout');
    for (let i = 0; retry.status === 409 && retry.body.code === 'IDEMPOTENCY_IN_PROGRESS' && i < 20; i++) {
      await new Promise((r) => setTimeout(r, 500));
      retry = await send('POST', '/cases', body, 'open-timeout');
    }
    expect(retry.status).toBe(201);
    expect(await casesFor(body.household[0]!.idNumber)).toBe(1);
    expect(await casesOf(body.household[0]!.idNumber)).toEqual([`case-${retry.body.caseId as string}`]);
  });

  it('read-your-writes: a change answers with its commit position; a read after it shows the change', async () => {
    for (let i = 0; i < 5; i++) {
      const body = caseBody();
      const r = await fetch(`${platform.url}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      expect(r.status).toBe(201);
      const position = r.headers.get('commit-position')!;
      expect(position).toMatch(new RegExp(`^${prefix}_intake:\\d+:\\d+$`));
      const { caseId } = (await r.json()) as { caseId: string };
      // Read at once, no polling: the list answers once the case list has applied the new case.
      const list = await fetch(`${platform.url}/cases?pageSize=100`, {
        headers: { authorization: `Bearer ${token}`, 'read-after': position },
      });
      expect(list.status).toBe(200);
      expect(list.headers.get('read-after-status')).toBeNull();
      const { items } = (await list.json()) as { items: Array<{ caseId: string }> };
      expect(items.map((c) => c.caseId)).toContain(caseId);
    }
    const bad = await fetch(`${platform.url}/cases`, {
      headers: { authorization: `Bearer ${token}`, 'read-after': 'yesterday' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'READ_AFTER_INVALID', field: 'Read-After' });
  });

  it('after kill -9 in the middle of a request, the retry after restart never opens a second case', async () => {
    const body = caseBody();
    const inFlight = send('POST', '/cases', body, 'open-killed').catch(() => null);
    await new Promise((r) => setTimeout(r, 15));
    await platform.kill();
    const lost = await inFlight;
    platform = await startService('platform', env);
    token = await new Api(platform.url).login('shuanghe.window');
    // Whatever the kill interrupted (nothing, the command, the saving of its answer, the answer's
    // delivery), the retry converges on one outcome and never runs the command a second time.
    let retry = await send('POST', '/cases', body, 'open-killed');
    for (let i = 0; retry.status === 409 && retry.body.code === 'IDEMPOTENCY_IN_PROGRESS' && i < 40; i++) {
      await new Promise((r) => setTimeout(r, 500));
      retry = await send('POST', '/cases', body, 'open-killed');
    }
    const opened = await casesFor(body.household[0]!.idNumber);
    expect(opened).toBe(1);
    if (retry.status === 201) {
      if (lost?.status === 201) expect(retry.body).toEqual(lost.body);
    } else {
      // Killed between the commit and saving the answer: the retry is told it was done.
      expect(retry.status).toBe(409);
      expect(retry.body.code).toBe('IDEMPOTENCY_ANSWER_LOST');
      expect(retry.body.message).toContain('办理完成');
    }
  }, 180_000);
});
