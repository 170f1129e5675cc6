import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@platform/config';
import { MIGRATION_POOL, PG_POOL, quoteIdent } from '@platform/event-store';
import type { Pool } from 'pg';
import { DEMO_JURISDICTIONS } from '../domain/demo-jurisdictions.js';
import { DEPARTMENT_OF_ROLE } from '../domain/roles.js';
import type { DirectoryUser } from '../domain/demo-users.js';
import { JurisdictionTree } from '../domain/jurisdiction.js';
import { identitySchemaOf, prepareIdentity } from '../identity/identity-database.js';
import { hashPassword, verifyPassword } from '../passwords.js';

/** What a successful login knows beyond the user: the token version and whether a new password is due. */
export interface LoginResult {
  user: DirectoryUser;
  tokenVersion: number;
  mustChangePassword: boolean;
}

/** A `users` row as tokens carry the user. */
function directoryUser(row: {
  id: string;
  username: string;
  name: string;
  role: string;
  department: string;
  jurisdiction: string;
  organisation: string | null;
}): DirectoryUser {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role,
    department: row.department,
    jurisdiction: row.jurisdiction,
    ...(row.organisation ? { organisation: row.organisation } : {}),
  } as DirectoryUser;
}

/** What the token check needs of a local user, at most TOKEN_STATUS_TTL_MS old. */
export interface TokenStatus {
  active: boolean;
  tokenVersion: number;
}

/**
 * How long the token check may trust what it read about a user: at most 2 s. A disabled user's tokens
 * (and tokens from before a role change or password reset) therefore stop working within 2 s in every
 * process, without a database round trip on every request; the process that made the change forgets
 * at once.
 */
export const TOKEN_STATUS_TTL_MS = 2_000;
const TOKEN_STATUS_CACHE_SIZE = 50_000;

/**
 * Users and the jurisdiction tree are data in the identity schema (`identity` or
 * `<DATABASE_SCHEMA_PREFIX>_identity`): the national division tree of 巴彦淖尔市, or with
 * AUTH_DEMO_USERS=true the demo city and its demo users (never both in one database).
 */
@Injectable()
export class UserDirectory implements OnModuleInit {
  private readonly logger = new Logger('UserDirectory');
  private tree: JurisdictionTree = new JurisdictionTree(DEMO_JURISDICTIONS);
  private readonly statuses = new Map<string, { at: number; status: Promise<TokenStatus | null> }>();
  /** The identity schema, unquoted. */
  readonly schemaName: string;
  private readonly schema: string;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
  ) {
    this.schemaName = identitySchemaOf(config.DATABASE_SCHEMA_PREFIX);
    this.schema = quoteIdent(this.schemaName);
  }

  async onModuleInit(): Promise<void> {
    this.tree = await prepareIdentity({
      pool: this.pool,
      migrationPool: this.migrationPool,
      schema: this.schemaName,
      demo: this.config.AUTH_DEMO_USERS === 'true',
      production: this.config.NODE_ENV === 'production',
      now: () => new Date(),
      log: (line) => this.logger.log(line),
    });
  }

  get jurisdictions(): JurisdictionTree {
    return this.tree;
  }

  /**
   * Who is reminded by email when a department's referral in a county is overdue: the department's
   * active officers with a work email, of that county and of the city-level office above it. `query`
   * runs on the caller's transaction (the notification projection's).
   */
  async officersToRemind(
    query: (sql: string, params: unknown[]) => Promise<Array<{ name: string; email: string }>>,
    department: string,
    countyCode: string,
  ): Promise<Array<{ name: string; email: string }>> {
    const roles = Object.entries(DEPARTMENT_OF_ROLE)
      .filter(([, d]) => d === department)
      .map(([role]) => role);
    const places = this.tree.path(countyCode).map((n) => n.code);
    if (roles.length === 0 || places.length === 0) return [];
    return query(
      `SELECT name, email FROM ${this.schema}.users
        WHERE active AND email IS NOT NULL AND department = $1 AND role = ANY($2::text[])
          AND jurisdiction = ANY($3::text[])
        ORDER BY username`,
      [department, roles, places],
    );
  }

  /**
   * The active social-worker accounts placed in a county or below it (to name as a social-force provider's
   * staff), by name, a page at a time.
   */
  async socialWorkersOf(
    countyCode: string,
    page: number,
    pageSize: number,
  ): Promise<{
    items: Array<{ id: string; name: string; organisation: string | null; placeName: string }>;
    total: number;
  }> {
    const places = this.tree
      .list()
      .filter((n) => this.tree.contains(countyCode, n.code))
      .map((n) => n.code);
    const { rows } = await this.pool.query<{
      id: string;
      name: string;
      organisation: string | null;
      jurisdiction: string;
      total: string;
    }>(
      `SELECT id, name, organisation, jurisdiction, count(*) OVER () AS total FROM ${this.schema}.users
        WHERE active AND role = 'social_worker' AND jurisdiction = ANY($1::text[])
        ORDER BY name, id LIMIT $2 OFFSET $3`,
      [places, pageSize, (page - 1) * pageSize],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: r.name,
        organisation: r.organisation,
        placeName: this.tree.fullName(r.jurisdiction) || r.jurisdiction,
      })),
      total: Number(rows[0]?.total ?? 0),
    };
  }

  async authenticate(username: string, password: string): Promise<LoginResult | { disabled: true } | null> {
    const { rows } = await this.pool.query(
      `SELECT id, username, name, role, department, jurisdiction, organisation, password_hash, active,
              token_version, must_change_password
         FROM ${this.schema}.users WHERE username = $1`,
      [username],
    );
    const row = rows[0];
    // Hash even for unknown users so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.dummyHash()));
    if (!row || !ok) return null;
    // Only someone who knows the password learns that the account is disabled.
    if (!row.active) return { disabled: true };
    return {
      user: directoryUser(row),
      tokenVersion: row.token_version,
      mustChangePassword: row.must_change_password,
    };
  }

  /**
   * The user a refresh continues a session for, read fresh (no cache): null when the account is gone or
   * disabled, a password change is pending, or its token version moved since the session began.
   */
  async sessionUser(userId: string, tokenVersion: number): Promise<LoginResult | null> {
    const { rows } = await this.pool.query(
      `SELECT id, username, name, role, department, jurisdiction, organisation, active, token_version,
              must_change_password
         FROM ${this.schema}.users WHERE id = $1`,
      [userId],
    );
    const row = rows[0];
    if (!row || !row.active || row.must_change_password || row.token_version !== tokenVersion) return null;
    return {
      user: directoryUser(row),
      tokenVersion: row.token_version,
      mustChangePassword: false,
    };
  }

  /** Whether a local user may still use their tokens: active, and at which token version (cached ≤ 2 s). */
  tokenStatus(userId: string): Promise<TokenStatus | null> {
    const now = Date.now();
    const cached = this.statuses.get(userId);
    if (cached && now - cached.at < TOKEN_STATUS_TTL_MS) return cached.status;
    const status = this.pool
      .query<{ active: boolean; token_version: number }>(
        `SELECT active, token_version FROM ${this.schema}.users WHERE id = $1`,
        [userId],
      )
      .then(({ rows }) => (rows[0] ? { active: rows[0].active, tokenVersion: rows[0].token_version } : null));
    if (this.statuses.size >= TOKEN_STATUS_CACHE_SIZE) {
      this.statuses.delete(this.statuses.keys().next().value!);
    }
    this.statuses.set(userId, { at: now, status });
    status.catch(() => this.statuses.delete(userId));
    return status;
  }

  /** Users' names by id, for showing who did what; an id not found (a removed user) is left out. */
  async namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const { rows } = await this.pool.query<{ id: string; name: string }>(
      `SELECT id, name FROM ${this.schema}.users WHERE id = ANY($1::text[])`,
      [wanted],
    );
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** After a change made by this process: the next request reads the user's row again. */
  forget(userId: string): void {
    this.statuses.delete(userId);
  }

  private dummy: Promise<string> | null = null;
  private dummyHash(): Promise<string> {
    // A refusal (busy) is not kept: the next unknown user tries again.
    this.dummy ??= hashPassword('not-a-user').catch((e: unknown) => {
      this.dummy = null;
      throw e;
    });
    return this.dummy;
  }
}
