import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventStoreMigrations, PostgresEventStore, runMigrations } from '@platform/event-store';
import { requireDatabaseUrl, testEvent, testPool, uniqueName } from '@platform/testing';
import pg from 'pg';
import { provisionPlatformRoles, type PlatformRoles } from './database-roles.js';

async function sqlState(pool: pg.Pool, sql: string): Promise<string | undefined> {
  try {
    await pool.query(sql);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

// The embedded default's provisioning, run against the test PostgreSQL (a superuser, like the embedded
// one) with role names of its own, so no second embedded cluster is needed.
describe('provisionPlatformRoles', () => {
  const admin = testPool(2);
  const secretsDir = mkdtempSync(path.join(os.tmpdir(), 'platform-roles-'));
  const serviceRole = uniqueName('platform_service');
  const auditorRole = uniqueName('platform_auditor');
  const schemas = [uniqueName('intake'), uniqueName('health')];
  const pools: pg.Pool[] = [];
  let roles: PlatformRoles;

  function poolFor(url: string): pg.Pool {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => undefined);
    pools.push(pool);
    return pool;
  }

  beforeAll(async () => {
    roles = await provisionPlatformRoles({
      adminUrl: requireDatabaseUrl(),
      secretsDir,
      serviceRole,
      auditorRole,
    });
    // What the platform does at start: every department migrated by the owner for platform_service.
    for (const schema of schemas) {
      await runMigrations(admin, schema, eventStoreMigrations, { grantTo: serviceRole });
    }
  });

  afterAll(async () => {
    for (const pool of pools) await pool.end();
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    for (const role of [serviceRole, auditorRole]) {
      await admin.query(`DROP OWNED BY "${role}"`);
      await admin.query(`DROP ROLE "${role}"`);
    }
    await admin.end();
    rmSync(secretsDir, { recursive: true, force: true });
  });

  it('keeps one password per role and data folder, readable by its owner only', async () => {
    for (const role of [serviceRole, auditorRole]) {
      const file = path.join(secretsDir, `${role}.password`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readFileSync(file, 'utf8').trim()).toMatch(/^[0-9a-f]{48}$/);
    }
    // A restart finds the same passwords, and the roles still log in with them.
    const again = await provisionPlatformRoles({
      adminUrl: requireDatabaseUrl(),
      secretsDir,
      serviceRole,
      auditorRole,
    });
    expect(again).toEqual(roles);
    expect(new URL(roles.serviceUrl).password).toBe(
      readFileSync(path.join(secretsDir, `${serviceRole}.password`), 'utf8').trim(),
    );
  });

  it('gives a service URL that serves the departments but cannot rewrite history', async () => {
    const service = poolFor(roles.serviceUrl);
    const { rows } = await service.query(
      'SELECT current_user AS role, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
    );
    expect(rows[0]).toEqual({ role: serviceRole, superuser: false });
    const store = new PostgresEventStore({ pool: service, schema: schemas[0]! });
    await store.appendToStream('case-1', [testEvent('intake.Opened', { n: 1 })], {
      expectedVersion: 'no_stream',
    });
    // The event-log transport reads the other departments' logs with the same role.
    const other = await service.query(`SELECT count(*)::int AS n FROM "${schemas[1]}".events`);
    expect(other.rows[0].n).toBe(0);
    expect(await sqlState(service, `UPDATE "${schemas[0]}".events SET data = '{}'`)).toBe('42501');
    expect(await sqlState(service, `ALTER TABLE "${schemas[0]}".events DISABLE TRIGGER ALL`)).toBe('42501');
    expect(await sqlState(service, `CREATE SCHEMA "${uniqueName('rogue')}"`)).toBe('42501');
  });

  it('gives an auditor URL that reads every schema and writes nothing', async () => {
    const auditor = poolFor(roles.auditorUrl);
    for (const schema of schemas) {
      const { rows } = await auditor.query(`SELECT count(*)::int AS n FROM "${schema}".events`);
      expect(rows[0].n).toBeGreaterThanOrEqual(0);
    }
    const privileges = await admin.query(
      `SELECT has_table_privilege($1, $2, 'SELECT') AS select, has_table_privilege($1, $2, 'INSERT') AS insert,
              has_table_privilege($1, $2, 'UPDATE') AS update`,
      [auditorRole, `"${schemas[0]}".events`],
    );
    expect(privileges.rows[0]).toEqual({ select: true, insert: false, update: false });
    expect(await sqlState(auditor, `DELETE FROM "${schemas[0]}".streams`)).toMatch(/^(42501|25006)$/);
  });
});
