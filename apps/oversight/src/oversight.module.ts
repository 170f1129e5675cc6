import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { AccessLog, createAuditStreamsController } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { PUBLISHING_DEPARTMENTS, topicOf } from '@platform/contracts';
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
import {
  CaseAuditController,
  OVERSIGHT,
  OversightController,
  type OversightContext,
} from './ledger/api/oversight.controller.js';
import { LedgerConsumer } from './ledger/application/ledger.consumer.js';
import { LedgerQuery } from './ledger/application/ledger.query.js';
import { LedgerSealer } from './ledger/application/sealer.js';
import { oversightMigrations } from './ledger/read-model/oversight.migrations.js';
import { OversightQuery } from './ledger/read-model/oversight.query.js';
import { referralFactsProjection } from './ledger/read-model/referral-facts.projection.js';

const FACTS = Symbol('FACTS_PROJECTION');

class OversightLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Oversight');
  private consumer: ConsumerHandle | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FACTS) private readonly facts: ProjectionRunner,
    @Inject(OVERSIGHT) private readonly o: OversightContext,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schema, oversightMigrations);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.o.sealer.ephemeralKey) {
      this.logger.warn(
        'OVERSIGHT_SEAL_PRIVATE_KEY is not set: ledger seals are signed with a key that ends with this process',
      );
    }
    await this.facts.start();
    const ledger = new LedgerConsumer(this.store);
    this.consumer = await this.transport.consume({
      group: 'oversight.ledger',
      topics: PUBLISHING_DEPARTMENTS.map(topicOf),
      schema: this.schema,
      handler: (m, ctx) => ledger.handle(m, ctx),
    });
    this.timer = setInterval(
      () => void this.o.sealer.seal().catch((e: Error) => this.logger.warn(`sealing failed: ${e.message}`)),
      this.config.SEAL_INTERVAL_MS,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.consumer?.stop();
    await this.facts.stop();
  }
}

/** Oversight (监督): audit ledger, point-in-time replay, accountability reports, joint-meeting dashboard. */
@Module({
  imports: [MessagingModule.forService({ department: 'oversight', publishes: false })],
  controllers: [CaseAuditController, OversightController, createAuditStreamsController('oversight')],
  providers: [
    {
      provide: OVERSIGHT,
      inject: [PG_POOL, SERVICE_SCHEMA, EVENT_STORE, CLOCK, PLATFORM_CONFIG],
      useFactory: (
        pool: Pool,
        schema: string,
        store: EventStore,
        clock: Clock,
        config: PlatformConfig,
      ): OversightContext => ({
        ledger: new LedgerQuery(pool, schema),
        sealer: new LedgerSealer(pool, schema, config.OVERSIGHT_SEAL_PRIVATE_KEY, () => clock.now()),
        query: new OversightQuery(pool, schema),
        accessLog: new AccessLog(store, () => clock.now(), pool),
        store,
      }),
    },
    {
      provide: FACTS,
      inject: [PG_POOL, EVENT_STORE, SERVICE_SCHEMA, PLATFORM_CONFIG],
      useFactory: (pool: Pool, store: EventStore, schema: string, config: PlatformConfig) =>
        new ProjectionRunner({
          pool,
          store,
          projection: referralFactsProjection(schema),
          pollIntervalMs: config.POLL_INTERVAL_MS,
          onError: (e) => new Logger('Projection:oversight').warn(e.message),
        }),
    },
    OversightLifecycle,
  ],
})
export class OversightModule {}
