import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { CLOCK, PLATFORM_CONFIG, ReadinessRegistry, type Clock, type PlatformConfig } from '@platform/config';
import {
  eventStoreMigrations,
  MIGRATION_POOL,
  PG_POOL,
  PostgresEventStore,
  runMigrations,
} from '@platform/event-store';
import type { Pool } from 'pg';
import { PolicyController } from '../api/policy.controller.js';
import { ChangePolicyTableHandler, LoadCalendarYearHandler } from '../application/commands/change-policy.js';
import { POLICY, type PolicyContext } from '../application/policy-context.js';
import { POLICY_TABLES_SERVICE, policySchemaOf, PolicyTables } from '@platform/policy';
import {
  ListPolicyTablesHandler,
  PolicyTableAsOfHandler,
  PolicyTableHistoryHandler,
} from '../application/queries/policy-queries.js';

class PolicyLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Policy');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(POLICY_TABLES_SERVICE) private readonly tables: PolicyTables,
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, policySchemaOf(this.config), eventStoreMigrations);
    const seeded = await this.tables.seed();
    if (seeded.length > 0) this.logger.log(`policy tables seeded or extended: ${seeded.join(', ')}`);
    await this.tables.start();
    this.readiness.register({
      name: 'policy',
      // Never "not ready" for a missing calendar (the service still works, deadlines are provisional),
      // but said here and in the log until an administrator loads the year.
      check: async () => {
        const missing = this.tables.missingCalendarYears();
        return missing.length > 0
          ? {
              warnings: missing.map(
                (y) => `no calendar for ${y}（缺少 ${y} 年工作日历，期限按周末临时计算）`,
              ),
            }
          : undefined;
      },
    });
    this.warnMissingCalendar();
    this.timer = setInterval(() => this.warnMissingCalendar(), 6 * 3600_000);
    this.timer.unref();
  }

  private warnMissingCalendar(): void {
    for (const year of this.tables.missingCalendarYears()) {
      this.logger.warn(
        `no calendar for ${year}: deadlines in ${year} count weekends only and are provisional until an administrator loads it (POST /admin/policy/calendar/years/${year})`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.tables.stop();
  }
}

/**
 * Versioned, effective-dated policy tables for every module of the service (global). With
 * `administration`, the service also serves /admin/policy (apps/platform, and intake when distributed).
 */
@Global()
@Module({})
export class PolicyModule {
  static forRoot(options: { administration: boolean }): DynamicModule {
    return {
      module: PolicyModule,
      controllers: options.administration ? [PolicyController] : [],
      providers: [
        {
          provide: POLICY_TABLES_SERVICE,
          inject: [PG_POOL, PLATFORM_CONFIG, CLOCK],
          useFactory: (pool: Pool, config: PlatformConfig, clock: Clock) =>
            new PolicyTables({
              store: new PostgresEventStore({ pool, schema: policySchemaOf(config) }),
              pool,
              now: () => clock.now(),
              pollIntervalMs: config.POLL_INTERVAL_MS,
            }),
        },
        {
          provide: POLICY,
          inject: [POLICY_TABLES_SERVICE, CLOCK],
          useFactory: (tables: PolicyTables, clock: Clock): PolicyContext => ({
            tables,
            now: () => clock.now(),
          }),
        },
        PolicyLifecycle,
        ChangePolicyTableHandler,
        LoadCalendarYearHandler,
        ListPolicyTablesHandler,
        PolicyTableAsOfHandler,
        PolicyTableHistoryHandler,
      ],
      exports: [POLICY_TABLES_SERVICE],
    };
  }
}
