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
import {
  DiseaseEmergencyController,
  HealthRegisterController,
  MedicalAssistanceController,
} from './api/health-assistance.controller.js';
import {
  IdentifyDiseaseEmergencyPatientHandler,
  PayDiseaseEmergencyHandler,
  RefuseDiseaseEmergencyHandler,
  ReportDiseaseEmergencyHandler,
  ReviewDiseaseEmergencyHandler,
} from './application/commands/disease-emergency.js';
import {
  RecordMedicalCategoryHandler,
  RecordMedicalClaimHandler,
} from './application/commands/medical-claims.js';
import { ApplyRecipientCategoryHandler } from './application/commands/recipient-categories.js';
import { HEALTH_ASSISTANCE, type HealthAssistance } from './application/health-assistance.js';
import { diseaseEmergencyStore, medicalAssistanceStore } from './application/health-assistance.stores.js';
import {
  ListDiseaseEmergencyReportsHandler,
  ViewDiseaseEmergencyReportHandler,
} from './application/queries/disease-emergency-queries.js';
import {
  ListMedicalClaimsHandler,
  ViewMedicalPersonHandler,
} from './application/queries/medical-assistance-queries.js';
import {
  ListHealthRegisterHandler,
  LookupHealthRegisterHandler,
} from './application/queries/register-queries.js';
import { RecipientCategoryConsumer } from './application/recipients.consumer.js';
import { healthVerificationAnswerer } from './application/verification-answerer.js';
import { healthAssistanceProjection } from './read-model/health-assistance.projection.js';
import { HealthAssistanceQuery } from './read-model/health-assistance.query.js';
import { healthAssistanceReadModel } from './read-model/health-assistance.read-model.js';

const HEALTH_ASSISTANCE_PROJECTION = Symbol('HEALTH_ASSISTANCE_PROJECTION');

class HealthAssistanceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(HEALTH_ASSISTANCE_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    const consumer = new RecipientCategoryConsumer(this.commands);
    this.consumer = await this.transport.consume({
      group: 'health.medical-assistance.recipients',
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
 * Health's own assistance (卫生健康部门救助): medical assistance claims assessed against the person's
 * category and the year's cap, disease-emergency reports paid to hospitals, the register of assistance
 * given and the household-verification answers drawn from it, and civil affairs' recipient categories
 * consumed as dated facts. It shares the health service module (one event store, one relay, one inbox)
 * with the referral desk: see `HealthModule`.
 */
@Module({})
export class MedicalAssistanceModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: MedicalAssistanceModule,
      imports: [service, VerificationResponderHandlersModule],
      controllers: [MedicalAssistanceController, DiseaseEmergencyController, HealthRegisterController],
      providers: [
        ...readModelProviders(healthAssistanceReadModel),
        {
          provide: HEALTH_ASSISTANCE,
          inject: [EVENT_STORE, PG_POOL, READ_MODEL, Authorizer, CLOCK, POLICY_TABLES_SERVICE],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            authz: Authorizer,
            clock: Clock,
            policy: PolicyTables,
          ): HealthAssistance => ({
            medical: medicalAssistanceStore(store),
            emergencies: diseaseEmergencyStore(store),
            query: new HealthAssistanceQuery(dataSource),
            authz,
            accessLog: new AccessLog(store, () => clock.now(), pool),
            policy,
            now: () => clock.now(),
          }),
        },
        {
          provide: HEALTH_ASSISTANCE_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: healthAssistanceProjection(store),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:health-assistance').warn(e.message),
            }),
        },
        {
          provide: VERIFICATION_ANSWERER,
          inject: [SERVICE_SCHEMA],
          useFactory: (schema: string) => healthVerificationAnswerer(schema),
        },
        ...verificationResponderProviders('health'),
        RecordMedicalClaimHandler,
        RecordMedicalCategoryHandler,
        ApplyRecipientCategoryHandler,
        ReportDiseaseEmergencyHandler,
        ReviewDiseaseEmergencyHandler,
        RefuseDiseaseEmergencyHandler,
        PayDiseaseEmergencyHandler,
        IdentifyDiseaseEmergencyPatientHandler,
        ListMedicalClaimsHandler,
        ViewMedicalPersonHandler,
        ListDiseaseEmergencyReportsHandler,
        ViewDiseaseEmergencyReportHandler,
        LookupHealthRegisterHandler,
        ListHealthRegisterHandler,
        HealthAssistanceLifecycle,
      ],
    };
  }
}
