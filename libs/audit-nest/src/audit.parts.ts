import {
  UnprocessableEntityException,
  Controller,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  Post,
  Query as QueryParam,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
  type Type,
} from '@nestjs/common';
import {
  Command,
  CommandBus,
  CommandHandler,
  Query,
  QueryBus,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { CLOCK, MetricsRegistry, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { PUBLISHING_DEPARTMENTS, sealTopicOf } from '@platform/contracts';
import {
  EVENT_STORE,
  MIGRATION_POOL,
  PG_POOL,
  quoteIdent,
  runMigrations,
  type EventStore,
} from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationTransport,
} from '@platform/messaging';
import type { Pool } from 'pg';
import {
  departmentSealMigrations,
  loadSealKeys,
  LogSealer,
  peerSealMigrations,
  SealWitness,
  sealTableOf,
  verifyDepartment,
  type SealKeys,
  type StoredSeal,
} from '@platform/audit';

export const LOG_SEALER = Symbol('LOG_SEALER');
export const SEAL_KEYS = Symbol('SEAL_KEYS');

/** One department's sealed log, as its handlers need it. */
interface AuditedLog {
  department: string;
  sealer: LogSealer;
  keys: SealKeys;
  pool: Pool;
  schema: string;
}

/**
 * The sealed logs of the departments in this process, by department: the audit handlers are registered
 * once on the buses, and each command or query names its department.
 */
@Injectable()
export class AuditedLogs {
  private readonly logs = new Map<string, AuditedLog>();

  register(log: AuditedLog): void {
    this.logs.set(log.department, log);
  }

  get(department: string): AuditedLog {
    const log = this.logs.get(department);
    if (!log) throw new Error(`No sealed log for department "${department}" in this process`);
    return log;
  }
}

/** Seal what the department's log holds beyond its last seal, now (the timer does the same). */
export class SealLogCommand extends Command<StoredSeal | { sealed: 0 }> {
  constructor(readonly department: string) {
    super();
  }
}

@CommandHandler(SealLogCommand)
export class SealLogHandler implements ICommandHandler<SealLogCommand> {
  constructor(@Inject(AuditedLogs) private readonly logs: AuditedLogs) {}

  async execute({ department }: SealLogCommand): Promise<StoredSeal | { sealed: 0 }> {
    return (await this.logs.get(department).sealer.seal()) ?? { sealed: 0 };
  }
}

/** Every stream's hash chain and every seal of the department's log (what `npm run audit:verify` checks). */
export class VerifyLogQuery extends Query<Awaited<ReturnType<typeof verifyDepartment>>> {
  constructor(readonly department: string) {
    super();
  }
}

@QueryHandler(VerifyLogQuery)
export class VerifyLogHandler implements IQueryHandler<VerifyLogQuery> {
  constructor(
    @Inject(AuditedLogs) private readonly logs: AuditedLogs,
    @Optional() @Inject(MetricsRegistry) private readonly metrics: MetricsRegistry | null,
  ) {}

  async execute({ department }: VerifyLogQuery) {
    const { pool, schema, keys } = this.logs.get(department);
    const result = await verifyDepartment({ pool, schema, department, keys });
    // The last verification's verdict, for the operators' alert (a broken chain or seal is 0).
    this.metrics
      ?.gauge('sap_audit_verify_ok', 'Last verification of a department log run here: 1 intact, 0 broken', [
        'department',
      ])
      .set({ department }, result.ok ? 1 : 0);
    this.metrics
      ?.gauge('sap_audit_verify_timestamp_seconds', 'When a department log was last verified here', [
        'department',
      ])
      .set({ department }, Date.now() / 1000);
    return result;
  }
}

/** The department's seals. */
export class ListLogSealsQuery extends Query<Awaited<ReturnType<LogSealer['list']>>> {
  constructor(readonly department: string) {
    super();
  }
}

@QueryHandler(ListLogSealsQuery)
export class ListLogSealsHandler implements IQueryHandler<ListLogSealsQuery> {
  constructor(@Inject(AuditedLogs) private readonly logs: AuditedLogs) {}

  execute({ department }: ListLogSealsQuery) {
    return this.logs.get(department).sealer.list();
  }
}

/** The audit handlers, once per process. */
@Module({
  providers: [AuditedLogs, SealLogHandler, VerifyLogHandler, ListLogSealsHandler],
  exports: [AuditedLogs],
})
export class AuditHandlersModule {}

let processKeys: SealKeys | null = null;
let warnedDevelopmentKey = false;

/** One set of seal keys per process, from configuration (or the data folder's key in development). */
export function sealKeysOf(config: PlatformConfig): SealKeys {
  processKeys ??= loadSealKeys({
    privateKeyPem: config.SEAL_PRIVATE_KEY ?? config.OVERSIGHT_SEAL_PRIVATE_KEY,
    keyId: config.SEAL_KEY_ID,
    trustedKeysJson: config.SEAL_TRUSTED_KEYS,
    trustedKeysFile: config.SEAL_TRUSTED_KEYS_FILE,
    dataDir: config.NODE_ENV === 'production' ? undefined : config.DATA_DIR,
    createInDataDir: true,
  });
  return processKeys;
}

export interface AuditPartsOptions {
  department: string;
  /** Publishing departments append each seal to their log as `<department>.LogSealed` for the relay. */
  publishes: boolean;
}

class AuditLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | null = null;
  private witness: ConsumerHandle | null = null;

  constructor(
    private readonly options: AuditPartsOptions,
    private readonly sealer: LogSealer,
    private readonly keys: SealKeys,
    private readonly migrationPool: Pool,
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly transport: IntegrationTransport,
    private readonly config: PlatformConfig,
    private readonly logs: AuditedLogs,
    private readonly commands: CommandBus,
  ) {
    this.logger = new Logger(`Seals:${options.department}`);
  }

  async onModuleInit(): Promise<void> {
    this.logs.register({
      department: this.options.department,
      sealer: this.sealer,
      keys: this.keys,
      pool: this.pool,
      schema: this.schema,
    });
    // Oversight's seal table belongs to its ledger migrations (they create it); departments get theirs here.
    const own = this.options.department === 'oversight' ? [] : departmentSealMigrations;
    await runMigrations(this.migrationPool, this.schema, [...own, ...peerSealMigrations]);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.keys.source === 'data-dir' && !warnedDevelopmentKey) {
      warnedDevelopmentKey = true;
      this.logger.warn(
        `SEAL_PRIVATE_KEY is not set: seals are signed with the development key in ${this.config.DATA_DIR}/seal-key.pem`,
      );
    }
    const corrective = await this.sealer.correctTextOrderSeals();
    if (corrective) {
      this.logger.warn(
        `seals 1–${corrective.supersedes!.to} were made in text order of transaction ids; corrective seal ${corrective.sealNo} supersedes them`,
      );
    }
    this.timer = setInterval(
      () =>
        void this.commands
          .execute(new SealLogCommand(this.options.department))
          .catch((e: Error) => this.logger.warn(`sealing failed: ${e.message}`)),
      this.config.SEAL_INTERVAL_MS,
    );
    this.timer.unref();
    // Other departments keep a copy of every seal this one publishes, so that rewriting a log and its seals
    // would mean compromising every department. Over the embedded event log every department shares one
    // database, where copies add nothing; oversight records every seal in its ledger either way.
    if (this.options.department !== 'oversight' && this.transport.kind === 'kafka') {
      const witness = new SealWitness(this.schema);
      this.witness = await this.transport.consume({
        group: `${this.options.department}.seal-witness`,
        topics: PUBLISHING_DEPARTMENTS.filter((d) => d !== this.options.department).map(sealTopicOf),
        schema: this.schema,
        accepts: (m) => witness.accepts(m),
        handler: (m, ctx) => witness.handle(m, ctx),
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.witness?.stop();
  }
}

/** Seals, seal witnessing and the auditors' verify endpoint of one department, for its module. */
export function auditParts(options: AuditPartsOptions): {
  imports: Type[];
  providers: Provider[];
  controllers: Type[];
} {
  const lifecycle = Symbol(`AUDIT_LIFECYCLE:${options.department}`);
  return {
    imports: [AuditHandlersModule],
    providers: [
      {
        provide: SEAL_KEYS,
        inject: [PLATFORM_CONFIG],
        useFactory: (config: PlatformConfig) => sealKeysOf(config),
      },
      {
        provide: LOG_SEALER,
        inject: [
          PG_POOL,
          SERVICE_SCHEMA,
          SEAL_KEYS,
          CLOCK,
          EVENT_STORE,
          { token: MetricsRegistry, optional: true },
        ],
        useFactory: (
          pool: Pool,
          schema: string,
          keys: SealKeys,
          clock: Clock,
          store: EventStore,
          metrics: MetricsRegistry | undefined,
        ) => {
          const { department } = options;
          const table = sealTableOf(department);
          if (metrics) {
            const seals = async () => {
              const { rows } = await pool.query<{ n: string; last: Date | null }>(
                `SELECT count(*)::text AS n, max(sealed_at) AS last FROM ${quoteIdent(schema)}.${table}`,
              );
              return rows[0]!;
            };
            metrics.scraped(
              'counter',
              'sap_seals_total',
              "Signed seals over a department's log",
              ['department'],
              async () => [{ labels: { department }, value: Number((await seals()).n) }],
            );
            metrics.scraped(
              'gauge',
              'sap_last_seal_timestamp_seconds',
              "When a department's log was last sealed (0: never)",
              ['department'],
              async () => {
                const { last } = await seals();
                return [{ labels: { department }, value: last ? last.getTime() / 1000 : 0 }];
              },
            );
          }
          return new LogSealer({
            pool,
            schema,
            department,
            table,
            keys,
            now: () => clock.now(),
            publishTo: options.publishes ? store : undefined,
          });
        },
      },
      {
        provide: lifecycle,
        inject: [
          LOG_SEALER,
          SEAL_KEYS,
          MIGRATION_POOL,
          PG_POOL,
          SERVICE_SCHEMA,
          INTEGRATION_TRANSPORT,
          PLATFORM_CONFIG,
          AuditedLogs,
          CommandBus,
        ],
        useFactory: (
          sealer: LogSealer,
          keys: SealKeys,
          migrationPool: Pool,
          pool: Pool,
          schema: string,
          transport: IntegrationTransport,
          config: PlatformConfig,
          logs: AuditedLogs,
          commands: CommandBus,
        ) =>
          new AuditLifecycle(
            options,
            sealer,
            keys,
            migrationPool,
            pool,
            schema,
            transport,
            config,
            logs,
            commands,
          ),
      },
    ],
    controllers: [createAuditController(options.department)],
  };
}

function createAuditController(department: string): Type {
  @ApiTags('audit')
  @ApiBearerAuth()
  @Controller(`${department}/audit`)
  class AuditController {
    constructor(
      @Inject(CommandBus) private readonly commands: CommandBus,
      @Inject(QueryBus) private readonly queries: QueryBus,
    ) {}

    @Get('verify')
    @Roles('audit:verify', 'auditor')
    @ApiOperation({
      summary: `校验${department}的事件库：每条流的哈希链，以及全部签名封印（与 npm run audit:verify 对该部门的结论一致）`,
    })
    verify() {
      return this.queries.execute(new VerifyLogQuery(department));
    }

    @Get('seals')
    @Roles('audit:seals', 'auditor')
    @ApiOperation({
      summary: `${department}日志的封印列表；带 ?page=（及 pageSize=，默认20，至多100）时按页返回，新封印在前`,
    })
    async seals(@QueryParam('page') page?: string, @QueryParam('pageSize') pageSize?: string) {
      const all: StoredSeal[] = await this.queries.execute(new ListLogSealsQuery(department));
      if (page === undefined) return all;
      const p = Number(page);
      const size = pageSize === undefined ? 20 : Number(pageSize);
      if (!Number.isInteger(p) || p < 1 || !Number.isInteger(size) || size < 1 || size > 100) {
        throw new UnprocessableEntityException({
          code: 'VALIDATION_FAILED',
          message: 'page 应为正整数，pageSize 应为1至100的整数',
        });
      }
      const newest = [...all].sort((a, b) => b.sealNo - a.sealNo);
      return { items: newest.slice((p - 1) * size, p * size), total: all.length, page: p, pageSize: size };
    }

    @Post('seals')
    @HttpCode(200)
    @Roles('audit:seal', 'auditor', 'admin')
    @ApiOperation({ summary: `立即封存${department}日志中尚未封存的记录` })
    seal() {
      return this.commands.execute(new SealLogCommand(department));
    }
  }
  return AuditController;
}
