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
import { VERIFYING_DEPARTMENTS, verificationTopicOf } from '@platform/contracts';
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationMessage,
  type IntegrationTransport,
} from '@platform/messaging';
import { POLICY_TABLES_SERVICE, type PolicyTables } from '@platform/policy';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import {
  VERIFICATION_ANSWERER,
  verificationResponderProviders,
  VerificationResponderHandlersModule,
} from '@platform/verification';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { VerificationsController } from './api/verifications.controller.js';
import { CivilAffairsAnswerer } from './application/civil-affairs.answerer.js';
import {
  ImportVerificationAnswerHandler,
  MarkOverdueVerificationsCommand,
  MarkOverdueVerificationsHandler,
  RecordVerificationAnswerCommand,
  RecordVerificationAnswerHandler,
  RequestVerificationHandler,
} from './application/commands.js';
import { ListVerificationsHandler, ViewVerificationHandler } from './application/queries.js';
import { VERIFICATIONS, verificationStore, type Verifications } from './application/verifications.js';
import { verificationProjection } from './read-model/verification.projection.js';
import { VerificationQuery } from './read-model/verification.query.js';
import { verificationReadModel } from './read-model/verification.read-model.js';

const VERIFICATION_PROJECTION = Symbol('VERIFICATION_PROJECTION');
const ANSWERED = /^([a-z-]+)\.VerificationAnswered$/;

class VerificationLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Verification');
  private consumer: ConsumerHandle | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(VERIFICATION_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    // Every department's answers, each on its own topic (the contract checks the type matches the topic).
    this.consumer = await this.transport.consume({
      group: 'civil-affairs.verification-answers',
      topics: VERIFYING_DEPARTMENTS.map(verificationTopicOf),
      schema: this.schema,
      accepts: (m: IntegrationMessage) => ANSWERED.test(m.type),
      handler: async (m, { transaction }) => {
        const d = m.data as { verificationId: string; department: string; answer: Record<string, unknown> };
        await this.commands.execute(
          new RecordVerificationAnswerCommand(d.verificationId, d.department, d.answer, {
            transaction,
            correlationId: m.correlationId,
            causationId: m.id,
          }),
        );
      },
    });
    this.timer = setInterval(
      () =>
        void this.commands
          .execute(new MarkOverdueVerificationsCommand())
          .catch((e: Error) => this.logger.warn(`verification deadline scan failed: ${e.message}`)),
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
 * Household economic verification (家庭经济状况核对) in civil affairs: the requests, the answers of every
 * department assembled into the report, the imported answer files of departments not on the platform,
 * the deadline watch; and civil affairs' own answer (assistance it has given) like any other department.
 */
@Module({})
export class VerificationModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: VerificationModule,
      imports: [service, VerificationResponderHandlersModule],
      controllers: [VerificationsController],
      providers: [
        ...readModelProviders(verificationReadModel),
        {
          provide: VERIFICATIONS,
          inject: [EVENT_STORE, PG_POOL, READ_MODEL, UserDirectory, Authorizer, CLOCK, POLICY_TABLES_SERVICE],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            directory: UserDirectory,
            authz: Authorizer,
            clock: Clock,
            policy: PolicyTables,
          ): Verifications => ({
            verifications: verificationStore(store),
            store,
            query: new VerificationQuery(dataSource),
            tree: () => directory.jurisdictions,
            authz,
            accessLog: new AccessLog(store, () => clock.now(), pool),
            policy,
            now: () => clock.now(),
          }),
        },
        {
          provide: VERIFICATION_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: verificationProjection(store),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:verifications').warn(e.message),
            }),
        },
        {
          provide: VERIFICATION_ANSWERER,
          inject: [EVENT_STORE],
          useFactory: (store: EventStore) => new CivilAffairsAnswerer(store.schema),
        },
        ...verificationResponderProviders('civil-affairs'),
        RequestVerificationHandler,
        RecordVerificationAnswerHandler,
        ImportVerificationAnswerHandler,
        MarkOverdueVerificationsHandler,
        ViewVerificationHandler,
        ListVerificationsHandler,
        VerificationLifecycle,
      ],
    };
  }
}
