import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { auditParts } from '@platform/audit-nest';
import { AccessLog, createAuditStreamsController, SYSTEM_ACTOR, type Role } from '@platform/auth';
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
import { createReferralsController, type DeskContext } from './api/referrals.controller.js';
import { DESK } from './api/tokens.js';
import { ReferralCommandService } from './application/referral-command.service.js';
import { ReferralIntakeConsumer } from './application/referral-intake.consumer.js';
import { DEFAULT_DEADLINES, FALLBACK_DEADLINE } from './domain/deadline-policy.js';
import { CALENDAR_2026 } from './domain/working-days.js';
import { ReferralInboxQuery } from './read-model/referral-inbox.query.js';
import { referralInboxMigrations, referralInboxProjection } from './read-model/referral-inbox.projection.js';

const PROJECTION = Symbol('REFERRAL_PROJECTION');

class ReferralDeskLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private consumer: ConsumerHandle | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(DESK) private readonly desk: DeskContext,
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {
    this.logger = new Logger(`ReferralDesk:${desk.department}`);
  }

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schema, referralInboxMigrations);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    const consumer = new ReferralIntakeConsumer(
      this.desk.department,
      this.desk.commands,
      (category) => DEFAULT_DEADLINES[category] ?? FALLBACK_DEADLINE,
      CALENDAR_2026,
      () => this.clock.now(),
    );
    this.consumer = await this.transport.consume({
      group: `${this.desk.department}.referral-desk`,
      topics: [topicOf('intake')],
      schema: this.schema,
      handler: (m, ctx) => consumer.handle(m, ctx),
      accepts: (m) => consumer.accepts(m),
    });
    // Deadline watch: one ReferralOverdue per missed deadline, whoever runs it (the decider decides once).
    this.timer = setInterval(
      () =>
        void this.markOverdue().catch((e: Error) => this.logger.warn(`overdue scan failed: ${e.message}`)),
      this.config.OVERDUE_SCAN_MS,
    );
  }

  async markOverdue(): Promise<number> {
    const now = this.clock.now();
    const ids = await this.desk.inbox.dueForOverdue(now);
    for (const id of ids) {
      await this.desk.commands.handle(
        id,
        { type: 'MarkOverdue', now: now.toISOString() },
        {
          actor: { ...SYSTEM_ACTOR, department: this.desk.department },
          now,
        },
      );
    }
    return ids.length;
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
  static forDepartment(options: { department: string; officerRole: Role }): DynamicModule {
    const service = MessagingModule.forService({ department: options.department, publishes: true });
    const audit = auditParts({ department: options.department, publishes: true });
    return {
      module: ReferralDeskModule,
      imports: [service],
      controllers: [
        createReferralsController(options.department, options.officerRole),
        createAuditStreamsController(options.department),
        ...audit.controllers,
      ],
      providers: [
        // A value that differs per department keeps Nest from merging the desks of different departments.
        { provide: 'REFERRAL_DESK_DEPARTMENT', useValue: options.department },
        {
          provide: DESK,
          inject: [EVENT_STORE, PG_POOL, SERVICE_SCHEMA, CLOCK],
          useFactory: (store: EventStore, pool: Pool, schema: string, clock: Clock): DeskContext => ({
            department: options.department,
            officerRole: options.officerRole,
            commands: new ReferralCommandService(options.department, store),
            inbox: new ReferralInboxQuery(pool, schema),
            accessLog: new AccessLog(store, () => clock.now(), pool),
          }),
        },
        {
          provide: PROJECTION,
          inject: [PG_POOL, EVENT_STORE, SERVICE_SCHEMA, PLATFORM_CONFIG],
          useFactory: (pool: Pool, store: EventStore, schema: string, config: PlatformConfig) =>
            new ProjectionRunner({
              pool,
              store,
              projection: referralInboxProjection(schema),
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
