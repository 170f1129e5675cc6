import { DomainError } from '@platform/contracts';
import { INITIAL_DISEASE_EMERGENCY, type DiseaseEmergencyTable } from '@platform/policy';
import { deciderSpec } from '@platform/testing';
import {
  diseaseEmergencyDecider,
  type DiseaseEmergencyCommand,
  type DiseaseEmergencyEvent,
  type DiseaseEmergencyState,
  type IdentifiedPatient,
} from './disease-emergency.decider.js';
import type { Officer, TableVersion } from './values.js';

const spec = deciderSpec<DiseaseEmergencyCommand, DiseaseEmergencyEvent, DiseaseEmergencyState>(
  diseaseEmergencyDecider,
);

const officer: Officer = { id: 'u-health-city', name: '苏日娜', role: 'health_officer' };
const officer2: Officer = { id: 'u-health-city-2', name: '何志强', role: 'health_officer' };
const nurse: Officer = { id: 'u-hosp-1', name: '周丽', role: 'hospital_reporter' };
const hospital = { code: 'H150802001', name: '巴彦淖尔市医院', countyCode: '150802000000' };
const V1: TableVersion<DiseaseEmergencyTable> = {
  version: 1,
  effectiveFrom: '2020-01-01',
  content: INITIAL_DISEASE_EMERGENCY,
};
const t = (day: string, hour = 10) =>
  new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();
const found: IdentifiedPatient = { idNumber: '150821198803031219', name: '巴特尔', householdId: 'hh-0042' };

function report(
  over: Partial<Extract<DiseaseEmergencyCommand, { type: 'ReportPatient' }>> = {},
): DiseaseEmergencyCommand {
  return {
    type: 'ReportPatient',
    reportId: 'JJ-2026-0007',
    hospital,
    patient: { identified: false, description: '男性，约 40 岁，于临河区解放街路边昏迷被送医' },
    reason: 'unidentified',
    admittedOn: '2026-11-02',
    treatment: '颅脑外伤急诊手术，重症监护 3 日',
    emergencyCostYuan: 12_480.5,
    paidByPatientYuan: 0,
    reportedBy: nurse,
    now: t('2026-11-05'),
    ...over,
  };
}
const review = (table = V1, by = officer, now = t('2026-11-09')): DiseaseEmergencyCommand => ({
  type: 'ReviewReport',
  opinion: '急救病历、费用清单齐全，属于疾病应急救助范围',
  table,
  officer: by,
  now,
});
const pay = (paymentReference = 'ZF-2026-1109-01', now = t('2026-11-12')): DiseaseEmergencyCommand => ({
  type: 'PayHospital',
  paymentReference,
  paidOn: '2026-11-12',
  officer: officer2,
  now,
});
const refuse = (reasons = ['患者已参加基本医疗保险且可由医保按规定支付']): DiseaseEmergencyCommand => ({
  type: 'RefuseReport',
  reasons,
  officer,
  now: t('2026-11-10'),
});
const identify = (patient = found, now = t('2026-11-20')): DiseaseEmergencyCommand => ({
  type: 'IdentifyPatient',
  patient,
  officer,
  now,
});

function history(...commands: DiseaseEmergencyCommand[]): DiseaseEmergencyEvent[] {
  let state = diseaseEmergencyDecider.initialState();
  const events: DiseaseEmergencyEvent[] = [];
  for (const c of commands) {
    const decided = diseaseEmergencyDecider.decide(c, state);
    state = decided.reduce(diseaseEmergencyDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}
const refusal = (given: DiseaseEmergencyEvent[], command: DiseaseEmergencyCommand): string => {
  const state = given.reduce(diseaseEmergencyDecider.evolve, diseaseEmergencyDecider.initialState());
  try {
    diseaseEmergencyDecider.decide(command, state);
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const d = e as DomainError;
    return `${d.status} ${d.code} ${d.message}`;
  }
};

const reported = history(report());
const reviewed = history(report(), review());

describe('disease-emergency assistance', () => {
  it('a hospital reports an unidentified patient: the unpaid emergency cost in fen', () => {
    spec
      .given([])
      .when(report({ paidByPatientYuan: 480.5 }))
      .then([
        {
          type: 'health.DiseaseEmergencyReported',
          data: {
            reportId: 'JJ-2026-0007',
            hospital,
            patient: { identified: false, description: '男性，约 40 岁，于临河区解放街路边昏迷被送医' },
            reason: 'unidentified',
            admittedOn: '2026-11-02',
            treatment: '颅脑外伤急诊手术，重症监护 3 日',
            emergencyCostFen: 1_248_050,
            paidByPatientFen: 48_050,
            unpaidFen: 1_200_000,
            reportedBy: nurse,
            at: t('2026-11-05'),
          },
        },
      ]);
  });

  it('the same report sent again adds nothing; the same id with other figures is refused', () => {
    spec
      .given(reported)
      .when(report({ now: t('2026-11-06') }))
      .then([]);
    expect(refusal(reported, report({ emergencyCostYuan: 13_000 }))).toMatch(
      /^409 REPORT_CONFLICT reportId：/,
    );
  });

  it('refuses a report that contradicts itself, has nothing unpaid, or is dated in the future', () => {
    expect(refusal([], report({ patient: { identified: true, ...found } }))).toMatch(
      /^422 PATIENT_IDENTIFIED reason：患者身份已明确/,
    );
    // An identified patient who cannot pay is the other ground.
    expect(refusal([], report({ patient: { identified: true, ...found }, reason: 'unable_to_pay' }))).toBe(
      'accepted',
    );
    expect(refusal([], report({ paidByPatientYuan: 12_480.5 }))).toMatch(/^422 NOTHING_UNPAID /);
    expect(refusal([], report({ admittedOn: '2026-11-06' }))).toMatch(/^422 ADMISSION_IN_FUTURE /);
    expect(refusal([], report({ patient: { identified: false, description: '' } }))).toMatch(
      /^422 FIELD_REQUIRED patient\.description：/,
    );
    expect(refusal([], report({ reason: 'homeless' as never }))).toMatch(/^422 REASON_INVALID reason：/);
    expect(refusal([], report({ emergencyCostYuan: -5 }))).toMatch(/^422 AMOUNT_INVALID emergencyCostYuan：/);
    expect(
      refusal([], report({ hospital: { code: '', name: '某医院', countyCode: '150802000000' } })),
    ).toMatch(/^422 FIELD_REQUIRED hospital\.code：/);
  });

  it('review: the unpaid cost within the cap of the table version in force on the day of admission', () => {
    spec
      .given(reported)
      .when(review())
      .then([
        {
          type: 'health.DiseaseEmergencyReviewed',
          data: {
            reportId: 'JJ-2026-0007',
            unpaidFen: 1_248_050,
            capPerCaseFen: 3_000_000,
            approvedFen: 1_248_050,
            capReached: false,
            opinion: '急救病历、费用清单齐全，属于疾病应急救助范围',
            policy: { 'disease-emergency': 1 },
            by: officer,
            at: t('2026-11-09'),
          },
        },
      ]);
  });

  it('the cap: above it the hospital gets the cap, exactly at it the whole cost', () => {
    const above = history(report({ emergencyCostYuan: 45_000 }));
    spec
      .given(above)
      .when(review())
      .thenState((s) => {
        expect(s.review).toMatchObject({ unpaidFen: 4_500_000, approvedFen: 3_000_000, capReached: true });
        expect(s.review!.opinion).toBe(
          '急救病历、费用清单齐全，属于疾病应急救助范围（欠费 45000.00元，超过每例支付限额，按 30000.00元 核定）',
        );
      });
    const exactly = history(report({ emergencyCostYuan: 30_000 }));
    spec
      .given(exactly)
      .when(review())
      .thenState((s) => {
        expect(s.review).toMatchObject({ approvedFen: 3_000_000, capReached: true });
        expect(s.review!.opinion).toBe('急救病历、费用清单齐全，属于疾病应急救助范围');
      });
    const below = history(report({ emergencyCostYuan: 29_999.99 }));
    spec
      .given(below)
      .when(review())
      .thenState((s) => {
        expect(s.review).toMatchObject({ approvedFen: 2_999_999, capReached: false });
      });
  });

  it('a cap changed after admission does not apply: the version must be in force on the day of admission', () => {
    const raised: TableVersion<DiseaseEmergencyTable> = {
      version: 2,
      effectiveFrom: '2026-11-03',
      content: { capPerCaseYuan: 50_000 },
    };
    expect(refusal(reported, review(raised))).toMatch(/^422 POLICY_NOT_IN_FORCE /);
    const sameDay = { ...raised, effectiveFrom: '2026-11-02' };
    spec
      .given(history(report({ emergencyCostYuan: 45_000 })))
      .when(review(sameDay))
      .thenState((s) => {
        expect(s.review).toMatchObject({ approvedFen: 4_500_000, policy: { 'disease-emergency': 2 } });
      });
  });

  it('pays the hospital, never the patient; a confirmation delivered twice is paid once', () => {
    spec
      .given(reviewed)
      .when(pay())
      .then([
        {
          type: 'health.DiseaseEmergencyPaid',
          data: {
            reportId: 'JJ-2026-0007',
            hospital,
            patient: null,
            amountFen: 1_248_050,
            emergencyCostFen: 1_248_050,
            paidByPatientFen: 0,
            paymentReference: 'ZF-2026-1109-01',
            paidOn: '2026-11-12',
            by: officer2,
            at: t('2026-11-12'),
          },
        },
      ]);
    const paid = history(report(), review(), pay());
    spec
      .given(paid)
      .when(pay('ZF-2026-1109-01', t('2026-11-13')))
      .then([]);
    expect(refusal(paid, pay('ZF-2026-1109-02'))).toMatch(
      /^409 REPORT_INVALID_STATE 当前状态（已支付）下不能支付/,
    );
  });

  it('lifecycle: no payment before review, no review twice, no refusal after payment', () => {
    expect(refusal(reported, pay())).toMatch(
      /^409 REPORT_INVALID_STATE 当前状态（已报告，待审核）下不能支付/,
    );
    expect(refusal(reviewed, review())).toMatch(/^409 REPORT_INVALID_STATE /);
    expect(refusal(history(report(), review(), pay()), refuse())).toMatch(
      /^409 REPORT_INVALID_STATE 当前状态（已支付）/,
    );
    expect(refusal([], review())).toMatch(/^404 REPORT_NOT_FOUND /);
    expect(refusal([], pay())).toMatch(/^404 REPORT_NOT_FOUND /);
    expect(refusal(reported, { ...pay(), paidOn: '2026-11-13' } as DiseaseEmergencyCommand)).toMatch(/^409 /);
    expect(refusal(reviewed, { ...pay(), paidOn: '2026-11-13' } as DiseaseEmergencyCommand)).toMatch(
      /^422 PAID_IN_FUTURE /,
    );
  });

  it('refused with reasons, from reported or from reviewed, and nothing after', () => {
    spec
      .given(reported)
      .when(refuse())
      .then([
        {
          type: 'health.DiseaseEmergencyRefused',
          data: {
            reportId: 'JJ-2026-0007',
            reasons: ['患者已参加基本医疗保险且可由医保按规定支付'],
            by: officer,
            at: t('2026-11-10'),
          },
        },
      ]);
    spec
      .given(reviewed)
      .when(refuse())
      .thenState((s) => expect(s.status).toBe('refused'));
    expect(refusal(reported, refuse([' ', '']))).toMatch(/^422 REASONS_REQUIRED reasons：不予救助须写明理由/);
    const refused = history(report(), refuse());
    expect(refusal(refused, review())).toMatch(/^409 REPORT_INVALID_STATE 当前状态（不予救助）/);
    expect(refusal(refused, pay())).toMatch(/^409 /);
  });

  it('only the health department reviews, refuses and pays', () => {
    const clerk = { ...nurse };
    expect(refusal(reported, { ...review(), officer: clerk } as DiseaseEmergencyCommand)).toMatch(
      /^403 ROLE_NOT_ALLOWED /,
    );
    expect(refusal(reported, { ...refuse(), officer: clerk } as DiseaseEmergencyCommand)).toMatch(/^403 /);
    expect(refusal(reviewed, { ...pay(), officer: clerk } as DiseaseEmergencyCommand)).toMatch(/^403 /);
  });

  it('a patient identified later, even after payment; once, and not changed to someone else', () => {
    const paid = history(report(), review(), pay());
    spec
      .given(paid)
      .when(identify())
      .then([
        {
          type: 'health.DiseaseEmergencyPatientIdentified',
          data: { reportId: 'JJ-2026-0007', patient: found, by: officer, at: t('2026-11-20') },
        },
      ]);
    const known = history(report(), review(), pay(), identify());
    spec
      .given(known)
      .when(identify(found, t('2026-11-21')))
      .then([]);
    expect(refusal(known, identify({ ...found, idNumber: '150821199001011234' }))).toMatch(
      /^409 PATIENT_ALREADY_IDENTIFIED /,
    );
    // Identified before payment: the payment names the patient.
    spec
      .given(history(report(), identify(found, t('2026-11-06')), review()))
      .when(pay())
      .thenState((_s, events) => {
        expect(events[0]!.data).toMatchObject({ patient: found });
      });
  });
});
