import { createHash } from 'node:crypto';
import {
  eventStoreMigrations,
  PostgresEventStore,
  quoteIdent,
  runMigrations,
  withTransaction,
  type DbExecutor,
  type Migration,
} from '@platform/event-store';
import type { Pool } from 'pg';
import { bayannurJurisdictions, BAYANNUR_DIVISIONS_SOURCE } from '../domain/bayannur-jurisdictions.js';
import { DEMO_JURISDICTIONS } from '../domain/demo-jurisdictions.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../domain/demo-users.js';
import { JurisdictionTree, type JurisdictionNode } from '../domain/jurisdiction.js';
import { SYSTEM_ACTOR, eventMetadata } from '../event-metadata.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { projectUserEvents } from './user-rows.js';
import { userStore, USER_STREAM_PREFIX } from './user-store.js';

export const IDENTITY_SCHEMA = 'identity';

/** `identity`, or `<DATABASE_SCHEMA_PREFIX>_identity` (test runs). */
export function identitySchemaOf(prefix: string | undefined): string {
  return prefix ? `${prefix}_${IDENTITY_SCHEMA}` : IDENTITY_SCHEMA;
}

/** The stream of the jurisdiction tree's history: the load, then every imported change. */
export const JURISDICTIONS_STREAM = 'jurisdictions';

/**
 * The identity schema: `users` (what login and the token check read, kept in step with the users'
 * events in the same transaction), `jurisdictions` (the tree), `directory_settings` (which tree this
 * database holds) and an event store (streams `user-<id>` and `jurisdictions`).
 */
export const identityMigrations: Migration[] = [
  {
    id: 'identity/001-users-jurisdictions',
    sql: (s) => `
CREATE TABLE ${s}.jurisdictions (
  code text PRIMARY KEY, name text NOT NULL, level text NOT NULL, parent_code text REFERENCES ${s}.jurisdictions(code)
);
CREATE TABLE ${s}.users (
  id text PRIMARY KEY, username text NOT NULL UNIQUE, name text NOT NULL, role text NOT NULL,
  department text NOT NULL, jurisdiction text NOT NULL REFERENCES ${s}.jurisdictions(code),
  organisation text, password_hash text NOT NULL, active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    id: 'identity/002-administration',
    sql: (s) => `
-- token_version: bumped by a disable, a role or jurisdiction change and a password reset or change; a
-- token carries the version it was issued at, and the guard refuses any other.
ALTER TABLE ${s}.users
  ADD COLUMN token_version integer NOT NULL DEFAULT 0,
  ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
  ADD COLUMN disabled_reason text,
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX users_jurisdiction ON ${s}.users (jurisdiction);
CREATE INDEX users_role ON ${s}.users (role);
ALTER TABLE ${s}.jurisdictions ADD COLUMN official_name text;
CREATE TABLE ${s}.directory_settings (
  key text PRIMARY KEY, value text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    id: 'identity/003-user-email',
    // Where overdue reminders reach an officer (README, "Notifications"); set by an administrator.
    sql: (s) => `ALTER TABLE ${s}.users ADD COLUMN IF NOT EXISTS email text;`,
  },
  ...eventStoreMigrations,
];

export type TreeKind = 'demo' | 'national';

/** Start refused: the message names what is wrong and what to do. */
export class IdentityStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityStartError';
  }
}

export interface PrepareIdentityOptions {
  /** The service role's pool (rows, events). */
  pool: Pool;
  /** The owner's pool, which migrates (MIGRATION_POOL). */
  migrationPool: Pool;
  schema: string;
  /** AUTH_DEMO_USERS=true: the demo city and demo users; otherwise the national tree and no users. */
  demo: boolean;
  /** NODE_ENV=production: refuse users that still have the demo password. */
  production: boolean;
  now: () => Date;
  log: (line: string) => void;
}

const DEMO_MARKER = DEMO_JURISDICTIONS.find((j) => j.code === '150802100201')!;

async function treeHeld(tx: DbExecutor, s: string): Promise<TreeKind | null> {
  const marker = await tx.query<{ value: string }>(
    `SELECT value FROM ${s}.directory_settings WHERE key = 'tree'`,
  );
  if (marker.rows[0]) return marker.rows[0].value as TreeKind;
  // A database from before the marker: only the demo seed wrote jurisdictions then.
  const any = await tx.query<{ code: string; name: string }>(
    `SELECT code, name FROM ${s}.jurisdictions WHERE code = $1 OR code IN (SELECT code FROM ${s}.jurisdictions LIMIT 1)`,
    [DEMO_MARKER.code],
  );
  if (any.rows.length === 0) return null;
  const kind: TreeKind = any.rows.some((r) => r.code === DEMO_MARKER.code && r.name === DEMO_MARKER.name)
    ? 'demo'
    : 'national';
  await tx.query(`INSERT INTO ${s}.directory_settings (key, value) VALUES ('tree', $1)`, [kind]);
  return kind;
}

function mixedTreesMessage(schema: string, held: TreeKind): string {
  return held === 'demo'
    ? `Schema "${schema}" holds the demo jurisdiction tree (invented villages) and its demo users, and ` +
        'AUTH_DEMO_USERS is not true. The demo tree and the national division tree are never mixed in one ' +
        'database: set AUTH_DEMO_USERS=true to keep using this demo database, or start on a fresh database ' +
        '(or another DATABASE_SCHEMA_PREFIX) to load the real tree of 巴彦淖尔市 (README, "Administration").'
    : `Schema "${schema}" holds the national division tree of 巴彦淖尔市, and AUTH_DEMO_USERS=true would load ` +
        'the demo city and demo users into it. The two trees are never mixed in one database: unset ' +
        'AUTH_DEMO_USERS, or use another database (or DATABASE_SCHEMA_PREFIX) for the demo.';
}

async function insertNodes(tx: DbExecutor, s: string, nodes: JurisdictionNode[]): Promise<void> {
  // One statement for the whole tree (~1,050 rows): parents come first, and the foreign key is checked
  // at the end of the statement anyway.
  await tx.query(
    `INSERT INTO ${s}.jurisdictions (code, name, level, parent_code, official_name)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (code) DO NOTHING`,
    [
      nodes.map((n) => n.code),
      nodes.map((n) => n.name),
      nodes.map((n) => n.level),
      nodes.map((n) => n.parentCode),
      nodes.map((n) => n.officialName ?? null),
    ],
  );
}

function digestOf(nodes: JurisdictionNode[]): string {
  const h = createHash('sha256');
  for (const n of nodes) h.update(`${n.code}|${n.officialName ?? n.name}|${n.level}|${n.parentCode ?? ''}\n`);
  return h.digest('hex');
}

async function loadTreeInto(
  tx: DbExecutor,
  store: PostgresEventStore,
  s: string,
  kind: TreeKind,
  now: Date,
): Promise<number> {
  const nodes = kind === 'demo' ? DEMO_JURISDICTIONS : bayannurJurisdictions();
  await insertNodes(tx, s, nodes);
  await tx.query(`INSERT INTO ${s}.directory_settings (key, value) VALUES ('tree', $1)`, [kind]);
  await store.appendToStream(
    JURISDICTIONS_STREAM,
    [
      {
        type: 'identity.JurisdictionTreeLoaded',
        data: {
          tree: kind,
          source:
            kind === 'demo'
              ? 'demo (invented villages, libs/auth/src/domain/demo-jurisdictions.ts)'
              : BAYANNUR_DIVISIONS_SOURCE,
          nodes: nodes.length,
          sha256: digestOf(nodes),
        },
        metadata: eventMetadata(SYSTEM_ACTOR, { now }),
      },
    ],
    { expectedVersion: 'any', transaction: tx },
  );
  return nodes.length;
}

/** The demo users that are missing, created on the users' command path (event + row). */
async function seedDemoUsers(
  tx: DbExecutor,
  store: PostgresEventStore,
  s: string,
  now: Date,
  log: (line: string) => void,
): Promise<void> {
  const { rows } = await tx.query<{ username: string }>(`SELECT username FROM ${s}.users`);
  const existing = new Set(rows.map((r) => r.username));
  const missing = DEMO_USERS.filter((u) => !existing.has(u.username));
  if (missing.length === 0) return;
  const users = userStore(store);
  const hash = await hashPassword(DEMO_PASSWORD);
  const levels = new Map(DEMO_JURISDICTIONS.map((j) => [j.code, j.level]));
  for (const u of missing) {
    const { events } = await users.handle(
      u.id,
      {
        type: 'CreateUser',
        userId: u.id,
        username: u.username,
        name: u.name,
        assignment: {
          role: u.role,
          department: u.department,
          jurisdiction: u.jurisdiction,
          jurisdictionLevel: levels.get(u.jurisdiction)!,
          organisation: u.organisation ?? null,
        },
        mustChangePassword: false,
        origin: 'demo',
        by: { id: SYSTEM_ACTOR.id, role: SYSTEM_ACTOR.role },
        now: now.toISOString(),
      },
      { metadata: eventMetadata(SYSTEM_ACTOR, { now }), transaction: tx },
    );
    await projectUserEvents(tx, s, events, { passwordHash: hash });
  }
  log(`seeded ${missing.length} demo users (password ${DEMO_PASSWORD})`);
}

/**
 * Users from before users were event-sourced have a row and no stream: record what the row says as
 * `identity.UserCreated` (origin `existing`, by the system), and `identity.UserDisabled` if it is off.
 */
async function backfillUserEvents(
  tx: DbExecutor,
  store: PostgresEventStore,
  s: string,
  now: Date,
  log: (line: string) => void,
): Promise<void> {
  const { rows } = await tx.query<{
    id: string;
    username: string;
    name: string;
    role: string;
    department: string;
    jurisdiction: string;
    level: string;
    organisation: string | null;
    active: boolean;
    must_change_password: boolean;
  }>(
    `SELECT u.id, u.username, u.name, u.role, u.department, u.jurisdiction, j.level, u.organisation, u.active,
            u.must_change_password
       FROM ${s}.users u JOIN ${s}.jurisdictions j ON j.code = u.jurisdiction
      WHERE NOT EXISTS (SELECT 1 FROM ${s}.streams st WHERE st.stream_id = $1 || u.id)
      ORDER BY u.created_at, u.id`,
    [USER_STREAM_PREFIX],
  );
  if (rows.length === 0) return;
  const metadata = eventMetadata(SYSTEM_ACTOR, { now });
  const at = now.toISOString();
  for (const r of rows) {
    await store.appendToStream(
      `${USER_STREAM_PREFIX}${r.id}`,
      [
        {
          type: 'identity.UserCreated',
          data: {
            userId: r.id,
            username: r.username,
            name: r.name,
            role: r.role,
            department: r.department,
            jurisdiction: r.jurisdiction,
            jurisdictionLevel: r.level,
            organisation: r.organisation,
            mustChangePassword: r.must_change_password,
            origin: 'existing',
            at,
          },
          metadata,
        },
        ...(r.active
          ? []
          : [
              {
                type: 'identity.UserDisabled',
                data: { userId: r.id, reason: '记录用户事件之前已停用', at },
                metadata,
              },
            ]),
      ],
      { expectedVersion: 'no_stream', transaction: tx },
    );
  }
  log(`recorded identity.UserCreated for ${rows.length} users that existed before user events`);
}

/**
 * In production: refuse to start while any user still has the published demo password. Passwords set
 * through the platform cannot be `Demo@2026` (the policy refuses it), so only the demo seed can have
 * stored it: the demo usernames and hashes shared by several users (one seed batch) are checked.
 */
export async function usersWithDemoPassword(pool: DbExecutor, s: string): Promise<string[]> {
  const { rows } = await pool.query<{ username: string; password_hash: string }>(
    `SELECT username, password_hash FROM ${s}.users
      WHERE username = ANY($1::text[])
         OR password_hash IN (SELECT password_hash FROM ${s}.users GROUP BY password_hash HAVING count(*) > 1)
      ORDER BY username`,
    [DEMO_USERS.map((u) => u.username)],
  );
  const verdicts = new Map<string, boolean>();
  // One at a time: each check is a 32 MiB scrypt.
  for (const r of rows) {
    if (!verdicts.has(r.password_hash)) {
      verdicts.set(r.password_hash, await verifyPassword(DEMO_PASSWORD, r.password_hash).catch(() => false));
    }
  }
  return rows.filter((r) => verdicts.get(r.password_hash)).map((r) => r.username);
}

export async function readTree(pool: DbExecutor, s: string): Promise<JurisdictionTree> {
  const { rows } = await pool.query<{
    code: string;
    name: string;
    level: JurisdictionNode['level'];
    parent_code: string | null;
    official_name: string | null;
  }>(`SELECT code, name, level, parent_code, official_name FROM ${s}.jurisdictions ORDER BY code`);
  return new JurisdictionTree(
    rows.map((r) => ({
      code: r.code,
      name: r.name,
      level: r.level,
      parentCode: r.parent_code,
      ...(r.official_name ? { officialName: r.official_name } : {}),
    })),
  );
}

/**
 * Brings the identity schema up to date and returns the jurisdiction tree: migrations; then, under one
 * lock per schema, the tree this database is for (the demo tree with AUTH_DEMO_USERS=true, otherwise
 * the national division codes of 巴彦淖尔市, loaded on first start; never both), the demo users when
 * asked, and events for users older than user events. In production, users with the demo password
 * refuse the start.
 */
export async function prepareIdentity(o: PrepareIdentityOptions): Promise<JurisdictionTree> {
  const s = quoteIdent(o.schema);
  await runMigrations(o.migrationPool, o.schema, identityMigrations);
  if (o.production) {
    const demo = await usersWithDemoPassword(o.pool, s);
    if (demo.length > 0) {
      throw new IdentityStartError(
        `Refusing to start in production: ${demo.length} user(s) still have the published demo password ` +
          `${DEMO_PASSWORD}: ${demo.join(', ')}. A production database must not hold the demo users: ` +
          'start on a fresh database and create the first administrator with npm run admin:create ' +
          '(README, "Administration"), or reset these passwords first outside production.',
      );
    }
  }
  const store = new PostgresEventStore({ pool: o.pool, schema: o.schema });
  const now = o.now();
  await withTransaction(o.pool, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`seed:${s}`]);
    const want: TreeKind = o.demo ? 'demo' : 'national';
    const held = await treeHeld(tx, s);
    if (held && held !== want) throw new IdentityStartError(mixedTreesMessage(o.schema, held));
    if (!held) {
      const n = await loadTreeInto(tx, store, s, want, now);
      o.log(
        want === 'demo'
          ? `loaded the demo jurisdiction tree (${n} divisions, invented villages)`
          : `loaded the jurisdiction tree of 巴彦淖尔市 from ${BAYANNUR_DIVISIONS_SOURCE}: ${n} divisions`,
      );
    } else if (want === 'demo') {
      // As before: demo divisions added to the demo tree since this database was seeded.
      await insertNodes(tx, s, DEMO_JURISDICTIONS);
    }
    if (o.demo) await seedDemoUsers(tx, store, s, now, o.log);
    await backfillUserEvents(tx, store, s, now, o.log);
  });
  return readTree(o.pool, s);
}
