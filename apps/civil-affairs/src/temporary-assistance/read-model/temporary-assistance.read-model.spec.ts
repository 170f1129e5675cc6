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
import { INITIAL_MATERIALS, INITIAL_URGENT_ASSISTANCE, SHIPPED_CALENDAR } from '@platform/policy';
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
import {
  TemporaryAssistanceMemberRow,
  TemporaryAssistanceObligationRow,
  TemporaryAssistanceRow,
} from './temporary-assistance.entities.js';
import { TemporaryAssistanceQuery } from './temporary-assistance.query.js';
import { temporaryAssistanceReadModel } from './temporary-assistance.read-model.js';
import { TemporaryAssistanceReadModel1765411200000 } from './migrations/1765411200000-temporary-assistance-read-model.js';

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

  async function recordAt(
    id: string,
    place: typeof linhe,
    minute: number,
    requestedAmount = 3000.5,
    urgency: 'normal' | 'urgent' = 'normal',
  ) {
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
        urgency,
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
        // Both of the county's applications projected, the paid one with its payment.
        return page.total === 2 && page.rows.find((r) => r.applicationId === a)?.status === 'paid'
          ? page
          : undefined;
      },
      { what: 'both applications, the paid one paid, in the read model', timeoutMs: 10_000 },
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
      decidedOn: '2026-07-01',
      paidOn: '2026-07-01',
    });
    expect(county.rows[0]).toMatchObject({ status: 'recorded', grantedFen: null, decidedOn: null });
    // Every member of the household, for civil affairs' answer to a household verification.
    const members = await dataSource
      .getRepository(TemporaryAssistanceMemberRow)
      .find({ where: { applicationId: a }, order: { idNumber: 'ASC' } });
    expect(members.map((m) => m.idNumber)).toEqual(['150802195001011234', '150802195503041220']);
    expect(await dataSource.getRepository(TemporaryAssistanceMemberRow).count()).toBe(6);

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

  it('keeps the members once when a stream is projected again, and empties both tables on reset', async () => {
    const d = '0190a4c4-0000-7000-8000-0000000000a4';
    await recordAt(d, wuyuan, 40);
    await applications.handle(
      d,
      { type: 'RefuseByTownship', reasons: '不符合条件', actor: window, now: at(50) },
      { metadata: testMetadata() },
    );
    const refused = await eventually(
      async () => {
        const page = await query.list({ scope: null, status: 'refused', page: 1, pageSize: 10 });
        return page.rows.length === 1 ? page.rows[0] : undefined;
      },
      { what: 'the refused application in the read model', timeoutMs: 10_000 },
    );
    // Refused: decided that day, nothing granted.
    expect(refused).toMatchObject({ applicationId: d, grantedFen: null, decidedOn: '2026-07-01' });
    const memberRows = dataSource.getRepository(TemporaryAssistanceMemberRow);
    expect(await memberRows.countBy({ applicationId: d })).toBe(2);
    // What the members migration does: the checkpoint removed, the log replayed over the rows in place.
    await runner.stop();
    await pool.query(`DELETE FROM "${schema}".projection_checkpoints WHERE projection = $1`, [runner.name]);
    await runner.start();
    await projectedToLogEnd(pool, schema, () => runner.checkpoint());
    expect(await memberRows.count()).toBe(8);
    expect(await memberRows.countBy({ applicationId: d })).toBe(2);
    await runner.stop();
    await dataSource.transaction((m) =>
      temporaryAssistanceProjection(new PostgresEventStore({ pool, schema })).reset(m),
    );
    expect(await memberRows.count()).toBe(0);
    expect(await dataSource.getRepository(TemporaryAssistanceRow).count()).toBe(0);
    await rebuildUntil(
      () => runner.rebuild(),
      async () =>
        (await memberRows.count()) === 8 &&
        (await dataSource.getRepository(TemporaryAssistanceRow).count()) === 4,
    );
    expect(await memberRows.count()).toBe(8);
    expect(await dataSource.getRepository(TemporaryAssistanceRow).count()).toBe(4);
    await runner.start();
  });

  it('lists the obligations of urgent grants made before the materials were complete, scoped and filtered, and finds the overdue', async () => {
    const green = {
      materials: [{ ...policy.limits[0]!, table: 'materials' as const, content: INITIAL_MATERIALS }],
      urgent: [
        { ...policy.limits[0]!, table: 'urgent-assistance' as const, content: INITIAL_URGENT_ASSISTANCE },
      ],
      calendar: [{ ...policy.limits[0]!, table: 'calendar' as const, content: SHIPPED_CALENDAR }],
    };
    const e = '0190a4c4-0000-7000-8000-0000000000e1';
    const f = '0190a4c4-0000-7000-8000-0000000000e2';
    await recordAt(e, linhe, 100, 3000, 'urgent');
    await recordAt(f, wuyuan, 101, 3000, 'urgent');
    const standards = policy.standards[0]!;
    const both = {
      ...policy,
      standards: [
        {
          ...standards,
          content: { ...standards.content, [wuyuan.countyCode]: standards.content[linhe.countyCode]! },
        },
      ],
    };
    for (const id of [e, f]) {
      await applications.handle(
        id,
        {
          type: 'GrantByTownship',
          amount: 1000,
          opinion: '先行救助',
          policy: both,
          missingMaterials: ['突发事件或困难情况说明', '相关费用票据'],
          green,
          actor: window,
          now: at(110),
        },
        { metadata: testMetadata() },
      );
    }
    await applications.handle(
      e,
      { type: 'SupplyMaterial', obligationNo: 2, actor: window, now: at(120) },
      { metadata: testMetadata() },
    );
    const linheScope = { level: 'county' as const, code: linhe.countyCode };
    const listed = await eventually(
      async () => {
        const page = await query.listObligations({ scope: linheScope, page: 1, pageSize: 10 });
        return page.rows.some((r) => r.status === 'fulfilled') ? page : undefined;
      },
      { what: 'the obligations in the read model', timeoutMs: 10_000 },
    );
    // 2026-07-01 (Wednesday) + 10 working days: the end of Wednesday 15 July, Beijing.
    const due = new Date('2026-07-15T15:59:59.999Z');
    expect(listed.total).toBe(2);
    expect(listed.rows.map((r) => [r.obligationNo, r.material, r.status])).toEqual([
      [1, '突发事件或困难情况说明', 'open'],
      [2, '相关费用票据', 'fulfilled'],
    ]);
    expect(listed.rows[0]).toMatchObject({
      applicationId: e,
      dueAt: due,
      provisional: false,
      applicantName: '王建国',
      decidedLevel: 'township',
      fulfilledAt: null,
    });
    expect(listed.rows[1]).toMatchObject({ fulfilledBy: '李春梅', fulfilledLate: false });
    const urgent = await query.list({ scope: linheScope, urgency: 'urgent', page: 1, pageSize: 10 });
    expect(urgent.rows.map((r) => [r.applicationId, r.urgency])).toEqual([[e, 'urgent']]);
    expect((await query.list({ scope: linheScope, urgency: 'normal', page: 1, pageSize: 10 })).total).toBe(2);
    const open = await query.listObligations({ scope: linheScope, status: 'open', page: 1, pageSize: 10 });
    expect(open.rows.map((r) => r.obligationNo)).toEqual([1]);
    const township = await query.listObligations({
      scope: { level: 'township', code: wuyuan.townshipCode },
      page: 1,
      pageSize: 10,
    });
    expect(township.total).toBe(2);
    expect(township.rows.every((r) => r.applicationId === f)).toBe(true);

    expect(await query.dueForOverdue(due)).toEqual([]);
    expect(await query.dueForOverdue(new Date(due.getTime() + 1))).toContain(e);
    await applications.handle(
      e,
      { type: 'MarkObligationsOverdue', now: new Date(due.getTime() + 1).toISOString() },
      { metadata: testMetadata() },
    );
    const overdue = await eventually(
      async () => {
        const page = await query.listObligations({
          scope: linheScope,
          status: 'overdue',
          page: 1,
          pageSize: 10,
        });
        return page.total === 1 ? page.rows[0] : undefined;
      },
      { what: 'the overdue obligation in the read model', timeoutMs: 10_000 },
    );
    expect(overdue).toMatchObject({
      applicationId: e,
      obligationNo: 1,
      overdueAt: new Date(due.getTime() + 1),
    });
    expect(await query.dueForOverdue(new Date('2026-08-01T00:00:00Z'))).not.toContain(e);
    expect(
      await dataSource.getRepository(TemporaryAssistanceObligationRow).countBy({ applicationId: e }),
    ).toBe(2);
  });
});

/** A database listed before the members table existed: the migration makes the projection replay. */
describe('temporary assistance read model upgraded with members and decision days', () => {
  const pool = testPool(2);
  const schema = uniqueName('ta_up');

  afterAll(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('fills the members and the decision day of the applications already listed', async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, [TemporaryAssistanceReadModel1765411200000]);
    const store = new PostgresEventStore({ pool, schema });
    const id = '0190a4c4-0000-7000-8000-0000000000c1';
    const events: TemporaryAssistanceEvent[] = [
      {
        type: 'civil-affairs.TemporaryAssistanceApplied',
        data: {
          applicationId: id,
          members: [{ name: '王建国', idNumber: '150802195001011234' }],
          hardship: { kind: 'disaster', description: '房屋受灾' },
          requestedAmount: 3000,
          area: 'rural',
          place: linhe,
          recordedBy: window,
          at: '2026-06-30T16:30:00.000Z',
        },
      },
      {
        type: 'civil-affairs.TemporaryAssistanceRefusedByTownship',
        data: { applicationId: id, reasons: '不符合条件', by: window, at: '2026-06-30T16:30:00.000Z' },
      },
    ];
    await store.appendToStream(
      temporaryAssistanceStream(id),
      events.map((e) => ({ type: e.type, data: e.data, metadata: testMetadata() })),
      { expectedVersion: 'no_stream' },
    );
    // As the projection of the first migration's day left it: the row listed, the log applied.
    const head = await store.head();
    await pool.query(
      `INSERT INTO "${schema}".temporary_assistance_applications VALUES
         ($1, '王建国', '150802195001011234', 1, 'disaster', 'rural', $2, $3, $4, 300000, NULL, 'refused',
          'township', NULL, '2026-06-30T16:30:00Z', '2026-06-30T16:30:00Z')`,
      [id, linhe.villageCode, linhe.townshipCode, linhe.countyCode],
    );
    await pool.query(
      `INSERT INTO "${schema}".projection_checkpoints (projection, transaction_id, global_position)
       VALUES ('temporary-assistance', $1::text::xid8, $2)`,
      [head.transactionId.toString(), head.globalPosition.toString()],
    );

    expect(await runReadModelMigrations(pool, schema, temporaryAssistanceReadModel.migrations)).toEqual([
      'TemporaryAssistanceMembers1765656000000',
      'TemporaryAssistanceObligations1765843200000',
      'TemporaryAssistanceReferrals1766275200000',
    ]);
    const dataSource = await readModelDataSource({
      pool,
      schema,
      entities: temporaryAssistanceReadModel.entities,
    }).initialize();
    const runner = new ProjectionRunner({
      dataSource,
      store,
      projection: temporaryAssistanceProjection(store),
      pollIntervalMs: 20,
    });
    try {
      await runner.start();
      await projectedToLogEnd(pool, schema, () => runner.checkpoint());
      // 16:30 UTC on 30 June is 1 July in Beijing.
      expect(
        await dataSource.getRepository(TemporaryAssistanceRow).findOneByOrFail({ applicationId: id }),
      ).toMatchObject({ status: 'refused', decidedOn: '2026-07-01' });
      expect(
        await dataSource.getRepository(TemporaryAssistanceMemberRow).findBy({ applicationId: id }),
      ).toEqual([{ applicationId: id, idNumber: '150802195001011234' }]);
    } finally {
      await runner.stop();
      await dataSource.destroy();
    }
  });
});
