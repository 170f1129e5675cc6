import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { auditParts } from '@platform/audit-nest';
import { AccessLog, createAuditStreamsController, UserDirectory } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { topicOf } from '@platform/contracts';
import {
  EVENT_STORE,
  MIGRATION_POOL,
  PG_POOL,
  ProjectionRunner,
  runMigrations,
  type EventStore,
} from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  MessagingModule,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationTransport,
} from '@platform/messaging';
import type { Pool } from 'pg';
import {
  CASES,
  CasesController,
  GovernmentController,
  IntakeAuditController,
  PublicProgressController,
} from './api/cases.controller.js';
import { CaseCommandService } from './application/case-command.service.js';
import { CasesService } from './application/cases.service.js';
import { ReferralProgressConsumer } from './application/referral-progress.consumer.js';
import { CaseQuery } from './read-model/case.query.js';
import { caseListProjection, caseReadModelMigrations } from './read-model/case-list.projection.js';

const CASE_PROJECTION = Symbol('CASE_PROJECTION');

class CasesLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(CASE_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(CASES) private readonly cases: CasesService,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schema, caseReadModelMigrations);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    const consumer = new ReferralProgressConsumer(this.cases.commands, () => this.clock.now());
    this.consumer = await this.transport.consume({
      group: 'intake.referral-progress',
      topics: ['civil-affairs', 'health', 'housing', 'education'].map(topicOf),
      schema: this.schema,
      handler: (m, ctx) => consumer.handle(m, ctx),
      accepts: (m) => consumer.accepts(m),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.projection.stop();
  }
}

const intakeAudit = auditParts({ department: 'intake', publishes: true });

/** One-door intake (一门受理): cases, notices, routing to departments, progress for applicants. */
@Module({
  imports: [MessagingModule.forService({ department: 'intake', publishes: true })],
  controllers: [
    CasesController,
    PublicProgressController,
    GovernmentController,
    IntakeAuditController,
    createAuditStreamsController('intake'),
    ...intakeAudit.controllers,
  ],
  providers: [
    {
      provide: CASES,
      inject: [EVENT_STORE, PG_POOL, SERVICE_SCHEMA, UserDirectory, CLOCK],
      useFactory: (store: EventStore, pool: Pool, schema: string, directory: UserDirectory, clock: Clock) =>
        new CasesService(
          new CaseCommandService(store, pool),
          new CaseQuery(pool, schema),
          () => directory.jurisdictions,
          new AccessLog(store, () => clock.now(), pool),
          () => clock.now(),
        ),
    },
    {
      provide: CASE_PROJECTION,
      inject: [PG_POOL, EVENT_STORE, PLATFORM_CONFIG],
      useFactory: (pool: Pool, store: EventStore, config: PlatformConfig) =>
        new ProjectionRunner({
          pool,
          store,
          projection: caseListProjection(store),
          pollIntervalMs: config.POLL_INTERVAL_MS,
          onError: (e) => new Logger('Projection:intake').warn(e.message),
        }),
    },
    ...intakeAudit.providers,
    CasesLifecycle,
  ],
})
export class CasesModule {}
