import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { PLATFORM_CONFIG, type PlatformConfig } from '@platform/config';
import {
  MIGRATION_POOL,
  PG_POOL,
  runMigrations,
  withTransaction,
  type Migration,
} from '@platform/event-store';
import type { Pool } from 'pg';
import { DEMO_JURISDICTIONS } from '../domain/demo-jurisdictions.js';
import { DEMO_PASSWORD, DEMO_USERS, type DirectoryUser } from '../domain/demo-users.js';
import { JurisdictionTree, type JurisdictionNode } from '../domain/jurisdiction.js';
import { hashPassword, verifyPassword } from '../passwords.js';

export const IDENTITY_SCHEMA = 'identity';

const identityMigrations: Migration[] = [
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
];

/** Users and the jurisdiction tree are data (schema `identity`), seeded with the demo city when enabled. */
@Injectable()
export class UserDirectory implements OnModuleInit {
  private readonly logger = new Logger('UserDirectory');
  private tree: JurisdictionTree = new JurisdictionTree(DEMO_JURISDICTIONS);

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
  ) {}

  async onModuleInit(): Promise<void> {
    const schema = this.config.DATABASE_SCHEMA_PREFIX
      ? `${this.config.DATABASE_SCHEMA_PREFIX}_${IDENTITY_SCHEMA}`
      : IDENTITY_SCHEMA;
    this.schema = `"${schema}"`;
    await runMigrations(this.migrationPool, schema, identityMigrations);
    const seed =
      (this.config.AUTH_DEMO_USERS ?? (this.config.NODE_ENV === 'production' ? 'false' : 'true')) === 'true';
    if (seed) await this.seedDemo();
    const { rows } = await this.pool.query<{
      code: string;
      name: string;
      level: string;
      parent_code: string | null;
    }>(`SELECT code, name, level, parent_code FROM ${this.schema}.jurisdictions`);
    if (rows.length > 0) {
      this.tree = new JurisdictionTree(
        rows.map((r) => ({
          code: r.code,
          name: r.name,
          level: r.level as JurisdictionNode['level'],
          parentCode: r.parent_code,
        })),
      );
    }
  }

  private schema = `"${IDENTITY_SCHEMA}"`;

  get jurisdictions(): JurisdictionTree {
    return this.tree;
  }

  async authenticate(username: string, password: string): Promise<DirectoryUser | null> {
    const { rows } = await this.pool.query(
      `SELECT id, username, name, role, department, jurisdiction, organisation, password_hash
         FROM ${this.schema}.users WHERE username = $1 AND active`,
      [username],
    );
    const row = rows[0];
    // Hash even for unknown users so response time does not reveal which usernames exist.
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.dummyHash()));
    if (!row || !ok) return null;
    return {
      id: row.id,
      username: row.username,
      name: row.name,
      role: row.role,
      department: row.department,
      jurisdiction: row.jurisdiction,
      ...(row.organisation ? { organisation: row.organisation } : {}),
    };
  }

  private dummy: Promise<string> | null = null;
  private dummyHash(): Promise<string> {
    this.dummy ??= hashPassword('not-a-user');
    return this.dummy;
  }

  private async seedDemo(): Promise<void> {
    await withTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`seed:${this.schema}`]);
      for (const j of DEMO_JURISDICTIONS) {
        await client.query(
          `INSERT INTO ${this.schema}.jurisdictions (code, name, level, parent_code) VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO NOTHING`,
          [j.code, j.name, j.level, j.parentCode],
        );
      }
      const { rows } = await client.query(`SELECT username FROM ${this.schema}.users`);
      const existing = new Set(rows.map((r) => r.username));
      const missing = DEMO_USERS.filter((u) => !existing.has(u.username));
      if (missing.length > 0) {
        const hash = await hashPassword(DEMO_PASSWORD);
        for (const u of missing) {
          await client.query(
            `INSERT INTO ${this.schema}.users (id, username, name, role, department, jurisdiction, organisation, password_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
            [u.id, u.username, u.name, u.role, u.department, u.jurisdiction, u.organisation ?? null, hash],
          );
        }
        this.logger.log(`seeded ${missing.length} demo users (password ${DEMO_PASSWORD})`);
      }
    });
  }
}
