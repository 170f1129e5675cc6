import { DomainError } from '@platform/contracts';
import {
  computeAllowance,
  PROGRAM_NAMES,
  type Allowance,
  type AllowanceStandard,
  type Area,
  type Program,
} from './allowance.js';
import type { CalendarTable } from '@platform/policy';
import { calendarDaysFrom, plusDays, plusMs, recountInYear, type Deadline } from './deadlines.js';
import { atLeast, type DibaoProcedureRules } from './dibao-rules.js';
import type { SampleReason } from './spot-check.sampler.js';

/**
 * A dibao (最低生活保障) or special-hardship (特困人员救助供养) application in civil affairs, stream
 * `dibao-<referralId>`: a need accepted at the township window and referred to civil affairs becomes an
 * application, investigated and reviewed by the township (入户调查, 民主评议, 审核, 第一次公示), decided by
 * the county (审批, 入户抽查, 第二次公示, 决定), with objections from the public during either notice.
 *
 * The stream also carries the referral lifecycle intake and oversight understand
 * (`civil-affairs.ReferralReceived` … `ReferralCompleted`, `ReferralOverdue`).
 *
 * Pure: time, ids, deadlines, document numbers, the allowance standard, the staff-relative matches, the
 * spot-check draw and the procedure's numbers (`DibaoProcedureRules`) come in with each command.
 */

export type ApplicationStatus =
  | 'none'
  | 'received'
  | 'investigating'
  | 'township_review'
  | 'first_notice'
  | 'county_review'
  | 'second_notice'
  | 'granted'
  | 'rejected'
  | 'suspended'
  | 'withdrawn';

export const STATUS_NAMES: Record<ApplicationStatus, string> = {
  none: '不存在',
  received: '已受理，待入户调查',
  investigating: '入户调查中',
  township_review: '乡镇（街道）审核中',
  first_notice: '第一次公示中',
  county_review: '旗县区民政部门审批中',
  second_notice: '第二次公示中',
  granted: '已批准保障',
  rejected: '不予保障',
  suspended: '已停保',
  withdrawn: '已撤回',
};

export type Step = 'investigation' | 'township_review' | 'county_decision';

export const STEP_NAMES: Record<Step | 'objection', string> = {
  investigation: '入户调查',
  township_review: '乡镇（街道）审核',
  county_decision: '旗县区审批决定',
  objection: '异议复核',
};

export type NoticeKind = 'first' | 'second';
export const NOTICE_NAMES: Record<NoticeKind, string> = { first: '第一次公示', second: '第二次公示' };

export type Recommendation = 'approve' | 'reject';

export interface Officer {
  id: string;
  name: string;
  role: string;
}

export type Relationship = 'applicant' | 'spouse' | 'child' | 'parent' | 'sibling' | 'other';

export interface HouseholdMember {
  name: string;
  idNumber: string;
  relationship: Relationship;
  disabled: boolean;
  seriousIllness: boolean;
}

export interface IncomeItem {
  /** The member it belongs to (ID number), when it is one member's. */
  memberIdNumber: string | null;
  source: string;
  monthlyAmount: number;
}

export interface AssetItem {
  kind: string;
  description: string;
  value: number | null;
}

export interface SpecialHardshipConditions {
  /** 无劳动能力 */
  noWorkCapacity: boolean;
  /** 无生活来源 */
  noIncomeSource: boolean;
  /** 无法定赡养、抚养、扶养义务人，或其无赡养、抚养、扶养能力 */
  noSupporterAble: boolean;
}

/** A filing of the staff-relative registry (经办人员及近亲属备案) that names a household member. */
export interface StaffMatch {
  idNumber: string;
  filingId: string;
  staffName: string;
  staffPosition: string;
  organisation: string;
  relationship: string;
}

export interface ApplicationDetails {
  /** The referral's id: one application per referral. */
  applicationId: string;
  caseId: string;
  caseNumber: string;
  program: Program;
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  /** Urban or rural standard: from the village (社区 → urban) at receipt, confirmed by the investigation. */
  area: Area;
  applicant: { name: string; idNumber: string; phone: string | null } | null;
  description: string;
  urgency: 'normal' | 'urgent';
  /** The window officer who accepted the case at intake (from intake.CaseAccepted), when known. */
  acceptedBy: string | null;
  /**
   * Who makes the final decision, fixed when the application is received: the county, or the township
   * where the county delegated it (审核确认权限下放, policy table `dibao-procedure`). A staff-relative
   * application goes to the county whatever the delegation (see `decidedAtTownship`).
   */
  confirmation: ConfirmationLevel;
}

export type ConfirmationLevel = 'county' | 'township';

export interface InvestigationRecord {
  date: string;
  investigators: string[];
  membersPresent: string[];
  household: HouseholdMember[];
  area: Area;
  livingConditions: string;
  incomes: IncomeItem[];
  assets: AssetItem[];
  investigatorsConfirmed: boolean;
  applicantConfirmed: boolean;
  specialHardship: SpecialHardshipConditions | null;
}

export interface AppraisalRecord {
  date: string;
  participantsDue: number;
  attended: number;
  agreed: number;
  signed: boolean;
  record: string;
}

export interface SampleRecord {
  sampled: boolean;
  reason: SampleReason;
  seed: string;
  draw: number;
  position: number;
  percent: number;
  month: string;
}

export interface SpotCheckRecord {
  visitDate: string;
  visitors: string[];
  findings: string;
  confirmed: boolean;
}

export type ObjectionResult = 'upheld' | 'dismissed';
/** What a recheck found: the household still qualifies as it is, its situation changed, or it no longer does. */
export type RecheckConclusion = 'continue' | 'changed' | 'no_longer_eligible';
export const RECHECK_NAMES: Record<RecheckConclusion, string> = {
  continue: '情况未变化，继续保障',
  changed: '情况有变化，需变更保障金',
  no_longer_eligible: '不再符合条件，应予停保',
};
export type ObjectionNext = 'township_review' | 'rejection';

// ---------------------------------------------------------------------------------------------------
// Commands

interface Acting {
  officer: Officer;
  now: string;
}

export type DibaoCommand =
  | {
      type: 'ReceiveApplication';
      details: ApplicationDetails;
      staffMatches: StaffMatch[];
      investigationDeadline: Deadline;
      townshipReviewDeadline: Deadline;
      policy: Record<string, number>;
      rules: DibaoProcedureRules;
      now: string;
    }
  | ({ type: 'StartInvestigation' } & Acting)
  | ({
      type: 'RecordInvestigation';
      investigation: InvestigationRecord;
      /** Matches of the registry for every member's ID number, looked up by the handler. */
      staffMatches: StaffMatch[];
      rules: DibaoProcedureRules;
    } & Acting)
  | ({
      type: 'RecordVerification';
      findings: Array<{ department: string; findings: string }>;
      conclusion: string;
      /**
       * The household verification over the platform it rests on, as its report stands: the departments
       * still silent (not yet overdue) and one line per answer. Null: a result recorded by hand.
       */
      verification: {
        verificationId: string;
        applicationId: string | null;
        silent: string[];
        findings: Array<{ department: string; findings: string }>;
      } | null;
    } & Acting)
  | ({ type: 'RecordAppraisal'; appraisal: AppraisalRecord; rules: DibaoProcedureRules } & Acting)
  | ({ type: 'SkipAppraisal'; reason: string } & Acting)
  | ({ type: 'RecordTownshipReview'; recommendation: Recommendation; opinion: string } & Acting)
  | ({
      type: 'ExtendDeadline';
      step: 'township_review' | 'county_decision';
      reason: string;
      dueAt: string;
    } & Acting)
  | ({ type: 'PostNotice'; notice: NoticeKind; rules: DibaoProcedureRules } & Acting)
  | ({ type: 'SubmitToCounty'; countyDeadline: Deadline; sample: SampleRecord | null } & Acting)
  | ({ type: 'RecordStaffRelativeFiling'; note: string } & Acting)
  | ({ type: 'RecordCountyReview'; recommendation: Recommendation; opinion: string } & Acting)
  | ({ type: 'RecordSpotCheck'; spotCheck: SpotCheckRecord } & Acting)
  | {
      type: 'FileObjection';
      objectionId: string;
      reference: string;
      content: string;
      contact: string | null;
      deadline: Deadline;
      now: string;
    }
  | ({
      type: 'DecideObjection';
      objectionId: string;
      result: ObjectionResult;
      next: ObjectionNext | null;
      opinion: string;
      /** Fresh step deadlines from now, used when an upheld objection sends the application back. */
      townshipReviewDeadline: Deadline;
      countyDeadline: Deadline;
    } & Acting)
  | ({
      type: 'ApproveApplication';
      opinion: string;
      documentNumber: string;
      /** The county's row of `allowance-standards` in force on the decision day, or null when none is. */
      standard: AllowanceStandard | null;
      policy: Record<string, number>;
      countyName: string;
      /** The decision day (YYYY-MM-DD, Beijing). */
      day: string;
      rules: DibaoProcedureRules;
    } & Acting)
  | ({
      type: 'RejectApplication';
      reasons: string[];
      opinion: string;
      documentNumber: string;
      rules: DibaoProcedureRules;
    } & Acting)
  | ({
      /** 复查: the periodic re-examination of a recipient household, recorded with its conclusion. */
      type: 'RecordRecheck';
      date: string;
      findings: string;
      conclusion: RecheckConclusion;
    } & Acting)
  | ({
      /**
       * 变更: after a recheck found the household's situation changed, the county recomputes the allowance
       * from the household as it is now, under the standard in force on the day; a numbered change decision.
       */
      type: 'ChangeAllowance';
      household: HouseholdMember[];
      incomes: IncomeItem[];
      area: Area;
      opinion: string;
      documentNumber: string;
      standard: AllowanceStandard | null;
      policy: Record<string, number>;
      countyName: string;
      day: string;
      rules: DibaoProcedureRules;
    } & Acting)
  | ({
      /** 停保: the county stops the assistance, with reasons and a numbered suspension notice. */
      type: 'SuspendAssistance';
      reasons: string[];
      opinion: string;
      documentNumber: string;
      rules: DibaoProcedureRules;
    } & Acting)
  | { type: 'WithdrawApplication'; reason: string; now: string }
  | { type: 'MarkOverdue'; now: string }
  /** A calendar year was loaded: step deadlines counted without it are counted again. */
  | { type: 'RecountDeadlines'; calendar: CalendarTable; calendarVersion: number; now: string };

// ---------------------------------------------------------------------------------------------------
// Events (stored types; those with a contract in libs/contracts leave the service)

interface Ids {
  caseId: string;
  referralId: string;
}

export interface DecisionData extends Ids {
  program: Program;
  outcome: 'granted' | 'not_eligible';
  monthlyAmount: number | null;
  documentNumber: string;
  documentType: 'approval' | 'rejection';
  /** Who decided: the county, or the township where the county delegated it. Absent before: the county. */
  level?: ConfirmationLevel;
  allowance: Allowance | null;
  reasons: string[];
  opinion: string;
  by: Officer;
  policy: Record<string, number>;
  rules: string;
  at: string;
}

export interface ChangeData extends Ids {
  program: Program;
  previousAmount: number;
  monthlyAmount: number;
  documentNumber: string;
  documentType: 'change';
  allowance: Allowance;
  household: HouseholdMember[];
  incomes: IncomeItem[];
  area: Area;
  opinion: string;
  by: Officer;
  policy: Record<string, number>;
  rules: string;
  at: string;
}

export interface SuspensionData extends Ids {
  program: Program;
  documentNumber: string;
  documentType: 'suspension';
  reasons: string[];
  opinion: string;
  by: Officer;
  rules: string;
  at: string;
}

export type DibaoEvent =
  | {
      type: 'civil-affairs.DibaoApplicationReceived';
      data: Ids &
        Omit<ApplicationDetails, 'confirmation'> & {
          /** Absent on applications received before the delegation switch existed: the county decides. */
          confirmation?: ConfirmationLevel;
          investigationDueAt: string;
          townshipReviewDueAt: string;
          deadlinesProvisional: string[];
          policy: Record<string, number>;
          rules: string;
          at: string;
        };
    }
  | {
      type: 'civil-affairs.ReferralReceived';
      data: Ids & {
        acknowledgeBy: string;
        decideBy: string;
        policy: Record<string, number>;
        deadlinesProvisional: string[];
        receivedAt: string;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.DibaoStaffRelativeFlagged';
      data: Ids & { matchCount: number; matches: StaffMatch[]; at: string };
    }
  | { type: 'civil-affairs.DibaoInvestigationStarted'; data: Ids & { by: Officer; at: string } }
  | { type: 'civil-affairs.ReferralAcknowledged'; data: Ids & { officerId: string; at: string } }
  | {
      type: 'civil-affairs.DibaoInvestigationRecorded';
      data: Ids & InvestigationRecord & { by: Officer; onBehalfOf: string | null; rules: string; at: string };
    }
  | {
      type: 'civil-affairs.DibaoVerificationRecorded';
      data: Ids & {
        findings: Array<{ department: string; findings: string }>;
        conclusion: string;
        /** True when typed in by hand; false when taken from the verification over the platform. */
        manual: boolean;
        verificationId?: string | null;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.DibaoAppraisalHeld';
      data: Ids &
        AppraisalRecord & {
          valid: boolean;
          passed: boolean;
          quorum: string;
          agreement: string;
          by: Officer;
          onBehalfOf: string | null;
          rules: string;
          at: string;
        };
    }
  | { type: 'civil-affairs.DibaoAppraisalSkipped'; data: Ids & { reason: string; by: Officer; at: string } }
  | { type: 'civil-affairs.DibaoTownshipReviewBegun'; data: Ids & { by: Officer; at: string } }
  | { type: 'civil-affairs.ReferralAccepted'; data: Ids & { officerId: string; at: string } }
  | {
      type: 'civil-affairs.DibaoTownshipReviewed';
      data: Ids & { recommendation: Recommendation; opinion: string; by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.DibaoDeadlineExtended';
      data: Ids & {
        step: 'township_review' | 'county_decision';
        previousDueAt: string;
        dueAt: string;
        reason: string;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.DibaoNoticePosted';
      data: Ids & {
        program: Program;
        notice: NoticeKind;
        villageCode: string;
        startsAt: string;
        endsAt: string;
        /** The running step's deadline, moved by the notice's days (notice days are not counted). */
        step: 'township_review' | 'county_decision';
        stepDueAt: string;
        by: Officer;
        rules: string;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.DibaoSubmittedToCounty';
      data: Ids & {
        recommendation: Recommendation;
        countyDecisionDueAt: string;
        deadlinesProvisional: string[];
        by: Officer;
        at: string;
      };
    }
  | { type: 'civil-affairs.DibaoSpotCheckSampled'; data: Ids & SampleRecord & { at: string } }
  | {
      type: 'civil-affairs.DibaoStaffRelativeFilingRecorded';
      data: Ids & { note: string; by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.DibaoCountyReviewed';
      data: Ids & { recommendation: Recommendation; opinion: string; by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.DibaoSpotCheckRecorded';
      data: Ids & SpotCheckRecord & { by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.DibaoObjectionFiled';
      data: Ids & {
        objectionId: string;
        reference: string;
        notice: NoticeKind;
        content: string;
        contact: string | null;
        dueAt: string;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.DibaoObjectionDecided';
      data: Ids & {
        objectionId: string;
        result: ObjectionResult;
        next: ObjectionNext | null;
        opinion: string;
        /** Deadlines as they stand after the decision (paused time added back, or counted afresh). */
        deadlines: Partial<Record<Step, string>>;
        by: Officer;
        at: string;
      };
    }
  | { type: 'civil-affairs.DibaoDecisionMade'; data: DecisionData }
  | {
      type: 'civil-affairs.ReferralCompleted';
      data: Ids & {
        outcome: 'granted' | 'not_eligible';
        amount: number | null;
        service: string | null;
        reason: string | null;
        officerId: string;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.DibaoRecheckRecorded';
      data: Ids & { date: string; findings: string; conclusion: RecheckConclusion; by: Officer; at: string };
    }
  | { type: 'civil-affairs.DibaoAllowanceChanged'; data: ChangeData }
  | { type: 'civil-affairs.DibaoAssistanceSuspended'; data: SuspensionData }
  | { type: 'civil-affairs.DibaoApplicationWithdrawn'; data: Ids & { reason: string; at: string } }
  | {
      /** The household's category for the other departments (contract, topic `civil-affairs.recipients`). */
      type: 'civil-affairs.RecipientCategoryChanged';
      data: {
        householdId: string;
        countyCode: string;
        memberIdNumbers: string[];
        removedIdNumbers: string[];
        category: Program | null;
        effectiveFrom: string;
        reason: 'granted' | 'changed' | 'suspended';
        at: string;
      };
    }
  | {
      type: 'civil-affairs.DibaoStepOverdue';
      data: Ids & {
        step: Step | 'objection';
        objectionId: string | null;
        dueAt: string;
        heldBy: string | null;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.ReferralOverdue';
      data: Ids & { deadline: 'acknowledge' | 'decide'; dueAt: string; heldBy: string | null };
    }
  | {
      type: 'civil-affairs.DibaoDeadlinesRecounted';
      data: Ids & {
        steps: Array<{ step: Step; previousDueAt: string; dueAt: string }>;
        years: string[];
        calendar: number;
        reason: string;
        at: string;
      };
    };

// ---------------------------------------------------------------------------------------------------
// State

export interface StepDeadline {
  dueAt: string;
  extended: boolean;
  done: boolean;
  overdue: boolean;
  provisionalYears: string[];
  /**
   * Time added to the working-day count since it was made (notice days, pauses): a recount when a
   * calendar year loads moves the count and keeps these.
   */
  shiftMs: number;
}

export interface Objection {
  objectionId: string;
  reference: string;
  notice: NoticeKind;
  content: string;
  contact: string | null;
  filedAt: string;
  dueAt: string;
  status: 'pending' | ObjectionResult;
  next: ObjectionNext | null;
  opinion: string | null;
  decidedBy: Officer | null;
  decidedAt: string | null;
  overdue: boolean;
}

export interface Notice {
  kind: NoticeKind;
  startsAt: string;
  endsAt: string;
  by: Officer;
}

export interface HistoryEntry {
  step: string;
  officer: Officer | null;
  opinion: string | null;
  at: string;
}

export interface DibaoState {
  status: ApplicationStatus;
  details: ApplicationDetails | null;
  receivedAt: string | null;
  staffRelative: boolean;
  staffMatches: StaffMatch[];
  /** ID numbers already matched against the registry. */
  checkedIdNumbers: string[];
  investigationStarted: { by: Officer; at: string } | null;
  investigation: (InvestigationRecord & { by: Officer; at: string }) | null;
  verification: {
    findings: Array<{ department: string; findings: string }>;
    conclusion: string;
    verificationId: string | null;
    by: Officer;
    at: string;
  } | null;
  appraisal:
    | (AppraisalRecord & { held: true; valid: boolean; passed: boolean; by: Officer; at: string })
    | { held: false; reason: string; by: Officer; at: string }
    | null;
  reviewBegun: boolean;
  townshipReview: { recommendation: Recommendation; opinion: string; by: Officer; at: string } | null;
  notices: Notice[];
  currentNotice: Notice | null;
  submittedAt: string | null;
  sample: SampleRecord | null;
  spotCheck: (SpotCheckRecord & { by: Officer; at: string }) | null;
  filing: { note: string; by: Officer; at: string } | null;
  countyReview: { recommendation: Recommendation; opinion: string; by: Officer; at: string } | null;
  objections: Objection[];
  /** Since when a pending objection pauses the application; null when none is pending. */
  pausedAt: string | null;
  /** An upheld objection ended in rejection: the county may only reject. */
  mustReject: boolean;
  decision: DecisionData | null;
  rechecks: Array<{ date: string; findings: string; conclusion: RecheckConclusion; by: Officer; at: string }>;
  changes: ChangeData[];
  suspension: SuspensionData | null;
  deadlines: Record<Step, StepDeadline | null>;
  /** Officers who gave the township's review opinion, and who acted for the county's approval. */
  townshipReviewers: string[];
  countyApprovers: string[];
  heldBy: string | null;
  history: HistoryEntry[];
  overdue: Array<Step | 'objection'>;
  withdrawnReason: string | null;
  rules: string | null;
}

export const initialDibaoState = (): DibaoState => ({
  status: 'none',
  details: null,
  receivedAt: null,
  staffRelative: false,
  staffMatches: [],
  checkedIdNumbers: [],
  investigationStarted: null,
  investigation: null,
  verification: null,
  appraisal: null,
  reviewBegun: false,
  townshipReview: null,
  notices: [],
  currentNotice: null,
  submittedAt: null,
  sample: null,
  spotCheck: null,
  filing: null,
  countyReview: null,
  objections: [],
  pausedAt: null,
  mustReject: false,
  decision: null,
  rechecks: [],
  changes: [],
  suspension: null,
  deadlines: { investigation: null, township_review: null, county_decision: null },
  townshipReviewers: [],
  countyApprovers: [],
  heldBy: null,
  history: [],
  overdue: [],
  withdrawnReason: null,
  rules: null,
});

// ---------------------------------------------------------------------------------------------------
// Rules

const TOWNSHIP = ['township_officer'];
const TOWNSHIP_OR_VILLAGE = ['township_officer', 'village_verifier'];
const COUNTY = ['county_civil_affairs'];
const TERMINAL: ApplicationStatus[] = ['granted', 'rejected', 'suspended', 'withdrawn'];

function fail(
  code: string,
  message: string,
  status: 400 | 403 | 404 | 409 | 422 = 409,
  details: Record<string, unknown> = {},
): never {
  throw new DomainError(code, message, status, details);
}

function requireRole(officer: Officer, roles: string[], action: string): void {
  if (!roles.includes(officer.role)) {
    fail('ROLE_NOT_ALLOWED', `当前角色不能${action}`, 403, { permission: `dibao:${action}` });
  }
}

function requireStatus(state: DibaoState, allowed: ApplicationStatus[], action: string): void {
  if (state.status === 'none') fail('APPLICATION_NOT_FOUND', '低保（特困）申请不存在', 404);
  if (!allowed.includes(state.status)) {
    fail('APPLICATION_INVALID_STATE', `当前状态（${STATUS_NAMES[state.status]}）下不能${action}`, 409, {
      status: state.status,
    });
  }
}

function requireNotPaused(state: DibaoState, action: string): void {
  const pending = state.objections.filter((o) => o.status === 'pending');
  if (pending.length > 0) {
    fail(
      'OBJECTION_PENDING',
      `公示期间收到异议（${pending.map((o) => o.reference).join('、')}），复核决定前不能${action}`,
      409,
    );
  }
}

function requireText(value: string | null | undefined, field: string, what: string): string {
  const v = value?.trim();
  if (!v) fail('FIELD_REQUIRED', `${field}：${what}不能为空`, 422, { field });
  return v;
}

/**
 * No one approves what they accepted or reviewed: acceptance at the window and the township review on
 * one side, the county's approval (its review and its decision) on the other, by different officers.
 */
function assertNotSelfApproval(state: DibaoState, officer: Officer, acting: 'township' | 'county'): void {
  // Where the township confirms, its decision is the approval: the same separation applies to it.
  const approval = decidedAtTownship(state) ? '乡镇（街道）审核确认' : '旗县区审批';
  if (acting === 'county' && state.details?.acceptedBy === officer.id) {
    fail(
      'SELF_APPROVAL',
      `${officer.name}在乡镇（街道）窗口受理了该申请，不能再参与${approval}（受理、审核与审批须由不同人员办理）`,
      409,
      { officerId: officer.id },
    );
  }
  const other = acting === 'county' ? state.townshipReviewers : state.countyApprovers;
  if (other.includes(officer.id)) {
    fail(
      'SELF_APPROVAL',
      acting === 'county'
        ? `${officer.name}已在乡镇（街道）审核环节提出意见，不能再参与${approval}（审核与审批须由不同人员办理）`
        : `${officer.name}已参与${approval}，不能再提出乡镇（街道）审核意见（审核与审批须由不同人员办理）`,
      409,
      { officerId: officer.id },
    );
  }
}

/**
 * The township makes the final decision where the county delegated it (审核确认权限下放) — except for an
 * application of staff or cadres' close relatives, which the county decides after a home visit to every
 * one of them: delegation must not let a township confirm its own people's relatives.
 */
export function decidedAtTownship(state: DibaoState): boolean {
  return state.details?.confirmation === 'township' && !state.staffRelative;
}

/** Who may make the decision on this application, and in which statuses. */
function decisionLevel(state: DibaoState): {
  roles: string[];
  approveFrom: ApplicationStatus;
  rejectFrom: ApplicationStatus[];
} {
  return decidedAtTownship(state)
    ? { roles: TOWNSHIP, approveFrom: 'first_notice', rejectFrom: ['township_review', 'first_notice'] }
    : { roles: COUNTY, approveFrom: 'second_notice', rejectFrom: ['county_review', 'second_notice'] };
}

/** The Beijing date of an instant, as an officer reads it: 2026年12月4日. */
function dayText(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

const fractionText = (f: { numerator: number; denominator: number }) => `${f.numerator}/${f.denominator}`;

function ids(state: DibaoState): Ids {
  return { caseId: state.details!.caseId, referralId: state.details!.applicationId };
}

/** Township review begins once the investigation, the verification and the appraisal (or its skip) are in. */
function reviewBegins(state: DibaoState, officer: Officer, now: string): DibaoEvent[] {
  if (state.status !== 'investigating' || state.reviewBegun) return [];
  const appraisalDone = state.appraisal !== null && (!state.appraisal.held || state.appraisal.valid);
  if (!state.investigation || !state.verification || !appraisalDone) return [];
  return [
    { type: 'civil-affairs.DibaoTownshipReviewBegun', data: { ...ids(state), by: officer, at: now } },
    { type: 'civil-affairs.ReferralAccepted', data: { ...ids(state), officerId: officer.id, at: now } },
  ];
}

/** Events decided by a command, folded as they are decided (so a later check sees the earlier ones). */
function andThen(
  state: DibaoState,
  events: DibaoEvent[],
  more: (s: DibaoState) => DibaoEvent[],
): DibaoEvent[] {
  const after = events.reduce(evolveDibao, state);
  return [...events, ...more(after)];
}

function flagged(state: DibaoState, matches: StaffMatch[], now: string): DibaoEvent[] {
  const known = new Set(state.staffMatches.map((m) => `${m.idNumber}|${m.filingId}`));
  const fresh = matches.filter((m) => !known.has(`${m.idNumber}|${m.filingId}`));
  if (fresh.length === 0) return [];
  return [
    {
      type: 'civil-affairs.DibaoStaffRelativeFlagged',
      data: { ...ids(state), matchCount: state.staffMatches.length + fresh.length, matches: fresh, at: now },
    },
  ];
}

/** The step whose clock runs in this status (notices and objections move it). */
function runningStep(status: ApplicationStatus): 'township_review' | 'county_decision' | null {
  if (['received', 'investigating', 'township_review', 'first_notice'].includes(status))
    return 'township_review';
  if (['county_review', 'second_notice'].includes(status)) return 'county_decision';
  return null;
}

export function decideDibao(command: DibaoCommand, state: DibaoState): DibaoEvent[] {
  switch (command.type) {
    case 'ReceiveApplication': {
      // Redelivery of the referral: already an application.
      if (state.status !== 'none') return [];
      const d = command.details;
      const at = command.now;
      const base = { caseId: d.caseId, referralId: d.applicationId };
      const provisional = [
        ...new Set([
          ...command.investigationDeadline.provisionalYears,
          ...command.townshipReviewDeadline.provisionalYears,
        ]),
      ].sort();
      const received: DibaoEvent[] = [
        {
          type: 'civil-affairs.DibaoApplicationReceived',
          data: {
            ...base,
            ...d,
            investigationDueAt: command.investigationDeadline.dueAt,
            townshipReviewDueAt: command.townshipReviewDeadline.dueAt,
            deadlinesProvisional: provisional,
            policy: command.policy,
            rules: command.rules.version,
            at,
          },
        },
        {
          type: 'civil-affairs.ReferralReceived',
          data: {
            ...base,
            acknowledgeBy: command.investigationDeadline.dueAt,
            decideBy: command.townshipReviewDeadline.dueAt,
            policy: command.policy,
            deadlinesProvisional: provisional,
            receivedAt: at,
            at,
          },
        },
      ];
      return andThen(state, received, (s) => flagged(s, command.staffMatches, at));
    }

    case 'StartInvestigation': {
      requireRole(command.officer, TOWNSHIP, '开始入户调查');
      requireStatus(state, ['received'], '开始入户调查');
      return [
        {
          type: 'civil-affairs.DibaoInvestigationStarted',
          data: { ...ids(state), by: command.officer, at: command.now },
        },
        {
          type: 'civil-affairs.ReferralAcknowledged',
          data: { ...ids(state), officerId: command.officer.id, at: command.now },
        },
      ];
    }

    case 'RecordInvestigation': {
      requireRole(command.officer, TOWNSHIP_OR_VILLAGE, '记录入户调查');
      requireStatus(state, ['investigating', 'township_review'], '记录入户调查');
      if (state.townshipReview) fail('REVIEW_GIVEN', '乡镇（街道）已提出审核意见，不能再修改入户调查记录');
      const inv = command.investigation;
      const investigators = [...new Set(inv.investigators.map((n) => n.trim()).filter(Boolean))];
      if (investigators.length < command.rules.minInvestigators) {
        fail(
          'TOO_FEW_INVESTIGATORS',
          `investigators：入户调查须由不少于 ${command.rules.minInvestigators} 名工作人员进行（当前 ${investigators.length} 名）`,
          422,
          { field: 'investigators' },
        );
      }
      if (!inv.investigatorsConfirmed || !inv.applicantConfirmed) {
        fail(
          'CONFIRMATION_REQUIRED',
          'investigatorsConfirmed / applicantConfirmed：入户调查记录须经调查人员和申请人签字确认',
          422,
          { field: inv.investigatorsConfirmed ? 'applicantConfirmed' : 'investigatorsConfirmed' },
        );
      }
      const applicants = inv.household.filter((m) => m.relationship === 'applicant');
      if (applicants.length !== 1) {
        fail('ONE_APPLICANT', 'household：家庭成员中必须有且只有一名申请人', 422, { field: 'household' });
      }
      const idNumbers = inv.household.map((m) => m.idNumber);
      if (new Set(idNumbers).size !== idNumbers.length) {
        fail('DUPLICATE_MEMBER', 'household：家庭成员身份证号码重复', 422, { field: 'household' });
      }
      const names = new Set(inv.household.map((m) => m.name));
      const absent = inv.membersPresent.filter((n) => !names.has(n));
      if (inv.membersPresent.length === 0 || absent.length > 0) {
        fail(
          'MEMBERS_PRESENT_INVALID',
          absent.length > 0
            ? `membersPresent：${absent.join('、')} 不是登记的家庭成员`
            : 'membersPresent：须记录在场的家庭成员',
          422,
          { field: 'membersPresent' },
        );
      }
      const unknownIncome = inv.incomes.filter(
        (i) => i.memberIdNumber && !idNumbers.includes(i.memberIdNumber),
      );
      if (unknownIncome.length > 0) {
        fail('INCOME_MEMBER_UNKNOWN', 'incomes.memberIdNumber：收入所属成员不是登记的家庭成员', 422, {
          field: 'incomes',
        });
      }
      if (inv.incomes.some((i) => !(i.monthlyAmount >= 0))) {
        fail('INCOME_NEGATIVE', 'incomes.monthlyAmount：月收入不能为负数', 422, { field: 'incomes' });
      }
      const program = state.details!.program;
      if (program === 'special_hardship' && !inv.specialHardship) {
        fail(
          'SPECIAL_HARDSHIP_CONDITIONS_REQUIRED',
          'specialHardship：特困人员申请须记录是否无劳动能力、无生活来源、无法定义务人或其无履行能力',
          422,
          { field: 'specialHardship' },
        );
      }
      const onBehalfOf = command.officer.role === 'village_verifier' ? state.details!.townshipCode : null;
      const recorded: DibaoEvent[] = [
        {
          type: 'civil-affairs.DibaoInvestigationRecorded',
          data: {
            ...ids(state),
            ...inv,
            investigators,
            livingConditions: requireText(inv.livingConditions, 'livingConditions', '居住和生活状况'),
            by: command.officer,
            onBehalfOf,
            rules: command.rules.version,
            at: command.now,
          },
        },
      ];
      return andThen(state, recorded, (s) => [
        ...flagged(s, command.staffMatches, command.now),
        ...reviewBegins(s, command.officer, command.now),
      ]);
    }

    case 'RecordVerification': {
      requireRole(command.officer, TOWNSHIP, '记录家庭经济状况核对结果');
      requireStatus(state, ['investigating', 'township_review'], '记录家庭经济状况核对结果');
      if (state.townshipReview) fail('REVIEW_GIVEN', '乡镇（街道）已提出审核意见，不能再修改核对结果');
      const v = command.verification;
      if (v && v.applicationId !== state.details!.applicationId) {
        fail('VERIFICATION_OTHER_APPLICATION', 'verificationId：该核对不是为本申请发起的', 422, {
          field: 'verificationId',
        });
      }
      if (v && v.silent.length > 0) {
        fail(
          'VERIFICATION_PENDING',
          `核对尚未完成：${v.silent.join('、')}尚未回复（回复期限届满后，逾期未回复的部门将注明，方可记录）`,
          409,
        );
      }
      const given = [...(v?.findings ?? []), ...command.findings];
      if (given.length === 0) {
        fail('FINDINGS_REQUIRED', 'findings：须记录各部门的核对结果', 422, { field: 'findings' });
      }
      const findings = given.map((f, i) => ({
        department: requireText(f.department, `findings[${i}].department`, '核对部门'),
        findings: requireText(f.findings, `findings[${i}].findings`, '核对结果'),
      }));
      const recorded: DibaoEvent[] = [
        {
          type: 'civil-affairs.DibaoVerificationRecorded',
          data: {
            ...ids(state),
            findings,
            conclusion: requireText(command.conclusion, 'conclusion', '核对结论'),
            manual: v === null,
            verificationId: v?.verificationId ?? null,
            by: command.officer,
            at: command.now,
          },
        },
      ];
      return andThen(state, recorded, (s) => reviewBegins(s, command.officer, command.now));
    }

    case 'RecordAppraisal': {
      requireRole(command.officer, TOWNSHIP_OR_VILLAGE, '记录民主评议');
      requireStatus(state, ['investigating', 'township_review'], '记录民主评议');
      if (state.townshipReview) fail('REVIEW_GIVEN', '乡镇（街道）已提出审核意见，不能再记录民主评议');
      const a = command.appraisal;
      if (!Number.isInteger(a.participantsDue) || a.participantsDue < 1) {
        fail('PARTICIPANTS_INVALID', 'participantsDue：应到人数至少为 1', 422, { field: 'participantsDue' });
      }
      if (!Number.isInteger(a.attended) || a.attended < 0 || a.attended > a.participantsDue) {
        fail('ATTENDANCE_INVALID', 'attended：实到人数应在 0 与应到人数之间', 422, { field: 'attended' });
      }
      if (!Number.isInteger(a.agreed) || a.agreed < 0 || a.agreed > a.attended) {
        fail('AGREEMENT_INVALID', 'agreed：同意人数应在 0 与实到人数之间', 422, { field: 'agreed' });
      }
      if (!a.signed)
        fail('RECORD_NOT_SIGNED', 'signed：民主评议记录须经参加人员签字', 422, { field: 'signed' });
      const valid = atLeast(a.attended, a.participantsDue, command.rules.appraisalQuorum);
      const passed = valid && atLeast(a.agreed, a.attended, command.rules.appraisalAgreement);
      const held: DibaoEvent[] = [
        {
          type: 'civil-affairs.DibaoAppraisalHeld',
          data: {
            ...ids(state),
            ...a,
            record: requireText(a.record, 'record', '评议记录'),
            valid,
            passed,
            quorum: fractionText(command.rules.appraisalQuorum),
            agreement: fractionText(command.rules.appraisalAgreement),
            by: command.officer,
            onBehalfOf: command.officer.role === 'village_verifier' ? state.details!.townshipCode : null,
            rules: command.rules.version,
            at: command.now,
          },
        },
      ];
      return andThen(state, held, (s) => reviewBegins(s, command.officer, command.now));
    }

    case 'SkipAppraisal': {
      requireRole(command.officer, TOWNSHIP, '决定不开展民主评议');
      requireStatus(state, ['investigating', 'township_review'], '决定不开展民主评议');
      if (state.townshipReview) fail('REVIEW_GIVEN', '乡镇（街道）已提出审核意见');
      if (state.appraisal?.held && state.appraisal.valid) {
        fail('APPRAISAL_HELD', '已开展有效的民主评议，不能再改为不评议');
      }
      const skipped: DibaoEvent[] = [
        {
          type: 'civil-affairs.DibaoAppraisalSkipped',
          data: {
            ...ids(state),
            reason: requireText(command.reason, 'reason', '不开展民主评议的理由'),
            by: command.officer,
            at: command.now,
          },
        },
      ];
      return andThen(state, skipped, (s) => reviewBegins(s, command.officer, command.now));
    }

    case 'RecordTownshipReview': {
      requireRole(command.officer, TOWNSHIP, '提出乡镇（街道）审核意见');
      requireStatus(state, ['township_review'], '提出乡镇（街道）审核意见');
      requireNotPaused(state, '提出审核意见');
      if (state.townshipReview) fail('REVIEW_GIVEN', '乡镇（街道）已提出审核意见');
      assertNotSelfApproval(state, command.officer, 'township');
      if (command.recommendation === 'approve' && state.appraisal?.held && !state.appraisal.passed) {
        fail('APPRAISAL_NOT_PASSED', '民主评议未获到会人员三分之二以上同意，不能提出同意保障的审核意见', 409);
      }
      return [
        {
          type: 'civil-affairs.DibaoTownshipReviewed',
          data: {
            ...ids(state),
            recommendation: command.recommendation,
            opinion: requireText(command.opinion, 'opinion', '审核意见'),
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'ExtendDeadline': {
      const township = command.step === 'township_review';
      requireRole(command.officer, township ? TOWNSHIP : COUNTY, township ? '延长审核期限' : '延长审批期限');
      requireStatus(
        state,
        township
          ? ['received', 'investigating', 'township_review', 'first_notice']
          : ['county_review', 'second_notice'],
        township ? '延长审核期限' : '延长审批期限',
      );
      const deadline = state.deadlines[command.step]!;
      if (deadline.extended) {
        fail(
          'ALREADY_EXTENDED',
          `${STEP_NAMES[command.step]}期限只能延长一次，已延长至 ${dayText(deadline.dueAt)}`,
        );
      }
      if (Date.parse(command.now) > Date.parse(deadline.dueAt)) {
        fail(
          'DEADLINE_PASSED',
          `${STEP_NAMES[command.step]}期限（${dayText(deadline.dueAt)}）已过，不能再延长`,
        );
      }
      return [
        {
          type: 'civil-affairs.DibaoDeadlineExtended',
          data: {
            ...ids(state),
            step: command.step,
            previousDueAt: deadline.dueAt,
            dueAt: command.dueAt,
            reason: requireText(command.reason, 'reason', '延长理由'),
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'PostNotice': {
      const first = command.notice === 'first';
      requireRole(command.officer, first ? TOWNSHIP : COUNTY, first ? '发布第一次公示' : '发布第二次公示');
      requireStatus(
        state,
        [first ? 'township_review' : 'county_review'],
        `发布${NOTICE_NAMES[command.notice]}`,
      );
      requireNotPaused(state, '发布公示');
      const review = first ? state.townshipReview : state.countyReview;
      if (!review) {
        fail('REVIEW_REQUIRED', first ? '须先提出乡镇（街道）审核意见' : '须先完成旗县区审批材料审查');
      }
      if (review.recommendation !== 'approve') {
        fail('NOTICE_ONLY_FOR_APPROVAL', '审核意见为不同意保障的，不予公示');
      }
      if (!first && state.mustReject) fail('OBJECTION_UPHELD', '异议成立，只能作出不予保障决定');
      if (!first && state.sample?.sampled && !state.spotCheck) {
        fail('SPOT_CHECK_REQUIRED', '该申请被抽中入户抽查（或为经办人员近亲属），须先记录入户核查结果');
      }
      const step = first ? 'township_review' : 'county_decision';
      return [
        {
          type: 'civil-affairs.DibaoNoticePosted',
          data: {
            ...ids(state),
            program: state.details!.program,
            notice: command.notice,
            villageCode: state.details!.villageCode,
            startsAt: command.now,
            endsAt: calendarDaysFrom(command.now, command.rules.noticeDays),
            step,
            stepDueAt: plusDays(state.deadlines[step]!.dueAt, command.rules.noticeDays),
            by: command.officer,
            rules: command.rules.version,
            at: command.now,
          },
        },
      ];
    }

    case 'SubmitToCounty': {
      requireRole(command.officer, TOWNSHIP, '报送旗县区民政部门');
      requireStatus(state, ['township_review', 'first_notice'], '报送旗县区民政部门');
      requireNotPaused(state, '报送');
      if (decidedAtTownship(state)) {
        fail(
          'TOWNSHIP_CONFIRMS',
          '本旗县区已将低保、特困审核确认权限下放乡镇（街道）：公示期满后由乡镇（街道）直接作出决定，无需报送',
        );
      }
      if (!state.townshipReview) fail('REVIEW_REQUIRED', '须先提出乡镇（街道）审核意见');
      if (state.status === 'township_review' && state.townshipReview.recommendation === 'approve') {
        fail('NOTICE_REQUIRED', '同意保障的审核意见须先在村（社区）公示 7 天');
      }
      if (
        state.status === 'first_notice' &&
        Date.parse(command.now) <= Date.parse(state.currentNotice!.endsAt)
      ) {
        fail(
          'NOTICE_RUNNING',
          `第一次公示至 ${dayText(state.currentNotice!.endsAt)} 期满，公示期满后方可报送`,
        );
      }
      const events: DibaoEvent[] = [
        {
          type: 'civil-affairs.DibaoSubmittedToCounty',
          data: {
            ...ids(state),
            recommendation: state.townshipReview.recommendation,
            countyDecisionDueAt: command.countyDeadline.dueAt,
            deadlinesProvisional: command.countyDeadline.provisionalYears,
            by: command.officer,
            at: command.now,
          },
        },
      ];
      if (!state.sample && command.sample) {
        events.push({
          type: 'civil-affairs.DibaoSpotCheckSampled',
          data: { ...ids(state), ...command.sample, at: command.now },
        });
      }
      return events;
    }

    case 'RecordStaffRelativeFiling': {
      requireRole(command.officer, COUNTY, '记录经办人员近亲属备案');
      requireStatus(
        state,
        ['received', 'investigating', 'township_review', 'first_notice', 'county_review', 'second_notice'],
        '记录备案',
      );
      if (!state.staffRelative) fail('NOT_STAFF_RELATIVE', '该申请未涉及经办人员及其近亲属，无需备案');
      return [
        {
          type: 'civil-affairs.DibaoStaffRelativeFilingRecorded',
          data: {
            ...ids(state),
            note: requireText(command.note, 'note', '备案说明'),
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'RecordCountyReview': {
      requireRole(command.officer, COUNTY, '审查申请材料');
      requireStatus(state, ['county_review'], '审查申请材料');
      requireNotPaused(state, '审查');
      assertNotSelfApproval(state, command.officer, 'county');
      if (command.recommendation === 'approve' && state.mustReject) {
        fail('OBJECTION_UPHELD', '异议成立，只能作出不予保障决定');
      }
      return [
        {
          type: 'civil-affairs.DibaoCountyReviewed',
          data: {
            ...ids(state),
            recommendation: command.recommendation,
            opinion: requireText(command.opinion, 'opinion', '审查意见'),
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'RecordSpotCheck': {
      requireRole(command.officer, COUNTY, '记录入户抽查');
      requireStatus(state, ['county_review', 'second_notice'], '记录入户抽查');
      const visitors = [...new Set(command.spotCheck.visitors.map((v) => v.trim()).filter(Boolean))];
      if (visitors.length === 0)
        fail('FIELD_REQUIRED', 'visitors：须记录入户核查人员', 422, { field: 'visitors' });
      return [
        {
          type: 'civil-affairs.DibaoSpotCheckRecorded',
          data: {
            ...ids(state),
            ...command.spotCheck,
            visitors,
            findings: requireText(command.spotCheck.findings, 'findings', '核查情况'),
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'FileObjection': {
      if (state.status === 'none') fail('APPLICATION_NOT_FOUND', '未找到该公示对象', 404);
      const notice = state.currentNotice;
      if (
        !notice ||
        !['first_notice', 'second_notice'].includes(state.status) ||
        Date.parse(command.now) > Date.parse(notice.endsAt)
      ) {
        fail('NOT_IN_NOTICE', '该申请当前不在公示期内，不能提出异议', 409);
      }
      return [
        {
          type: 'civil-affairs.DibaoObjectionFiled',
          data: {
            ...ids(state),
            objectionId: command.objectionId,
            reference: command.reference,
            notice: notice.kind,
            content: requireText(command.content, 'content', '异议内容'),
            contact: command.contact?.trim() || null,
            dueAt: command.deadline.dueAt,
            at: command.now,
          },
        },
      ];
    }

    case 'DecideObjection': {
      requireRole(command.officer, COUNTY, '作出异议复核决定');
      requireStatus(
        state,
        ['township_review', 'first_notice', 'county_review', 'second_notice'],
        '作出异议复核决定',
      );
      const objection = state.objections.find((o) => o.objectionId === command.objectionId);
      if (!objection) fail('OBJECTION_NOT_FOUND', '异议不存在', 404);
      if (objection.status !== 'pending')
        fail('OBJECTION_DECIDED', `异议（${objection.reference}）已作出复核决定`);
      if (command.result === 'upheld' && !command.next) {
        fail('NEXT_REQUIRED', 'next：异议成立的，须决定退回乡镇（街道）重新审核或不予保障', 422, {
          field: 'next',
        });
      }
      const next = command.result === 'upheld' ? command.next : null;
      const stillPending = state.objections.filter(
        (o) => o.status === 'pending' && o.objectionId !== objection.objectionId,
      ).length;
      const deadlines: Partial<Record<Step, string>> = {};
      const paused = state.pausedAt ? Date.parse(command.now) - Date.parse(state.pausedAt) : 0;
      const running = runningStep(state.status);
      if (next === 'township_review') {
        deadlines.township_review = command.townshipReviewDeadline.dueAt;
      } else if (next === 'rejection' && running === 'township_review' && !decidedAtTownship(state)) {
        deadlines.county_decision = command.countyDeadline.dueAt;
      } else if (stillPending === 0 && running && state.deadlines[running]) {
        deadlines[running] = plusMs(state.deadlines[running].dueAt, paused);
      }
      return [
        {
          type: 'civil-affairs.DibaoObjectionDecided',
          data: {
            ...ids(state),
            objectionId: objection.objectionId,
            result: command.result,
            next,
            opinion: requireText(command.opinion, 'opinion', '复核意见'),
            deadlines,
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'ApproveApplication': {
      const level = decisionLevel(state);
      requireRole(command.officer, level.roles, '批准保障');
      requireStatus(state, [level.approveFrom], '批准保障');
      requireNotPaused(state, '作出决定');
      assertNotSelfApproval(state, command.officer, 'county');
      if (state.mustReject) fail('OBJECTION_UPHELD', '异议成立，只能作出不予保障决定');
      if (Date.parse(command.now) <= Date.parse(state.currentNotice!.endsAt)) {
        fail(
          'NOTICE_RUNNING',
          `${NOTICE_NAMES[state.currentNotice!.kind]}至 ${dayText(state.currentNotice!.endsAt)} 期满，公示期满无异议后方可批准`,
        );
      }
      if (state.sample?.sampled && !state.spotCheck) {
        fail('SPOT_CHECK_REQUIRED', '该申请须入户核查，尚未记录核查结果');
      }
      if (state.spotCheck && !state.spotCheck.confirmed) {
        fail('SPOT_CHECK_NOT_CONFIRMED', '入户核查未能证实申请情况，不能批准');
      }
      if (state.staffRelative && !state.filing) {
        fail('FILING_REQUIRED', '该申请涉及经办人员或村（居）干部及其近亲属，须先记录备案后方可批准', 409);
      }
      const details = state.details!;
      if (!command.standard) {
        fail(
          'STANDARD_MISSING',
          `${command.countyName}在 ${command.day} 没有生效的${PROGRAM_NAMES[details.program]}保障标准，请先由管理员录入（政策参数：保障标准）`,
          422,
          { countyCode: details.countyCode },
        );
      }
      const inv = state.investigation!;
      if (details.program === 'special_hardship') {
        const c = inv.specialHardship!;
        const missing = [
          !c.noWorkCapacity && '无劳动能力',
          !c.noIncomeSource && '无生活来源',
          !c.noSupporterAble && '无法定赡养、抚养、扶养义务人或其无履行义务能力',
        ].filter(Boolean);
        if (missing.length > 0) {
          fail('NOT_SPECIAL_HARDSHIP', `不符合特困人员认定条件：调查记录未确认${missing.join('、')}`, 422);
        }
      }
      const outcome = computeAllowance({
        program: details.program,
        area: inv.area,
        household: inv.household,
        incomes: inv.incomes,
        standard: command.standard,
        day: command.day,
        rules: command.rules,
      });
      if (!outcome.eligible) {
        fail(
          'INCOME_NOT_BELOW_STANDARD',
          `家庭月人均收入（${outcome.perCapitaIncome} 元）不低于${command.countyName}保障标准（${outcome.standardMonthly} 元/人·月），不能批准`,
          422,
        );
      }
      const amount = outcome.allowance.monthlyAmount;
      return [
        {
          type: 'civil-affairs.DibaoDecisionMade',
          data: {
            ...ids(state),
            program: details.program,
            outcome: 'granted',
            monthlyAmount: amount,
            documentNumber: command.documentNumber,
            documentType: 'approval',
            level: decidedAtTownship(state) ? 'township' : 'county',
            allowance: outcome.allowance,
            reasons: [],
            opinion: requireText(command.opinion, 'opinion', '审批意见'),
            by: command.officer,
            policy: command.policy,
            rules: command.rules.version,
            at: command.now,
          },
        },
        {
          type: 'civil-affairs.ReferralCompleted',
          data: {
            ...ids(state),
            outcome: 'granted',
            amount,
            service: `${PROGRAM_NAMES[details.program]}，每月 ${amount} 元（${command.documentNumber}）`,
            reason: null,
            officerId: command.officer.id,
            at: command.now,
          },
        },
      ];
    }

    case 'RejectApplication': {
      const level = decisionLevel(state);
      requireRole(command.officer, level.roles, '作出不予保障决定');
      requireStatus(state, level.rejectFrom, '作出不予保障决定');
      if (decidedAtTownship(state) && !state.townshipReview) {
        fail('REVIEW_REQUIRED', '须先提出乡镇（街道）审核意见');
      }
      requireNotPaused(state, '作出决定');
      assertNotSelfApproval(state, command.officer, 'county');
      const reasons = command.reasons.map((r) => r.trim()).filter(Boolean);
      if (reasons.length === 0)
        fail('REASONS_REQUIRED', 'reasons：不予保障须写明理由', 422, { field: 'reasons' });
      return [
        {
          type: 'civil-affairs.DibaoDecisionMade',
          data: {
            ...ids(state),
            program: state.details!.program,
            outcome: 'not_eligible',
            monthlyAmount: null,
            documentNumber: command.documentNumber,
            documentType: 'rejection',
            level: decidedAtTownship(state) ? 'township' : 'county',
            allowance: null,
            reasons,
            opinion: requireText(command.opinion, 'opinion', '审批意见'),
            by: command.officer,
            policy: {},
            rules: command.rules.version,
            at: command.now,
          },
        },
        {
          type: 'civil-affairs.ReferralCompleted',
          data: {
            ...ids(state),
            outcome: 'not_eligible',
            amount: null,
            service: null,
            reason: reasons.join('；'),
            officerId: command.officer.id,
            at: command.now,
          },
        },
      ];
    }

    case 'RecordRecheck': {
      requireRole(command.officer, [...TOWNSHIP, ...COUNTY], '记录复查');
      requireStatus(state, ['granted'], '记录复查');
      return [
        {
          type: 'civil-affairs.DibaoRecheckRecorded',
          data: {
            ...ids(state),
            date: command.date,
            findings: requireText(command.findings, 'findings', '复查情况'),
            conclusion: command.conclusion,
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'ChangeAllowance': {
      requireRole(command.officer, COUNTY, '变更保障金');
      requireStatus(state, ['granted'], '变更保障金');
      const since = state.changes.at(-1)?.at ?? state.decision!.at;
      const recheck = state.rechecks.at(-1);
      if (!recheck || recheck.conclusion !== 'changed' || Date.parse(recheck.at) < Date.parse(since)) {
        fail('RECHECK_REQUIRED', '变更保障金须先有结论为“情况有变化”的复查记录');
      }
      const applicants = command.household.filter((m) => m.relationship === 'applicant');
      if (applicants.length !== 1) {
        fail('ONE_APPLICANT', 'household：家庭成员中必须有且只有一名申请人', 422, { field: 'household' });
      }
      const idNumbers = command.household.map((m) => m.idNumber);
      if (new Set(idNumbers).size !== idNumbers.length) {
        fail('DUPLICATE_MEMBER', 'household：家庭成员身份证号码重复', 422, { field: 'household' });
      }
      const details = state.details!;
      if (!command.standard) {
        fail(
          'STANDARD_MISSING',
          `${command.countyName}在 ${command.day} 没有生效的${PROGRAM_NAMES[details.program]}保障标准，请先由管理员录入（政策参数：保障标准）`,
          422,
          { countyCode: details.countyCode },
        );
      }
      const outcome = computeAllowance({
        program: details.program,
        area: command.area,
        household: command.household,
        incomes: command.incomes,
        standard: command.standard,
        day: command.day,
        rules: command.rules,
      });
      if (!outcome.eligible) {
        fail(
          'INCOME_NOT_BELOW_STANDARD',
          `家庭月人均收入（${outcome.perCapitaIncome} 元）不低于${command.countyName}保障标准（${outcome.standardMonthly} 元/人·月），应当停保而非变更`,
          422,
        );
      }
      const previousAmount = currentAmount(state)!;
      if (outcome.allowance.monthlyAmount === previousAmount) {
        fail('AMOUNT_UNCHANGED', `重新计算的月保障金仍为 ${previousAmount} 元，无需变更`);
      }
      return [
        {
          type: 'civil-affairs.DibaoAllowanceChanged',
          data: {
            ...ids(state),
            program: details.program,
            previousAmount,
            monthlyAmount: outcome.allowance.monthlyAmount,
            documentNumber: command.documentNumber,
            documentType: 'change',
            allowance: outcome.allowance,
            household: command.household,
            incomes: command.incomes,
            area: command.area,
            opinion: requireText(command.opinion, 'opinion', '变更意见'),
            by: command.officer,
            policy: command.policy,
            rules: command.rules.version,
            at: command.now,
          },
        },
      ];
    }

    case 'SuspendAssistance': {
      requireRole(command.officer, COUNTY, '停止保障');
      requireStatus(state, ['granted'], '停止保障');
      const reasons = command.reasons.map((r) => r.trim()).filter(Boolean);
      if (reasons.length === 0)
        fail('REASONS_REQUIRED', 'reasons：停保须写明理由', 422, { field: 'reasons' });
      return [
        {
          type: 'civil-affairs.DibaoAssistanceSuspended',
          data: {
            ...ids(state),
            program: state.details!.program,
            documentNumber: command.documentNumber,
            documentType: 'suspension',
            reasons,
            opinion: requireText(command.opinion, 'opinion', '停保意见'),
            by: command.officer,
            rules: command.rules.version,
            at: command.now,
          },
        },
      ];
    }

    case 'WithdrawApplication': {
      // A decided or withdrawn application keeps the record it was judged by.
      if (state.status === 'none' || TERMINAL.includes(state.status)) return [];
      return [
        {
          type: 'civil-affairs.DibaoApplicationWithdrawn',
          data: { ...ids(state), reason: command.reason, at: command.now },
        },
      ];
    }

    case 'MarkOverdue': {
      if (state.status === 'none' || TERMINAL.includes(state.status)) return [];
      const now = Date.parse(command.now);
      const events: DibaoEvent[] = [];
      const overdue = (step: Step | 'objection', dueAt: string, objectionId: string | null) => {
        events.push(
          {
            type: 'civil-affairs.DibaoStepOverdue',
            data: { ...ids(state), step, objectionId, dueAt, heldBy: state.heldBy, at: command.now },
          },
          {
            type: 'civil-affairs.ReferralOverdue',
            data: {
              ...ids(state),
              deadline: step === 'investigation' ? 'acknowledge' : 'decide',
              dueAt,
              heldBy: state.heldBy,
            },
          },
        );
      };
      for (const step of ['investigation', 'township_review', 'county_decision'] as const) {
        const d = state.deadlines[step];
        if (!d || d.done || d.overdue || now <= Date.parse(d.dueAt)) continue;
        // While an objection is handled the step's clock stands still; the objection has its own.
        if (step !== 'investigation' && state.pausedAt) continue;
        overdue(step, d.dueAt, null);
      }
      for (const o of state.objections) {
        if (o.status === 'pending' && !o.overdue && now > Date.parse(o.dueAt))
          overdue('objection', o.dueAt, o.objectionId);
      }
      return events;
    }

    case 'RecountDeadlines': {
      if (state.status === 'none' || TERMINAL.includes(state.status)) return [];
      const years = new Set<string>();
      const steps: Array<{ step: Step; previousDueAt: string; dueAt: string }> = [];
      for (const step of ['investigation', 'township_review', 'county_decision'] as const) {
        const d = state.deadlines[step];
        if (!d || d.done) continue;
        const loaded = d.provisionalYears.filter((y) => command.calendar.years[y]);
        if (loaded.length === 0) continue;
        loaded.forEach((y) => years.add(y));
        // The count without the shifts (notice days, pauses), recounted, then shifted again.
        const shift = d.shiftMs ?? 0;
        let count = new Date(Date.parse(d.dueAt) - shift).toISOString();
        for (const y of loaded) count = recountInYear(count, y, command.calendar) ?? count;
        const dueAt = new Date(Date.parse(count) + shift).toISOString();
        if (dueAt !== d.dueAt) steps.push({ step, previousDueAt: d.dueAt, dueAt });
      }
      if (years.size === 0) return [];
      const loadedYears = [...years].sort();
      return [
        {
          type: 'civil-affairs.DibaoDeadlinesRecounted',
          data: {
            ...ids(state),
            steps,
            years: loadedYears,
            calendar: command.calendarVersion,
            reason: `已载入 ${loadedYears.join('、')} 年工作日历（第 ${command.calendarVersion} 版），按实际节假日重新计算期限`,
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

// ---------------------------------------------------------------------------------------------------

function withHistory(
  state: DibaoState,
  step: string,
  officer: Officer | null,
  opinion: string | null,
  at: string,
): DibaoState {
  return {
    ...state,
    heldBy: officer?.id ?? state.heldBy,
    history: [...state.history, { step, officer, opinion, at }],
  };
}

function deadline(dueAt: string, provisionalYears: string[] = []): StepDeadline {
  return { dueAt, extended: false, done: false, overdue: false, provisionalYears, shiftMs: 0 };
}

/** A running deadline moved by calendar time (a notice, a pause): the shift is kept apart from the count. */
function moveDeadline(state: DibaoState, step: Step, dueAt: string): DibaoState['deadlines'] {
  const current = state.deadlines[step];
  if (!current) return { ...state.deadlines, [step]: deadline(dueAt) };
  const shiftMs = (current.shiftMs ?? 0) + Date.parse(dueAt) - Date.parse(current.dueAt);
  return { ...state.deadlines, [step]: { ...current, dueAt, shiftMs } };
}

function finish(state: DibaoState, step: Step): DibaoState['deadlines'] {
  const current = state.deadlines[step];
  return current ? { ...state.deadlines, [step]: { ...current, done: true } } : state.deadlines;
}

export function evolveDibao(state: DibaoState, event: DibaoEvent): DibaoState {
  switch (event.type) {
    case 'civil-affairs.DibaoApplicationReceived': {
      const d = event.data;
      const details: ApplicationDetails = {
        applicationId: d.applicationId,
        caseId: d.caseId,
        caseNumber: d.caseNumber,
        program: d.program,
        villageCode: d.villageCode,
        townshipCode: d.townshipCode,
        countyCode: d.countyCode,
        area: d.area,
        applicant: d.applicant,
        description: d.description,
        urgency: d.urgency,
        acceptedBy: d.acceptedBy ?? null,
        confirmation: d.confirmation ?? 'county',
      };
      return {
        ...state,
        status: 'received',
        details,
        receivedAt: d.at,
        rules: d.rules,
        checkedIdNumbers: d.applicant ? [d.applicant.idNumber] : [],
        deadlines: {
          investigation: deadline(d.investigationDueAt, d.deadlinesProvisional),
          township_review: deadline(d.townshipReviewDueAt, d.deadlinesProvisional),
          county_decision: null,
        },
        history: [{ step: 'received', officer: null, opinion: null, at: d.at }],
      };
    }
    case 'civil-affairs.ReferralReceived':
    case 'civil-affairs.ReferralAcknowledged':
    case 'civil-affairs.ReferralAccepted':
    case 'civil-affairs.ReferralCompleted':
    case 'civil-affairs.ReferralOverdue':
      // The referral lifecycle mirrors the application's own events, which carry the state.
      return state;
    case 'civil-affairs.DibaoStaffRelativeFlagged':
      return {
        ...state,
        staffRelative: true,
        staffMatches: [...state.staffMatches, ...event.data.matches],
      };
    case 'civil-affairs.DibaoInvestigationStarted':
      return {
        ...withHistory(state, 'investigation_started', event.data.by, null, event.data.at),
        status: 'investigating',
        investigationStarted: { by: event.data.by, at: event.data.at },
      };
    case 'civil-affairs.DibaoInvestigationRecorded': {
      const { caseId: _c, referralId: _r, by, onBehalfOf: _o, rules: _ru, at, ...record } = event.data;
      return {
        ...withHistory(state, 'investigation', by, record.livingConditions, at),
        investigation: { ...record, by, at },
        details: state.details ? { ...state.details, area: record.area } : state.details,
        checkedIdNumbers: [
          ...new Set([...state.checkedIdNumbers, ...record.household.map((m) => m.idNumber)]),
        ],
        deadlines: finish(state, 'investigation'),
      };
    }
    case 'civil-affairs.DibaoVerificationRecorded': {
      const d = event.data;
      return {
        ...withHistory(state, 'verification', d.by, d.conclusion, d.at),
        verification: {
          findings: d.findings,
          conclusion: d.conclusion,
          verificationId: d.verificationId ?? null,
          by: d.by,
          at: d.at,
        },
      };
    }
    case 'civil-affairs.DibaoAppraisalHeld': {
      const d = event.data;
      return {
        ...withHistory(state, 'appraisal', d.by, d.record, d.at),
        appraisal: {
          held: true,
          date: d.date,
          participantsDue: d.participantsDue,
          attended: d.attended,
          agreed: d.agreed,
          signed: d.signed,
          record: d.record,
          valid: d.valid,
          passed: d.passed,
          by: d.by,
          at: d.at,
        },
      };
    }
    case 'civil-affairs.DibaoAppraisalSkipped': {
      const d = event.data;
      return {
        ...withHistory(state, 'appraisal_skipped', d.by, d.reason, d.at),
        appraisal: { held: false, reason: d.reason, by: d.by, at: d.at },
      };
    }
    case 'civil-affairs.DibaoTownshipReviewBegun':
      return {
        ...withHistory(state, 'township_review_begun', event.data.by, null, event.data.at),
        status: 'township_review',
        reviewBegun: true,
      };
    case 'civil-affairs.DibaoTownshipReviewed': {
      const d = event.data;
      return {
        ...withHistory(state, 'township_review', d.by, d.opinion, d.at),
        townshipReview: { recommendation: d.recommendation, opinion: d.opinion, by: d.by, at: d.at },
        townshipReviewers: [...new Set([...state.townshipReviewers, d.by.id])],
      };
    }
    case 'civil-affairs.DibaoDeadlineExtended': {
      const d = event.data;
      const current = state.deadlines[d.step]!;
      return {
        ...withHistory(state, `${d.step}_extended`, d.by, d.reason, d.at),
        // The extension is a new working-day count from the old due day.
        deadlines: {
          ...state.deadlines,
          [d.step]: { ...current, dueAt: d.dueAt, extended: true, shiftMs: 0 },
        },
      };
    }
    case 'civil-affairs.DibaoDeadlinesRecounted': {
      const d = event.data;
      const deadlines = { ...state.deadlines };
      for (const step of ['investigation', 'township_review', 'county_decision'] as const) {
        const current = deadlines[step];
        if (!current) continue;
        const moved = d.steps.find((x) => x.step === step);
        deadlines[step] = {
          ...current,
          dueAt: moved?.dueAt ?? current.dueAt,
          provisionalYears: current.provisionalYears.filter((y) => !d.years.includes(y)),
        };
      }
      return { ...withHistory(state, 'deadlines_recounted', null, d.reason, d.at), deadlines };
    }
    case 'civil-affairs.DibaoNoticePosted': {
      const d = event.data;
      const notice: Notice = { kind: d.notice, startsAt: d.startsAt, endsAt: d.endsAt, by: d.by };
      return {
        ...withHistory(state, `${d.notice}_notice`, d.by, null, d.at),
        status: d.notice === 'first' ? 'first_notice' : 'second_notice',
        notices: [...state.notices, notice],
        currentNotice: notice,
        deadlines: moveDeadline(state, d.step, d.stepDueAt),
      };
    }
    case 'civil-affairs.DibaoSubmittedToCounty': {
      const d = event.data;
      return {
        ...withHistory(state, 'submitted', d.by, null, d.at),
        status: 'county_review',
        submittedAt: d.at,
        currentNotice: null,
        deadlines: {
          ...finish(state, 'township_review'),
          county_decision: deadline(d.countyDecisionDueAt, d.deadlinesProvisional),
        },
      };
    }
    case 'civil-affairs.DibaoSpotCheckSampled': {
      const { caseId: _c, referralId: _r, at: _a, ...sample } = event.data;
      return { ...state, sample };
    }
    case 'civil-affairs.DibaoStaffRelativeFilingRecorded': {
      const d = event.data;
      return {
        ...withHistory(state, 'staff_relative_filing', d.by, d.note, d.at),
        filing: { note: d.note, by: d.by, at: d.at },
      };
    }
    case 'civil-affairs.DibaoCountyReviewed': {
      const d = event.data;
      return {
        ...withHistory(state, 'county_review', d.by, d.opinion, d.at),
        countyReview: { recommendation: d.recommendation, opinion: d.opinion, by: d.by, at: d.at },
        countyApprovers: [...new Set([...state.countyApprovers, d.by.id])],
      };
    }
    case 'civil-affairs.DibaoSpotCheckRecorded': {
      const { caseId: _c, referralId: _r, by, at, ...check } = event.data;
      return {
        ...withHistory(state, 'spot_check', by, check.findings, at),
        spotCheck: { ...check, by, at },
      };
    }
    case 'civil-affairs.DibaoObjectionFiled': {
      const d = event.data;
      return {
        ...withHistory(state, 'objection_filed', null, null, d.at),
        objections: [
          ...state.objections,
          {
            objectionId: d.objectionId,
            reference: d.reference,
            notice: d.notice,
            content: d.content,
            contact: d.contact,
            filedAt: d.at,
            dueAt: d.dueAt,
            status: 'pending',
            next: null,
            opinion: null,
            decidedBy: null,
            decidedAt: null,
            overdue: false,
          },
        ],
        pausedAt: state.pausedAt ?? d.at,
      };
    }
    case 'civil-affairs.DibaoObjectionDecided': {
      const d = event.data;
      const objections = state.objections.map((o) =>
        o.objectionId === d.objectionId
          ? { ...o, status: d.result, next: d.next, opinion: d.opinion, decidedBy: d.by, decidedAt: d.at }
          : o,
      );
      const pending = objections.some((o) => o.status === 'pending');
      let next: DibaoState = {
        ...withHistory(state, `objection_${d.result}`, d.by, d.opinion, d.at),
        objections,
        pausedAt: pending ? state.pausedAt : null,
      };
      for (const [step, dueAt] of Object.entries(d.deadlines) as Array<[Step, string]>) {
        next = { ...next, deadlines: moveDeadline(next, step, dueAt) };
      }
      if (d.next === 'township_review') {
        next = {
          ...next,
          status: 'township_review',
          townshipReview: null,
          countyReview: null,
          currentNotice: null,
          submittedAt: null,
          deadlines: {
            ...next.deadlines,
            township_review: deadline(d.deadlines.township_review!),
            county_decision: null,
          },
        };
      } else if (d.next === 'rejection' && decidedAtTownship(state)) {
        // The township decides here: the rejection is its to make, within its own deadline.
        next = { ...next, status: 'township_review', mustReject: true, currentNotice: null };
      } else if (d.next === 'rejection') {
        next = {
          ...next,
          status: 'county_review',
          mustReject: true,
          currentNotice: null,
          deadlines: {
            ...next.deadlines,
            township_review: state.deadlines.township_review
              ? { ...state.deadlines.township_review, done: true }
              : null,
          },
        };
      }
      return next;
    }
    case 'civil-affairs.DibaoDecisionMade': {
      const d = event.data;
      return {
        ...withHistory(state, d.outcome === 'granted' ? 'approved' : 'rejected', d.by, d.opinion, d.at),
        status: d.outcome === 'granted' ? 'granted' : 'rejected',
        decision: d,
        currentNotice: null,
        countyApprovers: [...new Set([...state.countyApprovers, d.by.id])],
        deadlines: finish({ ...state, deadlines: finish(state, 'township_review') }, 'county_decision'),
      };
    }
    case 'civil-affairs.DibaoRecheckRecorded': {
      const { caseId: _c, referralId: _r, ...recheck } = event.data;
      return {
        ...withHistory(state, 'recheck', recheck.by, recheck.findings, recheck.at),
        rechecks: [...state.rechecks, recheck],
      };
    }
    case 'civil-affairs.DibaoAllowanceChanged':
      return {
        ...withHistory(state, 'changed', event.data.by, event.data.opinion, event.data.at),
        changes: [...state.changes, event.data],
      };
    case 'civil-affairs.DibaoAssistanceSuspended':
      return {
        ...withHistory(state, 'suspended', event.data.by, event.data.opinion, event.data.at),
        status: 'suspended',
        suspension: event.data,
      };
    case 'civil-affairs.RecipientCategoryChanged':
      return state;
    case 'civil-affairs.DibaoApplicationWithdrawn':
      return {
        ...withHistory(state, 'withdrawn', null, event.data.reason, event.data.at),
        status: 'withdrawn',
        withdrawnReason: event.data.reason,
        currentNotice: null,
      };
    case 'civil-affairs.DibaoStepOverdue': {
      const d = event.data;
      if (d.step === 'objection') {
        return {
          ...state,
          overdue: [...state.overdue, 'objection'],
          objections: state.objections.map((o) =>
            o.objectionId === d.objectionId ? { ...o, overdue: true } : o,
          ),
        };
      }
      const current = state.deadlines[d.step]!;
      return {
        ...state,
        overdue: [...state.overdue, d.step],
        deadlines: { ...state.deadlines, [d.step]: { ...current, overdue: true } },
      };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

/**
 * A grant, a change or a stop tells the other departments the household's category from that day (their
 * ratios and priorities depend on it): one event naming the members by ID number, decided with it.
 */
function withCategoryFacts(state: DibaoState, events: DibaoEvent[]): DibaoEvent[] {
  const reasonOf = (e: DibaoEvent): 'granted' | 'changed' | 'suspended' | null =>
    e.type === 'civil-affairs.DibaoDecisionMade' && e.data.outcome === 'granted'
      ? 'granted'
      : e.type === 'civil-affairs.DibaoAllowanceChanged'
        ? 'changed'
        : e.type === 'civil-affairs.DibaoAssistanceSuspended'
          ? 'suspended'
          : null;
  const decided = events.find((e) => reasonOf(e) !== null);
  if (!decided) return events;
  const reason = reasonOf(decided)!;
  const before = currentHousehold(state)?.map((m) => m.idNumber) ?? [];
  const after = currentHousehold(events.reduce(evolveDibao, state))?.map((m) => m.idNumber) ?? [];
  const at = (decided.data as { at: string }).at;
  // Before the decision's own events: the decision (and its referral completion) stays the stream's last word.
  return [
    {
      type: 'civil-affairs.RecipientCategoryChanged',
      data: {
        householdId: state.details!.applicationId,
        countyCode: state.details!.countyCode,
        memberIdNumbers: after,
        removedIdNumbers: reason === 'changed' ? before.filter((id) => !after.includes(id)) : [],
        category: reason === 'suspended' ? null : state.details!.program,
        effectiveFrom: new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10),
        reason,
        at,
      },
    },
    ...events,
  ];
}

export const dibaoDecider = {
  decide: (command: DibaoCommand, state: DibaoState) => withCategoryFacts(state, decideDibao(command, state)),
  evolve: evolveDibao,
  initialState: initialDibaoState,
};

/** The earliest deadline still running and not yet marked overdue: when the deadline watch looks again. */
export function nextDueAt(state: DibaoState): string | null {
  if (state.status === 'none' || TERMINAL.includes(state.status)) return null;
  const dues: string[] = [];
  for (const step of ['investigation', 'township_review', 'county_decision'] as const) {
    const d = state.deadlines[step];
    if (!d || d.done || d.overdue) continue;
    if (step !== 'investigation' && state.pausedAt) continue;
    dues.push(d.dueAt);
  }
  for (const o of state.objections) if (o.status === 'pending' && !o.overdue) dues.push(o.dueAt);
  return dues.sort()[0] ?? null;
}

/** The monthly amount in force: the last change's, or the decision's. */
export function currentAmount(state: DibaoState): number | null {
  return state.changes.at(-1)?.monthlyAmount ?? state.decision?.monthlyAmount ?? null;
}

/** The household as last recorded: the last change's, or the investigation's. */
export function currentHousehold(state: DibaoState): HouseholdMember[] | null {
  return state.changes.at(-1)?.household ?? state.investigation?.household ?? null;
}

/** Whether the application is paused by a pending objection. */
export const isPaused = (state: DibaoState) => state.objections.some((o) => o.status === 'pending');

/** Whether the investigation's village says urban (社区, residents' committee) or rural. */
export function areaOfVillageName(name: string): Area {
  return /社区|居委会|居民委员会/.test(name) ? 'urban' : 'rural';
}
