import type { ClientBase, Pool } from 'pg';
import { withTransaction } from './transaction.js';

export interface Migration {
  /** Unique and stable, e.g. 'event-store/001-events'. Applied once per schema, in array order. */
  id: string;
  /** SQL for one schema; `schema` is a validated, quoted identifier. */
  sql: (schema: string) => string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": expected a lower-case SQL identifier`);
  }
}

export function quoteIdent(name: string): string {
  assertSchemaName(name);
  return `"${name}"`;
}

export interface MigrationOptions {
  /**
   * The service role to grant the migrated schema to (see `grantServiceRole`). Defaults to the role
   * registered for this pool with `grantMigratedSchemasTo`; without either, nothing is granted.
   */
  grantTo?: string;
}

const serviceRoles = new WeakMap<Pool, () => Promise<string>>();

/**
 * Declares `ownerPool` the migration pool of a service: every `runMigrations` on it then grants the
 * role `serviceRole()` resolves to (the service pool's `current_user`) the schema it migrated.
 */
export function grantMigratedSchemasTo(ownerPool: Pool, serviceRole: () => Promise<string>): void {
  serviceRoles.set(ownerPool, serviceRole);
}

/** The service role registered for this migration pool with `grantMigratedSchemasTo`, if any. */
export async function serviceRoleFor(ownerPool: Pool): Promise<string | undefined> {
  return serviceRoles.get(ownerPool)?.();
}

/**
 * Applies pending migrations to one schema in a single transaction under an advisory lock,
 * so several processes starting at once apply each migration exactly once. No `synchronize`.
 * With a service role to grant to (options or `grantMigratedSchemasTo`), the same transaction then
 * gives that role exactly what `grantServiceRole` lists, every time, so the grants follow the schema.
 */
export async function runMigrations(
  pool: Pool,
  schema: string,
  migrations: Migration[],
  options: MigrationOptions = {},
): Promise<string[]> {
  const s = quoteIdent(schema);
  const grantee = options.grantTo ?? (await serviceRoles.get(pool)?.());
  return withTransaction(pool, async (client) => {
    const applied: string[] = [];
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrations:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await client.query<{ id: string }>(`SELECT id FROM ${s}.schema_migrations`)).rows.map((r) => r.id),
    );
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await client.query(m.sql(s));
      await client.query(`INSERT INTO ${s}.schema_migrations (id) VALUES ($1)`, [m.id]);
      applied.push(m.id);
    }
    if (grantee) await grantServiceRole(client, schema, grantee);
    return applied;
  });
}

/** The trigger function of append-only tables (event-store/001): a table it guards is history. */
const APPEND_ONLY_FUNCTION = 'reject_event_mutation';

function quoteName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Run by the owner of `schema`'s tables: gives `role` exactly USAGE on the schema; SELECT, INSERT on
 * append-only tables (any with a trigger executing `reject_event_mutation`, or whose comment starts
 * `insert-only:` — found in the catalog so tables added later are covered); SELECT only on a table whose
 * comment starts `owner-writes:`; SELECT, INSERT, UPDATE, DELETE, TRUNCATE on every other table
 * except `schema_migrations` and `typeorm_migrations` (SELECT); SELECT on views; USAGE, SELECT on sequences; EXECUTE on routines. What `role` held before is revoked
 * first, so a table that became append-only in a later migration loses UPDATE, DELETE and TRUNCATE.
 * Without ownership the role cannot ALTER, DISABLE TRIGGER or DROP anything here.
 */
export async function grantServiceRole(client: ClientBase, schema: string, role: string): Promise<void> {
  const s = quoteIdent(schema);
  const r = quoteName(role);
  const {
    rows: [who],
  } = await client.query<{ owner: string; superuser: boolean; member: boolean }>(
    `SELECT current_user AS owner, r.rolsuper AS superuser, pg_has_role(r.oid, current_user, 'MEMBER') AS member
       FROM pg_roles r WHERE r.rolname = $1`,
    [role],
  );
  if (!who) throw new Error(`Role "${role}" does not exist`);
  // Revoking from the owner itself would take its own privileges away, and a superuser passes every
  // check anyway: nothing to restrict (the service's database module warns about both).
  if (who.owner === role || who.superuser) return;
  if (who.member) {
    throw new Error(
      `Role "${role}" is a member of the migration role "${who.owner}": it could SET ROLE to it and alter ` +
        `the tables. Revoke that membership (REVOKE "${who.owner}" FROM "${role}").`,
    );
  }
  const owned = await client.query<{ object: string }>(
    `SELECT format('schema %I', n.nspname) AS object FROM pg_namespace n
      WHERE n.nspname = $1 AND n.nspowner = $2::regrole
     UNION ALL
     SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relowner = $2::regrole
     UNION ALL
     SELECT format('%I.%I()', n.nspname, p.proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND p.proowner = $2::regrole`,
    [schema, r],
  );
  if (owned.rows.length > 0) {
    throw new Error(
      `Role "${role}" owns ${owned.rows.map((o) => o.object).join(', ')}: an owner can disable the ` +
        `append-only triggers. Transfer ownership to "${who.owner}" first ` +
        `(REASSIGN OWNED BY "${role}" TO "${who.owner}"; see README, "Database roles").`,
    );
  }
  const { rows: relations } = await client.query<{
    name: string;
    kind: string;
    append_only: boolean;
    owner_writes: boolean;
  }>(
    `SELECT c.relname AS name, c.relkind AS kind,
            (EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                     WHERE t.tgrelid = c.oid AND p.proname = $2)
             OR coalesce(obj_description(c.oid, 'pg_class'), '') LIKE 'insert-only:%') AS append_only,
            coalesce(obj_description(c.oid, 'pg_class'), '') LIKE 'owner-writes:%' AS owner_writes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
      ORDER BY c.relname`,
    [schema, APPEND_ONLY_FUNCTION],
  );
  const list = (pick: (rel: (typeof relations)[number]) => boolean) =>
    relations
      .filter(pick)
      .map((rel) => `${s}.${quoteName(rel.name)}`)
      .join(', ');
  // Migration bookkeeping stays the owner's: a service that could delete a row would make a migration
  // run twice. Views and materialised views are read.
  const readOnly = (rel: (typeof relations)[number]) =>
    rel.owner_writes ||
    rel.name === 'schema_migrations' ||
    rel.name === 'typeorm_migrations' ||
    !['r', 'p', 'f'].includes(rel.kind);
  const appendOnly = list((rel) => !readOnly(rel) && rel.append_only);
  const mutable = list((rel) => !readOnly(rel) && !rel.append_only);
  const reads = list(readOnly);
  const statements = [
    `REVOKE ALL ON SCHEMA ${s} FROM ${r}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${r}`,
    `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${r}`,
    `REVOKE ALL ON ALL ROUTINES IN SCHEMA ${s} FROM ${r}`,
    `GRANT USAGE ON SCHEMA ${s} TO ${r}`,
    appendOnly && `GRANT SELECT, INSERT ON ${appendOnly} TO ${r}`,
    mutable && `GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ${mutable} TO ${r}`,
    reads && `GRANT SELECT ON ${reads} TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${s} TO ${r}`,
    `GRANT EXECUTE ON ALL ROUTINES IN SCHEMA ${s} TO ${r}`,
  ].filter(Boolean);
  await client.query(statements.join(';\n'));
}
