import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { auditParts } from '@platform/audit-nest';
import { AccessLog, createAuditStreamsController, UserDirectory } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { topicOf } from '@platform/contracts';
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  MessagingModule,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationTransport,
} from '@platform/messaging';
import { POLICY_TABLES_SERVICE, type PolicyTables } from '@platform/policy';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import {
  CasesController,
  GovernmentController,
  UrgentController,
  IntakeAuditController,
  PublicProgressController,
} from './api/cases.controller.js';
import { AcceptCaseHandler } from './application/commands/accept-case.js';
import {
  RecordExternalOutcomeHandler,
  RerouteReferralHandler,
  RevokeCaseReferralHandler,
} from './application/commands/case-referrals.js';
import { RecordGovernmentResponseHandler } from './application/commands/government-response.js';
import { OpenCaseHandler } from './application/commands/open-case.js';
import { RecordReferralProgressHandler } from './application/commands/record-referral-progress.js';
import { RecordReferralTransferHandler } from './application/commands/record-referral-transfer.js';
import { ReissueQueryCodeHandler } from './application/commands/reissue-query-code.js';
import { caseStore, INTAKE_CASES, type IntakeCases } from './application/intake-cases.js';
import {
  CaseNoticeHandler,
  GovernmentReportHandler,
  GovernmentReportsHandler,
  IntakeAccessLogHandler,
  ListCasesHandler,
  ListReportedCasesHandler,
  OnCallHandler,
  ReportedCaseHandler,
  PublicProgressHandler,
  ViewCaseHandler,
} from './application/queries/case-queries.js';
import { ReferralProgressConsumer } from './application/referral-progress.consumer.js';
import { caseReadModel } from './read-model/case.read-model.js';
import { caseListProjection } from './read-model/case-list.projection.js';
import { CaseQuery } from './read-model/case.query.js';

const CASE_PROJECTION = Symbol('CASE_PROJECTION');

class CasesLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(CASE_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(INTAKE_CASES) private readonly intake: IntakeCases,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    const consumer = new ReferralProgressConsumer(this.commands, this.intake.cases);
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
  imports: [MessagingModule.forService({ department: 'intake', publishes: true }), ...intakeAudit.imports],
  controllers: [
    CasesController,
    PublicProgressController,
    GovernmentController,
    UrgentController,
    IntakeAuditController,
    createAuditStreamsController('intake'),
    ...intakeAudit.controllers,
  ],
  providers: [
    ...readModelProviders(caseReadModel),
    {
      provide: INTAKE_CASES,
      inject: [EVENT_STORE, PG_POOL, READ_MODEL, UserDirectory, CLOCK, POLICY_TABLES_SERVICE],
      useFactory: (
        store: EventStore,
        pool: Pool,
        dataSource: DataSource,
        directory: UserDirectory,
        clock: Clock,
        policy: PolicyTables,
      ): IntakeCases => ({
        cases: caseStore(store),
        query: new CaseQuery(dataSource),
        tree: () => directory.jurisdictions,
        accessLog: new AccessLog(store, () => clock.now(), pool),
        now: () => clock.now(),
        policy,
        pool,
      }),
    },
    {
      provide: CASE_PROJECTION,
      inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
      useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
        new ProjectionRunner({
          dataSource,
          store,
          projection: caseListProjection(store),
          pollIntervalMs: config.POLL_INTERVAL_MS,
          onError: (e) => new Logger('Projection:intake').warn(e.message),
        }),
    },
    OpenCaseHandler,
    AcceptCaseHandler,
    RerouteReferralHandler,
    RevokeCaseReferralHandler,
    RecordGovernmentResponseHandler,
    RecordExternalOutcomeHandler,
    RecordReferralProgressHandler,
    RecordReferralTransferHandler,
    ReissueQueryCodeHandler,
    ListCasesHandler,
    ListReportedCasesHandler,
    OnCallHandler,
    ReportedCaseHandler,
    ViewCaseHandler,
    CaseNoticeHandler,
    PublicProgressHandler,
    GovernmentReportHandler,
    GovernmentReportsHandler,
    IntakeAccessLogHandler,
    ...intakeAudit.providers,
    CasesLifecycle,
  ],
})
export class CasesModule {}
