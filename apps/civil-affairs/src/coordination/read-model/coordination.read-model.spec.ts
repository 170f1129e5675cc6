import {
  DeciderStore,
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  type RecordedEvent,
} from '@platform/event-store';
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
import {
  coordinationDecider,
  type CoordinationCommand,
  type CoordinationEvent,
  type CoordinationState,
} from '../domain/coordination.decider.js';
import { CoordinationDecisionRow, CoordinationItemRow } from './coordination.entities.js';
import { coordinationProjection, coordinationStream } from './coordination.projection.js';
import { CoordinationQuery } from './coordination.query.js';
import { coordinationReadModel } from './coordination.read-model.js';

const county = {
  id: 'u-ca-linhe',
  name: '刘海燕',
  role: 'county_civil_affairs',
  department: 'civil-affairs',
};
const health = { id: 'u-health-linhe', name: '陈静', role: 'health_officer', department: 'health' };
const linhe = { villageCode: '150802100201', townshipCode: '150802100000', countyCode: '150802000000' };
const wuyuan = { villageCode: '150821100201', townshipCode: '150821100000', countyCode: '150821000000' };

/** The items' list and the overdue watch's decisions, kept by the projection, against real PostgreSQL. */
describe('coordination read model', () => {
  const pool = testPool(4);
  const schema = uniqueName('coord');
  let dataSource: DataSource;
  let runner: ProjectionRunner;
  let query: CoordinationQuery;
  let items: DeciderStore<CoordinationCommand, CoordinationEvent, CoordinationState>;

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, coordinationReadModel.migrations);
    const store = new PostgresEventStore({ pool, schema });
    dataSource = await readModelDataSource({
      pool,
      schema,
      entities: coordinationReadModel.entities,
    }).initialize();
    query = new CoordinationQuery(dataSource);
    runner = new ProjectionRunner({
      dataSource,
      store,
      projection: coordinationProjection(store),
      pollIntervalMs: 20,
    });
    items = new DeciderStore({
      store,
      decider: coordinationDecider,
      streamOf: coordinationStream,
      toStored: (e) => ({ type: e.type, data: e.data }),
      fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as CoordinationEvent,
    });
    await runner.start();
  });

  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const at = (day: number) => new Date(Date.UTC(2026, 10, day, 2, 0)).toISOString();
  const open = (id: string, place: typeof linhe, day: number) =>
    items.handle(
      id,
      {
        type: 'OpenItem',
        itemId: id,
        caseId: '0190a4c4-0000-7000-8000-0000000000aa',
        caseNumber: `LH-${id.slice(-3)}`,
        need: '多部门联合解决',
        departments: ['health', 'housing'],
        place,
        actor: county,
        now: at(day),
      },
      { metadata: testMetadata(), isNew: true },
    );

  it('lists items scoped and newest first, with decision counts, and finds the overdue ones once', async () => {
    const a = '0190a4c4-0000-7000-8000-0000000c0a01';
    const b = '0190a4c4-0000-7000-8000-0000000c0a02';
    const c = '0190a4c4-0000-7000-8000-0000000c0a03';
    const d1 = '0190a4c4-0000-7000-8000-0000000d0a01';
    const d2 = '0190a4c4-0000-7000-8000-0000000d0a02';
    await open(a, linhe, 20);
    await open(b, linhe, 21);
    await open(c, wuyuan, 22);
    await items.handle(
      a,
      {
        type: 'RecordMeeting',
        meetingId: '0190a4c4-0000-7000-8000-0000000e0a01',
        heldOn: '2026-11-21',
        departments: ['civil-affairs', 'health', 'housing'],
        minutes: '纪要',
        decisions: [
          { decisionId: d1, text: '医疗救助', ownerDepartment: 'health', dueOn: '2026-11-30' },
          { decisionId: d2, text: '危房改造', ownerDepartment: 'housing', dueOn: '2026-11-25' },
        ],
        actor: county,
        now: at(21),
      },
      { metadata: testMetadata() },
    );
    await items.handle(
      a,
      { type: 'MarkDecisionDone', decisionId: d1, result: '已救助', actor: health, now: at(22) },
      { metadata: testMetadata() },
    );
    const page = await eventually(
      async () => {
        const p = await query.list({
          scope: { level: 'county', code: linhe.countyCode },
          page: 1,
          pageSize: 10,
        });
        // Both of the county's items projected, and the decision's completion with them.
        return p.total === 2 && p.rows.find((r) => r.itemId === a)?.doneCount === 1 ? p : undefined;
      },
      { what: 'both items, one with its decision done', timeoutMs: 10_000 },
    );
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.itemId)).toEqual([b, a]);
    expect(page.rows[1]).toMatchObject({
      status: 'open',
      meetingCount: 1,
      decisionCount: 2,
      doneCount: 1,
      overdueCount: 0,
      departments: ['health', 'housing'],
      openedByName: '刘海燕',
    });
    expect((await query.list({ scope: null, page: 2, pageSize: 2 })).rows.map((r) => r.itemId)).toEqual([a]);
    expect(
      (await query.list({ scope: { level: 'township', code: wuyuan.townshipCode }, page: 1, pageSize: 10 }))
        .total,
    ).toBe(1);

    // On 26 November (Beijing) d2 (due the 25th) is overdue; d1 is done.
    expect(await query.dueForOverdue('2026-11-25')).toEqual([]);
    expect(await query.dueForOverdue('2026-11-26')).toEqual([a]);
    await items.handle(a, { type: 'FlagOverdueDecisions', now: at(26) }, { metadata: testMetadata() });
    await projectedToLogEnd(pool, schema, () => runner.checkpoint());
    expect(await query.dueForOverdue('2026-11-26')).toEqual([]);
    expect(await dataSource.getRepository(CoordinationItemRow).findOneByOrFail({ itemId: a })).toMatchObject({
      overdueCount: 1,
    });
  });

  it('drops a closed item from the watch and rebuilds the same rows', async () => {
    const e = '0190a4c4-0000-7000-8000-0000000c0a05';
    await open(e, linhe, 23);
    await items.handle(
      e,
      {
        type: 'RecordMeeting',
        meetingId: '0190a4c4-0000-7000-8000-0000000e0a05',
        heldOn: '2026-11-23',
        departments: ['health'],
        minutes: '纪要',
        decisions: [
          {
            decisionId: '0190a4c4-0000-7000-8000-0000000d0a05',
            text: '救助',
            ownerDepartment: 'health',
            dueOn: '2026-11-24',
          },
        ],
        actor: county,
        now: at(23),
      },
      { metadata: testMetadata() },
    );
    await items.handle(
      e,
      { type: 'CloseItem', reason: '家庭迁出', actor: county, now: at(24) },
      { metadata: testMetadata() },
    );
    await projectedToLogEnd(pool, schema, () => runner.checkpoint());
    expect(await query.dueForOverdue('2026-12-31')).not.toContain(e);
    expect(
      (await query.list({ scope: null, status: 'closed', page: 1, pageSize: 10 })).rows.map((r) => r.itemId),
    ).toEqual([e]);
    const before = await dataSource.getRepository(CoordinationItemRow).count();
    const decisions = await dataSource.getRepository(CoordinationDecisionRow).count();
    await runner.stop();
    await rebuildUntil(
      () => runner.rebuild(),
      async () =>
        (await dataSource.getRepository(CoordinationItemRow).count()) === before &&
        (await dataSource.getRepository(CoordinationDecisionRow).count()) === decisions,
    );
    expect(await dataSource.getRepository(CoordinationItemRow).count()).toBe(before);
    expect(await dataSource.getRepository(CoordinationDecisionRow).count()).toBe(decisions);
    await runner.start();
  });
});
