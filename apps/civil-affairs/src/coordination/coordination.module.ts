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
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { CoordinationController } from './api/coordination.controller.js';
import {
  AddCoordinationFollowUpHandler,
  CloseCoordinationItemHandler,
  FlagOverdueCoordinationDecisionsCommand,
  FlagOverdueCoordinationDecisionsHandler,
  MarkCoordinationDecisionDoneHandler,
  OpenCoordinationItemHandler,
  RecordCoordinationMeetingHandler,
} from './application/commands/coordination-commands.js';
import {
  COORDINATION,
  coordinationStore,
  type CoordinationContext,
} from './application/coordination-context.js';
import {
  ListCoordinationItemsHandler,
  ViewCoordinationItemHandler,
} from './application/queries/coordination-queries.js';
import { coordinationProjection } from './read-model/coordination.projection.js';
import { CoordinationQuery } from './read-model/coordination.query.js';
import { coordinationReadModel } from './read-model/coordination.read-model.js';

const COORDINATION_PROJECTION = Symbol('COORDINATION_PROJECTION');

class CoordinationLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Coordination');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(COORDINATION_PROJECTION) private readonly projection: ProjectionRunner,
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
    // The overdue watch: decisions still open after their deadline are flagged, once each.
    this.timer = setInterval(
      () =>
        void this.commands
          .execute(new FlagOverdueCoordinationDecisionsCommand())
          .catch((e: Error) => this.logger.warn(`coordination deadline scan failed: ${e.message}`)),
      this.config.OVERDUE_SCAN_MS,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.projection.stop();
  }
}

/**
 * 一事一议 (joint-meeting coordination items) in civil affairs: the items, the meetings' minutes and
 * decisions, the owner departments' completions, the overdue watch and the `coordination_items` read
 * model. Internal to civil affairs (no integration contract yet); other departments' officers act on it
 * through civil affairs' API. Import it with the department's `service` object.
 */
@Module({})
export class CoordinationModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: CoordinationModule,
      imports: [service],
      controllers: [CoordinationController],
      providers: [
        ...readModelProviders(coordinationReadModel),
        {
          provide: COORDINATION,
          inject: [EVENT_STORE, PG_POOL, READ_MODEL, UserDirectory, Authorizer, CLOCK],
          useFactory: (
            store: EventStore,
            pool: Pool,
            dataSource: DataSource,
            directory: UserDirectory,
            authz: Authorizer,
            clock: Clock,
          ): CoordinationContext => ({
            items: coordinationStore(store),
            query: new CoordinationQuery(dataSource),
            tree: () => directory.jurisdictions,
            authz,
            accessLog: new AccessLog(store, () => clock.now(), pool),
            now: () => clock.now(),
          }),
        },
        {
          provide: COORDINATION_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: coordinationProjection(store),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:coordination').warn(e.message),
            }),
        },
        OpenCoordinationItemHandler,
        RecordCoordinationMeetingHandler,
        AddCoordinationFollowUpHandler,
        MarkCoordinationDecisionDoneHandler,
        CloseCoordinationItemHandler,
        FlagOverdueCoordinationDecisionsHandler,
        ListCoordinationItemsHandler,
        ViewCoordinationItemHandler,
        CoordinationLifecycle,
      ],
    };
  }
}
