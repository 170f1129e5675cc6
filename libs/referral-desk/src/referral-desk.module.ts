import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { auditParts } from '@platform/audit-nest';
import { AccessLog, createAuditStreamsController, type Role } from '@platform/auth';
import { CLOCK, MetricsRegistry, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
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
import { createReferralsController } from './api/referrals.controller.js';
import {
  MarkOverdueReferralsCommand,
  MarkOverdueReferralsHandler,
  ReceiveReferralHandler,
  RecomputeProvisionalDeadlinesCommand,
  RecomputeProvisionalDeadlinesHandler,
  RevokeReferralHandler,
} from './application/commands/intake-referrals.js';
import {
  AcceptReferralHandler,
  AcknowledgeReferralHandler,
  CompleteReferralHandler,
  DeclineReferralHandler,
  NoteReferralProgressHandler,
  RebaseReferralDeadlinesHandler,
  ReopenReferralHandler,
  TransferReferralHandler,
} from './application/commands/officer-actions.js';
import {
  ListDeskAccessLogHandler,
  ListReferralInboxHandler,
} from './application/queries/list-referral-inbox.js';
import { ViewReferralHandler } from './application/queries/view-referral.js';
import { ReferralIntakeConsumer } from './application/referral-intake.consumer.js';
import { referralStore, ReferralDesks, type ReferralDesk } from './application/referral-desks.js';
import { referralDeskReadModel } from './read-model/referral-inbox.read-model.js';
import { referralInboxProjection } from './read-model/referral-inbox.projection.js';
import { ReferralInboxQuery } from './read-model/referral-inbox.query.js';

const DESK = Symbol('REFERRAL_DESK');
const PROJECTION = Symbol('REFERRAL_PROJECTION');

/**
 * The desk's command and query handlers, once per process whatever the number of departments: a
 * command class has one handler on the bus, and every command names its department.
 */
@Module({
  providers: [
    ReferralDesks,
    AcknowledgeReferralHandler,
    AcceptReferralHandler,
    DeclineReferralHandler,
    NoteReferralProgressHandler,
    CompleteReferralHandler,
    ReopenReferralHandler,
    RebaseReferralDeadlinesHandler,
    TransferReferralHandler,
    ReceiveReferralHandler,
    RevokeReferralHandler,
    MarkOverdueReferralsHandler,
    RecomputeProvisionalDeadlinesHandler,
    ListReferralInboxHandler,
    ViewReferralHandler,
    ListDeskAccessLogHandler,
  ],
  exports: [ReferralDesks],
})
export class ReferralDeskHandlersModule {}

class ReferralDeskLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private consumer: ConsumerHandle | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DESK) private readonly desk: ReferralDesk,
    @Inject(ReferralDesks) private readonly desks: ReferralDesks,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.logger = new Logger(`ReferralDesk:${desk.department}`);
  }

  onModuleInit(): void {
    this.desks.register(this.desk);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    const consumer = new ReferralIntakeConsumer(
      this.desk.department,
      this.commands,
      this.desk.referrals,
      this.desk.excludeCategories,
    );
    this.consumer = await this.transport.consume({
      group: `${this.desk.department}.referral-desk`,
      topics: [topicOf('intake')],
      schema: this.schema,
      handler: (m, ctx) => consumer.handle(m, ctx),
      accepts: (m) => consumer.accepts(m),
    });
    this.timer = setInterval(
      () =>
        void this.markOverdue().catch((e: Error) => this.logger.warn(`overdue scan failed: ${e.message}`)),
      this.config.OVERDUE_SCAN_MS,
    );
  }

  /** The deadline watch: deadlines counted again once their calendar is loaded, then missed ones marked. */
  async markOverdue(): Promise<number> {
    await this.commands.execute(new RecomputeProvisionalDeadlinesCommand(this.desk.department));
    return this.commands.execute(new MarkOverdueReferralsCommand(this.desk.department));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consumer?.stop();
    await this.projection.stop();
  }
}

/**
 * A department's referral desk (协同办理): consumes intake's referrals for this department, keeps
 * its inbox, enforces deadlines in working days, and serves the officers' actions.
 */
@Module({})
export class ReferralDeskModule {
  static forDepartment(options: {
    department: string;
    officerRole: Role;
    /**
     * The department's service module (`MessagingModule.forService`), when other capabilities of the
     * department share it: one relay, one event store, one inbox per service. Created here otherwise.
     */
    service?: DynamicModule;
    /** Categories another capability of the department handles (e.g. dibao applications): not desk referrals. */
    excludeCategories?: string[];
  }): DynamicModule {
    const service =
      options.service ?? MessagingModule.forService({ department: options.department, publishes: true });
    const audit = auditParts({ department: options.department, publishes: true });
    return {
      module: ReferralDeskModule,
      imports: [service, ReferralDeskHandlersModule, ...audit.imports],
      controllers: [
        createReferralsController(options.department, options.officerRole),
        createAuditStreamsController(options.department),
        ...audit.controllers,
      ],
      providers: [
        // A value that differs per department keeps Nest from merging the desks of different departments.
        { provide: 'REFERRAL_DESK_DEPARTMENT', useValue: options.department },
        ...readModelProviders(referralDeskReadModel),
        {
          provide: DESK,
          inject: [
            EVENT_STORE,
            PG_POOL,
            READ_MODEL,
            CLOCK,
            POLICY_TABLES_SERVICE,
            { token: MetricsRegistry, optional: true },
          ],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            clock: Clock,
            policy: PolicyTables,
            metrics: MetricsRegistry | undefined,
          ): ReferralDesk => {
            const inbox = new ReferralInboxQuery(dataSource, pool);
            metrics?.scraped(
              'gauge',
              'sap_referrals_overdue',
              'Open referrals past a deadline, by department and the deadline missed (acknowledge, decide)',
              ['department', 'deadline'],
              async () => {
                const counts = await inbox.overdueOpen();
                return ['acknowledge', 'decide'].map((deadline) => ({
                  labels: { department: options.department, deadline },
                  value: counts.get(deadline) ?? 0,
                }));
              },
            );
            return {
              department: options.department,
              officerRole: options.officerRole,
              referrals: referralStore(options.department, store),
              inbox,
              accessLog: new AccessLog(store, () => clock.now(), pool),
              policy,
              excludeCategories: options.excludeCategories ?? [],
            };
          },
        },
        {
          provide: PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: referralInboxProjection(),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger(`Projection:${options.department}`).warn(e.message),
            }),
        },
        ...audit.providers,
        ReferralDeskLifecycle,
      ],
      exports: [DESK, ReferralDeskLifecycle],
    };
  }
}
