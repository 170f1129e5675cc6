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
import { TemporaryAssistanceController } from './api/temporary-assistance.controller.js';
import {
  ApproveByCountyHandler,
  GrantByTownshipHandler,
  RecordPaymentHandler,
  RefuseByCountyHandler,
  RefuseByTownshipHandler,
  SubmitToCountyHandler,
} from './application/commands/decide-application.js';
import {
  MarkOverdueObligationsCommand,
  MarkOverdueObligationsHandler,
  SupplyMaterialHandler,
  WaiveObligationHandler,
} from './application/commands/obligations.js';
import {
  ReceiveTemporaryReferralHandler,
  WithdrawTemporaryReferralHandler,
} from './application/commands/intake-referrals.js';
import { RecordTemporaryAssistanceHandler } from './application/commands/record-application.js';
import {
  ListObligationsHandler,
  ListTemporaryAssistanceHandler,
  ViewTemporaryAssistanceHandler,
} from './application/queries/temporary-assistance-queries.js';
import {
  TEMPORARY_ASSISTANCE,
  temporaryAssistanceStore,
  type TemporaryAssistanceContext,
} from './application/temporary-assistance-context.js';
import { TemporaryAssistanceIntakeConsumer } from './application/temporary-assistance-intake.consumer.js';
import { temporaryAssistanceProjection } from './read-model/temporary-assistance.projection.js';
import { TemporaryAssistanceQuery } from './read-model/temporary-assistance.query.js';
import { temporaryAssistanceReadModel } from './read-model/temporary-assistance.read-model.js';

const TEMPORARY_ASSISTANCE_PROJECTION = Symbol('TEMPORARY_ASSISTANCE_PROJECTION');

class TemporaryAssistanceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TemporaryAssistance');
  private timer?: NodeJS.Timeout;
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(TEMPORARY_ASSISTANCE_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    // Intake's `temporary` referrals to civil affairs open applications (the desk leaves the category here).
    const consumer = new TemporaryAssistanceIntakeConsumer(this.commands);
    this.consumer = await this.transport.consume({
      group: 'civil-affairs.temporary-assistance',
      topics: [topicOf('intake')],
      schema: this.schema,
      handler: (m, ctx) => consumer.handle(m, ctx),
      accepts: (m) => consumer.accepts(m),
    });
    // The green channel's deadline watch: obligations to supply materials still open after their deadline.
    this.timer = setInterval(
      () =>
        void this.commands
          .execute(new MarkOverdueObligationsCommand())
          .catch((e: Error) => this.logger.warn(`obligation deadline scan failed: ${e.message}`)),
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
 * Temporary assistance (临时救助) in civil affairs: the township window's applications and intake's
 * `temporary` referrals (consumer group `civil-affairs.temporary-assistance`, reporting back to the case
 * with the referral lifecycle), its decisions
 * within its limit, submissions above it, the county's decisions and the payments, with the
 * `temporary_assistance_applications` read model; and the green channel (救急难): urgent applications decided
 * before their materials are complete, the obligations to supply the missing ones
 * (`temporary_assistance_obligations`) and their deadline watch, every `OVERDUE_SCAN_MS`. It shares the civil-affairs service module (one event
 * store, one relay, one set of migrations): import it with the department's `service` object.
 *
 * TODO(verification): temporary assistance does not answer household verifications yet (civil affairs
 * answers from dibao only); see the capability's report for how it should join.
 */
@Module({})
export class TemporaryAssistanceModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: TemporaryAssistanceModule,
      imports: [service],
      controllers: [TemporaryAssistanceController],
      providers: [
        ...readModelProviders(temporaryAssistanceReadModel),
        {
          provide: TEMPORARY_ASSISTANCE,
          inject: [EVENT_STORE, PG_POOL, READ_MODEL, UserDirectory, Authorizer, CLOCK, POLICY_TABLES_SERVICE],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            directory: UserDirectory,
            authz: Authorizer,
            clock: Clock,
            policy: PolicyTables,
          ): TemporaryAssistanceContext => ({
            applications: temporaryAssistanceStore(store),
            query: new TemporaryAssistanceQuery(dataSource),
            tree: () => directory.jurisdictions,
            authz,
            accessLog: new AccessLog(store, () => clock.now(), pool),
            now: () => clock.now(),
            policy,
          }),
        },
        {
          provide: TEMPORARY_ASSISTANCE_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: temporaryAssistanceProjection(store),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:temporary-assistance').warn(e.message),
            }),
        },
        RecordTemporaryAssistanceHandler,
        ReceiveTemporaryReferralHandler,
        WithdrawTemporaryReferralHandler,
        GrantByTownshipHandler,
        RefuseByTownshipHandler,
        SubmitToCountyHandler,
        ApproveByCountyHandler,
        RefuseByCountyHandler,
        RecordPaymentHandler,
        SupplyMaterialHandler,
        WaiveObligationHandler,
        MarkOverdueObligationsHandler,
        ListTemporaryAssistanceHandler,
        ListObligationsHandler,
        ViewTemporaryAssistanceHandler,
        TemporaryAssistanceLifecycle,
      ],
    };
  }
}
