import { CommandBus } from '@nestjs/cqrs';
import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { SealWitness, type LogSealer } from '@platform/audit';
import { auditParts, LOG_SEALER } from '@platform/audit-nest';
import { AccessLog, createAuditStreamsController } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { PUBLISHING_DEPARTMENTS, sealTopicOf, topicOf } from '@platform/contracts';
import { EVENT_STORE, MIGRATION_POOL, PG_POOL, runMigrations, type EventStore } from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  MessagingModule,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationTransport,
} from '@platform/messaging';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { CaseAuditController, OversightController } from './ledger/api/oversight.controller.js';
import {
  RecordLedgerEntryCommand,
  RecordLedgerEntryHandler,
  SealLedgerHandler,
} from './ledger/application/commands/ledger-commands.js';
import { LedgerQuery } from './ledger/application/ledger.query.js';
import { OVERSIGHT, type OversightContext } from './ledger/application/oversight-context.js';
import {
  AccountabilityReportHandler,
  CaseDiffHandler,
  CaseLabelsHandler,
  LedgerAccessLogHandler,
  ListErasuresHandler,
  CaseStateHandler,
  CaseTimelineHandler,
  DashboardHandler,
  ExportLedgerSealHandler,
  ListLedgerSealsHandler,
} from './ledger/application/queries/ledger-queries.js';
import { factsReadModel } from './ledger/read-model/facts.read-model.js';
import { oversightMigrations } from './ledger/read-model/oversight.migrations.js';
import { OversightQuery } from './ledger/read-model/oversight.query.js';
import { referralFactsProjection } from './ledger/read-model/referral-facts.projection.js';

const FACTS = Symbol('FACTS_PROJECTION');
// The ledger is sealed like every department's log; oversight publishes nothing, so its seals stay here
// and leave the database through `npm run audit:export-seals`.
const oversightAudit = auditParts({ department: 'oversight', publishes: false });

class OversightLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Oversight');
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(FACTS) private readonly facts: ProjectionRunner,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schema, oversightMigrations);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.facts.start();
    const witness = new SealWitness(this.schema);
    // Every department's events and its published seals: the ledger keeps both, and a copy of each seal.
    this.consumer = await this.transport.consume({
      group: 'oversight.ledger',
      topics: [...PUBLISHING_DEPARTMENTS.map(topicOf), ...PUBLISHING_DEPARTMENTS.map(sealTopicOf)],
      schema: this.schema,
      handler: (m, ctx) => this.commands.execute(new RecordLedgerEntryCommand(m, ctx, witness)),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.facts.stop();
  }
}

/** Oversight (监督): audit ledger, point-in-time replay, accountability reports, joint-meeting dashboard. */
@Module({
  imports: [
    MessagingModule.forService({ department: 'oversight', publishes: false }),
    ...oversightAudit.imports,
  ],
  controllers: [
    CaseAuditController,
    OversightController,
    createAuditStreamsController('oversight'),
    ...oversightAudit.controllers,
  ],
  providers: [
    {
      provide: OVERSIGHT,
      inject: [PG_POOL, SERVICE_SCHEMA, EVENT_STORE, CLOCK, LOG_SEALER, READ_MODEL],
      useFactory: (
        pool: Pool,
        schema: string,
        store: EventStore,
        clock: Clock,
        sealer: LogSealer,
        dataSource: DataSource,
      ): OversightContext => ({
        ledger: new LedgerQuery(pool, schema),
        sealer,
        query: new OversightQuery(dataSource),
        accessLog: new AccessLog(store, () => clock.now(), pool),
        store,
        now: () => clock.now(),
      }),
    },
    {
      provide: FACTS,
      inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
      useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
        new ProjectionRunner({
          dataSource,
          store,
          projection: referralFactsProjection(),
          pollIntervalMs: config.POLL_INTERVAL_MS,
          onError: (e) => new Logger('Projection:oversight').warn(e.message),
        }),
    },
    ...readModelProviders(factsReadModel),
    RecordLedgerEntryHandler,
    SealLedgerHandler,
    CaseTimelineHandler,
    CaseStateHandler,
    CaseDiffHandler,
    CaseLabelsHandler,
    LedgerAccessLogHandler,
    ListErasuresHandler,
    ListLedgerSealsHandler,
    ExportLedgerSealHandler,
    DashboardHandler,
    AccountabilityReportHandler,
    ...oversightAudit.providers,
    OversightLifecycle,
  ],
})
export class OversightModule {}
