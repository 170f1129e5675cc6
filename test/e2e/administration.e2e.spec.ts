import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, requireDatabaseUrl, uniqueName } from '@platform/testing';
import pg from 'pg';
import { Api, startService, type RunningService } from './harness.js';

const SECRET = 'admin-e2e-secret-that-is-long-enough-for-hs256-0123456789';
const INITIAL = 'Chushi#Mima2026';
const CHOSEN = 'Wode#Xinmima2026';

interface UserView {
  id: string;
  username: string;
  name: string;
  role: string;
  roleName: string;
  jurisdiction: string;
  jurisdictionName: string;
  active: boolean;
  mustChangePassword: boolean;
}
interface UserPage {
  items: UserView[];
  total: number;
  page: number;
  pageSize: number;
}
interface StoredEvent {
  stream_id: string;
  event_type: string;
  data: Record<string, unknown>;
  metadata: { actor: { id: string; role: string; jurisdiction: string } };
}

const env = (prefix: string, extra: Record<string, string> = {}) => ({
  DATABASE_URL: requireDatabaseUrl(),
  DATABASE_SCHEMA_PREFIX: prefix,
  JWT_SECRET: SECRET,
  TRANSPORT: 'event-log',
  KAFKA_BROKERS: '',
  POLL_INTERVAL_MS: '50',
  ...extra,
});

/** Starts apps/platform expecting it to refuse: resolves with its exit code and output once it exits. */
async function refusedStart(extraEnv: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const port = String(await freePort());
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.resolve('dist/apps/platform/src/main.js')], {
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: port, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`apps/platform did not refuse to start within 60 s:\n${out}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Runs a built CLI of apps/platform to the end. */
function cli(script: string, args: string[], extraEnv: Record<string, string>) {
  const r = spawnSync(process.execPath, [path.resolve(`dist/apps/platform/src/cli/${script}.js`), ...args], {
    env: { ...process.env, ...extraEnv },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('administration: users, jurisdictions, first administrator (apps/platform as a process)', () => {
  const prefix = uniqueName('admin');
  let platform: RunningService;
  let second: RunningService;
  let api: Api;
  let db: pg.Pool;
  let admin: Api;
  let linheAdmin: Api;

  const identityEvents = async (where: string, values: unknown[] = []) =>
    (
      await db.query<StoredEvent>(
        `SELECT stream_id, event_type, data, metadata FROM "${prefix}_identity".events WHERE ${where} ORDER BY global_position`,
        values,
      )
    ).rows;

  const createUser = (as: Api, body: Record<string, unknown>, status = 201) =>
    as.ok<UserView>('POST', '/admin/users', { name: '测试员', initialPassword: INITIAL, ...body }, status);

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: requireDatabaseUrl(), max: 2 });
    // AUTH_DEMO_USERS=true comes from the harness: the demo city with its administrators.
    platform = await startService('platform', env(prefix));
    api = new Api(platform.url);
    admin = api.as(await api.login('admin'));
    linheAdmin = api.as(await api.login('linhe.admin'));
  }, 120_000);

  afterAll(async () => {
    await Promise.all([platform?.stop(), second?.stop()]);
    await db?.end();
  });

  it('creates a user who must change the initial password before anything else, then works', async () => {
    const created = await createUser(admin, {
      username: 'e2e.longxing',
      name: '周晓梅',
      role: 'township_officer',
      jurisdiction: '150821100000',
    });
    expect(created).toMatchObject({
      username: 'e2e.longxing',
      roleName: '乡镇（街道）窗口经办人员',
      jurisdictionName: '巴彦淖尔市五原县隆兴昌镇',
      active: true,
      mustChangePassword: true,
    });
    expect(JSON.stringify(created)).not.toMatch(/Chushi|scrypt|password_hash|initialPassword/);

    const login = await api.ok<{ accessToken: string; mustChangePassword: boolean }>('POST', '/auth/login', {
      username: 'e2e.longxing',
      password: INITIAL,
    });
    expect(login.mustChangePassword).toBe(true);
    const restricted = api.as(login.accessToken);
    expect(await restricted.call('GET', '/cases')).toMatchObject({
      status: 403,
      body: { code: 'PASSWORD_CHANGE_REQUIRED', message: expect.stringContaining('修改密码') },
    });
    expect(await restricted.ok('GET', '/auth/me')).toMatchObject({
      name: '周晓梅',
      mustChangePassword: true,
    });

    const weak = await restricted.call('POST', '/auth/password', {
      oldPassword: INITIAL,
      newPassword: 'abc12345',
    });
    expect(weak).toMatchObject({
      status: 422,
      body: { code: 'WEAK_PASSWORD', rule: 'min_length', message: 'newPassword：密码至少需要10个字符' },
    });
    const changed = await restricted.ok<{ accessToken: string; mustChangePassword: boolean }>(
      'POST',
      '/auth/password',
      { oldPassword: INITIAL, newPassword: CHOSEN },
    );
    expect(changed.mustChangePassword).toBe(false);
    // The restricted token ended with the change; the new one works.
    expect((await restricted.call('GET', '/auth/me')).body).toMatchObject({ code: 'TOKEN_REVOKED' });
    expect((await api.as(changed.accessToken).call('GET', '/cases')).status).toBe(200);
    const again = await api.ok<{ mustChangePassword: boolean }>('POST', '/auth/login', {
      username: 'e2e.longxing',
      password: CHOSEN,
    });
    expect(again.mustChangePassword).toBe(false);
    expect(
      (await api.call('POST', '/auth/login', { username: 'e2e.longxing', password: INITIAL })).status,
    ).toBe(401);
  });

  it('refuses a weak password with 422 naming the rule, and creates nothing', async () => {
    for (const [password, rule, text] of [
      ['Ab1!short', 'min_length', '密码至少需要10个字符'],
      ['alllowercase1', 'character_classes', '三类'],
      ['Password@2026', 'common', '过于常见'],
      ['E2e.weak.user#1', 'contains_username', '不能包含用户名'],
    ] as const) {
      const r = await admin.call('POST', '/admin/users', {
        username: 'e2e.weak.user',
        name: '弱密码',
        role: 'village_verifier',
        jurisdiction: '150802100201',
        initialPassword: password,
      });
      expect({ password, status: r.status, body: r.body }).toEqual({
        password,
        status: 422,
        body: expect.objectContaining({
          code: 'WEAK_PASSWORD',
          rule,
          field: 'initialPassword',
          message: expect.stringContaining(text),
        }),
      });
    }
    expect((await admin.ok<UserPage>('GET', '/admin/users?q=e2e.weak')).total).toBe(0);
  });

  it('disables a user: their next request is refused (401) within 3 s, in this process and in another', async () => {
    await createUser(admin, {
      username: 'e2e.chezhan',
      name: '钱明',
      role: 'township_officer',
      jurisdiction: '150802001000',
    });
    const first = await api.ok<{ accessToken: string }>('POST', '/auth/login', {
      username: 'e2e.chezhan',
      password: INITIAL,
    });
    const token = (
      await api
        .as(first.accessToken)
        .ok<{ accessToken: string }>('POST', '/auth/password', { oldPassword: INITIAL, newPassword: CHOSEN })
    ).accessToken;
    // A second process on the same database: its token check has cached the user as active.
    second = await startService('platform', env(prefix));
    const here = api.as(token);
    const there = new Api(second.url, token);
    expect((await here.call('GET', '/cases')).status).toBe(200);
    expect((await there.call('GET', '/cases')).status).toBe(200);

    const user = (await admin.ok<UserPage>('GET', '/admin/users?q=e2e.chezhan')).items[0]!;
    const disabledAt = Date.now();
    const disabled = await admin.ok<UserView>('POST', `/admin/users/${user.id}/disable`, { reason: '离职' });
    expect(disabled).toMatchObject({ active: false, statusName: '已停用', disabledReason: '离职' });
    expect(await here.call('GET', '/cases')).toMatchObject({
      status: 401,
      body: { code: 'ACCOUNT_DISABLED' },
    });
    for (;;) {
      const r = await there.call('GET', '/cases');
      if (r.status === 401) {
        expect(r.body).toMatchObject({ code: 'ACCOUNT_DISABLED', message: '账号已停用，请联系管理员' });
        break;
      }
      expect(Date.now() - disabledAt).toBeLessThan(3_000);
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(Date.now() - disabledAt).toBeLessThan(3_000);
    expect(
      await api.call('POST', '/auth/login', { username: 'e2e.chezhan', password: CHOSEN }),
    ).toMatchObject({
      status: 401,
      body: { code: 'ACCOUNT_DISABLED' },
    });

    // Enabled again: the user logs in anew; the token from before the disable stays refused.
    await admin.ok('POST', `/admin/users/${user.id}/enable`, { reason: '返岗' });
    expect((await here.call('GET', '/cases')).body).toMatchObject({ code: 'TOKEN_REVOKED' });
    expect((await api.login('e2e.chezhan', CHOSEN)).length).toBeGreaterThan(20);

    // A reset ends the tokens too, and forces a change at the next login.
    const fresh = api.as(await api.login('e2e.chezhan', CHOSEN));
    await admin.ok('POST', `/admin/users/${user.id}/reset-password`, {
      temporaryPassword: 'Linshi#Mima2026',
    });
    expect((await fresh.call('GET', '/cases')).status).toBe(401);
    expect(
      await api.ok('POST', '/auth/login', { username: 'e2e.chezhan', password: 'Linshi#Mima2026' }),
    ).toMatchObject({ mustChangePassword: true });
  }, 90_000);

  it('keeps a county administrator (临河区) to their county: 403 for 五原县, and nothing changes', async () => {
    const before = await admin.ok<UserView & { history: unknown[] }>('GET', '/admin/users/u-ca-wuyuan');
    const create = await linheAdmin.call('POST', '/admin/users', {
      username: 'e2e.wuyuan.try',
      name: '越权',
      role: 'township_officer',
      jurisdiction: '150821100000',
      initialPassword: INITIAL,
    });
    expect(create).toMatchObject({
      status: 403,
      body: { code: 'OUT_OF_JURISDICTION', message: expect.stringContaining('五原县') },
    });
    const disable = await linheAdmin.call('POST', '/admin/users/u-ca-wuyuan/disable', { reason: '越权' });
    expect(disable).toMatchObject({ status: 403, body: { code: 'OUT_OF_JURISDICTION' } });
    for (const [method, route, body] of [
      ['POST', '/admin/users/u-ca-wuyuan/reset-password', { temporaryPassword: 'Linshi#Mima2026' }],
      [
        'POST',
        '/admin/users/u-ca-wuyuan/role',
        { role: 'county_civil_affairs', jurisdiction: '150802000000' },
      ],
      ['GET', '/admin/users/u-ca-wuyuan', undefined],
      ['GET', '/admin/users?jurisdiction=150821000000', undefined],
    ] as const) {
      expect({ route, status: (await linheAdmin.call(method, route, body)).status }).toEqual({
        route,
        status: 403,
      });
    }
    // Nor up to the city, nor another city-level user.
    const city = await linheAdmin.call('POST', '/admin/users', {
      username: 'e2e.city.try',
      name: '越级',
      role: 'admin',
      jurisdiction: '150800000000',
      initialPassword: INITIAL,
    });
    expect(city.status).toBe(403);
    expect((await linheAdmin.call('POST', '/admin/users/u-admin/disable', { reason: '越级' })).status).toBe(
      403,
    );

    const after = await admin.ok<UserView & { history: unknown[] }>('GET', '/admin/users/u-ca-wuyuan');
    expect(after).toEqual(before);
    expect((await admin.ok<UserPage>('GET', '/admin/users?q=try')).total).toBe(0);
    expect(await identityEvents(`data->>'username' LIKE 'e2e.%.try'`)).toEqual([]);

    // Inside the county it may: list its users only, create one, and is named in the event.
    const list = await linheAdmin.ok<UserPage>('GET', '/admin/users?pageSize=100');
    expect(list.items.length).toBeGreaterThan(3);
    for (const u of list.items) expect(u.jurisdictionName).toMatch(/^巴彦淖尔市临河区/);
    const own = await createUser(linheAdmin, {
      username: 'e2e.shuanghe2',
      role: 'township_officer',
      jurisdiction: '150802100000',
    });
    const [event] = await identityEvents('stream_id = $1', [`user-${own.id}`]);
    expect(event!.metadata.actor).toMatchObject({
      id: 'u-admin-linhe',
      role: 'admin',
      jurisdiction: '150802000000',
    });
  });

  it('refuses to disable oneself or to change one’s own role (409)', async () => {
    expect(await admin.call('POST', '/admin/users/u-admin/disable', { reason: '自己' })).toMatchObject({
      status: 409,
      body: { code: 'CANNOT_DISABLE_SELF', message: '不能停用自己的账号' },
    });
    expect(
      (await admin.call('POST', '/admin/users/u-admin/role', { role: 'admin', jurisdiction: '150802000000' }))
        .status,
    ).toBe(409);
  });

  it('lists users and divisions with pagination and filters, names beside codes', async () => {
    const all = await admin.ok<UserPage>('GET', '/admin/users?pageSize=5&page=2');
    expect(all).toMatchObject({ page: 2, pageSize: 5 });
    expect(all.items).toHaveLength(5);
    expect(all.total).toBeGreaterThanOrEqual(20);
    const windows = await admin.ok<UserPage>('GET', '/admin/users?role=township_officer&pageSize=100');
    expect(windows.items.length).toBeGreaterThanOrEqual(4);
    expect(
      windows.items.every((u) => u.role === 'township_officer' && u.roleName === '乡镇（街道）窗口经办人员'),
    ).toBe(true);
    const wuyuan = await admin.ok<UserPage>('GET', '/admin/users?jurisdiction=150821000000&pageSize=100');
    expect(wuyuan.items.map((u) => u.username)).toEqual(
      expect.arrayContaining(['wuyuan.civil', 'longxing.window', 'lianfeng.village', 'e2e.longxing']),
    );
    expect(wuyuan.items.every((u) => u.jurisdictionName.startsWith('巴彦淖尔市五原县'))).toBe(true);
    expect((await admin.ok<UserPage>('GET', `/admin/users?q=${encodeURIComponent('赵建')}`)).items).toEqual([
      expect.objectContaining({ username: 'chezhan.window', name: '赵建国' }),
    ]);
    const active = await admin.ok<UserPage>('GET', '/admin/users?active=true&pageSize=100');
    expect(active.items.every((u) => u.active)).toBe(true);
    expect(await admin.call('GET', '/admin/users?role=mayor&pageSize=1000')).toMatchObject({
      status: 422,
      body: { code: 'VALIDATION_FAILED', message: expect.stringContaining('role') },
    });

    const counties = await admin.ok<{ items: Array<{ name: string; levelName: string }>; total: number }>(
      'GET',
      '/admin/jurisdictions?level=county',
    );
    expect(counties.total).toBe(7);
    expect(counties.items[0]).toMatchObject({ name: '临河区', levelName: '旗县区' });
    const villages = await linheAdmin.ok<{ items: Array<{ fullName: string }>; total: number }>(
      'GET',
      '/admin/jurisdictions?parent=150802100000',
    );
    expect(villages.items.map((v) => v.fullName)).toEqual([
      '巴彦淖尔市临河区双河镇进步村',
      '巴彦淖尔市临河区双河镇丰收村',
    ]);
    expect((await linheAdmin.ok<{ total: number }>('GET', '/admin/jurisdictions?level=county')).total).toBe(
      1,
    );
  });

  it('records every administrative action as an identity.* event naming the acting administrator', async () => {
    const detail = await admin.ok<{
      history: Array<{ type: string; summary: string; by: { id: string; name: string } }>;
    }>('GET', `/admin/users/${(await admin.ok<UserPage>('GET', '/admin/users?q=e2e.chezhan')).items[0]!.id}`);
    expect(detail.history.map((h) => [h.type, h.by.name])).toEqual([
      ['identity.UserCreated', '系统管理员'],
      ['identity.PasswordChanged', '钱明'],
      ['identity.UserDisabled', '系统管理员'],
      ['identity.UserEnabled', '系统管理员'],
      ['identity.PasswordReset', '系统管理员'],
    ]);
    const stored = await identityEvents(
      `stream_id LIKE 'user-%' AND metadata->'actor'->>'id' IN ('u-admin', 'u-admin-linhe')`,
    );
    const types = new Set(stored.map((e) => e.event_type));
    expect([...types].sort()).toEqual([
      'identity.PasswordReset',
      'identity.UserCreated',
      'identity.UserDisabled',
      'identity.UserEnabled',
    ]);
    for (const e of stored) {
      expect(e.metadata.actor.role).toBe('admin');
      expect(JSON.stringify(e.data)).not.toMatch(/Mima|scrypt/);
    }
  });

  it('documents every admin route in OpenAPI', async () => {
    const doc = (await (await fetch(`${platform.url}/docs-json`)).json()) as {
      paths: Record<string, Record<string, { summary?: string }>>;
    };
    for (const route of [
      '/admin/users',
      '/admin/users/{id}',
      '/admin/users/{id}/disable',
      '/admin/users/{id}/enable',
      '/admin/users/{id}/reset-password',
      '/admin/users/{id}/role',
      '/admin/jurisdictions',
      '/admin/jurisdictions/{code}',
      '/auth/password',
    ]) {
      const operations = Object.values(doc.paths[route] ?? {});
      expect({
        route,
        operations: operations.length > 0,
        summaries: operations.every((op) => !!op.summary),
      }).toEqual({
        route,
        operations: true,
        summaries: true,
      });
    }
  });

  describe('production', () => {
    const production = () => ({
      NODE_ENV: 'production',
      PERSONAL_DATA_KEY: 'Qxg1wPES+Urd6ZHfSoe/vCxOIh1ObQ8Tzst+AQw5y3g=',
      SEAL_PRIVATE_KEY: generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    });

    it('refuses AUTH_DEMO_USERS=true, naming the setting', async () => {
      expect(
        await refusedStart(env(uniqueName('admprod'), { ...production(), AUTH_DEMO_USERS: 'true' })),
      ).toEqual({
        code: 1,
        out: expect.stringMatching(/AUTH_DEMO_USERS: must not be true in production/),
      });
    }, 60_000);

    it('refuses the embedded PostgreSQL, naming DATABASE_URL', async () => {
      expect(
        await refusedStart({
          ...production(),
          JWT_SECRET: 'e2e-secret-that-is-long-enough-for-hs256-0123456789',
          DATABASE_URL: '',
          // On its own, as `npm start` runs it: no broker from the test run's environment.
          KAFKA_BROKERS: '',
          DATA_DIR: mkdtempSync(path.join(os.tmpdir(), 'admprod-')),
        }),
      ).toEqual({ code: 1, out: expect.stringMatching(/DATABASE_URL: required in production/) });
    }, 60_000);

    it('does not take an unset NODE_ENV for development on a network address', async () => {
      expect(await refusedStart(env(uniqueName('admprod'), { NODE_ENV: '', HOST: '0.0.0.0' }))).toEqual({
        code: 1,
        out: expect.stringMatching(/NODE_ENV: not set while HOST=0\.0\.0\.0/),
      });
    }, 60_000);

    it('refuses a database whose users still have the demo password, naming them', async () => {
      expect(await refusedStart(env(prefix, { ...production(), AUTH_DEMO_USERS: 'false' }))).toEqual({
        code: 1,
        out: expect.stringMatching(/demo password Demo@2026: .*\badmin\b.*linhe\.admin/),
      });
    }, 60_000);
  });
});

describe('a city from an empty database: admin:create, log in, create users (national division tree)', () => {
  const prefix = uniqueName('admfresh');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'admin-create-'));
  let platform: RunningService | null = null;

  afterAll(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the first administrator from the command line and runs the city with it', async () => {
    const cliEnv = {
      DATABASE_URL: requireDatabaseUrl(),
      DATABASE_SCHEMA_PREFIX: prefix,
      AUTH_DEMO_USERS: 'false',
    };
    const file = path.join(dir, 'password');
    writeFileSync(file, 'short\n', { mode: 0o600 });
    const weak = cli(
      'admin-create',
      ['--username', 'city.admin', '--name', '张三', '--password-file', file],
      cliEnv,
    );
    expect(weak).toEqual({ status: 1, out: expect.stringContaining('密码不符合要求：密码至少需要10个字符') });
    writeFileSync(file, 'Hetao#Chengshi2026\n');
    const made = cli(
      'admin-create',
      ['--username', 'city.admin', '--name', '张三', '--password-file', file],
      cliEnv,
    );
    expect(made).toEqual({ status: 0, out: expect.stringContaining('已创建市级系统管理员 city.admin') });
    const twice = cli(
      'admin-create',
      ['--username', 'city.admin', '--name', '张三', '--password-file', file],
      cliEnv,
    );
    expect(twice).toEqual({ status: 1, out: expect.stringContaining('用户名 city.admin 已存在') });
    expect(cli('admin-create', ['--username', 'x.admin', '--name', '李四'], cliEnv)).toMatchObject({
      status: 2,
      out: expect.stringContaining('--password-file'),
    });

    platform = await startService('platform', env(prefix, { AUTH_DEMO_USERS: 'false' }));
    const api = new Api(platform.url);
    expect((await api.call('POST', '/auth/login', { username: 'admin', password: 'Demo@2026' })).status).toBe(
      401,
    );
    const admin = api.as(await api.login('city.admin', 'Hetao#Chengshi2026'));
    expect(await admin.ok('GET', '/auth/me')).toMatchObject({
      jurisdictionName: '巴彦淖尔市',
      role: 'admin',
    });
    const towns = await admin.ok<{ items: Array<{ code: string; name: string }>; total: number }>(
      'GET',
      '/admin/jurisdictions?parent=150802000000&pageSize=100',
    );
    expect(towns.items.map((t) => t.name)).toEqual(expect.arrayContaining(['团结街道', '双河镇', '狼山镇']));
    const village = await admin.ok<{ name: string; officialName: string }>(
      'GET',
      '/admin/jurisdictions/150802104201',
    );
    expect(village.name).not.toMatch(/委员会$/);
    const verifier = await admin.ok<UserView>(
      'POST',
      '/admin/users',
      {
        username: 'shuanghe.verifier',
        name: '刘海',
        role: 'village_verifier',
        jurisdiction: '150802104201',
        initialPassword: INITIAL,
      },
      201,
    );
    expect(verifier.jurisdictionName).toBe(`巴彦淖尔市临河区双河镇${village.name}`);
    const login = await api.ok<{ mustChangePassword: boolean }>('POST', '/auth/login', {
      username: 'shuanghe.verifier',
      password: INITIAL,
    });
    expect(login.mustChangePassword).toBe(true);
  }, 120_000);
});
