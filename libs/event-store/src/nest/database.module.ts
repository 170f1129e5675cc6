import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { PLATFORM_CONFIG, ReadinessRegistry, type PlatformConfig } from '@platform/config';
import pg from 'pg';

export const PG_POOL = Symbol('PG_POOL');

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
  ],
  exports: [PG_POOL],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
