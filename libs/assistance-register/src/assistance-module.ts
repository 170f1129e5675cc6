import {
  Inject,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
  type Type,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AccessLog, Authorizer } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import type { VerifyingDepartment } from '@platform/contracts';
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationMessage,
  type IntegrationTransport,
  type MessageContext,
} from '@platform/messaging';
import { POLICY_TABLES_SERVICE, type PolicyTables } from '@platform/policy';
import { ProjectionRunner, READ_MODEL, readModelProviders, type Projection } from '@platform/read-model';
import {
  VERIFICATION_ANSWERER,
  verificationResponderProviders,
  type VerificationAnswerer,
} from '@platform/verification';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * The wiring every department's own assistance module (health, housing, education) has alike: the
 * context its handlers work on, its register's read model and projection, the household-verification
 * answerer drawn from the register, and a lifecycle that runs the projection (and, where the department
 * keeps civil affairs' recipient categories, their consumer). What differs is handed in.
 */

/** What a department's context is built from. */
export interface AssistanceParts {
  store: EventStore;
  dataSource: DataSource;
  authz: Authorizer;
  accessLog: AccessLog;
  now: () => Date;
  policy: PolicyTables;
}

/** A consumer of integration messages, built with the command bus it dispatches on. */
export interface AssistanceConsumer {
  accepts(message: IntegrationMessage): boolean;
  handle(message: IntegrationMessage, context: MessageContext): Promise<void>;
}

export interface AssistanceWiring<D extends VerifyingDepartment> {
  department: D;
  readModel: Parameters<typeof readModelProviders>[0];
  /** The token of the department's context, and how it is built. */
  context: symbol;
  contextOf: (parts: AssistanceParts) => unknown;
  /** The register's projection; `projectionName` names its logger (`Projection:<name>`). */
  projectionName: string;
  projectionOf: (store: EventStore) => Projection;
  answererOf: (schema: string) => VerificationAnswerer<D>;
  /** Messages the department consumes while it runs (consumer group, topics). */
  consumer?: {
    group: string;
    topics: string[];
    of: (commands: CommandBus) => AssistanceConsumer;
  };
}

function lifecycleOf(
  projectionToken: symbol,
  consumer: AssistanceWiring<VerifyingDepartment>['consumer'],
): Type<OnApplicationBootstrap & OnApplicationShutdown> {
  if (!consumer) {
    class AssistanceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
      constructor(@Inject(projectionToken) private readonly projection: ProjectionRunner) {}

      async onApplicationBootstrap(): Promise<void> {
        await this.projection.start();
      }

      async onApplicationShutdown(): Promise<void> {
        await this.projection.stop();
      }
    }
    return AssistanceLifecycle;
  }
  class ConsumingAssistanceLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
    private handle: ConsumerHandle | null = null;

    constructor(
      @Inject(SERVICE_SCHEMA) private readonly schema: string,
      @Inject(projectionToken) private readonly projection: ProjectionRunner,
      @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
      @Inject(CommandBus) private readonly commands: CommandBus,
    ) {}

    async onApplicationBootstrap(): Promise<void> {
      await this.projection.start();
      const handler = consumer!.of(this.commands);
      this.handle = await this.transport.consume({
        group: consumer!.group,
        topics: consumer!.topics,
        schema: this.schema,
        handler: (m, ctx) => handler.handle(m, ctx),
        accepts: (m) => handler.accepts(m),
      });
    }

    async onApplicationShutdown(): Promise<void> {
      await this.handle?.stop();
      await this.projection.stop();
    }
  }
  return ConsumingAssistanceLifecycle;
}

/**
 * The providers of a department's assistance module, before its own command and query handlers: the
 * read model, the context under `wiring.context`, the register's projection, the verification answerer
 * and responder; the lifecycle comes last, as the module lists it.
 */
export function assistanceProviders<D extends VerifyingDepartment>(
  wiring: AssistanceWiring<D>,
  handlers: Provider[],
): Provider[] {
  const projectionToken = Symbol(`${wiring.department.toUpperCase()}_REGISTER_PROJECTION`);
  return [
    ...readModelProviders(wiring.readModel),
    {
      provide: wiring.context,
      inject: [EVENT_STORE, PG_POOL, READ_MODEL, Authorizer, CLOCK, POLICY_TABLES_SERVICE],
      useFactory: (
        store: EventStore,
        pool: Pool,
        dataSource: DataSource,
        authz: Authorizer,
        clock: Clock,
        policy: PolicyTables,
      ) =>
        wiring.contextOf({
          store,
          dataSource,
          authz,
          accessLog: new AccessLog(store, () => clock.now(), pool),
          now: () => clock.now(),
          policy,
        }),
    },
    {
      provide: projectionToken,
      inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
      useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
        new ProjectionRunner({
          dataSource,
          store,
          projection: wiring.projectionOf(store),
          pollIntervalMs: config.POLL_INTERVAL_MS,
          onError: (e) => new Logger(`Projection:${wiring.projectionName}`).warn(e.message),
        }),
    },
    {
      provide: VERIFICATION_ANSWERER,
      inject: [SERVICE_SCHEMA],
      useFactory: (schema: string) => wiring.answererOf(schema),
    },
    ...verificationResponderProviders(wiring.department),
    ...handlers,
    lifecycleOf(projectionToken, wiring.consumer),
  ];
}
