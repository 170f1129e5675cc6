import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AccessLog, Authorizer } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import { SERVICE_SCHEMA } from '@platform/messaging';
import { POLICY_TABLES_SERVICE, type PolicyTables } from '@platform/policy';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import {
  VERIFICATION_ANSWERER,
  VerificationResponderHandlersModule,
  verificationResponderProviders,
} from '@platform/verification';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { EducationAssistanceController } from './api/education-assistance.controller.js';
import {
  DisburseTermHandler,
  GrantAidHandler,
  RecordEnrolmentHandler,
  RecordLeavingHandler,
} from './application/commands/student-aid.js';
import {
  EDUCATION_ASSISTANCE,
  studentStore,
  type EducationContext,
} from './application/education-context.js';
import {
  ListEducationRegisterHandler,
  LookupEducationRegisterHandler,
  ViewStudentHandler,
} from './application/queries/education-queries.js';
import { EducationRegisterAnswerer } from './read-model/education-register.answerer.js';
import { educationRegisterProjection } from './read-model/education-register.projection.js';
import { EducationRegisterQuery } from './read-model/education-register.query.js';
import { educationRegisterReadModel } from './read-model/education-register.read-model.js';

const EDUCATION_REGISTER_PROJECTION = Symbol('EDUCATION_REGISTER_PROJECTION');

class EducationAssistanceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(EDUCATION_REGISTER_PROJECTION) private readonly projection: ProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}

/**
 * Education assistance (教育救助) given by the education department: students' school records, grants by
 * stage and school year paid per term, the register of assistance given (its projection and queries) and
 * the household-verification answers drawn from it. Education's rules need no assistance category, so it
 * consumes none. It shares the education service module (one event store, one relay, one inbox) with the
 * referral desk: see `EducationModule`.
 */
@Module({})
export class EducationAssistanceModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: EducationAssistanceModule,
      imports: [service, VerificationResponderHandlersModule],
      controllers: [EducationAssistanceController],
      providers: [
        ...readModelProviders(educationRegisterReadModel),
        {
          provide: EDUCATION_ASSISTANCE,
          inject: [EVENT_STORE, PG_POOL, READ_MODEL, Authorizer, CLOCK, POLICY_TABLES_SERVICE],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            authz: Authorizer,
            clock: Clock,
            policy: PolicyTables,
          ): EducationContext => ({
            students: studentStore(store),
            store,
            register: new EducationRegisterQuery(dataSource),
            authz,
            accessLog: new AccessLog(store, () => clock.now(), pool),
            now: () => clock.now(),
            policy,
          }),
        },
        {
          provide: EDUCATION_REGISTER_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: educationRegisterProjection(),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:education-register').warn(e.message),
            }),
        },
        {
          provide: VERIFICATION_ANSWERER,
          inject: [SERVICE_SCHEMA],
          useFactory: (schema: string) => new EducationRegisterAnswerer(schema),
        },
        ...verificationResponderProviders('education'),
        RecordEnrolmentHandler,
        RecordLeavingHandler,
        GrantAidHandler,
        DisburseTermHandler,
        ViewStudentHandler,
        ListEducationRegisterHandler,
        LookupEducationRegisterHandler,
        EducationAssistanceLifecycle,
      ],
    };
  }
}
