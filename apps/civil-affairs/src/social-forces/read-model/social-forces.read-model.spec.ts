import { eventStoreMigrations, PostgresEventStore, runMigrations } from '@platform/event-store';
import { ProjectionRunner, readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import {
  dropSchema,
  eventually,
  projectedToLogEnd,
  testMetadata,
  testPool,
  uniqueName,
  rebuildUntil,
} from '@platform/testing';
import type { DataSource } from 'typeorm';
import { socialForcesStores } from '../application/social-forces-context.js';
import type { ProviderProfile } from '../domain/provider.decider.js';
import {
  PurchasedServiceProjectRow,
  SocialForceProviderRow,
  SocialServiceRow,
} from './social-forces.entities.js';
import { socialForcesProjection } from './social-forces.projection.js';
import { SocialForcesQuery } from './social-forces.query.js';
import { socialForcesReadModel } from './social-forces.read-model.js';

const county = { id: 'u-ca-linhe', name: '刘海燕', role: 'county_civil_affairs' };
const worker = { id: 'u-sw-linhe', name: '何芳', role: 'social_worker' };
const LINHE = '150802000000';
const WUYUAN = '150821000000';
const linhe = { villageCode: '150802100201', townshipCode: '150802100000', countyCode: LINHE };
const wuyuan = { villageCode: '150821100201', townshipCode: '150821100000', countyCode: WUYUAN };

/** Providers, services and projects kept by one projection, against real PostgreSQL. */
describe('social forces read model', () => {
  const pool = testPool(4);
  const schema = uniqueName('sf');
  let dataSource: DataSource;
  let runner: ProjectionRunner;
  let query: SocialForcesQuery;
  let stores: ReturnType<typeof socialForcesStores>;

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, socialForcesReadModel.migrations);
    const store = new PostgresEventStore({ pool, schema });
    dataSource = await readModelDataSource({
      pool,
      schema,
      entities: socialForcesReadModel.entities,
    }).initialize();
    query = new SocialForcesQuery(dataSource);
    runner = new ProjectionRunner({
      dataSource,
      store,
      projection: socialForcesProjection(store),
      pollIntervalMs: 20,
    });
    stores = socialForcesStores(store);
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const now = '2026-11-27T02:00:00.000Z';
  const profile = (name: string, areaCodes: string[], userIds: string[] = []): ProviderProfile => ({
    name,
    kind: 'social_organisation',
    services: ['daily_care', 'counselling'],
    areaCodes,
    userIds,
    contact: '',
  });

  it('lists providers by county, services scoped (a social worker: its providers), projects with what is charged', async () => {
    const p1 = '0190a4c4-0000-7000-8000-00000000f001';
    const p2 = '0190a4c4-0000-7000-8000-00000000f002';
    const p3 = '0190a4c4-0000-7000-8000-00000000f003';
    const project = '0190a4c4-0000-7000-8000-00000000f201';
    for (const [id, name, countyCode, areas, users] of [
      [p1, '阳光社工', LINHE, [LINHE], [worker.id]],
      [p2, '爱心志愿队', LINHE, [linhe.townshipCode], []],
      [p3, '五原社工', WUYUAN, [WUYUAN], []],
    ] as const) {
      await stores.providers.handle(
        id,
        {
          type: 'RegisterProvider',
          providerId: id,
          countyCode,
          profile: profile(name, [...areas], [...users]),
          actor: county,
          now,
        },
        { metadata: testMetadata(), isNew: true },
      );
    }
    await stores.projects.handle(
      project,
      {
        type: 'CreateProject',
        projectId: project,
        name: '生活照料项目',
        countyCode: LINHE,
        provider: { providerId: p1, name: '阳光社工' },
        budget: 1000,
        periodFrom: '2026-01-01',
        periodTo: '2026-12-31',
        actor: county,
        now,
      },
      { metadata: testMetadata(), isNew: true },
    );
    const s1 = '0190a4c4-0000-7000-8000-00000000f101';
    const s2 = '0190a4c4-0000-7000-8000-00000000f102';
    const s3 = '0190a4c4-0000-7000-8000-00000000f103';
    const assign = async (
      id: string,
      providerId: string,
      name: string,
      place: typeof linhe,
      cost: number | null,
    ) => {
      await stores.services.handle(
        id,
        {
          type: 'AssignService',
          serviceId: id,
          caseId: '0190a4c4-0000-7000-8000-0000000000aa',
          caseNumber: 'LH-1',
          householdName: '王建国',
          service: 'daily_care',
          description: '照料',
          place,
          placePath: [place.villageCode, place.townshipCode, place.countyCode, '150800000000'],
          consent: { given: true, recordedOn: '2026-11-27', signedBy: '王建国' },
          provider: {
            providerId,
            name,
            active: true,
            services: ['daily_care'],
            areaCodes: [place.countyCode],
            userIds: [],
          },
          projectId: cost === null ? null : project,
          cost,
          actor: county,
          now,
        },
        { metadata: testMetadata(), isNew: true },
      );
      if (cost !== null) {
        await stores.projects.handle(
          project,
          {
            type: 'ChargeService',
            serviceId: id,
            service: 'daily_care',
            providerId,
            amount: cost,
            on: '2026-11-27',
            actor: county,
            now,
          },
          { metadata: testMetadata() },
        );
      }
    };
    await assign(s1, p1, '阳光社工', linhe, 400.5);
    await assign(s2, p2, '爱心志愿队', linhe, null);
    await assign(s3, p3, '五原社工', wuyuan, null);
    await stores.services.handle(
      s1,
      {
        type: 'RecordOutcome',
        outcome: 'goal_met',
        summary: '改善',
        providerUserIds: [worker.id],
        actor: worker,
        now,
      },
      { metadata: testMetadata() },
    );

    const projects = await eventually(
      async () => {
        const r = await query.listProjects({ countyCode: LINHE, page: 1, pageSize: 10 });
        return r.rows[0]?.chargedFen === 40050 ? r : undefined;
      },
      { what: 'the project with its charge', timeoutMs: 10_000 },
    );
    expect(projects.rows[0]).toMatchObject({
      budgetFen: 100000,
      chargedFen: 40050,
      serviceCount: 1,
      periodTo: '2026-12-31',
    });
    await projectedToLogEnd(pool, schema, () => runner.checkpoint());

    const linheProviders = await query.listProviders({ countyCode: LINHE, page: 1, pageSize: 10 });
    expect(linheProviders.rows.map((r) => r.name)).toEqual(['爱心志愿队', '阳光社工']);
    expect(
      (await query.listProviders({ countyCode: null, service: 'counselling', page: 1, pageSize: 2 })).total,
    ).toBe(3);
    expect(
      (await query.listProviders({ countyCode: null, service: 'resource_linking', page: 1, pageSize: 2 }))
        .total,
    ).toBe(0);

    const linheServices = await query.listServices({
      scope: { level: 'county', code: LINHE },
      page: 1,
      pageSize: 10,
    });
    expect(linheServices.total).toBe(2);
    const mine = await query.listServices({
      scope: { level: 'county', code: LINHE },
      userId: worker.id,
      page: 1,
      pageSize: 10,
    });
    expect(mine.rows.map((r) => r.serviceId)).toEqual([s1]);
    expect(mine.rows[0]).toMatchObject({
      status: 'closed',
      outcome: 'goal_met',
      costFen: 40050,
      projectId: project,
    });
    expect(
      (await query.listServices({ scope: null, status: 'in_service', page: 1, pageSize: 10 })).total,
    ).toBe(2);

    // A rebuild gives the same rows.
    await runner.stop();
    await rebuildUntil(
      () => runner.rebuild(),
      async () =>
        (await dataSource.getRepository(SocialForceProviderRow).count()) === 3 &&
        (await dataSource.getRepository(SocialServiceRow).count()) === 3,
    );
    expect(await dataSource.getRepository(SocialForceProviderRow).count()).toBe(3);
    expect(await dataSource.getRepository(SocialServiceRow).count()).toBe(3);
    expect(
      await dataSource.getRepository(PurchasedServiceProjectRow).findOneByOrFail({ projectId: project }),
    ).toMatchObject({
      chargedFen: 40050,
    });
    await runner.start();
  });
});
