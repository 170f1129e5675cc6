import {
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  withTransaction,
} from '@platform/event-store';
import { ProjectionRunner, readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, projectedToLogEnd, testMetadata, testPool, uniqueName } from '@platform/testing';
import type { DataSource } from 'typeorm';
import { CivilAffairsAnswerer } from '../application/civil-affairs.answerer.js';
import type { DibaoEvent, Officer } from '../../dibao/domain/dibao-application.decider.js';
import { dibaoProjection } from '../../dibao/read-model/dibao.projection.js';
import { DibaoQuery } from '../../dibao/read-model/dibao.query.js';
import { dibaoReadModel } from '../../dibao/read-model/dibao.read-model.js';
import type { TemporaryAssistanceEvent } from '../../temporary-assistance/domain/temporary-assistance.decider.js';
import {
  temporaryAssistanceProjection,
  temporaryAssistanceStream,
} from '../../temporary-assistance/read-model/temporary-assistance.projection.js';
import { temporaryAssistanceReadModel } from '../../temporary-assistance/read-model/temporary-assistance.read-model.js';

const APPLICANT = '150821195801011234';
const SPOUSE = '15082119620304122X';
const GRANDCHILD = '150821201005051238';
/** In no dibao household: helped by temporary assistance only. */
const NEIGHBOUR = '150821197705050011';
const county: Officer = { id: 'u-ca-wuyuan', name: '孙立军', role: 'county_civil_affairs' };
const bj = (local: string) => new Date(`${local}+08:00`).toISOString();
const ids = {
  caseId: '0190a4c4-0000-7000-8000-00000000ca01',
  referralId: '0190a4c4-0000-7000-8000-00000000aa01',
};
const member = (name: string, idNumber: string, relationship: 'applicant' | 'spouse' | 'child') => ({
  name,
  idNumber,
  relationship,
  disabled: false,
  seriousIllness: false,
});

/**
 * Civil affairs' own verification answer read from the dibao read model on PostgreSQL (members of the
 * household, allowance periods) and the temporary-assistance read model (members, amounts granted, days
 * granted), and the deadline watch's look for deadlines counted without a calendar.
 */
describe("civil affairs' answer and provisional deadlines from the dibao read model", () => {
  const pool = testPool(4);
  const schema = uniqueName('ca_answer');
  let dataSource: DataSource;
  let store: PostgresEventStore;

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, dibaoReadModel.migrations);
    await runReadModelMigrations(pool, schema, temporaryAssistanceReadModel.migrations);
    dataSource = await readModelDataSource({
      pool,
      schema,
      entities: [...dibaoReadModel.entities, ...temporaryAssistanceReadModel.entities],
    }).initialize();
    store = new PostgresEventStore({ pool, schema });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('answers for every member the household ever listed, and finds provisional deadlines by year', async () => {
    const events: DibaoEvent[] = [
      {
        type: 'civil-affairs.DibaoApplicationReceived',
        data: {
          ...ids,
          applicationId: ids.referralId,
          caseNumber: '150821-2026-000001',
          program: 'dibao',
          villageCode: '150821100201',
          townshipCode: '150821100000',
          countyCode: '150821000000',
          area: 'rural',
          applicant: { name: '孙秀英', idNumber: APPLICANT, phone: null },
          description: '生活困难',
          urgency: 'normal',
          acceptedBy: null,
          investigationDueAt: bj('2026-12-31T23:59:59.999'),
          townshipReviewDueAt: bj('2027-01-14T23:59:59.999'),
          deadlinesProvisional: ['2027'],
          policy: {},
          rules: 'dibao-procedure/1',
          at: bj('2026-12-18T10:00'),
        },
      },
      {
        type: 'civil-affairs.DibaoInvestigationRecorded',
        data: {
          ...ids,
          date: '2026-12-20',
          investigators: ['王丽', '高志强'],
          membersPresent: ['孙秀英'],
          household: [
            member('孙秀英', APPLICANT, 'applicant'),
            member('刘某', SPOUSE, 'spouse'),
            member('孙小某', GRANDCHILD, 'child'),
          ],
          area: 'rural',
          livingConditions: '土房两间',
          incomes: [],
          assets: [],
          investigatorsConfirmed: true,
          applicantConfirmed: true,
          specialHardship: null,
          by: county,
          onBehalfOf: null,
          rules: 'dibao-procedure/1',
          at: bj('2026-12-20T10:00'),
        },
      },
    ];
    await store.appendToStream(
      `dibao-${ids.referralId}`,
      events.map((e) => ({ type: e.type, data: e.data, metadata: testMetadata() })),
      { expectedVersion: 'no_stream' },
    );
    const project = async () => {
      const runner = new ProjectionRunner({ dataSource, store, projection: dibaoProjection(store) });
      await runner.start();
      await projectedToLogEnd(pool, schema, () => runner.checkpoint());
      await runner.stop();
    };
    await project();
    const query = new DibaoQuery(dataSource);
    expect(await query.provisionalDeadlines(['2027'])).toEqual([ids.referralId]);
    expect(await query.provisionalDeadlines(['2028'])).toEqual([]);
    expect(await query.provisionalDeadlines([])).toEqual([]);

    // Granted from January 2027 at 900 a month, for the household of three.
    await store.appendToStream(
      `dibao-${ids.referralId}`,
      [
        {
          type: 'civil-affairs.DibaoDecisionMade',
          data: {
            ...ids,
            program: 'dibao',
            outcome: 'granted',
            monthlyAmount: 900,
            documentNumber: '五原县民保决〔2027〕000001号',
            documentType: 'approval',
            allowance: null,
            reasons: [],
            opinion: '同意',
            by: county,
            policy: {},
            rules: 'dibao-procedure/1',
            at: bj('2027-01-05T10:00'),
          },
          metadata: testMetadata(),
        },
      ],
      { expectedVersion: 2 },
    );
    await project();
    // Decided: nothing left for the deadline watch to recount.
    expect(await query.provisionalDeadlines(['2027'])).toEqual([]);

    const answerer = new CivilAffairsAnswerer(schema);
    const answer = await withTransaction(pool, (tx) =>
      answerer.answer({ memberIdNumbers: [GRANDCHILD, '110101199001011237'], asOf: '2027-03-20' }, tx),
    );
    expect(answer).toEqual({
      department: 'civil-affairs',
      result: 'on_record',
      asOf: '2027-03-20',
      period: { from: '2026-04-01', to: '2027-03-20' },
      members: [
        {
          idNumber: GRANDCHILD,
          onRecord: true,
          byProgramme: [{ programme: '最低生活保障', amountYuan: 3 * 900 }],
          category: '最低生活保障',
        },
        { idNumber: '110101199001011237', onRecord: false },
      ],
    });
  });

  it('adds the temporary assistance granted to each member in the twelve months, by the Beijing day granted', async () => {
    const place = {
      villageCode: '150821100201',
      townshipCode: '150821100000',
      countyCode: '150821000000',
      countyName: '五原县',
    };
    const window: Officer = { id: 'u-wuyuan-window', name: '李春梅', role: 'township_officer' };
    const limit = {
      day: '2026-04-01',
      multiple: 3,
      standardMonthly: 690,
      limit: 2070,
      limitsVersion: 1,
      standardsVersion: 1,
    };
    const applied = (applicationId: string, members: Array<[string, string]>, at: string) =>
      ({
        type: 'civil-affairs.TemporaryAssistanceApplied',
        data: {
          applicationId,
          members: members.map(([name, idNumber]) => ({ name, idNumber })),
          hardship: { kind: 'disaster', description: '房屋受灾' },
          requestedAmount: 5000,
          area: 'rural',
          place,
          recordedBy: window,
          at,
        },
      }) satisfies TemporaryAssistanceEvent;
    const granted = (applicationId: string, amount: number, at: string) =>
      ({
        type: 'civil-affairs.TemporaryAssistanceGrantedByTownship',
        data: { applicationId, amount, opinion: '同意', limit, by: window, at },
      }) satisfies TemporaryAssistanceEvent;
    const streams: Array<[string, TemporaryAssistanceEvent[]]> = [
      // The dibao household, granted at 07:00 in Beijing on the period's first day (still March in UTC).
      [
        '0190a4c4-0000-7000-8000-0000000000b1',
        [
          applied(
            '0190a4c4-0000-7000-8000-0000000000b1',
            [
              ['孙秀英', APPLICANT],
              ['孙小某', GRANDCHILD],
            ],
            bj('2026-03-30T09:00'),
          ),
          granted('0190a4c4-0000-7000-8000-0000000000b1', 1500.5, bj('2026-04-01T07:00')),
        ],
      ],
      // The same household half an hour before the period (Beijing): not counted.
      [
        '0190a4c4-0000-7000-8000-0000000000b2',
        [
          applied('0190a4c4-0000-7000-8000-0000000000b2', [['孙小某', GRANDCHILD]], bj('2026-03-30T09:00')),
          granted('0190a4c4-0000-7000-8000-0000000000b2', 800, bj('2026-03-31T23:30')),
        ],
      ],
      // A neighbour: granted by the county on the day asked about, and refused once (no amount).
      [
        '0190a4c4-0000-7000-8000-0000000000b3',
        [
          applied('0190a4c4-0000-7000-8000-0000000000b3', [['周某', NEIGHBOUR]], bj('2027-03-01T09:00')),
          {
            type: 'civil-affairs.TemporaryAssistanceSubmittedToCounty',
            data: {
              applicationId: '0190a4c4-0000-7000-8000-0000000000b3',
              proposedAmount: 4000,
              opinion: '超出乡镇审批权限',
              limit,
              by: window,
              at: bj('2027-03-02T09:00'),
            },
          },
          {
            type: 'civil-affairs.TemporaryAssistanceApprovedByCounty',
            data: {
              applicationId: '0190a4c4-0000-7000-8000-0000000000b3',
              amount: 3999.99,
              opinion: '同意',
              by: county,
              at: bj('2027-03-20T16:00'),
            },
          },
        ],
      ],
      [
        '0190a4c4-0000-7000-8000-0000000000b4',
        [
          applied('0190a4c4-0000-7000-8000-0000000000b4', [['周某', NEIGHBOUR]], bj('2027-01-01T09:00')),
          {
            type: 'civil-affairs.TemporaryAssistanceRefusedByTownship',
            data: {
              applicationId: '0190a4c4-0000-7000-8000-0000000000b4',
              reasons: '不符合条件',
              by: window,
              at: bj('2027-01-02T09:00'),
            },
          },
        ],
      ],
    ];
    for (const [id, events] of streams) {
      await store.appendToStream(
        temporaryAssistanceStream(id),
        events.map((e) => ({ type: e.type, data: e.data, metadata: testMetadata() })),
        { expectedVersion: 'no_stream' },
      );
    }
    const runner = new ProjectionRunner({
      dataSource,
      store,
      projection: temporaryAssistanceProjection(store),
    });
    await runner.start();
    await projectedToLogEnd(pool, schema, () => runner.checkpoint());
    await runner.stop();

    const answerer = new CivilAffairsAnswerer(schema);
    const ask = (memberIdNumbers: string[], asOf: string) =>
      withTransaction(pool, (tx) => answerer.answer({ memberIdNumbers, asOf }, tx));
    expect(await ask([GRANDCHILD, NEIGHBOUR, '110101199001011237'], '2027-03-20')).toEqual({
      department: 'civil-affairs',
      result: 'on_record',
      asOf: '2027-03-20',
      period: { from: '2026-04-01', to: '2027-03-20' },
      members: [
        {
          idNumber: GRANDCHILD,
          onRecord: true,
          byProgramme: [
            { programme: '最低生活保障', amountYuan: 3 * 900 },
            { programme: '临时救助', amountYuan: 1500.5 },
          ],
          category: '最低生活保障',
        },
        {
          idNumber: NEIGHBOUR,
          onRecord: true,
          byProgramme: [{ programme: '临时救助', amountYuan: 3999.99 }],
          category: null,
        },
        { idNumber: '110101199001011237', onRecord: false },
      ],
    });
    // A year on, the grants have left the twelve months; the neighbour is still on record.
    expect(await ask([NEIGHBOUR], '2028-04-01')).toMatchObject({
      result: 'on_record',
      members: [{ idNumber: NEIGHBOUR, onRecord: true, byProgramme: [], category: null }],
    });
  });
});
