import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AccessLog, Authorizer, UserDirectory } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { SocialForcesController } from './api/social-forces.controller.js';
import { CreatePurchasedServiceProjectHandler } from './application/commands/projects.js';
import {
  ChangeSocialForceProviderHandler,
  RegisterSocialForceProviderHandler,
} from './application/commands/providers.js';
import {
  AssignSocialServiceHandler,
  RecordSocialServiceOutcomeHandler,
  RecordSocialServiceVisitHandler,
} from './application/commands/services.js';
import {
  ListPurchasedServiceProjectsHandler,
  ListSocialForceProvidersHandler,
  ListSocialServicesHandler,
  ViewPurchasedServiceProjectHandler,
  ViewSocialForceProviderHandler,
  ViewSocialServiceHandler,
} from './application/queries/social-forces-queries.js';
import {
  SOCIAL_FORCES,
  socialForcesStores,
  type SocialForcesContext,
} from './application/social-forces-context.js';
import { socialForcesProjection } from './read-model/social-forces.projection.js';
import { SocialForcesQuery } from './read-model/social-forces.query.js';
import { socialForcesReadModel } from './read-model/social-forces.read-model.js';

const SOCIAL_FORCES_PROJECTION = Symbol('SOCIAL_FORCES_PROJECTION');

class SocialForcesLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SOCIAL_FORCES_PROJECTION) private readonly projection: ProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}

/**
 * Social forces (社会力量) in civil affairs: the providers' registry, services assigned to cases with the
 * household's consent, their visits and outcomes, and purchased-service projects (政府购买服务) whose
 * budgets the services are charged against. Internal to civil affairs (no integration contract yet).
 * Import it with the department's `service` object.
 */
@Module({})
export class SocialForcesModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: SocialForcesModule,
      imports: [service],
      controllers: [SocialForcesController],
      providers: [
        ...readModelProviders(socialForcesReadModel),
        {
          provide: SOCIAL_FORCES,
          inject: [EVENT_STORE, PG_POOL, READ_MODEL, UserDirectory, Authorizer, CLOCK],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            directory: UserDirectory,
            authz: Authorizer,
            clock: Clock,
          ): SocialForcesContext => ({
            ...socialForcesStores(store),
            query: new SocialForcesQuery(dataSource),
            pool,
            schema: store.schema,
            directory,
            tree: () => directory.jurisdictions,
            authz,
            accessLog: new AccessLog(store, () => clock.now(), pool),
            now: () => clock.now(),
          }),
        },
        {
          provide: SOCIAL_FORCES_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: socialForcesProjection(store),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:social-forces').warn(e.message),
            }),
        },
        RegisterSocialForceProviderHandler,
        ChangeSocialForceProviderHandler,
        AssignSocialServiceHandler,
        RecordSocialServiceVisitHandler,
        RecordSocialServiceOutcomeHandler,
        CreatePurchasedServiceProjectHandler,
        ListSocialForceProvidersHandler,
        ViewSocialForceProviderHandler,
        ListSocialServicesHandler,
        ViewSocialServiceHandler,
        ListPurchasedServiceProjectsHandler,
        ViewPurchasedServiceProjectHandler,
        SocialForcesLifecycle,
      ],
    };
  }
}
