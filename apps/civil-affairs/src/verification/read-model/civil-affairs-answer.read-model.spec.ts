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

const APPLICANT = '150821195801011234';
const SPOUSE = '15082119620304122X';
const GRANDCHILD = '150821201005051238';
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
 * household, allowance periods), and the deadline watch's look for deadlines counted without a calendar.
 */
describe("civil affairs' answer and provisional deadlines from the dibao read model", () => {
  const pool = testPool(4);
  const schema = uniqueName('ca_answer');
  let dataSource: DataSource;
  let store: PostgresEventStore;

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, dibaoReadModel.migrations);
    dataSource = await readModelDataSource({ pool, schema, entities: dibaoReadModel.entities }).initialize();
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
});
