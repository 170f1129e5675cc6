import {
  DeciderStore,
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  withTransaction,
  type RecordedEvent,
} from '@platform/event-store';
import { ProjectionRunner, readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { SHIPPED_CALENDAR } from '@platform/policy';
import { dropSchema, eventually, projectedToLogEnd, testPool, uniqueName } from '@platform/testing';
import type { DataSource } from 'typeorm';
import { workingDaysFrom } from '../domain/deadlines.js';
import {
  dibaoDecider,
  type DibaoCommand,
  type DibaoEvent,
  type DibaoState,
  type Officer,
} from '../domain/dibao-application.decider.js';
import { DEFAULT_DIBAO_RULES as rules } from '../domain/dibao-rules.js';
import { DibaoAllowancePeriodEntry } from './dibao.entities.js';
import { dibaoProjection } from './dibao.projection.js';
import { DibaoQuery } from './dibao.query.js';
import { dibaoReadModel } from './dibao.read-model.js';

const township: Officer = { id: 'u-twp', name: '李春梅', role: 'township_officer' };
const metadata = {
  actor: { id: 'u-twp', role: 'township_officer', department: 'intake', jurisdiction: '150802100000' },
  correlationId: '0190a4c4-0000-7000-8000-000000000001',
  causationId: null,
  occurredAt: '2026-11-02T02:00:00.000Z',
};

/**
 * The dibao read model against PostgreSQL: the projection's rows and the lists over them, and document
 * numbers taken inside deciding transactions — in order, per county, type and year, without gaps.
 */
describe('dibao read model', () => {
  const pool = testPool(12);
  const schema = uniqueName('dibao_rm');
  let dataSource: DataSource;
  let query: DibaoQuery;
  let store: PostgresEventStore;

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, dibaoReadModel.migrations);
    dataSource = await readModelDataSource({ pool, schema, entities: dibaoReadModel.entities }).initialize();
    query = new DibaoQuery(dataSource);
    store = new PostgresEventStore({ pool, schema });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('hands out document numbers in order and without gaps: a rolled-back decision gives its number back', async () => {
    const taken = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        withTransaction(pool, async (tx) => {
          const n = await query.nextDocumentNumber(tx, '150802000000', 'approval', 2026);
          // Every third decision is refused after taking its number: the transaction rolls back.
          if (i % 3 === 0) throw new Error('refused');
          return n;
        }).catch(() => null),
      ),
    );
    const committed = taken.filter((n): n is number => n !== null).sort((a, b) => a - b);
    expect(committed).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Per county, per document type, per year.
    await withTransaction(pool, async (tx) => {
      expect(await query.nextDocumentNumber(tx, '150802000000', 'approval', 2026)).toBe(9);
      expect(await query.nextDocumentNumber(tx, '150802000000', 'rejection', 2026)).toBe(1);
      expect(await query.nextDocumentNumber(tx, '150821000000', 'approval', 2026)).toBe(1);
      expect(await query.nextDocumentNumber(tx, '150802000000', 'approval', 2027)).toBe(1);
    });
  });

  it('pays each month its households at the amount in force for that month, past months included', async () => {
    const WUYUAN = '150821000000';
    const county: Officer = { id: 'u-ca-wuyuan', name: '高志强', role: 'county_civil_affairs' };
    const bj = (local: string) => new Date(`${local}+08:00`).toISOString();
    const id = (n: number) => `0190a4c4-0000-7000-8000-00000000f0${n}0`;
    const data = (n: number) => ({ caseId: `0190a4c4-0000-7000-8000-00000000c0${n}0`, referralId: id(n) });
    const received = (n: number, countyCode = WUYUAN): DibaoEvent => ({
      type: 'civil-affairs.DibaoApplicationReceived',
      data: {
        ...data(n),
        applicationId: id(n),
        caseNumber: `150821-2026-00000${n}`,
        program: 'dibao',
        villageCode: `${countyCode.slice(0, 6)}100201`,
        townshipCode: `${countyCode.slice(0, 6)}100000`,
        countyCode,
        area: 'rural',
        applicant: {
          name: `高某${n}`,
          idNumber: `15082119580101${String(n).padStart(3, '0')}4`,
          phone: null,
        },
        description: '生活困难',
        urgency: 'normal',
        acceptedBy: null,
        investigationDueAt: bj('2026-10-20T23:59:59.999'),
        townshipReviewDueAt: bj('2026-10-30T23:59:59.999'),
        deadlinesProvisional: [],
        policy: {},
        rules: rules.version,
        at: bj('2026-10-01T10:00'),
      },
    });
    const decided = (n: number, at: string, monthlyAmount: number | null): DibaoEvent => ({
      type: 'civil-affairs.DibaoDecisionMade',
      data: {
        ...data(n),
        program: 'dibao',
        outcome: monthlyAmount === null ? 'not_eligible' : 'granted',
        monthlyAmount,
        documentNumber: `五原县民保决〔2026〕00000${n}号`,
        documentType: monthlyAmount === null ? 'rejection' : 'approval',
        allowance: null,
        reasons: [],
        opinion: '审批意见',
        by: county,
        policy: {},
        rules: rules.version,
        at,
      },
    });
    const changed = (n: number, at: string, previousAmount: number, monthlyAmount: number): DibaoEvent => ({
      type: 'civil-affairs.DibaoAllowanceChanged',
      data: {
        ...data(n),
        program: 'dibao',
        previousAmount,
        monthlyAmount,
        documentNumber: `五原县民保变〔2027〕00000${n}号`,
        documentType: 'change',
        allowance: {} as never,
        household: [
          {
            name: `高某${n}`,
            idNumber: `15082119580101${String(n).padStart(3, '0')}4`,
            relationship: 'applicant',
            disabled: false,
            seriousIllness: false,
          },
        ],
        incomes: [],
        area: 'rural',
        opinion: '变更意见',
        by: county,
        policy: {},
        rules: rules.version,
        at,
      },
    });
    const suspended = (n: number, at: string): DibaoEvent => ({
      type: 'civil-affairs.DibaoAssistanceSuspended',
      data: {
        ...data(n),
        program: 'dibao',
        documentNumber: `五原县民停保〔2026〕00000${n}号`,
        documentType: 'suspension',
        reasons: ['收入高于标准'],
        opinion: '停保意见',
        by: county,
        rules: rules.version,
        at,
      },
    });
    const append = (n: number, events: DibaoEvent[]) =>
      store.appendToStream(
        `dibao-${id(n)}`,
        events.map((e) => ({ type: e.type, data: e.data, metadata })),
        { expectedVersion: 'any' },
      );
    const project = async () => {
      const runner = new ProjectionRunner({ dataSource, store, projection: dibaoProjection(store) });
      await runner.start();
      await projectedToLogEnd(pool, schema, () => runner.checkpoint());
      await runner.stop();
    };
    /** The roster of a month as { applicationId: amount }. */
    const roster = async (month: string) => {
      const rows = await query.roster(WUYUAN, month);
      return Object.fromEntries(rows.map((r) => [r.applicationId, r.monthlyAmount]));
    };

    await append(1, [received(1), decided(1, bj('2026-11-10T10:00'), 1400)]); // changes in January
    await append(2, [received(2), decided(2, bj('2026-12-31T23:59'), 800)]); // granted on 31 December
    await append(3, [received(3), decided(3, bj('2027-01-01T00:00'), 900)]); // granted on 1 January
    await append(4, [received(4), decided(4, bj('2026-11-10T10:00'), 700)]); // stopped in December
    await append(5, [received(5), decided(5, bj('2026-11-10T10:00'), 600)]); // stopped in January
    await append(6, [received(6, '150823000000'), decided(6, bj('2026-11-10T10:00'), 500)]); // another county
    await append(7, [received(7), decided(7, bj('2026-11-10T10:00'), null)]); // refused
    await append(8, [received(8), decided(8, bj('2026-11-10T10:00'), 1000)]); // changes at 23:30 on 31 Dec
    await project();
    expect(await roster('2027-01')).toEqual({
      [id(1)]: 1400,
      [id(2)]: 800,
      [id(3)]: 900,
      [id(4)]: 700,
      [id(5)]: 600,
      [id(8)]: 1000,
    });

    // Later decisions: the projection replaces each touched application's periods.
    await append(1, [changed(1, bj('2027-01-13T15:00'), 1400, 660)]);
    await append(4, [suspended(4, bj('2026-12-15T10:00'))]);
    await append(5, [suspended(5, bj('2027-01-05T10:00'))]);
    await append(8, [changed(8, bj('2026-12-31T23:30'), 1000, 700)]);
    await project();
    expect(await dataSource.getRepository(DibaoAllowancePeriodEntry).countBy({ applicationId: id(1) })).toBe(
      2,
    );

    // A month before any grant: empty.
    expect(await roster('2026-10')).toEqual({});
    expect(await roster('2026-11')).toEqual({ [id(1)]: 1400, [id(4)]: 700, [id(5)]: 600, [id(8)]: 1000 });
    // Stopped in December: off December's roster already; granted on 31 December (Beijing): on it.
    expect(await roster('2026-12')).toEqual({ [id(1)]: 1400, [id(2)]: 800, [id(5)]: 600, [id(8)]: 1000 });
    // Changed on 13 January: January at the old amount; changed at 23:30 on 31 December: January at the
    // new one; stopped in January: off from January on.
    expect(await roster('2027-01')).toEqual({ [id(1)]: 1400, [id(2)]: 800, [id(3)]: 900, [id(8)]: 700 });
    expect(await roster('2027-02')).toEqual({ [id(1)]: 660, [id(2)]: 800, [id(3)]: 900, [id(8)]: 700 });
    expect(await roster('2031-07')).toEqual({ [id(1)]: 660, [id(2)]: 800, [id(3)]: 900, [id(8)]: 700 });
    // The lines carry what the CSV prints, in village order then by decision time.
    const lines = await query.roster(WUYUAN, '2027-02');
    expect(lines.map((l) => l.applicationId)).toEqual([id(1), id(8), id(2), id(3)]);
    expect(lines[0]).toEqual({
      applicationId: id(1),
      villageCode: '150821100201',
      townshipCode: '150821100000',
      countyCode: WUYUAN,
      program: 'dibao',
      applicantName: '高某1',
      applicantIdNumber: '150821195801010014',
      householdSize: 1,
      monthlyAmount: 660,
      documentNumber: '五原县民保决〔2026〕000001号',
    });

    // The standing list (长期公示): the households granted now, in the same order, by pages.
    const page = async (p: number, filter: { townshipCode?: string; villageCode?: string }) => {
      const r = await query.recipients({ ...filter, page: p, pageSize: 3 });
      return { ids: r.rows.map((x) => x.applicationId), total: r.total };
    };
    const township = { townshipCode: '150821100000' };
    expect(await page(1, township)).toEqual({ ids: [id(1), id(8), id(2)], total: 4 });
    expect(await page(2, township)).toEqual({ ids: [id(3)], total: 4 });
    expect(await page(3, township)).toEqual({ ids: [], total: 4 });
    expect(await page(1, { villageCode: '150821100201' })).toEqual({ ids: [id(1), id(8), id(2)], total: 4 });
    expect(await page(1, { villageCode: '150821100202' })).toEqual({ ids: [], total: 0 });
    const [first] = (await query.recipients({ ...township, page: 1, pageSize: 1 })).rows;
    expect(first).toEqual({
      applicationId: id(1),
      program: 'dibao',
      villageCode: '150821100201',
      townshipCode: '150821100000',
      countyCode: WUYUAN,
      applicantName: '高某1',
      householdSize: 1,
      monthlyAmount: 660,
      decidedAt: new Date(bj('2026-11-10T10:00')),
    });
  });

  it('projects applications into the lists, the notice list and the deadline watch', async () => {
    const applications = new DeciderStore<DibaoCommand, DibaoEvent, DibaoState>({
      store,
      decider: dibaoDecider,
      streamOf: (id) => `dibao-${id}`,
      toStored: (e) => ({ type: e.type, data: e.data }),
      fromStored: (e: RecordedEvent) => ({ type: e.type, data: e.data }) as DibaoEvent,
    });
    const t0 = '2026-11-02T02:00:00.000Z';
    const receive = (id: string, caseId: string, village: string, name: string): DibaoCommand => ({
      type: 'ReceiveApplication',
      details: {
        applicationId: id,
        caseId,
        caseNumber: `150802-2026-${id.slice(-6)}`,
        program: 'dibao',
        villageCode: village,
        townshipCode: '150802100000',
        countyCode: '150802000000',
        area: 'rural',
        applicant: { name, idNumber: '150802195801011234', phone: null },
        description: '生活困难',
        urgency: 'normal',
        acceptedBy: null,
        confirmation: 'county',
      },
      staffMatches: [],
      investigationDeadline: workingDaysFrom(t0, rules.investigationWorkingDays, SHIPPED_CALENDAR),
      townshipReviewDeadline: workingDaysFrom(t0, rules.townshipReviewWorkingDays, SHIPPED_CALENDAR),
      policy: { calendar: 1 },
      rules,
      now: t0,
    });
    const a = '0190a4c4-0000-7000-8000-0000000000a1';
    const b = '0190a4c4-0000-7000-8000-0000000000b2';
    await applications.handle(
      a,
      receive(a, '0190a4c4-0000-7000-8000-0000000000c1', '150802100201', '王建国'),
      {
        metadata,
      },
    );
    await applications.handle(
      b,
      receive(b, '0190a4c4-0000-7000-8000-0000000000c2', '150802100202', '赵德胜'),
      {
        metadata,
      },
    );
    await applications.handle(a, { type: 'StartInvestigation', officer: township, now: t0 }, { metadata });
    await applications.handle(b, { type: 'MarkOverdue', now: '2026-11-20T02:00:00.000Z' }, { metadata });
    // The spot-check and case-registration streams are not applications.
    await store.appendToStream(
      'dibao-case-0190a4c4-0000-7000-8000-0000000000c9',
      [{ type: 'civil-affairs.DibaoCaseRegistered', data: { caseId: 'x' }, metadata }],
      { expectedVersion: 'no_stream' },
    );

    const runner = new ProjectionRunner({
      dataSource,
      store,
      projection: dibaoProjection(store),
      pollIntervalMs: 20,
    });
    await runner.start();
    try {
      const scope = { level: 'township' as const, code: '150802100000' };
      // Both applications, a's investigation started and b's marked overdue (its last event, appended
      // after a's: the projection may have applied one batch without it).
      const all = await eventually(async () => {
        const r = await query.list({ scope, page: 1, pageSize: 10 });
        return r.total === 2 &&
          r.rows.some((x) => x.applicationId === a && x.status === 'investigating') &&
          r.rows.some((x) => x.applicationId === b && x.overdue.includes('investigation'))
          ? r
          : undefined;
      });
      // Overdue first.
      expect(all.rows.map((r) => [r.applicationId, r.status, r.overdue])).toEqual([
        [b, 'received', ['investigation']],
        [a, 'investigating', []],
      ]);
      expect(
        (await query.list({ scope, overdue: false, page: 1, pageSize: 10 })).rows.map((r) => r.applicationId),
      ).toEqual([a]);
      expect(
        (await query.list({ scope, villageCode: '150802100202', page: 1, pageSize: 10 })).rows.map(
          (r) => r.applicationId,
        ),
      ).toEqual([b]);
      expect(
        (await query.list({ scope: { level: 'village', code: '150802100201' }, page: 1, pageSize: 10 }))
          .total,
      ).toBe(1);
      expect(
        (await query.list({ scope: { level: 'county', code: '150822000000' }, page: 1, pageSize: 10 })).total,
      ).toBe(0);
      expect((await query.list({ scope: null, staffRelative: true, page: 1, pageSize: 10 })).total).toBe(0);
      // The deadline watch looks at b's township review next, a's investigation.
      const due = await query.dueForOverdue(new Date('2026-11-17T02:00:00.000Z'));
      expect(due).toEqual([a]);
      expect(await query.notices({ scope: null, now: new Date(t0), page: 1, pageSize: 10 })).toMatchObject({
        total: 0,
      });
    } finally {
      await runner.stop();
    }
  });
});
