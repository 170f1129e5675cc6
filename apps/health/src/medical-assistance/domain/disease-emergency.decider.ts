import type { DiseaseEmergencyTable } from '@platform/policy';
import {
  beijingDayOf,
  fail,
  fenOf,
  requireDay,
  requireInForce,
  requireText,
  tableFen,
  yuanText,
  type Officer,
  type TableVersion,
} from './values.js';

/**
 * Disease-emergency assistance (疾病应急救助), one stream per report (`disease-emergency-<reportId>`): a
 * hospital that gave emergency treatment to a patient who cannot be identified or cannot pay reports the
 * unpaid cost; the health department reviews it and pays the hospital — never the patient — up to the
 * per-case cap of the `disease-emergency` table, or refuses with reasons.
 *
 * reported → reviewed → paid; reported or reviewed → refused. A patient identified later is recorded
 * at any step, so that the register can answer for the person.
 *
 * Pure: time, the officer and the table version in force on the day of admission come in with commands.
 */

export type EmergencyReason = 'unidentified' | 'unable_to_pay';

export const REASON_NAMES: Record<EmergencyReason, string> = {
  unidentified: '身份不明',
  unable_to_pay: '无力支付',
};

export type EmergencyStatus = 'none' | 'reported' | 'reviewed' | 'paid' | 'refused';

export const STATUS_NAMES: Record<EmergencyStatus, string> = {
  none: '不存在',
  reported: '已报告，待审核',
  reviewed: '已审核，待支付',
  paid: '已支付',
  refused: '不予救助',
};

export interface Hospital {
  code: string;
  name: string;
  /** The county (12-digit code) the hospital lies in: its health bureau reviews and pays the report. */
  countyCode: string;
}

export interface IdentifiedPatient {
  idNumber: string;
  name: string;
  householdId: string | null;
}

export type Patient =
  | { identified: false; /** What is known: sex, apparent age, where found. */ description: string }
  | ({ identified: true } & IdentifiedPatient);

// ---------------------------------------------------------------------------------------------------
// Commands

export type DiseaseEmergencyCommand =
  | {
      type: 'ReportPatient';
      reportId: string;
      hospital: Hospital;
      patient: Patient;
      reason: EmergencyReason;
      admittedOn: string;
      /** 急救情况: the emergency treatment given. */
      treatment: string;
      /** 急救费用: the cost of the emergency treatment. */
      emergencyCostYuan: number;
      /** What the patient or their family paid towards it. */
      paidByPatientYuan: number;
      /** The hospital's staff member (or the officer entering the report for it). */
      reportedBy: Officer;
      now: string;
    }
  | {
      type: 'ReviewReport';
      opinion: string;
      /** The version of `disease-emergency` in force on the day of admission. */
      table: TableVersion<DiseaseEmergencyTable>;
      officer: Officer;
      now: string;
    }
  | { type: 'RefuseReport'; reasons: string[]; officer: Officer; now: string }
  | { type: 'PayHospital'; paymentReference: string; paidOn: string; officer: Officer; now: string }
  | { type: 'IdentifyPatient'; patient: IdentifiedPatient; officer: Officer; now: string };

// ---------------------------------------------------------------------------------------------------
// Events

export interface ReportedData {
  reportId: string;
  hospital: Hospital;
  patient: Patient;
  reason: EmergencyReason;
  admittedOn: string;
  treatment: string;
  emergencyCostFen: number;
  paidByPatientFen: number;
  /** 欠费: what remains unpaid, the most the fund can pay. */
  unpaidFen: number;
  reportedBy: Officer;
  at: string;
}

export type DiseaseEmergencyEvent =
  | { type: 'health.DiseaseEmergencyReported'; data: ReportedData }
  | {
      type: 'health.DiseaseEmergencyReviewed';
      data: {
        reportId: string;
        unpaidFen: number;
        capPerCaseFen: number;
        /** 核定支付金额: the unpaid cost within the cap. */
        approvedFen: number;
        capReached: boolean;
        opinion: string;
        policy: { 'disease-emergency': number };
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'health.DiseaseEmergencyRefused';
      data: { reportId: string; reasons: string[]; by: Officer; at: string };
    }
  | {
      type: 'health.DiseaseEmergencyPaid';
      data: {
        reportId: string;
        /** Paid to the hospital. */
        hospital: Hospital;
        /** The patient as known at payment (null while unidentified). */
        patient: IdentifiedPatient | null;
        amountFen: number;
        emergencyCostFen: number;
        paidByPatientFen: number;
        paymentReference: string;
        paidOn: string;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'health.DiseaseEmergencyPatientIdentified';
      data: { reportId: string; patient: IdentifiedPatient; by: Officer; at: string };
    };

// ---------------------------------------------------------------------------------------------------
// State

export interface DiseaseEmergencyState {
  status: EmergencyStatus;
  report: ReportedData | null;
  patient: Patient | null;
  review: Extract<DiseaseEmergencyEvent, { type: 'health.DiseaseEmergencyReviewed' }>['data'] | null;
  refusal: { reasons: string[]; by: Officer; at: string } | null;
  payment: { amountFen: number; paymentReference: string; paidOn: string; by: Officer; at: string } | null;
}

export const initialDiseaseEmergencyState = (): DiseaseEmergencyState => ({
  status: 'none',
  report: null,
  patient: null,
  review: null,
  refusal: null,
  payment: null,
});

// ---------------------------------------------------------------------------------------------------
// Rules

const HEALTH = ['health_officer'];

function requireRole(officer: Officer, action: string): void {
  if (!HEALTH.includes(officer.role)) {
    fail('ROLE_NOT_ALLOWED', `当前角色不能${action}`, 403, { permission: `disease-emergency:${action}` });
  }
}

function requireStatus(state: DiseaseEmergencyState, allowed: EmergencyStatus[], action: string): void {
  if (state.status === 'none') fail('REPORT_NOT_FOUND', '疾病应急救助报告不存在', 404);
  if (!allowed.includes(state.status)) {
    fail('REPORT_INVALID_STATE', `当前状态（${STATUS_NAMES[state.status]}）下不能${action}`, 409, {
      status: state.status,
    });
  }
}

function identified(p: IdentifiedPatient, field: string): IdentifiedPatient {
  return {
    idNumber: requireText(p?.idNumber, `${field}.idNumber`, '患者身份证号码'),
    name: requireText(p?.name, `${field}.name`, '患者姓名'),
    householdId: p.householdId ?? null,
  };
}

function sameReport(a: ReportedData, c: Extract<DiseaseEmergencyCommand, { type: 'ReportPatient' }>) {
  return (
    a.hospital.code === c.hospital.code &&
    a.admittedOn === c.admittedOn &&
    a.reason === c.reason &&
    a.emergencyCostFen === fenOf(c.emergencyCostYuan, 'emergencyCostYuan', '急救费用') &&
    a.paidByPatientFen === fenOf(c.paidByPatientYuan, 'paidByPatientYuan', '患者已付费用')
  );
}

export function decideDiseaseEmergency(
  command: DiseaseEmergencyCommand,
  state: DiseaseEmergencyState,
): DiseaseEmergencyEvent[] {
  switch (command.type) {
    case 'ReportPatient': {
      const reportId = requireText(command.reportId, 'reportId', '报告编号');
      if (state.report) {
        // A hospital system that sends its report again gets nothing new; other figures are a conflict.
        if (sameReport(state.report, command)) return [];
        fail('REPORT_CONFLICT', `reportId：报告 ${reportId} 已以不同内容提交`, 409, { field: 'reportId' });
      }
      const hospital = {
        code: requireText(command.hospital?.code, 'hospital.code', '医疗机构代码'),
        name: requireText(command.hospital?.name, 'hospital.name', '医疗机构名称'),
        countyCode: requireText(command.hospital?.countyCode, 'hospital.countyCode', '医疗机构所在旗县区'),
      };
      if (!(command.reason in REASON_NAMES)) {
        fail('REASON_INVALID', 'reason：应为 unidentified（身份不明）或 unable_to_pay（无力支付）', 422, {
          field: 'reason',
        });
      }
      const patient: Patient = command.patient.identified
        ? { identified: true, ...identified(command.patient, 'patient') }
        : {
            identified: false,
            description: requireText(command.patient.description, 'patient.description', '患者特征描述'),
          };
      if (command.reason === 'unidentified' && patient.identified) {
        fail('PATIENT_IDENTIFIED', 'reason：患者身份已明确，救助原因不能为“身份不明”', 422, {
          field: 'reason',
        });
      }
      const admittedOn = requireDay(command.admittedOn, 'admittedOn', '入院（急救）日期');
      if (admittedOn > beijingDayOf(command.now)) {
        fail('ADMISSION_IN_FUTURE', 'admittedOn：入院（急救）日期不能晚于今天', 422, { field: 'admittedOn' });
      }
      const treatment = requireText(command.treatment, 'treatment', '急救情况');
      const emergencyCostFen = fenOf(command.emergencyCostYuan, 'emergencyCostYuan', '急救费用');
      const paidByPatientFen = fenOf(command.paidByPatientYuan, 'paidByPatientYuan', '患者已付费用');
      if (paidByPatientFen >= emergencyCostFen) {
        fail('NOTHING_UNPAID', 'paidByPatientYuan：急救费用已由患者付清，无欠费可申请疾病应急救助', 422, {
          field: 'paidByPatientYuan',
        });
      }
      return [
        {
          type: 'health.DiseaseEmergencyReported',
          data: {
            reportId,
            hospital,
            patient,
            reason: command.reason,
            admittedOn,
            treatment,
            emergencyCostFen,
            paidByPatientFen,
            unpaidFen: emergencyCostFen - paidByPatientFen,
            reportedBy: command.reportedBy,
            at: command.now,
          },
        },
      ];
    }

    case 'ReviewReport': {
      requireRole(command.officer, '审核疾病应急救助');
      requireStatus(state, ['reported'], '审核');
      const report = state.report!;
      const opinion = requireText(command.opinion, 'opinion', '审核意见');
      requireInForce(command.table, report.admittedOn, '疾病应急救助政策参数表');
      const capPerCaseFen = tableFen(command.table.content.capPerCaseYuan);
      const approvedFen = Math.min(report.unpaidFen, capPerCaseFen);
      return [
        {
          type: 'health.DiseaseEmergencyReviewed',
          data: {
            reportId: report.reportId,
            unpaidFen: report.unpaidFen,
            capPerCaseFen,
            approvedFen,
            capReached: report.unpaidFen >= capPerCaseFen,
            opinion:
              report.unpaidFen > capPerCaseFen
                ? `${opinion}（欠费 ${yuanText(report.unpaidFen)}，超过每例支付限额，按 ${yuanText(capPerCaseFen)} 核定）`
                : opinion,
            policy: { 'disease-emergency': command.table.version },
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'RefuseReport': {
      requireRole(command.officer, '作出不予救助决定');
      requireStatus(state, ['reported', 'reviewed'], '作出不予救助决定');
      const reasons = (command.reasons ?? []).map((r) => r.trim()).filter(Boolean);
      if (reasons.length === 0) {
        fail('REASONS_REQUIRED', 'reasons：不予救助须写明理由', 422, { field: 'reasons' });
      }
      return [
        {
          type: 'health.DiseaseEmergencyRefused',
          data: { reportId: state.report!.reportId, reasons, by: command.officer, at: command.now },
        },
      ];
    }

    case 'PayHospital': {
      requireRole(command.officer, '支付疾病应急救助资金');
      const paymentReference = requireText(command.paymentReference, 'paymentReference', '支付凭证号');
      // A payment confirmation delivered twice is answered with nothing.
      if (state.status === 'paid' && state.payment?.paymentReference === paymentReference) return [];
      requireStatus(state, ['reviewed'], '支付');
      const paidOn = requireDay(command.paidOn, 'paidOn', '支付日期');
      if (paidOn > beijingDayOf(command.now)) {
        fail('PAID_IN_FUTURE', 'paidOn：支付日期不能晚于今天', 422, { field: 'paidOn' });
      }
      const report = state.report!;
      return [
        {
          type: 'health.DiseaseEmergencyPaid',
          data: {
            reportId: report.reportId,
            hospital: report.hospital,
            patient: state.patient?.identified
              ? {
                  idNumber: state.patient.idNumber,
                  name: state.patient.name,
                  householdId: state.patient.householdId,
                }
              : null,
            amountFen: state.review!.approvedFen,
            emergencyCostFen: report.emergencyCostFen,
            paidByPatientFen: report.paidByPatientFen,
            paymentReference,
            paidOn,
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'IdentifyPatient': {
      requireRole(command.officer, '登记患者身份');
      requireStatus(state, ['reported', 'reviewed', 'paid', 'refused'], '登记患者身份');
      const patient = identified(command.patient, 'patient');
      if (state.patient?.identified) {
        if (state.patient.idNumber === patient.idNumber) return [];
        fail(
          'PATIENT_ALREADY_IDENTIFIED',
          `patient.idNumber：该患者已登记为 ${state.patient.name}，不能更改`,
          409,
          {
            field: 'patient.idNumber',
          },
        );
      }
      return [
        {
          type: 'health.DiseaseEmergencyPatientIdentified',
          data: { reportId: state.report!.reportId, patient, by: command.officer, at: command.now },
        },
      ];
    }

    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

export function evolveDiseaseEmergency(
  state: DiseaseEmergencyState,
  event: DiseaseEmergencyEvent,
): DiseaseEmergencyState {
  switch (event.type) {
    case 'health.DiseaseEmergencyReported':
      return { ...state, status: 'reported', report: event.data, patient: event.data.patient };
    case 'health.DiseaseEmergencyReviewed':
      return { ...state, status: 'reviewed', review: event.data };
    case 'health.DiseaseEmergencyRefused': {
      const { reportId: _r, ...refusal } = event.data;
      return { ...state, status: 'refused', refusal };
    }
    case 'health.DiseaseEmergencyPaid': {
      const d = event.data;
      return {
        ...state,
        status: 'paid',
        payment: {
          amountFen: d.amountFen,
          paymentReference: d.paymentReference,
          paidOn: d.paidOn,
          by: d.by,
          at: d.at,
        },
      };
    }
    case 'health.DiseaseEmergencyPatientIdentified':
      return { ...state, patient: { identified: true, ...event.data.patient } };
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const diseaseEmergencyDecider = {
  decide: decideDiseaseEmergency,
  evolve: evolveDiseaseEmergency,
  initialState: initialDiseaseEmergencyState,
};
