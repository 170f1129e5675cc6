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
import { CLOCK, MetricsRegistry, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { topicOf } from '@platform/contracts';
import { EVENT_STORE, PG_POOL, uuidv7, type EventStore } from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  MessagingModule,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationTransport,
} from '@platform/messaging';
import { POLICY_TABLES_SERVICE, type PolicyTables } from '@platform/policy';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import {
  HttpSmsGateway,
  NotificationDispatcher,
  SmtpSender,
  WebhookSender,
  type NotificationSender,
} from '@platform/notifications';
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
import { notificationProjection } from './read-model/notification.projection.js';
import {
  ListNotificationsHandler,
  NOTIFICATION_DISPATCHER,
  NotificationsController,
  ResendNotificationHandler,
} from '../notifications/notifications.api.js';
import { ObjectionNoticeConsumer } from '../notifications/objection-notice.consumer.js';

const CASE_PROJECTION = Symbol('CASE_PROJECTION');
const NOTIFICATION_PROJECTION = Symbol('NOTIFICATION_PROJECTION');

/** The channels this deployment configured (docs/notifications.md); none configured: no notifications. */
function notificationSenders(config: PlatformConfig): NotificationSender[] {
  // Signatures carry the real time, not the business clock (CLOCK_CONTROL): receivers check it against theirs.
  const now = () => new Date();
  return [
    ...(config.NOTIFY_WEBHOOK_URL && config.NOTIFY_WEBHOOK_SECRET
      ? [new WebhookSender({ secret: config.NOTIFY_WEBHOOK_SECRET, timeoutMs: 10_000, now })]
      : []),
    ...(config.SMS_GATEWAY_URL && config.SMS_GATEWAY_SECRET
      ? [
          new HttpSmsGateway({
            url: config.SMS_GATEWAY_URL,
            secret: config.SMS_GATEWAY_SECRET,
            timeoutMs: 10_000,
            now,
          }),
        ]
      : []),
    ...(config.SMTP_URL && config.SMTP_FROM
      ? [new SmtpSender({ url: config.SMTP_URL, from: config.SMTP_FROM, timeoutMs: 15_000 })]
      : []),
  ];
}

class CasesLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: ConsumerHandle | null = null;
  private objections: ConsumerHandle | null = null;

  constructor(
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(CASE_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(NOTIFICATION_PROJECTION) private readonly notifications: ProjectionRunner,
    @Inject(NOTIFICATION_DISPATCHER) private readonly dispatcher: NotificationDispatcher,
    @Inject(INTAKE_CASES) private readonly intake: IntakeCases,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    await this.notifications.start();
    this.dispatcher.start();
    const consumer = new ReferralProgressConsumer(this.commands, this.intake.cases);
    this.consumer = await this.transport.consume({
      group: 'intake.referral-progress',
      topics: ['civil-affairs', 'health', 'housing', 'education'].map(topicOf),
      schema: this.schema,
      handler: (m, ctx) => consumer.handle(m, ctx),
      accepts: (m) => consumer.accepts(m),
    });
    if (this.dispatcher.channels().includes('webhook') && this.config.NOTIFY_WEBHOOK_URL) {
      const objections = new ObjectionNoticeConsumer({
        cases: this.intake.cases,
        schema: this.schema,
        webhookUrl: this.config.NOTIFY_WEBHOOK_URL,
        newId: () => uuidv7(this.clock.now().getTime()),
        now: () => this.clock.now(),
      });
      this.objections = await this.transport.consume({
        group: 'intake.objection-notices',
        topics: [topicOf('civil-affairs')],
        schema: this.schema,
        handler: (m, ctx) => objections.handle(m, ctx),
        accepts: (m) => objections.accepts(m),
      });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.objections?.stop();
    await this.dispatcher.stop();
    await this.notifications.stop();
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
    NotificationsController,
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
    {
      provide: NOTIFICATION_DISPATCHER,
      // Metrics are optional: a module put together without the service runtime (tests) has none.
      inject: [READ_MODEL, PLATFORM_CONFIG, { token: MetricsRegistry, optional: true }],
      useFactory: (dataSource: DataSource, config: PlatformConfig, metrics: MetricsRegistry | undefined) => {
        const log = new Logger('Notifications');
        metrics?.scraped(
          'gauge',
          'sap_notifications',
          'Notifications in the outbox by channel and status (dead: out of attempts, waiting for an administrator)',
          ['channel', 'status'],
          async () =>
            (
              (await dataSource.query(
                `SELECT channel, status, count(*)::int AS n FROM "${(dataSource.options as { schema: string }).schema}".notifications GROUP BY 1, 2`,
              )) as Array<{ channel: string; status: string; n: number }>
            ).map((r) => ({ labels: { channel: r.channel, status: r.status }, value: r.n })),
        );
        return new NotificationDispatcher({
          dataSource,
          senders: notificationSenders(config),
          baseMs: config.NOTIFY_RETRY_BASE_MS,
          maxMs: config.NOTIFY_RETRY_MAX_MS,
          maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
          pollMs: config.NOTIFY_POLL_MS,
          log: { debug: (m) => log.debug(m), error: (m) => log.error(m) },
        });
      },
    },
    {
      provide: NOTIFICATION_PROJECTION,
      inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG, CLOCK, NOTIFICATION_DISPATCHER, UserDirectory],
      useFactory: (
        dataSource: DataSource,
        store: EventStore,
        config: PlatformConfig,
        clock: Clock,
        dispatcher: NotificationDispatcher,
        directory: UserDirectory,
      ) =>
        new ProjectionRunner({
          dataSource,
          store,
          projection: notificationProjection({
            store,
            channels: dispatcher.channels(),
            webhookUrl: config.NOTIFY_WEBHOOK_URL ?? null,
            newId: () => uuidv7(clock.now().getTime()),
            officersToRemind: (manager, q) =>
              directory.officersToRemind(
                (sql, params) => manager.query(sql, params),
                q.department,
                q.countyCode,
              ),
            countyName: (code) => directory.jurisdictions.get(code)?.name ?? '',
          }),
          pollIntervalMs: config.POLL_INTERVAL_MS,
          onError: (e) => new Logger('Projection:notifications').warn(e.message),
        }),
    },
    ListNotificationsHandler,
    ResendNotificationHandler,
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
