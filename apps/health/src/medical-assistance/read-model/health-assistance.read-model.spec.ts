import {
  eventStoreMigrations,
  PostgresEventStore,
  runMigrations,
  withTransaction,
} from '@platform/event-store';
import { INITIAL_DISEASE_EMERGENCY, INITIAL_MEDICAL_ASSISTANCE } from '@platform/policy';
import { ProjectionRunner, readModelDataSource, runReadModelMigrations } from '@platform/read-model';
import { dropSchema, testMetadata, testPool, uniqueName } from '@platform/testing';
import type { DataSource } from 'typeorm';
import {
  diseaseEmergencyStore,
  medicalAssistanceStore,
  personKeyOf,
  type DiseaseEmergencyStore,
  type MedicalAssistanceStore,
} from '../application/health-assistance.stores.js';
import { healthVerificationAnswerer } from '../application/verification-answerer.js';
import {
  answerVerification,
  healthRegisterOf,
  type HealthRegisterEvent,
} from '../domain/assistance-register.js';
import type { DiseaseEmergencyCommand } from '../domain/disease-emergency.decider.js';
import type { MedicalAssistanceCommand, Person } from '../domain/medical-assistance.decider.js';
import type { Officer } from '../domain/values.js';
import { healthAssistanceProjection } from './health-assistance.projection.js';
import { HealthAssistanceQuery } from './health-assistance.query.js';
import { healthAssistanceReadModel } from './health-assistance.read-model.js';

const officer: Officer = { id: 'u-health-linhe', name: '高晓燕', role: 'health_officer' };
const LINHE = '150802000000';
const WUYUAN = '150821000000';
const mother: Person = { idNumber: '150802196505051222', name: '王桂花', householdId: 'hh-0001' };
const son: Person = { idNumber: '150802199002021236', name: '李军', householdId: 'hh-0001' };
const stranger = { idNumber: '15082119880303121X', name: '巴特尔', householdId: 'hh-0042' };
const noon = (day: string) => new Date(`${day}T12:00:00+08:00`).toISOString();
const MEDICAL = { version: 1, effectiveFrom: '2020-01-01', content: INITIAL_MEDICAL_ASSISTANCE };
const EMERGENCY = { version: 1, effectiveFrom: '2020-01-01', content: INITIAL_DISEASE_EMERGENCY };

/** A claim whose in-policy out-of-pocket is `outOfPocket` yuan (insurance paid the rest of 10 000). */
const claim = (
  person: Person,
  claimId: string,
  serviceDate: string,
  outOfPocket: number,
  countyCode = LINHE,
): MedicalAssistanceCommand => ({
  type: 'AssessClaim',
  claimId,
  person,
  serviceDate,
  countyCode,
  hospital: '巴彦淖尔市医院',
  seriousIllness: outOfPocket > 40_000,
  totalCostYuan: 12_000 + outOfPocket,
  inPolicyCostYuan: 10_000 + outOfPocket,
  basicInsurancePaidYuan: 8_000,
  criticalIllnessInsurancePaidYuan: 2_000,
  table: MEDICAL,
  officer,
  now: noon(serviceDate),
});

/**
 * The health assistance read models against PostgreSQL: claims and reports for the officers' lists, the
 * register folded through the domain's pure fold — a patient identified in a later batch included — and
 * the verification answer read from it on a transaction's connection, equal to the fold's own answer.
 * (HTTP is in test/e2e/health-assistance.e2e.spec.ts: modules importing @platform/auth do not load here.)
 */
describe('health assistance read model', () => {
  const pool = testPool(6);
  const schema = uniqueName('health_rm');
  let store: PostgresEventStore;
  let dataSource: DataSource;
  let query: HealthAssistanceQuery;
  let runner: ProjectionRunner;
  let medical: MedicalAssistanceStore;
  let emergencies: DiseaseEmergencyStore;
  const reportId = '0190a4c4-0000-7000-8000-00000000e001';

  beforeAll(async () => {
    await runMigrations(pool, schema, eventStoreMigrations);
    await runReadModelMigrations(pool, schema, healthAssistanceReadModel.migrations);
    store = new PostgresEventStore({ pool, schema });
    dataSource = await readModelDataSource({
      pool,
      schema,
      entities: healthAssistanceReadModel.entities,
    }).initialize();
    query = new HealthAssistanceQuery(dataSource);
    runner = new ProjectionRunner({ dataSource, store, projection: healthAssistanceProjection(store) });
    medical = medicalAssistanceStore(store);
    emergencies = diseaseEmergencyStore(store);
  });

  afterAll(async () => {
    await runner.stop();
    await dataSource.destroy();
    await dropSchema(pool, schema);
    await pool.end();
  });

  const assess = (c: MedicalAssistanceCommand) =>
    medical.handle(personKeyOf(c.person.idNumber), c, { metadata: testMetadata() });
  const emergency = (c: DiseaseEmergencyCommand) =>
    emergencies.handle(reportId, c, { metadata: testMetadata() });

  /**
   * The last event committed, read from the table itself. `store.head()` (and so `runner.caughtUp()`)
   * stops below the read horizon: any transaction open in the cluster at that moment — another suite or a
   * benchmark on this server — may hide a commit made a moment ago, and the wait returns before it.
   */
  async function logEnd(): Promise<{ transactionId: bigint; globalPosition: bigint }> {
    const { rows } = await pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text, global_position FROM "${schema}".events
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return {
      transactionId: BigInt(rows[0]!.transaction_id),
      globalPosition: BigInt(rows[0]!.global_position),
    };
  }

  const reached = (c: { transactionId: bigint; globalPosition: bigint }, end: typeof c) =>
    c.transactionId > end.transactionId ||
    (c.transactionId === end.transactionId && c.globalPosition >= end.globalPosition);

  /** Resolves once the projection has applied every event committed before the call. */
  async function projected(): Promise<void> {
    const end = await logEnd();
    while (!reached(await runner.checkpoint(), end)) await new Promise((r) => setTimeout(r, 20));
  }

  /** Every health event in the log, in order, up to the last committed: what the pure fold is given. */
  async function allEvents(): Promise<HealthRegisterEvent[]> {
    const end = await logEnd();
    for (;;) {
      const { events, checkpoint } = await store.readAll({ limit: 10_000 });
      if (reached(checkpoint, end)) {
        return events
          .filter((e) => e.type.startsWith('health.'))
          .map((e) => ({ type: e.type, data: e.data }) as HealthRegisterEvent);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async function registerRow(reference: string) {
    const { rows } = await pool.query(
      `SELECT person_id_number, person_name, amount_fen::int AS amount_fen, date::text AS date, county_code
         FROM "${schema}".health_assistance_register WHERE decision_reference = $1`,
      [reference],
    );
    return rows[0];
  }

  it('projects claims, a report and the register; an identification in a later batch reaches the register', async () => {
    await assess({
      type: 'RecordCategory',
      factId: 'f-1',
      person: { ...mother, name: '' },
      kind: 'granted',
      category: 'dibao',
      effectiveFrom: '2026-01-01',
      source: '临河区民政部门 低保对象认定',
      now: noon('2026-01-02'),
    });
    // Dibao: 70 % within a cap of 60 000 a year. 50 000 → 35 000; the next 50 000 → the 25 000 left.
    await assess(claim(mother, 'JS-1', '2026-03-01', 50_000));
    await assess(claim(mother, 'JS-2', '2026-06-01', 50_000));
    // No category: assessed as "other", nothing paid, the expense on record.
    await assess(claim(son, 'JS-3', '2026-04-01', 300, WUYUAN));
    await emergency({
      type: 'ReportPatient',
      reportId,
      hospital: { code: 'H1', name: '巴彦淖尔市医院', countyCode: LINHE },
      patient: { identified: false, description: '男性，约 40 岁' },
      reason: 'unidentified',
      admittedOn: '2026-10-01',
      treatment: '急诊抢救',
      emergencyCostYuan: 40_000,
      paidByPatientYuan: 0,
      reportedBy: officer,
      now: noon('2026-10-02'),
    });
    await emergency({
      type: 'ReviewReport',
      opinion: '符合',
      table: EMERGENCY,
      officer,
      now: noon('2026-10-03'),
    });
    await emergency({
      type: 'PayHospital',
      paymentReference: 'ZF-1',
      paidOn: '2026-10-04',
      officer,
      now: noon('2026-10-04'),
    });

    await runner.start();
    await projected();

    const claims = await query.listClaims({ scope: null, page: 1, pageSize: 10 });
    expect(claims.total).toBe(3);
    expect(
      Object.fromEntries(
        claims.rows.map((c) => [c.claimId, [c.assistanceFen, c.status, c.category, c.countyCode]]),
      ),
    ).toEqual({
      'JS-1': [3_500_000, 'assisted', 'dibao', LINHE],
      'JS-2': [2_500_000, 'capped', 'dibao', LINHE],
      'JS-3': [0, 'none', 'other', WUYUAN],
    });
    // By county (an officer's scope), person, status; paginated, newest assessment first.
    expect(
      (await query.listClaims({ scope: { countyCode: LINHE }, page: 1, pageSize: 10 })).rows.map(
        (c) => c.claimId,
      ),
    ).toEqual(['JS-2', 'JS-1']);
    expect(
      (
        await query.listClaims({ scope: { cityPrefix: '1508' }, countyCode: WUYUAN, page: 1, pageSize: 10 })
      ).rows.map((c) => c.claimId),
    ).toEqual(['JS-3']);
    expect(
      (
        await query.listClaims({
          scope: null,
          personIdNumber: mother.idNumber,
          status: 'capped',
          page: 1,
          pageSize: 10,
        })
      ).rows.map((c) => c.claimId),
    ).toEqual(['JS-2']);
    const page2 = await query.listClaims({ scope: null, page: 2, pageSize: 2 });
    expect([page2.total, page2.rows.map((c) => c.claimId)]).toEqual([3, ['JS-1']]);
    expect(await query.claimOwner('JS-2')).toBe(mother.idNumber);
    expect(await query.claimOwner('JS-9')).toBeNull();

    const reports = await query.listReports({ scope: { countyCode: LINHE }, page: 1, pageSize: 10 });
    expect(reports.rows).toEqual([
      expect.objectContaining({
        reportId,
        status: 'paid',
        patientIdentified: false,
        approvedFen: 3_000_000,
        paidFen: 3_000_000,
      }),
    ]);

    // Paid to the hospital for a patient nobody knows yet: in the register, under no ID number.
    expect(await registerRow(reportId)).toEqual({
      person_id_number: null,
      person_name: null,
      amount_fen: 3_000_000,
      date: '2026-10-04',
      county_code: LINHE,
    });
    await emergency({
      type: 'IdentifyPatient',
      patient: stranger,
      officer,
      now: noon('2026-10-20'),
    });
    await projected();
    expect(await registerRow(reportId)).toMatchObject({
      person_id_number: stranger.idNumber,
      person_name: '巴特尔',
    });
    expect(
      (await query.listReports({ scope: null, status: 'paid', page: 1, pageSize: 10 })).rows[0],
    ).toMatchObject({
      patientIdentified: true,
      patientName: '巴特尔',
    });

    const found = await query.registerOf([mother.idNumber, stranger.idNumber, '150802201005051238']);
    expect(found.map((r) => [r.personIdNumber, r.programme, r.decisionReference, r.amountFen])).toEqual([
      [mother.idNumber, 'medical_assistance', 'JS-2', 2_500_000],
      [mother.idNumber, 'medical_assistance', 'JS-1', 3_500_000],
      [stranger.idNumber, 'disease_emergency', reportId, 3_000_000],
    ]);
    const listed = await query.listRegister({
      scope: { countyCode: LINHE },
      programme: 'medical_assistance',
      page: 1,
      pageSize: 10,
    });
    expect(listed.rows.map((r) => r.decisionReference)).toEqual(['JS-2', 'JS-1']);
    expect(
      (await query.listRegister({ scope: null, from: '2026-04-01', to: '2026-06-30', page: 1, pageSize: 10 }))
        .total,
    ).toBe(2);
  });

  it('answers a verification from the register on a transaction, as the pure fold of the events would', async () => {
    const members = [mother.idNumber, son.idNumber, stranger.idNumber, '150802201005051238'];
    const answerer = healthVerificationAnswerer(schema);
    const fromReadModel = await withTransaction(pool, (tx) =>
      answerer.answer({ memberIdNumbers: members, asOf: '2026-11-30' }, tx),
    );
    expect(fromReadModel).toEqual(
      answerVerification(healthRegisterOf(await allEvents()), members, '2026-11-30'),
    );
    expect(fromReadModel).toMatchObject({
      department: 'health',
      result: 'on_record',
      period: { from: '2025-12-01', to: '2026-11-30' },
      members: [
        {
          idNumber: mother.idNumber,
          onRecord: true,
          medicalExpensesYuan: 124_000,
          assistancePaidYuan: 60_000,
          seriousIllness: true,
        },
        { idNumber: son.idNumber, onRecord: true, assistancePaidYuan: 0 },
        { idNumber: stranger.idNumber, onRecord: true, assistancePaidYuan: 30_000 },
        { idNumber: '150802201005051238', onRecord: false },
      ],
    });
    // Before anything was given: an explicit "nothing on record".
    expect(
      await answerer.answer({ memberIdNumbers: [mother.idNumber], asOf: '2026-02-28' }, pool),
    ).toMatchObject({
      result: 'nothing_on_record',
      statement: expect.stringContaining('卫生健康部门无被核对人员'),
    });
  });

  it('a rebuild from the log gives the same rows', async () => {
    const snapshot = async () =>
      (
        await pool.query(
          `SELECT programme, decision_reference, person_id_number, amount_fen::int, date::text FROM "${schema}".health_assistance_register
           UNION ALL SELECT 'claim', claim_id, person_id_number, assistance_fen::int, status FROM "${schema}".medical_assistance_claims
           UNION ALL SELECT 'report', report_id::text, patient_id_number, paid_fen::int, status FROM "${schema}".disease_emergency_reports
           ORDER BY 1, 2`,
        )
      ).rows;
    const before = await snapshot();
    expect(before).toHaveLength(4 + 3 + 1);
    await runner.rebuild();
    // The rebuild reads up to the read horizon too; the restarted subscription applies the rest.
    await projected();
    expect(await snapshot()).toEqual(before);
  });

  it('looks members up through the person index, the answer read from the index alone', async () => {
    // 50 000 other people's entries over two years, so the planner chooses as it would on a full register.
    await pool.query(
      `INSERT INTO "${schema}".health_assistance_register
         (programme, decision_reference, person_id_number, amount_fen, date, medical_cost_fen, personal_payment_fen,
          serious_illness, county_code, hospital)
       SELECT 'medical_assistance', 'BULK-' || i, lpad(i::text, 18, '9'), 1000, DATE '2025-01-01' + (i % 730),
              5000, 2000, false, '150802000000', '巴彦淖尔市医院'
         FROM generate_series(1, 50000) AS i`,
    );
    await pool.query(`VACUUM ANALYZE "${schema}".health_assistance_register`);
    const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT person_id_number, date, amount_fen, medical_cost_fen, personal_payment_fen, serious_illness
         FROM "${schema}".health_assistance_register
        WHERE person_id_number = ANY($1::text[]) AND date BETWEEN $2::date AND $3::date`,
      [[mother.idNumber, son.idNumber], '2025-12-01', '2026-11-30'],
    );
    expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(
      /Index Only Scan using health_register_person/,
    );
    await pool.query(
      `DELETE FROM "${schema}".health_assistance_register WHERE decision_reference LIKE 'BULK-%'`,
    );
  });
});
