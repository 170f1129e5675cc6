import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AccessLog, Authorizer } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { RECIPIENTS_TOPIC } from '@platform/contracts';
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationTransport,
} from '@platform/messaging';
import { POLICY_TABLES_SERVICE, type PolicyTables } from '@platform/policy';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import {
  VERIFICATION_ANSWERER,
  VerificationResponderHandlersModule,
  verificationResponderProviders,
} from '@platform/verification';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { HousingAssistanceController } from './api/housing-assistance.controller.js';
import {
  AllocateUnitHandler,
  JoinWaitingListHandler,
  RemoveFromWaitingListHandler,
} from './application/commands/public-rental.js';
import { RecordRecipientCategoryHandler } from './application/commands/recipient-category.js';
import {
  DisburseRentalSubsidyHandler,
  GrantRentalSubsidyHandler,
  RecordSubsidyReviewHandler,
  StopRentalSubsidyHandler,
} from './application/commands/rental-subsidy.js';
import {
  ApproveRenovationHandler,
  CompleteWorksHandler,
  PayRenovationSubsidyHandler,
  RecordAcceptanceHandler,
  RecordAppraisalHandler,
  StartWorksHandler,
} from './application/commands/renovation.js';
import {
  categoryStore,
  HOUSING_ASSISTANCE,
  renovationStore,
  subsidyStore,
  waitingListStore,
  type HousingContext,
} from './application/housing-context.js';
import {
  ListHousingRegisterHandler,
  LookupHousingRegisterHandler,
  ViewRenovationHandler,
  ViewRentalSubsidyHandler,
  ViewWaitingListHandler,
} from './application/queries/housing-queries.js';
import { RecipientCategoryConsumer } from './application/recipient-category.consumer.js';
import { HousingRegisterAnswerer } from './read-model/housing-register.answerer.js';
import { housingRegisterProjection } from './read-model/housing-register.projection.js';
import { HousingRegisterQuery } from './read-model/housing-register.query.js';
import { housingRegisterReadModel } from './read-model/housing-register.read-model.js';

const HOUSING_REGISTER_PROJECTION = Symbol('HOUSING_REGISTER_PROJECTION');

class HousingAssistanceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(HOUSING_REGISTER_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    const consumer = new RecipientCategoryConsumer(this.commands);
    this.consumer = await this.transport.consume({
      group: 'housing.housing-assistance.recipients',
      topics: [RECIPIENTS_TOPIC],
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

/**
 * Housing assistance (住房救助) given by the housing department: rural dangerous-house renovation, the
 * public rental housing waiting list, rental subsidies; the register of assistance given (its projection
 * and queries) and the household-verification answers drawn from it; civil affairs' dibao and
 * special-hardship categories consumed as dated facts. It shares the housing service module (one event
 * store, one relay, one inbox) with the referral desk: see `HousingModule`.
 */
@Module({})
export class HousingAssistanceModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: HousingAssistanceModule,
      imports: [service, VerificationResponderHandlersModule],
      controllers: [HousingAssistanceController],
      providers: [
        ...readModelProviders(housingRegisterReadModel),
        {
          provide: HOUSING_ASSISTANCE,
          inject: [EVENT_STORE, PG_POOL, READ_MODEL, Authorizer, CLOCK, POLICY_TABLES_SERVICE],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            authz: Authorizer,
            clock: Clock,
            policy: PolicyTables,
          ): HousingContext => ({
            renovations: renovationStore(store),
            waitingLists: waitingListStore(store),
            subsidies: subsidyStore(store),
            categories: categoryStore(store),
            store,
            register: new HousingRegisterQuery(dataSource),
            authz,
            accessLog: new AccessLog(store, () => clock.now(), pool),
            now: () => clock.now(),
            policy,
          }),
        },
        {
          provide: HOUSING_REGISTER_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: housingRegisterProjection(),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:housing-register').warn(e.message),
            }),
        },
        {
          provide: VERIFICATION_ANSWERER,
          inject: [SERVICE_SCHEMA],
          useFactory: (schema: string) => new HousingRegisterAnswerer(schema),
        },
        ...verificationResponderProviders('housing'),
        RecordAppraisalHandler,
        ApproveRenovationHandler,
        StartWorksHandler,
        CompleteWorksHandler,
        RecordAcceptanceHandler,
        PayRenovationSubsidyHandler,
        JoinWaitingListHandler,
        AllocateUnitHandler,
        RemoveFromWaitingListHandler,
        GrantRentalSubsidyHandler,
        DisburseRentalSubsidyHandler,
        RecordSubsidyReviewHandler,
        StopRentalSubsidyHandler,
        RecordRecipientCategoryHandler,
        ViewRenovationHandler,
        ViewRentalSubsidyHandler,
        ViewWaitingListHandler,
        ListHousingRegisterHandler,
        LookupHousingRegisterHandler,
        HousingAssistanceLifecycle,
      ],
    };
  }
}
