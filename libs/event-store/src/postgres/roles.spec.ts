import { randomBytes } from 'node:crypto';
import { Global, Module, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig, PLATFORM_CONFIG, ReadinessRegistry } from '@platform/config';
// A test may import the library that builds on this one: the inbox and checkpoints are what a service writes.
import { messagingMigrations } from '@platform/messaging';
import { eventually, requireDatabaseUrl, testEvent, testPool, uniqueName } from '@platform/testing';
import pg from 'pg';
import { MIGRATION_POOL, PERSONAL_DATA, PG_POOL, DatabaseModule } from '../nest/database.module.js';
import { personalDataSchemaOf, type PersonalDataProtection } from '../personal-data/personal-data.js';
import { EventStoreModule } from '../nest/event-store.module.js';
import { eventStoreMigrations } from './event-store.migrations.js';
import { grantMigratedSchemasTo, runMigrations, type Migration } from './migrations.js';
import { PostgresEventStore } from './postgres-event-store.js';

/** The test database's URL, logging in as `role`. */
function urlAs(role: string, password: string): string {
  const url = new URL(requireDatabaseUrl());
  url.username = role;
  url.password = password;
  return url.toString();
}

function poolAs(role: string, password: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: urlAs(role, password), max: 3 });
  pool.on('error', () => undefined);
  return pool;
}

/** The role's privileges per relation of `schema`, from the catalog's ACLs: what was granted, exactly. */
async function privilegesOf(admin: pg.Pool, schema: string, role: string): Promise<Record<string, string[]>> {
  const { rows } = await admin.query<{ relname: string; privileges: string[] }>(
    `SELECT c.relname, array_agg(a.privilege_type ORDER BY a.privilege_type) AS privileges
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
            LATERAL aclexplode(c.relacl) a
      WHERE n.nspname = $1 AND a.grantee = $2::regrole
      GROUP BY c.relname`,
    [schema, role],
  );
  return Object.fromEntries(rows.map((r) => [r.relname, r.privileges]));
}

/** Runs `sql` as the service and returns the SQLSTATE it was refused with (none if it succeeded). */
async function refusal(pool: pg.Pool, sql: string): Promise<string | undefined> {
  try {
    await pool.query(sql);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
}

const INSUFFICIENT_PRIVILEGE = '42501';
const FULL = ['DELETE', 'INSERT', 'SELECT', 'TRUNCATE', 'UPDATE'];
const APPEND_ONLY = ['INSERT', 'SELECT'];
const SEQUENCE = ['SELECT', 'USAGE'];

describe('least-privilege database roles', () => {
  const admin = testPool(4);
  const password = randomBytes(12).toString('hex');
  const owner = uniqueName('owner');
  const serviceA = uniqueName('svc_a');
  const serviceB = uniqueName('svc_b');
  const schemaA = uniqueName('dept_a');
  const schemaB = uniqueName('dept_b');
  const extraSchemas: string[] = [];
  const migrations = [...eventStoreMigrations, ...messagingMigrations];
  let ownerPool: pg.Pool;
  let service: pg.Pool;

  beforeAll(async () => {
    const { rows } = await admin.query<{ db: string }>('SELECT current_database() AS db');
    for (const role of [owner, serviceA, serviceB]) {
      await admin.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    }
    await admin.query(`GRANT CREATE ON DATABASE "${rows[0]!.db}" TO "${owner}"`);
    ownerPool = poolAs(owner, password);
    // Two departments, each migrated by the owner for its own service role.
    await runMigrations(ownerPool, schemaA, migrations, { grantTo: serviceA });
    await runMigrations(ownerPool, schemaB, migrations, { grantTo: serviceB });
    service = poolAs(serviceA, password);
  });

  afterAll(async () => {
    await service?.end();
    await ownerPool?.end();
    for (const s of [schemaA, schemaB, ...extraSchemas])
      await admin.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    for (const role of [serviceA, serviceB, owner]) {
      await admin.query(`DROP OWNED BY "${role}"`);
      await admin.query(`DROP ROLE "${role}"`);
    }
    await admin.end();
  });

  it('lets the service append events and write its inbox, checkpoints and dead letters', async () => {
    const store = new PostgresEventStore({ pool: service, schema: schemaA });
    await store.appendToStream('case-1', [testEvent('test.Opened', { n: 1 })], {
      expectedVersion: 'no_stream',
    });
    await store.appendToStream('case-1', [testEvent('test.Noted', { n: 2 })], { expectedVersion: 1 });
    expect((await store.readStream('case-1')).map((e) => e.data)).toEqual([{ n: 1 }, { n: 2 }]);

    const s = `"${schemaA}"`;
    await service.query(
      `INSERT INTO ${s}.inbox (consumer_group, message_id, message_type, topic) VALUES ('g', 'm1', 't', 'x.events')`,
    );
    await service.query(`DELETE FROM ${s}.inbox WHERE message_id = 'm1'`);
    for (const table of ['projection_checkpoints', 'relay_checkpoints']) {
      const key = table === 'projection_checkpoints' ? 'projection' : 'relay';
      await service.query(
        `INSERT INTO ${s}.${table} (${key}, transaction_id, global_position) VALUES ('p', '1', 1)
         ON CONFLICT (${key}) DO UPDATE SET global_position = excluded.global_position`,
      );
      await service.query(`UPDATE ${s}.${table} SET global_position = 2 WHERE ${key} = 'p'`);
    }
    await service.query(
      `INSERT INTO ${s}.dead_letters (consumer_group, topic, reason, error) VALUES ('g', 'x.events', 'r', 'e')`,
    );
    await service.query(`TRUNCATE ${s}.dead_letters`);
    expect(
      (await service.query(`SELECT global_position FROM ${s}.projection_checkpoints WHERE projection = 'p'`))
        .rows,
    ).toEqual([{ global_position: '2' }]);
  });

  it('grants exactly SELECT, INSERT on the event log and full DML on the rest, nothing more', async () => {
    const privileges = await privilegesOf(admin, schemaA, serviceA);
    expect(privileges).toMatchObject({
      events: APPEND_ONLY,
      streams: FULL,
      projection_checkpoints: FULL,
      inbox: FULL,
      relay_checkpoints: FULL,
      event_log_checkpoints: FULL,
      dead_letters: FULL,
      // Migration bookkeeping is the owner's: the service may read it but not make a migration run twice.
      schema_migrations: ['SELECT'],
      events_global_position_seq: SEQUENCE,
      dead_letters_id_seq: SEQUENCE,
    });
    // Every relation of the schema is listed above: no table was left out or granted by accident.
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'S', 'v', 'm')`,
      [schemaA],
    );
    expect(Object.keys(privileges)).toHaveLength(rows[0]!.n);
    const schemaPrivileges = await admin.query(
      `SELECT has_schema_privilege($1, $2, 'USAGE') AS usage, has_schema_privilege($1, $2, 'CREATE') AS create,
              has_schema_privilege($1, $3, 'USAGE') AS other_usage`,
      [serviceA, schemaA, schemaB],
    );
    expect(schemaPrivileges.rows[0]).toEqual({ usage: true, create: false, other_usage: false });
    // The role owns nothing in either schema.
    const owned = await admin.query(
      `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relowner = $2::regrole`,
      [[schemaA, schemaB], serviceA],
    );
    expect(owned.rows).toEqual([]);
  });

  // With broader grants (UPDATE on events, say) these would reach the append-only trigger and fail
  // with EV001 instead, or succeed: each must be refused for want of privilege.
  it.each([
    ['disable the append-only triggers', (s: string) => `ALTER TABLE ${s}.events DISABLE TRIGGER ALL`],
    ['disable one trigger', (s: string) => `ALTER TABLE ${s}.events DISABLE TRIGGER events_append_only`],
    ['switch triggers off for the session', () => 'SET session_replication_role = replica'],
    ['update an event', (s: string) => `UPDATE ${s}.events SET data = '{}'`],
    ['delete an event', (s: string) => `DELETE FROM ${s}.events`],
    ['truncate the events', (s: string) => `TRUNCATE ${s}.events`],
    ['drop the events table', (s: string) => `DROP TABLE ${s}.events`],
    [
      'replace the trigger function with a no-op',
      (s: string) =>
        `CREATE OR REPLACE FUNCTION ${s}.reject_event_mutation() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    ],
    ['create a table in the schema', (s: string) => `CREATE TABLE ${s}.shadow (x int)`],
    ['forget an applied migration', (s: string) => `DELETE FROM ${s}.schema_migrations`],
  ])('refuses to %s', async (_what, sql) => {
    expect(await refusal(service, sql(`"${schemaA}"`))).toBe(INSUFFICIENT_PRIVILEGE);
    // The history is intact whatever was tried.
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM "${schemaA}".events`);
    expect(rows[0].n).toBe(2);
  });

  it("refuses writes and reads in another department's schema", async () => {
    const other = new PostgresEventStore({ pool: service, schema: schemaB });
    await expect(
      other.appendToStream('case-x', [testEvent('test.Forged', {})], { expectedVersion: 'any' }),
    ).rejects.toMatchObject({ code: INSUFFICIENT_PRIVILEGE });
    expect(
      await refusal(
        service,
        `INSERT INTO "${schemaB}".events (stream_id, stream_version, event_id, event_type, schema_version, data, metadata, recorded_at, hash)
         VALUES ('case-x', 1, gen_random_uuid(), 't', 1, '{}', '{}', now(), '\\x00')`,
      ),
    ).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(service, `SELECT 1 FROM "${schemaB}".events`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(service, `INSERT INTO "${schemaB}".inbox VALUES ('g', 'm', 't', 'x')`)).toBe(
      INSUFFICIENT_PRIVILEGE,
    );
  });

  it('gives a table that a later migration makes append-only only SELECT, INSERT', async () => {
    const seals: Migration = {
      id: 'test/001-seals',
      sql: (s) => `
CREATE TABLE ${s}.seals (seal_no bigint PRIMARY KEY, hash text NOT NULL);
CREATE TRIGGER seals_append_only BEFORE UPDATE OR DELETE ON ${s}.seals
  FOR EACH ROW EXECUTE FUNCTION ${s}.reject_event_mutation();`,
    };
    // Created mutable first, guarded by the trigger one deployment later.
    const notes: Migration = {
      id: 'test/002-notes',
      sql: (s) => `CREATE TABLE ${s}.notes (id int PRIMARY KEY, text text NOT NULL);`,
    };
    const guardNotes: Migration = {
      id: 'test/003-notes-append-only',
      sql: (s) => `CREATE TRIGGER notes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.notes
  FOR EACH STATEMENT EXECUTE FUNCTION ${s}.reject_event_mutation();`,
    };
    await runMigrations(ownerPool, schemaA, [...migrations, seals, notes], { grantTo: serviceA });
    expect(await privilegesOf(admin, schemaA, serviceA)).toMatchObject({ seals: APPEND_ONLY, notes: FULL });
    await runMigrations(ownerPool, schemaA, [...migrations, seals, notes, guardNotes], { grantTo: serviceA });
    expect(await privilegesOf(admin, schemaA, serviceA)).toMatchObject({
      seals: APPEND_ONLY,
      notes: APPEND_ONLY,
    });

    const s = `"${schemaA}"`;
    await service.query(`INSERT INTO ${s}.seals VALUES (1, 'h1')`);
    await service.query(`INSERT INTO ${s}.notes VALUES (1, 'n1')`);
    expect(await refusal(service, `UPDATE ${s}.seals SET hash = 'forged'`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(service, `DELETE FROM ${s}.notes`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(service, `TRUNCATE ${s}.notes`)).toBe(INSUFFICIENT_PRIVILEGE);
    expect(await refusal(service, `ALTER TABLE ${s}.seals DISABLE TRIGGER seals_append_only`)).toBe(
      INSUFFICIENT_PRIVILEGE,
    );
  });

  it('grants to the role registered for the migration pool, without options at the call site', async () => {
    const schema = uniqueName('dept_c');
    extraSchemas.push(schema);
    const registered = poolAs(owner, password);
    try {
      grantMigratedSchemasTo(registered, async () => serviceA);
      await runMigrations(registered, schema, eventStoreMigrations);
      expect(await privilegesOf(admin, schema, serviceA)).toMatchObject({
        events: APPEND_ONLY,
        streams: FULL,
      });
      expect(await privilegesOf(admin, schema, serviceB)).toEqual({});
    } finally {
      await registered.end();
    }
  });

  it('refuses to grant while the service role owns something in the schema, or can become the owner', async () => {
    const schema = uniqueName('dept_d');
    extraSchemas.push(schema);
    await runMigrations(ownerPool, schema, eventStoreMigrations, { grantTo: serviceB });
    // A leftover of the days when the service role ran the migrations itself.
    await admin.query(
      `CREATE TABLE "${schema}".legacy (x int); ALTER TABLE "${schema}".legacy OWNER TO "${serviceB}"`,
    );
    await expect(
      runMigrations(ownerPool, schema, eventStoreMigrations, { grantTo: serviceB }),
    ).rejects.toThrow(/owns .*legacy.*REASSIGN OWNED/);
    await admin.query(`DROP TABLE "${schema}".legacy`);

    await admin.query(`GRANT "${owner}" TO "${serviceB}"`);
    try {
      await expect(
        runMigrations(ownerPool, schema, eventStoreMigrations, { grantTo: serviceB }),
      ).rejects.toThrow(/member of the migration role/);
    } finally {
      await admin.query(`REVOKE "${owner}" FROM "${serviceB}"`);
    }
    await expect(
      runMigrations(ownerPool, schema, eventStoreMigrations, { grantTo: serviceB }),
    ).resolves.toEqual([]);
  });

  describe('DatabaseModule', () => {
    async function context(env: Record<string, string>, warnings: string[]) {
      // Shared schemas (the personal-data keys) of its own, as every service of one database shares them.
      const prefix = uniqueName('roles');
      extraSchemas.push(personalDataSchemaOf(prefix));
      const config = loadConfig({ DATABASE_SCHEMA_PREFIX: prefix, ...env });
      @Global()
      @Module({
        providers: [{ provide: PLATFORM_CONFIG, useValue: config }, ReadinessRegistry],
        exports: [PLATFORM_CONFIG, ReadinessRegistry],
      })
      class TestRuntime {}
      const schema = uniqueName('dept_e');
      extraSchemas.push(schema);
      @Module({ imports: [TestRuntime, DatabaseModule, EventStoreModule.forService({ schema })] })
      class TestService {}
      const logger: LoggerService = {
        log: () => undefined,
        error: () => undefined,
        warn: (m: unknown) => void warnings.push(String(m)),
      };
      const app = await NestFactory.createApplicationContext(TestService, { logger });
      return { app, schema };
    }

    it('migrates through the owner pool and serves through the service role, with an idle-transaction limit', async () => {
      const warnings: string[] = [];
      const { app, schema } = await context(
        {
          DATABASE_URL: urlAs(serviceA, password),
          DATABASE_OWNER_URL: urlAs(owner, password),
          DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1000',
          PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
        },
        warnings,
      );
      try {
        const pool = app.get<pg.Pool>(PG_POOL);
        const migrationPool = app.get<pg.Pool>(MIGRATION_POOL);
        expect((await migrationPool.query('SELECT current_user AS u')).rows[0].u).toBe(owner);
        expect((await pool.query('SELECT current_user AS u')).rows[0].u).toBe(serviceA);
        expect(await privilegesOf(admin, schema, serviceA)).toMatchObject({
          events: APPEND_ONLY,
          streams: FULL,
        });
        // The personal-data keys: the service may add them, never change or delete one.
        const keys = app.get<PersonalDataProtection>(PERSONAL_DATA).schema;
        expect(await privilegesOf(admin, keys, serviceA)).toEqual({
          keys: APPEND_ONLY,
          subjects: APPEND_ONLY,
          erasures: ['SELECT'],
          schema_migrations: ['SELECT'],
          erasures_erasure_id_seq: SEQUENCE,
        });
        expect(warnings).toEqual([]);

        expect((await pool.query('SHOW idle_in_transaction_session_timeout')).rows[0]).toEqual({
          idle_in_transaction_session_timeout: '1s',
        });
        // A transaction left open is ended by the server (SQLSTATE 25P03), not held for ever.
        const client = await pool.connect();
        const errors: Array<{ code?: string }> = [];
        client.on('error', (e) => errors.push(e as { code?: string }));
        try {
          await client.query('BEGIN');
          const ended = await eventually(async () => errors.find((e) => e.code === '25P03'), {
            timeoutMs: 10_000,
            what: 'the idle transaction to be terminated',
          });
          expect(ended.code).toBe('25P03');
        } finally {
          client.release(true);
        }
      } finally {
        await app.close();
      }
    });

    it('without DATABASE_OWNER_URL migrates with the service pool and warns that its role owns the tables', async () => {
      const warnings: string[] = [];
      const { app, schema } = await context({ DATABASE_URL: requireDatabaseUrl() }, warnings);
      try {
        expect(app.get(MIGRATION_POOL)).toBe(app.get(PG_POOL));
        const { rows } = await admin.query(
          `SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'events'`,
          [schema],
        );
        expect(rows).toHaveLength(1);
        expect(warnings.join('\n')).toMatch(/DATABASE_OWNER_URL is not set.*owns its tables/);
      } finally {
        await app.close();
      }
    });
  });
});
