import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PLATFORM_CONFIG, ReadinessRegistry, type PlatformConfig } from '@platform/config';
import pg from 'pg';
import { CommitNotifier } from '../postgres/commit-notifier.js';
import { grantMigratedSchemasTo, runMigrations } from '../postgres/migrations.js';
import {
  PERSONAL_DATA_MIGRATIONS,
  PersonalDataProtection,
  personalDataSchemaOf,
  protectPersonalData,
} from '../personal-data/personal-data.js';

export const PG_POOL = Symbol('PG_POOL');
/**
 * The pool `runMigrations` runs on: the owner role's (DATABASE_OWNER_URL), which grants the service
 * role what it needs after each migration; PG_POOL itself when no owner is configured.
 */
export const MIGRATION_POOL = Symbol('MIGRATION_POOL');
/** Cross-process commit wake-ups on the service pool's database, or null when COMMIT_NOTIFY=false. */
export const COMMIT_NOTIFIER = Symbol('COMMIT_NOTIFIER');
/** The sealing of personal values in events, registered for PG_POOL (every event store on it uses it). */
export const PERSONAL_DATA = Symbol('PERSONAL_DATA');

const logger = new Logger('Database');

/**
 * The service pool's role, resolved once, with a warning when the owner/service split protects nothing:
 * the same role on both URLs, or a superuser service role (which passes every privilege check).
 */
function serviceRoleOf(pool: pg.Pool, owner: pg.Pool): () => Promise<string> {
  let role: Promise<string> | null = null;
  return () =>
    (role ??= (async () => {
      const [service, migrator] = await Promise.all([
        pool.query<{ role: string; superuser: boolean }>(
          'SELECT current_user AS role, rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
        ),
        owner.query<{ role: string }>('SELECT current_user AS role'),
      ]);
      const { role: name, superuser } = service.rows[0]!;
      if (name === migrator.rows[0]!.role) {
        logger.warn(
          `DATABASE_OWNER_URL and DATABASE_URL both log in as "${name}": the service role owns its tables, ` +
            'so it can disable the append-only triggers. Use two roles (README, "Database roles").',
        );
      } else if (superuser) {
        logger.warn(
          `The service role "${name}" is a superuser: no grant restricts it. Use an ordinary login role ` +
            'for DATABASE_URL (README, "Database roles").',
        );
      }
      return name;
    })());
}

/** One connection pool per process; each service works in its own schema through it. */
@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [PLATFORM_CONFIG, ReadinessRegistry],
      useFactory: (config: PlatformConfig, readiness: ReadinessRegistry) => {
        if (!config.DATABASE_URL) {
          throw new Error('DATABASE_URL: required (apps/platform resolves it to its embedded PostgreSQL)');
        }
        const pool = new pg.Pool({
          connectionString: config.DATABASE_URL,
          max: config.DATABASE_POOL_SIZE,
          application_name: 'social-assistance',
          // A transaction left open by a bug would hold every log reader's horizon back: end it.
          options: `-c idle_in_transaction_session_timeout=${config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS}`,
        });
        // An idle client losing its connection must not crash the process; the pool replaces it.
        pool.on('error', () => undefined);
        readiness.register({
          name: 'database',
          check: async () => {
            await pool.query('SELECT 1');
          },
        });
        return pool;
      },
    },
    {
      provide: MIGRATION_POOL,
      inject: [PLATFORM_CONFIG, PG_POOL],
      useFactory: (config: PlatformConfig, pool: pg.Pool) => {
        if (!config.DATABASE_OWNER_URL) {
          logger.warn(
            'DATABASE_OWNER_URL is not set: the service role runs the migrations and owns its tables, so ' +
              'whoever holds DATABASE_URL can disable the append-only triggers and rewrite events. ' +
              'Protection against that needs two roles (README, "Database roles").',
          );
          return pool;
        }
        const owner = new pg.Pool({
          connectionString: config.DATABASE_OWNER_URL,
          max: 2,
          application_name: 'social-assistance-migrations',
        });
        owner.on('error', () => undefined);
        grantMigratedSchemasTo(owner, serviceRoleOf(pool, owner));
        return owner;
      },
    },
    {
      provide: PERSONAL_DATA,
      inject: [PLATFORM_CONFIG, PG_POOL, MIGRATION_POOL],
      useFactory: async (config: PlatformConfig, pool: pg.Pool, owner: pg.Pool) => {
        const schema = personalDataSchemaOf(config.DATABASE_SCHEMA_PREFIX);
        await runMigrations(owner, schema, PERSONAL_DATA_MIGRATIONS);
        if (!config.PERSONAL_DATA_KEY) {
          logger.warn(
            'PERSONAL_DATA_KEY is not set: the keys that seal personal data in events are stored unwrapped ' +
              '(development only; production refuses to start without it).',
          );
        }
        const masterKey = config.PERSONAL_DATA_KEY
          ? Buffer.from(config.PERSONAL_DATA_KEY, 'base64')
          : undefined;
        if (masterKey?.toString('latin1').startsWith('CHANGE-ME')) {
          throw new Error(
            'PERSONAL_DATA_KEY: still the placeholder of .env.example; set openssl rand -base64 32',
          );
        }
        const protection = new PersonalDataProtection({
          pool,
          schema,
          masterKey,
          cacheMs: config.PERSONAL_DATA_CACHE_MS,
        });
        // A key other than the one the data was written with, or none where one was used, is refused now
        // rather than discovered by the first read (or missed by an erasure looking under the wrong index).
        await protection.checkMasterKey();
        protectPersonalData(pool, protection);
        return protection;
      },
    },
    {
      provide: COMMIT_NOTIFIER,
      inject: [PLATFORM_CONFIG, PG_POOL],
      useFactory: (config: PlatformConfig, pool: pg.Pool) =>
        config.COMMIT_NOTIFY === 'false'
          ? null
          : new CommitNotifier(pool, {
              onError: (e) => logger.debug(`commit wake-ups: ${e.message} (the fallback poll covers)`),
            }),
    },
  ],
  exports: [PG_POOL, MIGRATION_POOL, COMMIT_NOTIFIER, PERSONAL_DATA],
})
export class DatabaseModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(MIGRATION_POOL) private readonly migrationPool: pg.Pool,
    @Inject(COMMIT_NOTIFIER) private readonly notifier: CommitNotifier | null,
    @Inject(PERSONAL_DATA) private readonly personalData: PersonalDataProtection,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.notifier?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.notifier?.stop();
    await this.personalData.close();
    if (this.migrationPool !== this.pool) await this.migrationPool.end();
    await this.pool.end();
  }
}
