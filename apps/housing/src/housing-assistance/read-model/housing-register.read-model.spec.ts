import { verificationAnswerSchemas } from '@platform/contracts';
import {
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  withTransaction,
  type EventMetadata,
} from '@platform/event-store';
import { INITIAL_HOUSING_ASSISTANCE, type HousingAssistanceTable } from '@platform/policy';
import { ProjectionRunner, readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, eventually, testPool, uniqueName } from '@platform/testing';
import type { DataSource } from 'typeorm';
import { houseRenovationDecider, type HouseRenovationCommand } from '../domain/house-renovation.decider.js';
import type { Household } from '../domain/household.js';
import { publicRentalDecider, type PublicRentalCommand } from '../domain/public-rental.decider.js';
import { rentalSubsidyDecider, type RentalSubsidyCommand } from '../domain/rental-subsidy.decider.js';
import type { Officer, TableVersion } from '../domain/values.js';
import { HousingCaseRow } from './housing-cases.entities.js';
import { HousingCasesQuery } from './housing-cases.query.js';
import { HousingRegisterAnswerer } from './housing-register.answerer.js';
import { HousingRegisterEntryRow } from './housing-register.entities.js';
import { housingRegisterProjection } from './housing-register.projection.js';
import { HousingRegisterQuery } from './housing-register.query.js';
import { housingRegisterReadModel } from './housing-register.read-model.js';

const officer: Officer = { id: 'u-housing-linhe', name: '韩雪', role: 'housing_officer' };
const table: TableVersion<HousingAssistanceTable> = {
  version: 1,
  effectiveFrom: '2020-01-01',
  content: INITIAL_HOUSING_ASSISTANCE,
};
const metadata: EventMetadata = {
  actor: { id: officer.id, role: officer.role, department: 'housing', jurisdiction: '150802000000' },
  correlationId: '0190a4c4-0000-7000-8000-000000000001',
  causationId: null,
  occurredAt: '2026-11-02T02:00:00.000Z',
};
const t = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();

// Valid-looking 18-character numbers (the register does not check them; the API does).
const person = (n: number) => `15080219800101${String(n).padStart(3, '0')}X`;
const household = (head: number, ...others: number[]): Household => ({
  householdId: person(head),
  headName: `户主${head}`,
  headIdNumber: person(head),
  memberIdNumbers: [person(head), ...others.map(person)],
});

const LINHE_VILLAGE = '150802100201';
const LINHE_COMMUNITY = '150802001001';
const WUYUAN_VILLAGE = '150821100201';

/**
 * The housing register against PostgreSQL: the projection puts one row per payment or allocation (the
 * domain's fold of each event), the lists read it by jurisdiction and page, the lookup by any member
 * through the GIN index, and the verification answerer reads it together with what the projection has
 * not applied yet — on the caller's transaction.
 */
describe('housing register read model', () => {
  const pool = testPool(6);
  const schema = uniqueName('housing_rm');
  let dataSource: DataSource;
  let store: PostgresEventStore;
  let query: HousingRegisterQuery;
  let runner: ProjectionRunner;

  async function run<C, E extends { type: string; data: unknown }, S>(
    decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState(): S },
    stream: string,
    commands: C[],
  ): Promise<void> {
    let state = decider.initialState();
    const events: E[] = [];
    for (const c of commands) {
      const decided = decider.decide(c, state);
      state = decided.reduce(decider.evolve, state);
      events.push(...decided);
    }
    const existing = await store.readStream(stream);
    await store.appendToStream(
      stream,
      events.slice(existing.length).map((e) => ({ type: e.type, data: e.data, metadata })),
      { expectedVersion: existing.length === 0 ? 'no_stream' : existing.length },
    );
  }

  const renovation = (projectId: string, villageCode: string, h: Household): HouseRenovationCommand[] => [
    {
      type: 'RecordAppraisal',
      projectId,
      household: h,
      villageCode,
      address: '三组 12 号',
      category: 'dibao',
      appraisal: {
        grade: 'D',
        appraisedOn: '2026-04-08',
        organisation: '鉴定站',
        reportNumber: `JD-${projectId}`,
        findings: '整体危险',
      },
      table,
      officer,
      now: t('2026-04-08'),
    },
    {
      type: 'ApproveRenovation',
      documentNumber: `改〔2026〕${projectId}`,
      table,
      officer,
      now: t('2026-04-20'),
    },
    { type: 'StartWorks', startedOn: '2026-05-01', officer, now: t('2026-05-01') },
    { type: 'CompleteWorks', completedOn: '2026-08-20', officer, now: t('2026-08-20') },
    {
      type: 'RecordAcceptance',
      inspectedOn: '2026-09-03',
      passed: true,
      inspectors: ['张工', '李工'],
      findings: '合格',
      officer,
      now: t('2026-09-03'),
    },
    {
      type: 'PaySubsidy',
      paymentReference: `BF-${projectId}`,
      paidOn: '2026-09-12',
      officer,
      now: t('2026-09-12'),
    },
  ];

  const subsidy = (months: string[]): RentalSubsidyCommand[] => [
    {
      type: 'GrantRentalSubsidy',
      grantId: 'ZL-1',
      household: household(20, 21, 22),
      jurisdictionCode: LINHE_COMMUNITY,
      category: 'dibao',
      firstMonth: '2026-01',
      documentNumber: '临住补〔2025〕301号',
      table,
      officer,
      now: t('2025-12-20'),
    },
    ...months.map((month): RentalSubsidyCommand => ({
      type: 'DisburseMonth',
      month,
      paymentReference: `FF-${month}`,
      paidOn: `${month}-10`,
      table,
      officer,
      now: t(`${month}-10`),
    })),
  ];

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, housingRegisterReadModel.migrations);
    dataSource = await readModelDataSource({
      pool,
      schema,
      entities: housingRegisterReadModel.entities,
    }).initialize();
    store = new PostgresEventStore({ pool, schema });
    query = new HousingRegisterQuery(dataSource);
    runner = new ProjectionRunner({
      dataSource,
      store,
      projection: housingRegisterProjection(store),
      pollIntervalMs: 20,
    });

    await run(
      houseRenovationDecider,
      'house-renovation-WG-1',
      renovation('WG-1', LINHE_VILLAGE, household(1, 2, 3)),
    );
    await run(
      houseRenovationDecider,
      'house-renovation-WG-2',
      renovation('WG-2', WUYUAN_VILLAGE, household(10)),
    );
    // An appraisal refused (grade A): nothing on the register.
    await run(houseRenovationDecider, 'house-renovation-WG-3', [
      {
        ...(renovation('WG-3', LINHE_VILLAGE, household(30))[0] as HouseRenovationCommand),
        appraisal: {
          grade: 'A',
          appraisedOn: '2026-04-08',
          organisation: '鉴定站',
          reportNumber: 'JD-WG-3',
          findings: '安全',
        },
      } as HouseRenovationCommand,
    ]);
    const join = (n: number, applicationId: string, appliedOn: string): PublicRentalCommand => ({
      type: 'JoinWaitingList',
      applicationId,
      household: household(n, n + 1),
      jurisdictionCode: LINHE_COMMUNITY,
      category: 'dibao',
      appliedOn,
      officer,
      now: t(appliedOn),
    });
    await run(publicRentalDecider, 'public-rental-150802000000', [
      join(40, 'GZ-1', '2025-03-01'),
      join(50, 'GZ-2', '2025-06-01'),
      {
        type: 'AllocateUnit',
        applicationId: 'GZ-1',
        unit: { unitId: 'GZF-3-502', address: '新华街公租房 3-502', bedrooms: 1, areaM2: 48.5 },
        allocatedOn: '2026-10-15',
        documentNumber: '临住配〔2026〕3号',
        table,
        officer,
        now: t('2026-10-15'),
      },
    ]);
    await run(rentalSubsidyDecider, 'rental-subsidy-ZL-1', subsidy(['2026-01', '2026-02', '2026-03']));
    await runner.start();
    await eventually(
      async () =>
        (await dataSource.getRepository(HousingRegisterEntryRow).count()) === 6 ? true : undefined,
      {
        what: 'six register rows',
      },
    );
  }, 60_000);

  afterAll(async () => {
    await runner?.stop();
    await dataSource?.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('puts one row per payment or allocation, with the place, the county and the household', async () => {
    const all = await query.list({ scope: null, page: 1, pageSize: 100 });
    expect(all.total).toBe(6);
    // Newest first; of one day, the later recorded first.
    expect(all.rows.map((r) => [r.programme, r.date, r.amountFen, r.month, r.countyCode])).toEqual([
      ['public_rental_housing', '2026-10-15', 0, null, '150802000000'],
      ['house_renovation', '2026-09-12', 4_000_000, null, '150821000000'],
      ['house_renovation', '2026-09-12', 4_000_000, null, '150802000000'],
      ['rental_subsidy', '2026-03-10', 40_000, '2026-03', '150802000000'],
      ['rental_subsidy', '2026-02-10', 40_000, '2026-02', '150802000000'],
      ['rental_subsidy', '2026-01-10', 40_000, '2026-01', '150802000000'],
    ]);
    const wg1 = all.rows.find((r) => r.subjectId === 'WG-1')!;
    expect(wg1).toMatchObject({
      personName: '户主1',
      personIdNumber: person(1),
      memberIdNumbers: [person(1), person(2), person(3)],
      jurisdictionCode: LINHE_VILLAGE,
      townshipCode: '150802100000',
      decisionReference: '改〔2026〕WG-1',
    });
  });

  it('lists by jurisdiction, programme and dates, a page at a time', async () => {
    const linhe = { code: '150802000000', level: 'county' as const };
    const county = await query.list({ scope: linhe, page: 1, pageSize: 2 });
    expect(county.total).toBe(5);
    expect(county.rows).toHaveLength(2);
    const second = await query.list({ scope: linhe, page: 3, pageSize: 2 });
    expect(second.rows).toHaveLength(1);
    const wuyuan = await query.list({
      scope: { code: '150821000000', level: 'county' },
      page: 1,
      pageSize: 20,
    });
    expect(wuyuan.rows.map((r) => r.subjectId)).toEqual(['WG-2']);
    const township = await query.list({
      scope: { code: '150802100000', level: 'township' },
      page: 1,
      pageSize: 20,
    });
    expect(township.rows.map((r) => r.subjectId)).toEqual(['WG-1']);
    const subsidies = await query.list({
      scope: linhe,
      programme: 'rental_subsidy',
      from: '2026-02-01',
      to: '2026-03-31',
      page: 1,
      pageSize: 20,
    });
    expect(subsidies.rows.map((r) => r.month)).toEqual(['2026-03', '2026-02']);
  });

  it('finds a household by any member, within a scope, through the GIN index', async () => {
    const byChild = await query.byMembers([person(3)], null);
    expect(byChild.map((r) => r.subjectId)).toEqual(['WG-1']);
    const several = await query.byMembers([person(21), person(41), person(99)], null);
    expect(several.map((r) => [r.programme, r.month])).toEqual([
      ['rental_subsidy', '2026-01'],
      ['rental_subsidy', '2026-02'],
      ['rental_subsidy', '2026-03'],
      ['public_rental_housing', null],
    ]);
    expect(await query.byMembers([person(10)], { code: '150802000000', level: 'county' })).toEqual([]);
    const plan = await withTransaction(pool, async (tx) => {
      // With a handful of rows the planner would scan; forbid that to see the index can serve the lookup.
      await tx.query('SET LOCAL enable_seqscan = off');
      const { rows } = await tx.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT * FROM "${schema}".housing_register_entries WHERE member_id_numbers && $1::text[]`,
        [[person(3)]],
      );
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('housing_register_members');
  });

  it('lists the projects and grants, each as its stream now stands, by kind, reach, status and head', async () => {
    const cases = new HousingCasesQuery(dataSource);
    const linhe = { code: '150802000000', level: 'county' as const };
    const renovations = await cases.list({ kind: 'renovation', scope: null, page: 1, pageSize: 20 });
    expect(
      renovations.rows
        .map((r) => [r.caseId, r.status, r.grade, r.approvedFen, r.paidFen, r.countyCode, r.householdSize])
        .sort(),
    ).toEqual([
      ['WG-1', 'paid', 'D', 4_000_000, 4_000_000, '150802000000', 3],
      ['WG-2', 'paid', 'D', 4_000_000, 4_000_000, '150821000000', 1],
      ['WG-3', 'refused', 'A', null, 0, '150802000000', 1],
    ]);
    const inLinhe = await cases.list({ kind: 'renovation', scope: linhe, page: 1, pageSize: 1 });
    expect([inLinhe.total, inLinhe.rows.length]).toEqual([2, 1]);
    const township = await cases.list({
      kind: 'renovation',
      scope: { code: '150802100000', level: 'township' },
      status: 'paid',
      page: 1,
      pageSize: 20,
    });
    expect(township.rows.map((r) => r.caseId)).toEqual(['WG-1']);
    const [grant] = (await cases.list({ kind: 'rental_subsidy', scope: linhe, page: 1, pageSize: 20 })).rows;
    expect(grant).toMatchObject({
      caseId: 'ZL-1',
      status: 'active',
      headName: '户主20',
      householdSize: 3,
      paidFen: 120_000,
      lastPaidMonth: '2026-03',
      openedOn: '2025-12-20',
    });
    expect(grant!.reviewDueFrom).toMatch(/^\d{4}-\d{2}$/);
    // By the head's name (a part of it) or full ID number; LIKE wildcards typed are taken literally.
    const head = (h: string) =>
      cases.list({ kind: 'renovation', scope: null, head: h, page: 1, pageSize: 20 });
    expect((await head('户主1')).rows.map((r) => r.caseId).sort()).toEqual(['WG-1', 'WG-2']);
    expect((await head(person(30).toLowerCase())).rows.map((r) => r.caseId)).toEqual(['WG-3']);
    expect((await head('%')).total).toBe(0);
    expect((await head('户主_')).total).toBe(0);
  });

  it('fills the lists again from the log when its checkpoint is forgotten, the register unchanged', async () => {
    const cases = dataSource.getRepository(HousingCaseRow);
    const registerBefore = await dataSource.getRepository(HousingRegisterEntryRow).count();
    await runner.stop();
    // What the migration that added the lists does to a database projected before: forget the checkpoint.
    await cases.clear();
    await pool.query(`DELETE FROM "${schema}".projection_checkpoints WHERE projection = 'housing-register'`);
    await runner.start();
    await eventually(async () => ((await cases.count()) === 4 ? true : undefined), { what: 'four cases' });
    await runner.caughtUp();
    expect(await dataSource.getRepository(HousingRegisterEntryRow).count()).toBe(registerBefore);
  });

  it('applies a batch again without a second row', async () => {
    const events = (await store.readStream('house-renovation-WG-1')).slice(-1);
    await dataSource.transaction((manager) => housingRegisterProjection(store).apply(events, manager));
    expect((await query.byMembers([person(1)], null)).length).toBe(1);
  });

  it('answers a verification from the register and from payments not projected yet, on the caller’s transaction', async () => {
    const answerer = new HousingRegisterAnswerer(schema);
    const asked = [person(2), person(21), person(77)];
    const before = await withTransaction(pool, (tx) =>
      answerer.answer({ memberIdNumbers: asked, asOf: '2026-11-30' }, tx),
    );
    expect(verificationAnswerSchemas.housing.parse(before)).toEqual(before);
    expect(before).toEqual({
      department: 'housing',
      result: 'on_record',
      asOf: '2026-11-30',
      period: { from: '2025-12-01', to: '2026-11-30' },
      items: [
        {
          programme: 'house_renovation',
          memberIdNumbers: [person(2)],
          paidOn: '2026-09-12',
          amountYuan: 40_000,
        },
        { programme: 'rental_subsidy', memberIdNumbers: [person(21)], months: 3, amountYuan: 1_200 },
      ],
    });

    // The projection stopped: a month paid now is still in the answer, and counted once.
    await runner.stop();
    await run(
      rentalSubsidyDecider,
      'rental-subsidy-ZL-1',
      subsidy(['2026-01', '2026-02', '2026-03', '2026-04']),
    );
    const after = await withTransaction(pool, (tx) =>
      answerer.answer({ memberIdNumbers: asked, asOf: '2026-11-30' }, tx),
    );
    expect(after).toMatchObject({
      items: [
        { programme: 'house_renovation' },
        { programme: 'rental_subsidy', memberIdNumbers: [person(21)], months: 4, amountYuan: 1_600 },
      ],
    });
    await runner.start();
    await eventually(
      async () => ((await query.byMembers([person(20)], null)).length === 4 ? true : undefined),
      {
        what: 'the fourth month projected',
      },
    );
    const projected = await withTransaction(pool, (tx) =>
      answerer.answer({ memberIdNumbers: asked, asOf: '2026-11-30' }, tx),
    );
    expect(projected).toEqual(after);

    const nothing = await withTransaction(pool, (tx) =>
      answerer.answer({ memberIdNumbers: [person(99)], asOf: '2026-11-30' }, tx),
    );
    expect(nothing).toMatchObject({ department: 'housing', result: 'nothing_on_record' });
    expect(verificationAnswerSchemas.housing.parse(nothing)).toEqual(nothing);
  });
});
