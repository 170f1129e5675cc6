import {
  type DynamicModule,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { AccessLog } from '@platform/auth';
import { CLOCK, PLATFORM_CONFIG, type Clock, type PlatformConfig } from '@platform/config';
import { EVENT_STORE, PG_POOL, type EventStore } from '@platform/event-store';
import { ProjectionRunner, READ_MODEL, readModelProviders } from '@platform/read-model';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { StaffFilingsController } from './api/staff-filings.controller.js';
import { AmendRelativesHandler } from './application/commands/amend-relatives.js';
import { FileStaffMemberHandler } from './application/commands/file-staff-member.js';
import { RetireFilingHandler } from './application/commands/retire-filing.js';
import {
  ListStaffFilingsHandler,
  ViewStaffFilingHandler,
} from './application/queries/staff-filing-queries.js';
import { STAFF_FILINGS, staffFilingStore, type StaffFilings } from './application/staff-filings.js';
import { staffFilingProjection } from './read-model/staff-filing.projection.js';
import { StaffFilingQuery } from './read-model/staff-filing.query.js';
import { staffFilingReadModel } from './read-model/staff-filing.read-model.js';
import { ReadModelStaffFilingRegistry } from './read-model/staff-filing.registry.js';
import { STAFF_FILING_REGISTRY } from './staff-filing.port.js';

const STAFF_FILING_PROJECTION = Symbol('STAFF_FILING_PROJECTION');

class StaffFilingLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(STAFF_FILING_PROJECTION) private readonly projection: ProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projection.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projection.stop();
  }
}

/** One module per service module object: see `StaffFilingModule.forService`. */
const modules = new WeakMap<DynamicModule, DynamicModule>();

/**
 * The filing registry of social-assistance staff, cadres and their close relatives (经办人员及近亲属备案):
 * the filings' commands and queries, `/civil-affairs/staff-filings`, the `staff_filing_people` read model
 * and its projection, and `STAFF_FILING_REGISTRY` (exported) for the dibao application's check.
 *
 * It creates no messaging module of its own. Its providers need EVENT_STORE, EVENT_STORE_SCHEMA,
 * SERVICE_SCHEMA and (global) PG_POOL / MIGRATION_POOL of the civil-affairs service, and a Nest module
 * does not see its importer's providers — so it imports the service module it is given, the
 * `MessagingModule.forService({ department: 'civil-affairs', … })` object the department module created:
 *
 *   const service = MessagingModule.forService({ department: 'civil-affairs', publishes: true });
 *   imports: [ReferralDeskModule.forDepartment({ …, service }), StaffFilingModule.forService(service),
 *             DibaoModule.forService(service)]
 *
 * Nest identifies a dynamic module by its object, so importing the SAME `service` object everywhere
 * shares one event store, one relay and one set of migrations; a second `forService(...)` call would
 * create a second service. For the same reason `forService` returns the same module object for the same
 * `service`: the department module and the dibao module may both import `StaffFilingModule.forService(service)`
 * and get one staff-filing module — one projection, one controller, one handler per command.
 */
@Module({})
export class StaffFilingModule {
  static forService(service: DynamicModule): DynamicModule {
    const known = modules.get(service);
    if (known) return known;
    const module: DynamicModule = {
      module: StaffFilingModule,
      imports: [service],
      controllers: [StaffFilingsController],
      providers: [
        ...readModelProviders(staffFilingReadModel),
        {
          provide: STAFF_FILINGS,
          inject: [EVENT_STORE, PG_POOL, READ_MODEL, CLOCK],
          useFactory: (store: EventStore, pool: Pool, dataSource: DataSource, clock: Clock): StaffFilings => {
            const query = new StaffFilingQuery(dataSource);
            return {
              filings: staffFilingStore(store),
              query,
              registry: new ReadModelStaffFilingRegistry({ query, store, db: pool }),
              accessLog: new AccessLog(store, () => clock.now(), pool),
              now: () => clock.now(),
              pool,
            };
          },
        },
        {
          provide: STAFF_FILING_REGISTRY,
          inject: [STAFF_FILINGS],
          useFactory: (filings: StaffFilings) => filings.registry,
        },
        {
          provide: STAFF_FILING_PROJECTION,
          inject: [READ_MODEL, EVENT_STORE, PLATFORM_CONFIG],
          useFactory: (dataSource: DataSource, store: EventStore, config: PlatformConfig) =>
            new ProjectionRunner({
              dataSource,
              store,
              projection: staffFilingProjection(store),
              pollIntervalMs: config.POLL_INTERVAL_MS,
              onError: (e) => new Logger('Projection:staff-filing').warn(e.message),
            }),
        },
        FileStaffMemberHandler,
        AmendRelativesHandler,
        RetireFilingHandler,
        ListStaffFilingsHandler,
        ViewStaffFilingHandler,
        StaffFilingLifecycle,
      ],
      exports: [STAFF_FILING_REGISTRY],
    };
    modules.set(service, module);
    return module;
  }
}
