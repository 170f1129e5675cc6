import {
  DeciderStore,
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  type RecordedEvent,
} from '@platform/event-store';
import { ProjectionRunner, readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, eventually, testMetadata, testPool, uniqueName } from '@platform/testing';
import type { DataSource } from 'typeorm';
import {
  temporaryAssistanceDecider,
  type TemporaryAssistanceCommand,
  type TemporaryAssistanceEvent,
  type TemporaryAssistanceState,
} from '../domain/temporary-assistance.decider.js';
import {
  temporaryAssistanceProjection,
  temporaryAssistanceStream,
} from './temporary-assistance.projection.js';
import { TemporaryAssistanceQuery } from './temporary-assistance.query.js';
import { temporaryAssistanceReadModel } from './temporary-assistance.read-model.js';

const window = { id: 'u-shuanghe-window', name: '李春梅', role: 'township_officer' };
const linhe = {
  villageCode: '150802100201',
  townshipCode: '150802100000',
  countyCode: '150802000000',
  countyName: '临河区',
};
const wuyuan = {
  villageCode: '150821100201',
  townshipCode: '150821100000',
  countyCode: '150821000000',
  countyName: '五原县',
};
const policy = {
  limits: [
    {
      table: 'temporary-assistance-limits' as const,
      version: 1,
      effectiveFrom: '2020-01-01',
      content: { townshipMultipleOfMonthlyStandard: 3 },
      reason: '默认',
      recordedAt: '2020-01-01T00:00:00.000Z',
      recordedBy: { id: 'admin', role: 'admin' },
    },
  ],
  standards: [
    {
      table: 'allowance-standards' as const,
      version: 1,
      effectiveFrom: '2026-01-01',
      content: {
        [linhe.countyCode]: { urbanDibaoMonthly: 870, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
      },
      reason: '标准',
      recordedAt: '2026-01-01T00:00:00.000Z',
      recordedBy: { id: 'admin', role: 'admin' },
    },
  ],
};

/** The list's table, kept by the projection from the applications' streams, against real PostgreSQL. */
describe('temporary assistance read model', () => {
  const pool = testPool(4);
  const schema = uniqueName('ta');
  let dataSource: DataSource;
  let runner: ProjectionRunner;
  let query: TemporaryAssistanceQuery;
  let applications: DeciderStore<
    TemporaryAssistanceCommand,
    TemporaryAssistanceEvent,
    TemporaryAssistanceState
  >;

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, temporaryAssistanceReadModel.migrations);
    const store = new PostgresEventStore({ pool, schema });
    dataSource = await readModelDataSource({
      pool,
      schema,
      entities: temporaryAssistanceReadModel.entities,
    }).initialize();
    query = new TemporaryAssistanceQuery(dataSource);
    runner = new ProjectionRunner({
      dataSource,
      store,
      projection: temporaryAssistanceProjection(store),
      pollIntervalMs: 20,
    });
    applications = new DeciderStore({
      store,
      decider: temporaryAssistanceDecider,
      streamOf: temporaryAssistanceStream,
      toStored: (e) => ({ type: e.type, data: e.data }),
      fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as TemporaryAssistanceEvent,
    });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const at = (minute: number) => new Date(Date.UTC(2026, 6, 1, 2, minute)).toISOString();

  async function recordAt(id: string, place: typeof linhe, minute: number, requestedAmount = 3000.5) {
    await applications.handle(
      id,
      {
        type: 'RecordApplication',
        applicationId: id,
        members: [
          { name: '王建国', idNumber: '150802195001011234' },
          { name: '刘秀兰', idNumber: '150802195503041220' },
        ],
        hardship: { kind: 'disaster', description: '房屋受灾' },
        requestedAmount,
        area: 'rural',
        place,
        actor: window,
        now: at(minute),
      },
      { metadata: testMetadata(), isNew: true },
    );
  }

  it('lists an application as recorded, then with the amount granted and paid, scoped and newest first', async () => {
    const a = '0190a4c4-0000-7000-8000-0000000000a1';
    const b = '0190a4c4-0000-7000-8000-0000000000a2';
    const c = '0190a4c4-0000-7000-8000-0000000000a3';
    await recordAt(a, linhe, 0);
    await recordAt(b, linhe, 5);
    await recordAt(c, wuyuan, 10);
    await applications.handle(
      a,
      { type: 'GrantByTownship', amount: 2070, opinion: '同意', policy, actor: window, now: at(20) },
      { metadata: testMetadata() },
    );
    await applications.handle(
      a,
      { type: 'RecordPayment', paidOn: '2026-07-01', method: 'cash', actor: window, now: at(30) },
      { metadata: testMetadata() },
    );
    const county = await eventually(
      async () => {
        const page = await query.list({
          scope: { level: 'county', code: linhe.countyCode },
          page: 1,
          pageSize: 10,
        });
        return page.rows.find((r) => r.applicationId === a)?.status === 'paid' ? page : undefined;
      },
      { what: 'the paid application in the read model', timeoutMs: 10_000 },
    );
    expect(county.total).toBe(2);
    expect(county.rows.map((r) => r.applicationId)).toEqual([b, a]);
    expect(county.rows[1]).toMatchObject({
      applicantName: '王建国',
      memberCount: 2,
      requestedFen: 300050,
      grantedFen: 207000,
      status: 'paid',
      decidedLevel: 'township',
      paidOn: '2026-07-01',
    });
    expect(county.rows[0]).toMatchObject({ status: 'recorded', grantedFen: null });

    const township = await query.list({
      scope: { level: 'township', code: wuyuan.townshipCode },
      page: 1,
      pageSize: 10,
    });
    expect(township.rows.map((r) => r.applicationId)).toEqual([c]);
    const all = await query.list({ scope: null, page: 2, pageSize: 2 });
    expect(all).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(all.rows.map((r) => r.applicationId)).toEqual([a]);
    const recorded = await query.list({ scope: null, status: 'recorded', page: 1, pageSize: 10 });
    expect(recorded.rows.map((r) => r.applicationId)).toEqual([c, b]);
  });
});
