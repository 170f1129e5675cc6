import {
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { SealWitness, type LogSealer } from '@platform/audit';
import { auditParts, LOG_SEALER } from '@platform/audit-nest';
import { AccessLog, createAuditStreamsController } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { PUBLISHING_DEPARTMENTS, sealTopicOf, topicOf } from '@platform/contracts';
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
import { oversightMigrations } from './ledger/read-model/oversight.migrations.js';
import { OversightQuery } from './ledger/read-model/oversight.query.js';
import { referralFactsProjection } from './ledger/read-model/referral-facts.projection.js';

const FACTS = Symbol('FACTS_PROJECTION');
// The ledger is sealed like every department's log; oversight publishes nothing, so its seals stay here
// and leave the database through `npm run audit:export-seals`.
const oversightAudit = auditParts({ department: 'oversight', publishes: false });

class OversightLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Oversight');
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(MIGRATION_POOL) private readonly migrationPool: Pool,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(FACTS) private readonly facts: ProjectionRunner,
    @Inject(OVERSIGHT) private readonly o: OversightContext,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrations(this.migrationPool, this.schema, oversightMigrations);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.facts.start();
    const ledger = new LedgerConsumer(this.store, new SealWitness(this.schema));
    // Every department's events and its published seals: the ledger keeps both, and a copy of each seal.
    this.consumer = await this.transport.consume({
      group: 'oversight.ledger',
      topics: [...PUBLISHING_DEPARTMENTS.map(topicOf), ...PUBLISHING_DEPARTMENTS.map(sealTopicOf)],
      schema: this.schema,
      handler: (m, ctx) => ledger.handle(m, ctx),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
    await this.facts.stop();
  }
}

/** Oversight (监督): audit ledger, point-in-time replay, accountability reports, joint-meeting dashboard. */
@Module({
  imports: [MessagingModule.forService({ department: 'oversight', publishes: false })],
  controllers: [
    CaseAuditController,
    OversightController,
    createAuditStreamsController('oversight'),
    ...oversightAudit.controllers,
  ],
  providers: [
    {
      provide: OVERSIGHT,
      inject: [PG_POOL, SERVICE_SCHEMA, EVENT_STORE, CLOCK, LOG_SEALER],
      useFactory: (
        pool: Pool,
        schema: string,
        store: EventStore,
        clock: Clock,
        sealer: LogSealer,
      ): OversightContext => ({
        ledger: new LedgerQuery(pool, schema),
        sealer,
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
    ...oversightAudit.providers,
    OversightLifecycle,
  ],
})
export class OversightModule {}
