import { requireDatabaseUrl, uniqueName } from '@platform/testing';
import { Api, startService, type RunningService } from './harness.js';

interface Pair {
  accessToken: string;
  expiresAt: string;
  refreshToken?: string;
  refreshExpiresAt?: string;
  mustChangePassword: boolean;
}

/**
 * Short access tokens with refresh (apps/platform as its own process, real PostgreSQL): access tokens
 * live 5 s here (15 min by default), a refresh token is exchanged once for a new pair, and a session ends
 * for good at logout, when its user is disabled, or when a spent refresh token comes back.
 */
describe('sessions: short access tokens, single-use refresh tokens', () => {
  let platform: RunningService;
  let api: Api;
  /** The administrator, logged in afresh for each act: access tokens live 5 s here. */
  const admin = async () => api.as((await login('admin')).accessToken);

  beforeAll(async () => {
    platform = await startService('platform', {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: uniqueName('sess'),
      JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
      TRANSPORT: 'event-log',
      KAFKA_BROKERS: '',
      DATABASE_POOL_SIZE: '5',
      JWT_TTL_SECONDS: '5',
    });
    api = new Api(platform.url);
  }, 150_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const login = (username: string, password = 'Demo@2026') =>
    api.ok<Pair>('POST', '/auth/login', { username, password });
  const refresh = (refreshToken: unknown) => api.call('POST', '/auth/refresh', { refreshToken });
  const cases = (token: string) => api.as(token).call('GET', '/cases?pageSize=1');
  const expire = () => new Promise((r) => setTimeout(r, 5_600));

  it('an expired access token says so; the refresh token buys a new pair, once', async () => {
    const first = await login('shuanghe.window');
    expect(first.refreshToken).toMatch(/^[\w-]{43}$/);
    const lifetime = Date.parse(first.refreshExpiresAt!) - Date.now();
    expect(lifetime).toBeGreaterThan(7.9 * 3600_000); // the session's longest life: 8 hours
    expect(lifetime).toBeLessThanOrEqual(8 * 3600_000);
    expect((await cases(first.accessToken)).status).toBe(200);
    await expire();
    const stale = await cases(first.accessToken);
    expect([stale.status, (stale.body as { code: string }).code]).toEqual([401, 'TOKEN_EXPIRED']);

    const renewed = await refresh(first.refreshToken);
    expect(renewed.status).toBe(200);
    const pair = renewed.body as Pair;
    expect(pair.refreshToken).not.toBe(first.refreshToken);
    expect(pair.refreshExpiresAt).toBe(first.refreshExpiresAt); // renewing never extends the session
    expect((await cases(pair.accessToken)).status).toBe(200);
    // The same refresh token again at once: this session's own race, not theft.
    const again = await refresh(first.refreshToken);
    expect([again.status, (again.body as { code: string }).code]).toEqual([409, 'REFRESH_IN_USE']);
    expect((await refresh(pair.refreshToken)).status).toBe(200);
  });

  it('logout ends the session: its refresh token is refused', async () => {
    const session = await login('linhe.health');
    const out = await api.call('POST', '/auth/logout', { refreshToken: session.refreshToken });
    expect(out.status).toBe(204);
    const after = await refresh(session.refreshToken);
    expect([after.status, (after.body as { code: string }).code]).toEqual([401, 'REFRESH_INVALID']);
  });

  it('a disabled user’s refresh is refused and the session ends; a password-change-only login gets none', async () => {
    const initial = 'Chushi#Mima2026';
    const user = await (
      await admin()
    ).ok<{ id: string }>(
      'POST',
      '/admin/users',
      {
        username: 'e2e.session',
        name: '会话测试',
        role: 'township_officer',
        jurisdiction: '150802100000',
        initialPassword: initial,
      },
      201,
    );
    const firstLogin = await login('e2e.session', initial);
    expect(firstLogin.mustChangePassword).toBe(true);
    expect(firstLogin.refreshToken).toBeUndefined();
    const changed = await api
      .as(firstLogin.accessToken)
      .ok<Pair>('POST', '/auth/password', { oldPassword: initial, newPassword: 'Wode#Xinmima2026' });
    expect(changed.refreshToken).toBeDefined();

    await (await admin()).ok('POST', `/admin/users/${user.id}/disable`, { reason: '离职' });
    const refused = await refresh(changed.refreshToken);
    expect([refused.status, (refused.body as { code: string }).code]).toEqual([401, 'SESSION_REVOKED']);
    // Enabling the account again does not bring the old session back.
    await (await admin()).ok('POST', `/admin/users/${user.id}/enable`, {});
    const still = await refresh(changed.refreshToken);
    expect([still.status, (still.body as { code: string }).code]).toEqual([401, 'REFRESH_INVALID']);
  });

  it('refuses a malformed refresh token naming the field, and an unknown one without saying more', async () => {
    const bad = await refresh(12);
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body)).toContain('refreshToken');
    const unknown = await refresh('x'.repeat(43));
    expect([unknown.status, (unknown.body as { code: string }).code]).toEqual([401, 'REFRESH_INVALID']);
  });
});
