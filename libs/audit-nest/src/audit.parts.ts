import {
  Controller,
  Get,
  HttpCode,
  Inject,
  Logger,
  Post,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
  type Type,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { PUBLISHING_DEPARTMENTS, sealTopicOf } from '@platform/contracts';
import { EVENT_STORE, MIGRATION_POOL, PG_POOL, runMigrations, type EventStore } from '@platform/event-store';
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
} from '@platform/audit';

export const LOG_SEALER = Symbol('LOG_SEALER');
export const SEAL_KEYS = Symbol('SEAL_KEYS');

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
  ) {
    this.logger = new Logger(`Seals:${options.department}`);
  }

  async onModuleInit(): Promise<void> {
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
      () => void this.sealer.seal().catch((e: Error) => this.logger.warn(`sealing failed: ${e.message}`)),
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
export function auditParts(options: AuditPartsOptions): { providers: Provider[]; controllers: Type[] } {
  const lifecycle = Symbol(`AUDIT_LIFECYCLE:${options.department}`);
  return {
    providers: [
      {
        provide: SEAL_KEYS,
        inject: [PLATFORM_CONFIG],
        useFactory: (config: PlatformConfig) => sealKeysOf(config),
      },
      {
        provide: LOG_SEALER,
        inject: [PG_POOL, SERVICE_SCHEMA, SEAL_KEYS, CLOCK, EVENT_STORE],
        useFactory: (pool: Pool, schema: string, keys: SealKeys, clock: Clock, store: EventStore) =>
          new LogSealer({
            pool,
            schema,
            department: options.department,
            table: sealTableOf(options.department),
            keys,
            now: () => clock.now(),
            publishTo: options.publishes ? store : undefined,
          }),
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
        ],
        useFactory: (
          sealer: LogSealer,
          keys: SealKeys,
          migrationPool: Pool,
          pool: Pool,
          schema: string,
          transport: IntegrationTransport,
          config: PlatformConfig,
        ) => new AuditLifecycle(options, sealer, keys, migrationPool, pool, schema, transport, config),
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
      @Inject(PG_POOL) private readonly pool: Pool,
      @Inject(SERVICE_SCHEMA) private readonly schema: string,
      @Inject(SEAL_KEYS) private readonly keys: SealKeys,
      @Inject(LOG_SEALER) private readonly sealer: LogSealer,
    ) {}

    @Get('verify')
    @Roles('audit:verify', 'auditor')
    @ApiOperation({
      summary: `校验${department}的事件库：每条流的哈希链，以及全部签名封印（与 npm run audit:verify 对该部门的结论一致）`,
    })
    verify() {
      return verifyDepartment({ pool: this.pool, schema: this.schema, department, keys: this.keys });
    }

    @Get('seals')
    @Roles('audit:seals', 'auditor')
    @ApiOperation({ summary: `${department}日志的封印列表` })
    seals() {
      return this.sealer.list();
    }

    @Post('seals')
    @HttpCode(200)
    @Roles('audit:seal', 'auditor', 'admin')
    @ApiOperation({ summary: `立即封存${department}日志中尚未封存的记录` })
    async seal() {
      return (await this.sealer.seal()) ?? { sealed: 0 };
    }
  }
  return AuditController;
}
