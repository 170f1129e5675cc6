import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AccessLog, Authorizer, UserDirectory } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { topicOf } from '@platform/contracts';
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationTransport,
} from '@platform/messaging';
import { POLICY_TABLES_SERVICE, type PolicyTables } from '@platform/policy';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { StaffFilingModule } from '../staff-filing/staff-filing.module.js';
import { STAFF_FILING_REGISTRY, type StaffFilingRegistry } from '../staff-filing/staff-filing.port.js';
import { DibaoController, DibaoPublicController } from './api/dibao.controller.js';
import {
  DecideObjectionHandler,
  RecordCountyReviewHandler,
  RecordRecheckHandler,
  RecordSpotCheckHandler,
  RecordStaffRelativeFilingHandler,
} from './application/commands/county-steps.js';
import {
  ApproveApplicationHandler,
  ChangeAllowanceHandler,
  RejectApplicationHandler,
  SuspendAssistanceHandler,
} from './application/commands/decide-application.js';
import {
  ReceiveDibaoApplicationHandler,
  RecordDibaoCaseAcceptedHandler,
  RegisterDibaoCaseHandler,
  WithdrawDibaoApplicationHandler,
} from './application/commands/intake-applications.js';
import {
  FileObjectionHandler,
  MarkOverdueDibaoApplicationsCommand,
  MarkOverdueDibaoApplicationsHandler,
  RecountDibaoDeadlinesCommand,
  RecountDibaoDeadlinesHandler,
} from './application/commands/objections-and-deadlines.js';
import {
  ExtendDibaoDeadlineHandler,
  PostDibaoNoticeHandler,
  RecordAppraisalHandler,
  RecordInvestigationHandler,
  RecordTownshipReviewHandler,
  RecordVerificationHandler,
  SkipAppraisalHandler,
  StartInvestigationHandler,
  SubmitToCountyHandler,
} from './application/commands/township-steps.js';
import { DibaoIntakeConsumer } from './application/dibao-intake.consumer.js';
import {
  DIBAO,
  dibaoRulesOf,
  dibaoStore,
  samplingStore,
  type DibaoContext,
} from './application/dibao-context.js';
import {
  DibaoDocumentHandler,
  DibaoPaymentRosterHandler,
  ListDibaoApplicationsHandler,
  ListDibaoNoticesHandler,
  PublicDibaoNoticesHandler,
  PublicDibaoRecipientsHandler,
  ViewDibaoApplicationHandler,
} from './application/queries/dibao-queries.js';
import type { DibaoProcedureRules } from './domain/dibao-rules.js';
import { dibaoProjection } from './read-model/dibao.projection.js';
import { DibaoQuery } from './read-model/dibao.query.js';
import { dibaoReadModel } from './read-model/dibao.read-model.js';

/** The procedure's numbers, injected as one object (to become a policy table in libs/policy). */
const DIBAO_PROJECTION = Symbol('DIBAO_PROJECTION');

class DibaoLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Dibao');
  private consumer: ConsumerHandle | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(DIBAO_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    const consumer = new DibaoIntakeConsumer(this.commands);
    this.consumer = await this.transport.consume({
      group: 'civil-affairs.dibao',
      topics: [topicOf('intake')],
      schema: this.schema,
      handler: (m, ctx) => consumer.handle(m, ctx),
      accepts: (m) => consumer.accepts(m),
    });
    // The deadline watch: deadlines counted again once their calendar year is loaded, then each missed
    // step marked once, as an overdue referral too.
    this.timer = setInterval(
      () =>
        void this.commands
          .execute(new RecountDibaoDeadlinesCommand())
          .then(() => this.commands.execute(new MarkOverdueDibaoApplicationsCommand()))
          .catch((e: Error) => this.logger.warn(`overdue scan failed: ${e.message}`)),
      this.config.OVERDUE_SCAN_MS,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consumer?.stop();
    await this.projection.stop();
  }
}

/**
 * Dibao and special-hardship review (低保、特困人员审核确认) in civil affairs: applications from intake's
 * referrals, the township's investigation and review, the county's decision with its documents, public
 * notices and objections, the long-term notice. It shares the civil-affairs service module (one event
 * store, one relay, one inbox) and the staff-filing registry.
 */
@Module({})
export class DibaoModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: DibaoModule,
      imports: [service, StaffFilingModule.forService(service)],
      controllers: [DibaoController, DibaoPublicController],
      providers: [
        ...readModelProviders(dibaoReadModel),
        {
          provide: DIBAO,
          inject: [
            EVENT_STORE,
            PG_POOL,
            READ_MODEL,
            UserDirectory,
            Authorizer,
            CLOCK,
            POLICY_TABLES_SERVICE,
            STAFF_FILING_REGISTRY,
          ],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            directory: UserDirectory,
            authz: Authorizer,
            clock: Clock,
            policy: PolicyTables,
            registry: StaffFilingRegistry,
          ): DibaoContext => ({
            applications: dibaoStore(store),
            sampling: samplingStore(store),
            store,
            query: new DibaoQuery(dataSource),
            tree: () => directory.jurisdictions,
            authz,
            accessLog: new AccessLog(store, () => clock.now(), pool),
            now: () => clock.now(),
            policy,
            // The procedure's numbers in force now (policy table `dibao-procedure`); every event records
            // which version it applied.
            get rules(): DibaoProcedureRules {
              return dibaoRulesOf(policy.asOf('dibao-procedure', clock.now()));
            },
            registry,
            pool,
          }),
        },
        {
          provide: DIBAO_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: dibaoProjection(store),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:dibao').warn(e.message),
            }),
        },
        RegisterDibaoCaseHandler,
        RecordDibaoCaseAcceptedHandler,
        ReceiveDibaoApplicationHandler,
        WithdrawDibaoApplicationHandler,
        StartInvestigationHandler,
        RecordInvestigationHandler,
        RecordVerificationHandler,
        RecordAppraisalHandler,
        SkipAppraisalHandler,
        RecordTownshipReviewHandler,
        ExtendDibaoDeadlineHandler,
        PostDibaoNoticeHandler,
        SubmitToCountyHandler,
        RecordStaffRelativeFilingHandler,
        RecordCountyReviewHandler,
        RecordSpotCheckHandler,
        DecideObjectionHandler,
        ApproveApplicationHandler,
        RejectApplicationHandler,
        RecordRecheckHandler,
        ChangeAllowanceHandler,
        SuspendAssistanceHandler,
        FileObjectionHandler,
        MarkOverdueDibaoApplicationsHandler,
        RecountDibaoDeadlinesHandler,
        ListDibaoApplicationsHandler,
        ViewDibaoApplicationHandler,
        DibaoDocumentHandler,
        ListDibaoNoticesHandler,
        PublicDibaoNoticesHandler,
        PublicDibaoRecipientsHandler,
        DibaoPaymentRosterHandler,
        DibaoLifecycle,
      ],
    };
  }
}
