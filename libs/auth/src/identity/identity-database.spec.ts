import { PostgresEventStore } from '@platform/event-store';
import { dropSchema, testPool, uniqueName } from '@platform/testing';
import type pg from 'pg';
import { UserAdministration } from '../application/user-administration.js';
import type { JurisdictionTree } from '../domain/jurisdiction.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import type { AuthenticatedActor } from '../tokens.js';
import { IdentityStartError, prepareIdentity, usersWithDemoPassword } from './identity-database.js';

const CITY_ADMIN: AuthenticatedActor = {
  id: 'u-admin',
  name: '系统管理员',
  role: 'admin',
  department: 'platform',
  jurisdiction: '150800000000',
};
const LINHE_ADMIN: AuthenticatedActor = { ...CITY_ADMIN, id: 'u-admin-linhe', jurisdiction: '150802000000' };
const GOOD = 'Chushi#Mima2026';

describe('identity schema (real PostgreSQL)', () => {
  let pool: pg.Pool;
  const schemas: string[] = [];
  const prepare = (schema: string, demo: boolean, production = false) =>
    prepareIdentity({
      pool,
      migrationPool: pool,
      schema,
      demo,
      production,
      now: () => new Date('2026-11-27T02:00:00Z'),
      log: () => undefined,
    });
  const fresh = () => {
    const schema = `${uniqueName('ident')}_identity`;
    schemas.push(schema);
    return schema;
  };
  const events = async (schema: string, where = 'true') =>
    (
      await pool.query<{
        stream_id: string;
        event_type: string;
        data: Record<string, unknown>;
        metadata: { actor: { id: string } };
      }>(
        `SELECT stream_id, event_type, data, metadata FROM "${schema}".events WHERE ${where} ORDER BY global_position`,
      )
    ).rows;

  beforeAll(() => {
    pool = testPool(6);
  });

  afterAll(async () => {
    for (const s of schemas) await dropSchema(pool, s);
    await pool.end();
  });

  it('loads the national tree of 巴彦淖尔市 once, records it, and refuses the demo in that database', async () => {
    const schema = fresh();
    const tree = await prepare(schema, false);
    expect(tree.list()).toHaveLength(1053);
    expect(tree.fullName('150802104000')).toBe('巴彦淖尔市临河区双河镇');
    await prepare(schema, false);
    expect((await events(schema)).map((e) => [e.stream_id, e.event_type, e.data.nodes])).toEqual([
      ['jurisdictions', 'identity.JurisdictionTreeLoaded', 1053],
    ]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".users`)).rows[0].n).toBe(0);
    await expect(prepare(schema, true)).rejects.toThrow(IdentityStartError);
    await expect(prepare(schema, true)).rejects.toThrow(/holds the national division tree/);
  });

  it('seeds the demo city and its users through their events, and refuses the national tree there', async () => {
    const schema = fresh();
    const tree = await prepare(schema, true);
    expect(tree.get('150802100201')?.name).toBe('进步村');
    const created = await events(schema, `event_type = 'identity.UserCreated'`);
    expect(created.map((e) => e.data.username)).toEqual(
      expect.arrayContaining(['admin', 'linhe.admin', 'shuanghe.window']),
    );
    expect(created.every((e) => e.data.origin === 'demo' && e.metadata.actor.id === 'system')).toBe(true);
    await prepare(schema, true); // idempotent
    expect(await events(schema, `event_type = 'identity.UserCreated'`)).toHaveLength(created.length);
    await expect(prepare(schema, false)).rejects.toThrow(/holds the demo jurisdiction tree/);
    // Production refuses a database whose users still have the demo password, naming them.
    await expect(prepare(schema, false, true)).rejects.toThrow(
      /demo password Demo@2026: .*admin.*linhe\.admin/,
    );
  });

  it('records events for users older than user events, and takes such a database for the demo', async () => {
    const schema = fresh();
    const s = `"${schema}"`;
    // What the previous release left: migration 001, the demo tree and demo users as bare rows.
    await pool.query(`CREATE SCHEMA ${s}; CREATE TABLE ${s}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
      CREATE TABLE ${s}.jurisdictions (code text PRIMARY KEY, name text NOT NULL, level text NOT NULL, parent_code text REFERENCES ${s}.jurisdictions(code));
      CREATE TABLE ${s}.users (id text PRIMARY KEY, username text NOT NULL UNIQUE, name text NOT NULL, role text NOT NULL,
        department text NOT NULL, jurisdiction text NOT NULL REFERENCES ${s}.jurisdictions(code), organisation text,
        password_hash text NOT NULL, active boolean NOT NULL DEFAULT true, created_at timestamptz NOT NULL DEFAULT now());
      INSERT INTO ${s}.schema_migrations (id) VALUES ('identity/001-users-jurisdictions');
      INSERT INTO ${s}.jurisdictions VALUES ('150800000000', '巴彦淖尔市', 'city', NULL), ('150802000000', '临河区', 'county', '150800000000'),
        ('150802100000', '双河镇', 'township', '150802000000'), ('150802100201', '进步村', 'village', '150802100000');`);
    await pool.query(
      `INSERT INTO ${s}.users (id, username, name, role, department, jurisdiction, password_hash, active)
       VALUES ('u-old', 'old.window', '老用户', 'township_officer', 'intake', '150802100000', $1, false)`,
      [await hashPassword('Old#Password1')],
    );
    await prepare(schema, true);
    expect(
      (await events(schema, `stream_id = 'user-u-old'`)).map((e) => [
        e.event_type,
        e.data.origin ?? e.data.reason,
      ]),
    ).toEqual([
      ['identity.UserCreated', 'existing'],
      ['identity.UserDisabled', '记录用户事件之前已停用'],
    ]);
    expect(
      (await pool.query(`SELECT value FROM ${s}.directory_settings WHERE key = 'tree'`)).rows[0].value,
    ).toBe('demo');
  });

  describe('administration on the command path', () => {
    let schema: string;
    let tree: JurisdictionTree;
    let admin: UserAdministration;
    let changed: string[];
    const row = async (username: string) =>
      (await pool.query(`SELECT * FROM "${schema}".users WHERE username = $1`, [username])).rows[0];

    beforeAll(async () => {
      schema = fresh();
      tree = await prepare(schema, true);
      changed = [];
      admin = new UserAdministration({
        pool,
        store: new PostgresEventStore({ pool, schema }),
        schema,
        tree: () => tree,
        now: () => new Date('2026-11-27T03:00:00Z'),
        onChanged: (id) => changed.push(id),
      });
    });

    const request = (username: string, jurisdiction = '150821100000') => ({
      username,
      name: '王建华',
      role: 'township_officer' as const,
      jurisdiction,
      password: GOOD,
    });

    it('creates a user: the row login reads and identity.UserCreated by the administrator, no password in it', async () => {
      const user = await admin.create(CITY_ADMIN, request('wuyuan.window2'), {
        origin: 'admin',
        mustChangePassword: true,
      });
      expect(user).toMatchObject({
        username: 'wuyuan.window2',
        active: true,
        mustChangePassword: true,
        tokenVersion: 0,
      });
      expect(await verifyPassword(GOOD, (await row('wuyuan.window2')).password_hash)).toBe(true);
      const [event] = await events(schema, `stream_id = 'user-${user.id}'`);
      expect(event).toMatchObject({
        event_type: 'identity.UserCreated',
        metadata: { actor: { id: 'u-admin', role: 'admin' } },
      });
      expect(JSON.stringify(event)).not.toContain(GOOD);
      expect(JSON.stringify(event)).not.toContain('scrypt');
      await expect(
        admin.create(CITY_ADMIN, request('wuyuan.window2'), { origin: 'admin', mustChangePassword: true }),
      ).rejects.toMatchObject({
        code: 'USERNAME_TAKEN',
        status: 409,
      });
    });

    it('refuses a weak password with 422 naming the rule, and stores nothing', async () => {
      await expect(
        admin.create(
          CITY_ADMIN,
          { ...request('weak.user'), password: 'password1' },
          { origin: 'admin', mustChangePassword: true, passwordField: 'initialPassword' },
        ),
      ).rejects.toMatchObject({
        code: 'WEAK_PASSWORD',
        status: 422,
        message: 'initialPassword：密码至少需要10个字符',
      });
      expect(await row('weak.user')).toBeUndefined();
    });

    it('keeps a county administrator to their county: 403, and nothing changes', async () => {
      await expect(
        admin.create(LINHE_ADMIN, request('linhe.try'), { origin: 'admin', mustChangePassword: true }),
      ).rejects.toMatchObject({
        code: 'OUT_OF_JURISDICTION',
        status: 403,
        message: expect.stringContaining('五原县'),
      });
      expect(await row('linhe.try')).toBeUndefined();
      const before = await row('wuyuan.civil');
      await expect(admin.disable(LINHE_ADMIN, 'u-ca-wuyuan', '试试')).rejects.toMatchObject({ status: 403 });
      expect(await row('wuyuan.civil')).toEqual(before);
      await expect(
        admin.create(
          LINHE_ADMIN,
          { ...request('linhe.city'), role: 'auditor', jurisdiction: '150800000000' },
          { origin: 'admin', mustChangePassword: true },
        ),
      ).rejects.toMatchObject({ status: 403 });
      const own = await admin.create(LINHE_ADMIN, request('linhe.window2', '150802100000'), {
        origin: 'admin',
        mustChangePassword: true,
      });
      expect(own.jurisdiction).toBe('150802100000');
    });

    it('disables (ending the tokens: version bumped), refuses self-disable, and keeps the last city administrator', async () => {
      const user = await row('wuyuan.window2');
      const disabled = await admin.disable(CITY_ADMIN, user.id, '调离');
      expect(disabled).toMatchObject({
        active: false,
        disabledReason: '调离',
        tokenVersion: user.token_version + 1,
      });
      expect(changed).toContain(user.id);
      await expect(admin.disable(CITY_ADMIN, 'u-admin', '自己')).rejects.toMatchObject({
        code: 'CANNOT_DISABLE_SELF',
        status: 409,
      });
      // An administrator from the identity provider (no local account) could otherwise remove the last one.
      const idpAdmin = { ...CITY_ADMIN, id: 'gov-idp-9' };
      await expect(admin.disable(idpAdmin, 'u-admin', '试试')).rejects.toMatchObject({
        code: 'LAST_CITY_ADMIN',
        status: 409,
      });
      await expect(
        admin.changeRole(idpAdmin, 'u-admin', { role: 'admin', jurisdiction: '150802000000' }),
      ).rejects.toMatchObject({ code: 'LAST_CITY_ADMIN' });
      expect((await row('admin')).active).toBe(true);
      const enabled = await admin.enable(CITY_ADMIN, user.id, '返岗');
      expect(enabled.active).toBe(true);
    });

    it('resets a password (forced change, tokens ended) and lets the user change it', async () => {
      const user = await row('wuyuan.window2');
      await expect(admin.resetPassword(CITY_ADMIN, user.id, 'Abc123')).rejects.toMatchObject({
        code: 'WEAK_PASSWORD',
      });
      const reset = await admin.resetPassword(CITY_ADMIN, user.id, 'Linshi#Mima2026');
      expect(reset).toMatchObject({ mustChangePassword: true, tokenVersion: user.token_version + 1 });
      const self = {
        ...CITY_ADMIN,
        id: user.id,
        role: 'township_officer' as const,
        jurisdiction: user.jurisdiction,
      };
      await expect(admin.changeOwnPassword(self, 'wrong-password', 'Xin#Mima20261')).rejects.toMatchObject({
        code: 'WRONG_PASSWORD',
        status: 422,
      });
      await expect(
        admin.changeOwnPassword(self, 'Linshi#Mima2026', 'wuyuan.window2-X1'),
      ).rejects.toMatchObject({ code: 'WEAK_PASSWORD' });
      const changedRow = await admin.changeOwnPassword(self, 'Linshi#Mima2026', 'Xin#Mima20261');
      expect(changedRow).toMatchObject({ mustChangePassword: false, tokenVersion: user.token_version + 2 });
      expect(
        (await events(schema, `stream_id = 'user-${user.id}'`)).map((e) => [
          e.event_type,
          e.metadata.actor.id,
        ]),
      ).toEqual([
        ['identity.UserCreated', 'u-admin'],
        ['identity.UserDisabled', 'u-admin'],
        ['identity.UserEnabled', 'u-admin'],
        ['identity.PasswordReset', 'u-admin'],
        ['identity.PasswordChanged', user.id],
      ]);
    });

    it('changes role and jurisdiction within the rules', async () => {
      const user = await row('wuyuan.window2');
      await expect(
        admin.changeRole(CITY_ADMIN, user.id, { role: 'county_civil_affairs', jurisdiction: '150821100000' }),
      ).rejects.toMatchObject({ code: 'ROLE_LEVEL_MISMATCH', status: 422 });
      const moved = await admin.changeRole(CITY_ADMIN, user.id, {
        role: 'county_civil_affairs',
        jurisdiction: '150821000000',
        reason: '调任',
      });
      expect(moved).toMatchObject({
        role: 'county_civil_affairs',
        department: 'civil-affairs',
        jurisdiction: '150821000000',
      });
      expect(await usersWithDemoPassword(pool, `"${schema}"`)).toContain('admin');
    });
  });
});
