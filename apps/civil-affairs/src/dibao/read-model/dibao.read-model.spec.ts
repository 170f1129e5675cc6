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
import { dropSchema, eventually, testPool, uniqueName } from '@platform/testing';
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
import { DibaoApplicationEntry } from './dibao.entities.js';
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

  it('puts on the monthly roster the households granted before the month ends and not stopped before', async () => {
    const repo = dataSource.getRepository(DibaoApplicationEntry);
    const row = (id: string, decidedAt: string, suspendedAt: string | null, county = '150821000000') => ({
      applicationId: id,
      caseId: id,
      caseNumber: `150821-2026-${id.slice(-6)}`,
      program: 'dibao',
      status: suspendedAt ? 'suspended' : 'granted',
      paused: false,
      villageCode: '150821100201',
      townshipCode: '150821100000',
      countyCode: county,
      area: 'rural',
      applicantName: '高某',
      applicantIdNumber: '150821195801011234',
      householdSize: 2,
      staffRelative: false,
      overdue: [],
      nextDueAt: null,
      noticeKind: null,
      noticeStartsAt: null,
      noticeEndsAt: null,
      monthlyAmount: 800,
      documentNumber: '五原县民保决〔2026〕000001号',
      decidedAt: new Date(decidedAt),
      suspendedAt: suspendedAt ? new Date(suspendedAt) : null,
      receivedAt: new Date('2026-10-01T00:00:00Z'),
      updatedAt: new Date('2026-12-01T00:00:00Z'),
    });
    const id = (n: number) => `0190a4c4-0000-7000-8000-00000000f0${n}0`;
    await repo.insert([
      row(id(1), '2026-11-10T02:00:00Z', null), // granted in November: paid in December
      row(id(2), '2026-12-31T15:59:00Z', null), // granted on 31 December (Beijing): paid in December
      row(id(3), '2026-12-31T16:00:00Z', null), // granted on 1 January (Beijing): not in December
      row(id(4), '2026-11-10T02:00:00Z', '2026-12-15T02:00:00Z'), // stopped in December: not paid for it
      row(id(5), '2026-11-10T02:00:00Z', '2027-01-05T02:00:00Z'), // stopped in January: paid for December
      row(id(6), '2026-11-10T02:00:00Z', null, '150802000000'), // another county
    ]);
    const december = await query.roster('150821000000', new Date('2027-01-01T00:00:00+08:00'));
    expect(december.map((r) => r.applicationId).sort()).toEqual([id(1), id(2), id(5)].sort());
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
      const all = await eventually(async () => {
        const r = await query.list({ scope, page: 1, pageSize: 10 });
        return r.total === 2 && r.rows.some((x) => x.status === 'investigating') ? r : undefined;
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
