import os from 'node:os';
import { grantMigratedSchemasTo, PostgresEventStore } from '@platform/event-store';
import pg from 'pg';
import type { JurisdictionTree } from '../domain/jurisdiction.js';
import type { AuthenticatedActor } from '../tokens.js';
import { identitySchemaOf, prepareIdentity } from './identity-database.js';

/** A refusal of a command-line tool: the message says why (in Chinese) and the tool exits with `exitCode`. */
export class CliRefusal extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliRefusal';
  }
}

export interface IdentityCliContext {
  pool: pg.Pool;
  schema: string;
  store: PostgresEventStore;
  tree: JurisdictionTree;
  /** Who the tool acts as in the events it appends: the tool, with the operator's login in metadata. */
  actor(tool: string): { actor: AuthenticatedActor; metadata: Record<string, unknown> };
  close(): Promise<void>;
}

/**
 * What the identity tools (`admin:create`, `jurisdictions:import`) share with the services: the same
 * settings (DATABASE_URL, DATABASE_OWNER_URL, DATABASE_SCHEMA_PREFIX, AUTH_DEMO_USERS, NODE_ENV), the
 * same migrations and tree (a fresh database gets the national tree here, as at a service's first start)
 * and the same refusals (demo users in production, the demo and national trees mixed).
 */
export async function openIdentity(
  env: Record<string, string | undefined>,
  log: (line: string) => void,
): Promise<IdentityCliContext> {
  const url = env.DATABASE_URL;
  if (!url) {
    throw new CliRefusal(
      '需要 DATABASE_URL（服务使用的数据库；内嵌数据库启动时会打印其地址，如 postgres://platform_service:$(cat .data/platform_service.password)@127.0.0.1:54329/platform）',
      2,
    );
  }
  const prefix = env.DATABASE_SCHEMA_PREFIX || undefined;
  if (prefix && !/^[a-z_][a-z0-9_]*$/.test(prefix)) {
    throw new CliRefusal(`DATABASE_SCHEMA_PREFIX：应为小写 SQL 标识符，实为“${prefix}”`, 2);
  }
  const production = env.NODE_ENV === 'production';
  const demo = env.AUTH_DEMO_USERS === 'true';
  if (production && demo) {
    throw new CliRefusal('AUTH_DEMO_USERS：生产环境（NODE_ENV=production）不能加载演示城市和演示用户', 2);
  }
  const pool = new pg.Pool({ connectionString: url, max: 2, application_name: 'social-assistance-cli' });
  pool.on('error', () => undefined);
  let migrationPool = pool;
  if (env.DATABASE_OWNER_URL) {
    // As the services do: the owner migrates and grants the service role (DATABASE_URL's) what it needs.
    migrationPool = new pg.Pool({ connectionString: env.DATABASE_OWNER_URL, max: 2 });
    migrationPool.on('error', () => undefined);
    grantMigratedSchemasTo(migrationPool, async () => {
      const { rows } = await pool.query<{ role: string }>('SELECT current_user AS role');
      return rows[0]!.role;
    });
  }
  const close = async () => {
    if (migrationPool !== pool) await migrationPool.end();
    await pool.end();
  };
  const schema = identitySchemaOf(prefix);
  try {
    const tree = await prepareIdentity({
      pool,
      migrationPool,
      schema,
      demo,
      production,
      now: () => new Date(),
      log,
    });
    const city = tree.list('city')[0];
    return {
      pool,
      schema,
      store: new PostgresEventStore({ pool, schema }),
      tree,
      actor: (tool) => ({
        actor: {
          id: `cli:${tool}`,
          name: `命令行 ${tool}`,
          role: 'admin',
          department: 'platform',
          jurisdiction: city?.code ?? '150800000000',
        },
        metadata: { tool: { name: tool, osUser: os.userInfo().username, host: os.hostname() } },
      }),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}
