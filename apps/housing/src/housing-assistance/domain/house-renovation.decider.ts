import type { HousingAssistanceTable } from '@platform/policy';
import { categoryName, requireCategory, requireHousehold, type Household } from './household.js';
import {
  beijingDayOf,
  fail,
  requireDay,
  requireInForce,
  requireText,
  tableFen,
  type Officer,
  type TableVersion,
} from './values.js';

/**
 * Rural dangerous-house renovation (农村危房改造), one stream per project (`house-renovation-<projectId>`).
 * The house is appraised (危房鉴定): grades A and B are not dangerous and the project is refused with the
 * reason; C (局部危险, 修缮加固) and D (整栋危险, 拆除重建) are approved with the subsidy of their grade
 * in the `housing-assistance` table, provided the household's category is one the table lists. The works
 * are then tracked: approved → started → completed → accepted (验收; a failed inspection sends them back
 * to rectification) → paid.
 *
 * Pure: time, the officer and the table versions (in force on the appraisal and on the approval day) come
 * in with commands; the subsidy is fixed by the approval and recorded with its table version.
 */

export type Grade = 'A' | 'B' | 'C' | 'D';

export const GRADE_NAMES: Record<Grade, string> = {
  A: 'A级（结构能满足安全使用要求）',
  B: 'B级（个别结构构件不满足安全使用要求，基本不影响整体安全）',
  C: 'C级（部分承重结构不能满足安全使用要求，局部危险）',
  D: 'D级（承重结构已不能满足安全使用要求，整体危险）',
};

export type Measure = 'reinforcement' | 'rebuild';
export const MEASURE_NAMES: Record<Measure, string> = { reinforcement: '修缮加固', rebuild: '拆除重建' };

export type RenovationStatus =
  | 'none'
  | 'appraised'
  | 'refused'
  | 'approved'
  | 'started'
  | 'completed'
  | 'rectifying'
  | 'accepted'
  | 'paid';

export const STATUS_NAMES: Record<RenovationStatus, string> = {
  none: '不存在',
  appraised: '已鉴定，待审批',
  refused: '不予改造',
  approved: '已批准，待开工',
  started: '施工中',
  completed: '已竣工，待验收',
  rectifying: '验收未通过，整改中',
  accepted: '已验收，待拨付补助',
  paid: '补助已拨付',
};

export interface Appraisal {
  grade: Grade;
  appraisedOn: string;
  /** The appraising body (鉴定单位) and its report's number. */
  organisation: string;
  reportNumber: string;
  findings: string;
}

// ---------------------------------------------------------------------------------------------------
// Commands

export type HouseRenovationCommand =
  | {
      type: 'RecordAppraisal';
      projectId: string;
      household: Household;
      villageCode: string;
      address: string;
      /** The household's assistance category on the day of appraisal (from the other departments' facts). */
      category: string;
      appraisal: Appraisal;
      /** `housing-assistance` in force on the day of appraisal. */
      table: TableVersion<HousingAssistanceTable>;
      officer: Officer;
      now: string;
    }
  | {
      type: 'ApproveRenovation';
      documentNumber: string;
      /** `housing-assistance` in force on the day of approval. */
      table: TableVersion<HousingAssistanceTable>;
      officer: Officer;
      now: string;
    }
  | { type: 'StartWorks'; startedOn: string; officer: Officer; now: string }
  | { type: 'CompleteWorks'; completedOn: string; officer: Officer; now: string }
  | {
      type: 'RecordAcceptance';
      inspectedOn: string;
      passed: boolean;
      inspectors: string[];
      findings: string;
      officer: Officer;
      now: string;
    }
  | { type: 'PaySubsidy'; paymentReference: string; paidOn: string; officer: Officer; now: string };

// ---------------------------------------------------------------------------------------------------
// Events

export interface AppraisedData {
  projectId: string;
  household: Household;
  villageCode: string;
  address: string;
  category: string;
  appraisal: Appraisal;
  by: Officer;
  at: string;
}

export interface ApprovedData {
  projectId: string;
  grade: 'C' | 'D';
  measure: Measure;
  subsidyFen: number;
  documentNumber: string;
  policy: { 'housing-assistance': number };
  by: Officer;
  at: string;
}

export type HouseRenovationEvent =
  | { type: 'housing.HouseAppraised'; data: AppraisedData }
  | {
      type: 'housing.RenovationRefused';
      data: {
        projectId: string;
        reasons: string[];
        policy: { 'housing-assistance': number };
        by: Officer;
        at: string;
      };
    }
  | { type: 'housing.RenovationApproved'; data: ApprovedData }
  | {
      type: 'housing.RenovationStarted';
      data: { projectId: string; startedOn: string; by: Officer; at: string };
    }
  | {
      type: 'housing.RenovationCompleted';
      data: { projectId: string; completedOn: string; by: Officer; at: string };
    }
  | {
      type: 'housing.RenovationAccepted' | 'housing.RenovationAcceptanceFailed';
      data: {
        projectId: string;
        inspectedOn: string;
        inspectors: string[];
        findings: string;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'housing.RenovationSubsidyPaid';
      data: {
        projectId: string;
        household: Household;
        /** Where the house is: the register lists it under its village. */
        villageCode: string;
        amountFen: number;
        documentNumber: string;
        paymentReference: string;
        paidOn: string;
        by: Officer;
        at: string;
      };
    };

// ---------------------------------------------------------------------------------------------------
// State

export interface HouseRenovationState {
  status: RenovationStatus;
  appraised: AppraisedData | null;
  refusal: { reasons: string[]; at: string } | null;
  approval: ApprovedData | null;
  startedOn: string | null;
  completedOn: string | null;
  /** Inspections, oldest first. */
  inspections: Array<{ inspectedOn: string; passed: boolean; findings: string }>;
  payment: { amountFen: number; paymentReference: string; paidOn: string } | null;
}

export const initialHouseRenovationState = (): HouseRenovationState => ({
  status: 'none',
  appraised: null,
  refusal: null,
  approval: null,
  startedOn: null,
  completedOn: null,
  inspections: [],
  payment: null,
});

// ---------------------------------------------------------------------------------------------------
// Rules

const HOUSING = ['housing_officer'];
/** 竣工验收 is done by at least two people (the township and the county's housing staff). */
const MIN_INSPECTORS = 2;

function requireRole(officer: Officer, action: string): void {
  if (!HOUSING.includes(officer.role)) {
    fail('ROLE_NOT_ALLOWED', `当前角色不能${action}`, 403, { permission: `house-renovation:${action}` });
  }
}

function requireStatus(state: HouseRenovationState, allowed: RenovationStatus[], action: string): void {
  if (state.status === 'none') fail('PROJECT_NOT_FOUND', '危房改造项目不存在', 404);
  if (!allowed.includes(state.status)) {
    fail('PROJECT_INVALID_STATE', `当前状态（${STATUS_NAMES[state.status]}）下不能${action}`, 409, {
      status: state.status,
    });
  }
}

/** A step's date: a valid day, not in the future, not before the step it follows. */
function stepDay(
  value: string,
  field: string,
  label: string,
  now: string,
  after: { day: string; label: string } | null,
): string {
  const day = requireDay(value, field, label);
  if (day > beijingDayOf(now)) fail('DATE_IN_FUTURE', `${field}：${label}不能晚于今天`, 422, { field });
  if (after && day < after.day) {
    fail('DATE_OUT_OF_ORDER', `${field}：${label}不能早于${after.label}（${after.day}）`, 422, { field });
  }
  return day;
}

/** Why a project is refused on its appraisal: the grade, and the household's category. */
export function refusalReasons(grade: Grade, category: string, table: HousingAssistanceTable): string[] {
  const reasons: string[] = [];
  if (grade === 'A' || grade === 'B') {
    reasons.push(`房屋鉴定为${GRADE_NAMES[grade]}，不属于危房，不纳入农村危房改造`);
  }
  if (!table.renovation.eligibleCategories.includes(category)) {
    reasons.push(
      `家庭类别为${categoryName(category)}，不属于危房改造对象（${table.renovation.eligibleCategories.map(categoryName).join('、')}）`,
    );
  }
  return reasons;
}

export function decideHouseRenovation(
  command: HouseRenovationCommand,
  state: HouseRenovationState,
): HouseRenovationEvent[] {
  switch (command.type) {
    case 'RecordAppraisal': {
      requireRole(command.officer, '登记危房鉴定');
      const projectId = requireText(command.projectId, 'projectId', '项目编号');
      const a = command.appraisal;
      if (state.appraised) {
        const known = state.appraised.appraisal;
        // The same appraisal recorded again (a double submit) adds nothing.
        if (known.reportNumber === a?.reportNumber?.trim() && known.grade === a.grade) return [];
        fail('ALREADY_APPRAISED', `该项目已登记鉴定报告 ${known.reportNumber}，不能更改`, 409);
      }
      const household = requireHousehold(command.household);
      const villageCode = requireText(command.villageCode, 'villageCode', '所在村（嘎查）');
      const address = requireText(command.address, 'address', '房屋地址');
      const category = requireCategory(command.category);
      if (!['A', 'B', 'C', 'D'].includes(a?.grade)) {
        fail('GRADE_INVALID', 'appraisal.grade：鉴定等级应为 A、B、C、D 之一', 422, {
          field: 'appraisal.grade',
        });
      }
      const appraisal: Appraisal = {
        grade: a.grade,
        appraisedOn: stepDay(a.appraisedOn, 'appraisal.appraisedOn', '鉴定日期', command.now, null),
        organisation: requireText(a.organisation, 'appraisal.organisation', '鉴定单位'),
        reportNumber: requireText(a.reportNumber, 'appraisal.reportNumber', '鉴定报告编号'),
        findings: requireText(a.findings, 'appraisal.findings', '鉴定结论'),
      };
      requireInForce(command.table, appraisal.appraisedOn, '住房救助政策参数表');
      const at = command.now;
      const events: HouseRenovationEvent[] = [
        {
          type: 'housing.HouseAppraised',
          data: { projectId, household, villageCode, address, category, appraisal, by: command.officer, at },
        },
      ];
      const reasons = refusalReasons(appraisal.grade, category, command.table.content);
      if (reasons.length > 0) {
        events.push({
          type: 'housing.RenovationRefused',
          data: {
            projectId,
            reasons,
            policy: { 'housing-assistance': command.table.version },
            by: command.officer,
            at,
          },
        });
      }
      return events;
    }

    case 'ApproveRenovation': {
      requireRole(command.officer, '批准危房改造');
      requireStatus(state, ['appraised'], '批准危房改造');
      const documentNumber = requireText(command.documentNumber, 'documentNumber', '批准文号');
      const today = beijingDayOf(command.now);
      requireInForce(command.table, today, '住房救助政策参数表');
      const grade = state.appraised!.appraisal.grade as 'C' | 'D';
      return [
        {
          type: 'housing.RenovationApproved',
          data: {
            projectId: state.appraised!.projectId,
            grade,
            measure: grade === 'C' ? 'reinforcement' : 'rebuild',
            subsidyFen: tableFen(command.table.content.renovation.subsidyByGradeYuan[grade]),
            documentNumber,
            policy: { 'housing-assistance': command.table.version },
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'StartWorks': {
      requireRole(command.officer, '登记开工');
      requireStatus(state, ['approved'], '登记开工');
      const approvedOn = beijingDayOf(state.approval!.at);
      const startedOn = stepDay(command.startedOn, 'startedOn', '开工日期', command.now, {
        day: approvedOn,
        label: '批准日期',
      });
      return [
        {
          type: 'housing.RenovationStarted',
          data: { projectId: state.approval!.projectId, startedOn, by: command.officer, at: command.now },
        },
      ];
    }

    case 'CompleteWorks': {
      requireRole(command.officer, '登记竣工');
      requireStatus(state, ['started', 'rectifying'], '登记竣工');
      const last = state.inspections.at(-1);
      const completedOn =
        state.status === 'rectifying'
          ? stepDay(command.completedOn, 'completedOn', '整改完成日期', command.now, {
              day: last!.inspectedOn,
              label: '上次验收日期',
            })
          : stepDay(command.completedOn, 'completedOn', '竣工日期', command.now, {
              day: state.startedOn!,
              label: '开工日期',
            });
      return [
        {
          type: 'housing.RenovationCompleted',
          data: { projectId: state.approval!.projectId, completedOn, by: command.officer, at: command.now },
        },
      ];
    }

    case 'RecordAcceptance': {
      requireRole(command.officer, '登记竣工验收');
      requireStatus(state, ['completed'], '登记竣工验收');
      const inspectedOn = stepDay(command.inspectedOn, 'inspectedOn', '验收日期', command.now, {
        day: state.completedOn!,
        label: '竣工日期',
      });
      const inspectors = [...new Set((command.inspectors ?? []).map((n) => n.trim()).filter(Boolean))];
      if (inspectors.length < MIN_INSPECTORS) {
        fail(
          'TOO_FEW_INSPECTORS',
          `inspectors：竣工验收须由不少于 ${MIN_INSPECTORS} 人进行（当前 ${inspectors.length} 人）`,
          422,
          {
            field: 'inspectors',
          },
        );
      }
      const findings = requireText(command.findings, 'findings', '验收意见');
      return [
        {
          type: command.passed ? 'housing.RenovationAccepted' : 'housing.RenovationAcceptanceFailed',
          data: {
            projectId: state.approval!.projectId,
            inspectedOn,
            inspectors,
            findings,
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'PaySubsidy': {
      requireRole(command.officer, '拨付危房改造补助');
      const paymentReference = requireText(command.paymentReference, 'paymentReference', '拨付凭证号');
      // A payment confirmation delivered twice is answered with nothing.
      if (state.status === 'paid' && state.payment?.paymentReference === paymentReference) return [];
      requireStatus(state, ['accepted'], '拨付补助（须先竣工验收合格）');
      const accepted = state.inspections.at(-1)!;
      const paidOn = stepDay(command.paidOn, 'paidOn', '拨付日期', command.now, {
        day: accepted.inspectedOn,
        label: '验收日期',
      });
      return [
        {
          type: 'housing.RenovationSubsidyPaid',
          data: {
            projectId: state.approval!.projectId,
            household: state.appraised!.household,
            villageCode: state.appraised!.villageCode,
            amountFen: state.approval!.subsidyFen,
            documentNumber: state.approval!.documentNumber,
            paymentReference,
            paidOn,
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

export function evolveHouseRenovation(
  state: HouseRenovationState,
  event: HouseRenovationEvent,
): HouseRenovationState {
  switch (event.type) {
    case 'housing.HouseAppraised':
      return { ...state, status: 'appraised', appraised: event.data };
    case 'housing.RenovationRefused':
      return { ...state, status: 'refused', refusal: { reasons: event.data.reasons, at: event.data.at } };
    case 'housing.RenovationApproved':
      return { ...state, status: 'approved', approval: event.data };
    case 'housing.RenovationStarted':
      return { ...state, status: 'started', startedOn: event.data.startedOn };
    case 'housing.RenovationCompleted':
      return { ...state, status: 'completed', completedOn: event.data.completedOn };
    case 'housing.RenovationAccepted':
    case 'housing.RenovationAcceptanceFailed': {
      const passed = event.type === 'housing.RenovationAccepted';
      const d = event.data;
      return {
        ...state,
        status: passed ? 'accepted' : 'rectifying',
        inspections: [...state.inspections, { inspectedOn: d.inspectedOn, passed, findings: d.findings }],
      };
    }
    case 'housing.RenovationSubsidyPaid': {
      const d = event.data;
      return {
        ...state,
        status: 'paid',
        payment: { amountFen: d.amountFen, paymentReference: d.paymentReference, paidOn: d.paidOn },
      };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const houseRenovationDecider = {
  decide: decideHouseRenovation,
  evolve: evolveHouseRenovation,
  initialState: initialHouseRenovationState,
};
