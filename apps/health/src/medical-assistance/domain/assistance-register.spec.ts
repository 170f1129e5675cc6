import { DomainError } from '@platform/contracts';
import { INITIAL_DISEASE_EMERGENCY, INITIAL_MEDICAL_ASSISTANCE } from '@platform/policy';
import { answerVerification, healthRegisterOf, type HealthRegisterEntry } from './assistance-register.js';
import { diseaseEmergencyDecider, type DiseaseEmergencyCommand } from './disease-emergency.decider.js';
import {
  medicalAssistanceDecider,
  type MedicalAssistanceCommand,
  type Person,
} from './medical-assistance.decider.js';
import type { Officer } from './values.js';

const officer: Officer = { id: 'u-health-linhe', name: '高晓燕', role: 'health_officer' };
const mother: Person = { idNumber: '150802196505051228', name: '王桂花', householdId: 'hh-0001' };
const son: Person = { idNumber: '150802199002021237', name: '李军', householdId: 'hh-0001' };
const stranger = '150821198803031219';
const noon = (day: string) => new Date(`${day}T12:00:00+08:00`).toISOString();

function run<C, E, S>(
  decider: { decide(c: C, s: S): E[]; evolve(s: S, e: E): S; initialState(): S },
  commands: C[],
) {
  let state = decider.initialState();
  const events: E[] = [];
  for (const c of commands) {
    const decided = decider.decide(c, state);
    state = decided.reduce(decider.evolve, state);
    events.push(...decided);
  }
  return events;
}

const claim = (
  person: Person,
  claimId: string,
  serviceDate: string,
  outOfPocket: number,
  seriousIllness = false,
) =>
  ({
    type: 'AssessClaim',
    claimId,
    person,
    serviceDate,
    countyCode: '150802000000',
    hospital: '巴彦淖尔市医院',
    seriousIllness,
    totalCostYuan: 12_000 + outOfPocket,
    inPolicyCostYuan: 10_000 + outOfPocket,
    basicInsurancePaidYuan: 8_000,
    criticalIllnessInsurancePaidYuan: 2_000,
    table: { version: 1, effectiveFrom: '2020-01-01', content: INITIAL_MEDICAL_ASSISTANCE },
    officer,
    now: noon(serviceDate),
  }) satisfies MedicalAssistanceCommand;

const motherEvents = run(medicalAssistanceDecider, [
  {
    type: 'RecordCategory',
    factId: 'f-1',
    person: mother,
    kind: 'granted',
    category: 'dibao',
    effectiveFrom: '2025-01-01',
    source: '临河区民政局 低保审批决定',
    now: noon('2025-01-01'),
  },
  claim(mother, 'JS-A', '2025-11-30', 1_000),
  claim(mother, 'JS-B', '2025-12-01', 2_000, true),
  claim(mother, 'JS-C', '2026-06-15', 4_000),
  claim(mother, 'JS-D', '2026-12-01', 500),
] satisfies MedicalAssistanceCommand[]);
// No category: assessed as "other", nothing paid, the expense on record.
const sonEvents = run(medicalAssistanceDecider, [claim(son, 'JS-E', '2026-03-01', 300)]);
const emergencyEvents = run(diseaseEmergencyDecider, [
  {
    type: 'ReportPatient',
    reportId: 'JJ-1',
    hospital: { code: 'H1', name: '巴彦淖尔市医院', countyCode: '150802000000' },
    patient: { identified: false, description: '男性，约 40 岁' },
    reason: 'unidentified',
    admittedOn: '2026-10-01',
    treatment: '急诊抢救',
    emergencyCostYuan: 8_000,
    paidByPatientYuan: 0,
    reportedBy: officer,
    now: noon('2026-10-02'),
  },
  {
    type: 'ReviewReport',
    opinion: '符合',
    table: { version: 1, effectiveFrom: '2020-01-01', content: INITIAL_DISEASE_EMERGENCY },
    officer,
    now: noon('2026-10-03'),
  },
  { type: 'PayHospital', paymentReference: 'ZF-1', paidOn: '2026-10-04', officer, now: noon('2026-10-04') },
] satisfies DiseaseEmergencyCommand[]);
describe('health register of assistance given', () => {
  it('folds assessed claims (even those paying nothing) and disease-emergency payments into entries', () => {
    const register = healthRegisterOf([...motherEvents, ...sonEvents, ...emergencyEvents]);
    expect(register).toHaveLength(6);
    expect(register[1]).toEqual<HealthRegisterEntry>({
      personIdNumber: mother.idNumber,
      personName: '王桂花',
      householdId: 'hh-0001',
      programme: 'medical_assistance',
      amountFen: 140_000,
      date: '2025-12-01',
      decisionReference: 'JS-B',
      medicalCostFen: 1_400_000,
      personalPaymentFen: 260_000,
      seriousIllness: true,
      countyCode: '150802000000',
      hospital: '巴彦淖尔市医院',
    });
    expect(register[4]).toMatchObject({
      personIdNumber: son.idNumber,
      amountFen: 0,
      medicalCostFen: 1_230_000,
    });
    expect(register[5]).toEqual<HealthRegisterEntry>({
      personIdNumber: null,
      personName: null,
      householdId: null,
      programme: 'disease_emergency',
      amountFen: 800_000,
      date: '2026-10-04',
      decisionReference: 'JJ-1',
      medicalCostFen: 800_000,
      personalPaymentFen: 0,
      seriousIllness: false,
      countyCode: '150802000000',
      hospital: '巴彦淖尔市医院',
    });
  });

  it('a patient identified after payment is found in the register under their ID number', () => {
    const identify = {
      type: 'health.DiseaseEmergencyPatientIdentified' as const,
      data: {
        reportId: 'JJ-1',
        patient: { idNumber: stranger, name: '巴特尔', householdId: 'hh-0042' },
        by: officer,
        at: noon('2026-10-20'),
      },
    };
    const register = healthRegisterOf([...emergencyEvents, identify]);
    expect(register).toEqual([
      expect.objectContaining({
        personIdNumber: stranger,
        householdId: 'hh-0042',
        programme: 'disease_emergency',
      }),
    ]);
  });
});

describe('health answers to household economic verification', () => {
  const register = healthRegisterOf([...motherEvents, ...sonEvents, ...emergencyEvents]);

  it('medical expenses and assistance paid in the twelve months up to the day, and serious illness, per member', () => {
    // 2025-12-01 … 2026-11-30: JS-B (serious), JS-C; not JS-A (a day too early) nor JS-D (after the day).
    expect(
      answerVerification(register, [mother.idNumber, son.idNumber, '150802201005051238'], '2026-11-30'),
    ).toEqual({
      department: 'health',
      result: 'on_record',
      asOf: '2026-11-30',
      period: { from: '2025-12-01', to: '2026-11-30' },
      members: [
        {
          idNumber: mother.idNumber,
          onRecord: true,
          // 14 000 + 16 000
          medicalExpensesYuan: 30_000,
          // (14 000 − 10 000 − 1 400) + (16 000 − 10 000 − 2 800): insurance and assistance off the total
          personalPaymentYuan: 5_800,
          assistancePaidYuan: 4_200,
          seriousIllness: true,
        },
        {
          idNumber: son.idNumber,
          onRecord: true,
          medicalExpensesYuan: 12_300,
          personalPaymentYuan: 2_300,
          assistancePaidYuan: 0,
          seriousIllness: false,
        },
        { idNumber: '150802201005051238', onRecord: false },
      ],
    });
    // A day later the serious-illness claim of 1 December 2025 has left the window.
    expect(answerVerification(register, [mother.idNumber], '2026-12-01')).toMatchObject({
      period: { from: '2025-12-02', to: '2026-12-01' },
      members: [{ medicalExpensesYuan: 28_500, assistancePaidYuan: 3_150, seriousIllness: false }],
    });
  });

  it('says nothing of anyone not asked about, nor hospitals, diagnoses, categories or references', () => {
    const answer = answerVerification(register, [son.idNumber], '2026-11-30');
    expect(JSON.stringify(answer)).not.toMatch(/医院|JS-|hh-|dibao|王桂花/);
    expect(answer).toEqual(
      expect.objectContaining({ members: [expect.objectContaining({ idNumber: son.idNumber })] }),
    );
    expect(Object.keys((answer as { members: object[] }).members[0]!).sort()).toEqual(
      [
        'assistancePaidYuan',
        'idNumber',
        'medicalExpensesYuan',
        'onRecord',
        'personalPaymentYuan',
        'seriousIllness',
      ].sort(),
    );
  });

  it('nothing on record: an explicit answer, not silence', () => {
    expect(
      answerVerification(register, ['150802201005051238', ' 150802201005051238 '], '2026-11-30'),
    ).toEqual({
      department: 'health',
      result: 'nothing_on_record',
      asOf: '2026-11-30',
      period: { from: '2025-12-01', to: '2026-11-30' },
      statement:
        '经查询，2025-12-01 至 2026-11-30 期间，卫生健康部门无被核对人员的医疗费用、医疗救助、疾病应急救助及重特大疾病记录。',
    });
    expect(answerVerification([], [mother.idNumber], '2026-11-30').result).toBe('nothing_on_record');
    // Records only after the day asked about: nothing, as it stood then.
    expect(answerVerification(register, [mother.idNumber], '2025-11-29').result).toBe('nothing_on_record');
  });

  it('a leap day: twelve months back from 29 February ends on 28 February', () => {
    expect(answerVerification([], [mother.idNumber], '2028-02-29')).toMatchObject({
      period: { from: '2027-03-01', to: '2028-02-29' },
    });
  });

  it('refuses a question with no member or no valid day', () => {
    const refusal = (f: () => unknown) => {
      try {
        f();
        return 'answered';
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        return (e as DomainError).message;
      }
    };
    expect(refusal(() => answerVerification(register, [' '], '2026-11-30'))).toMatch(/^memberIdNumbers：/);
    expect(refusal(() => answerVerification(register, [mother.idNumber], '2026-11-31'))).toMatch(/^asOf：/);
  });
});
