import { ROLE_NAMES_ZH, type Role } from '@platform/auth';
import { AREA_NAMES, PROGRAM_NAMES } from '../domain/allowance.js';
import {
  currentAmount,
  decidedAtTownship,
  NOTICE_NAMES,
  RECHECK_NAMES,
  STATUS_NAMES,
  STEP_NAMES,
  type DibaoState,
  type Officer,
  type Step,
} from '../domain/dibao-application.decider.js';
import { SUPPLEMENT_NAMES } from '../domain/dibao-rules.js';
import type { Place } from '../application/queries/dibao-queries.js';

const HISTORY_NAMES: Record<string, string> = {
  received: '民政部门接收申请',
  investigation_started: '开始入户调查',
  investigation: '入户调查',
  verification: '家庭经济状况核对',
  appraisal: '民主评议',
  appraisal_skipped: '不开展民主评议',
  township_review_begun: '乡镇（街道）开始审核',
  township_review: '乡镇（街道）审核意见',
  township_review_extended: '延长审核期限',
  county_decision_extended: '延长审批期限',
  deadlines_recounted: '按新载入的工作日历重新计算期限',
  first_notice: '第一次公示',
  submitted: '报送旗县区民政部门',
  staff_relative_filing: '经办人员近亲属备案',
  county_review: '旗县区审批审查意见',
  spot_check: '入户抽查',
  second_notice: '第二次公示',
  objection_filed: '收到异议',
  objection_upheld: '异议成立',
  objection_dismissed: '异议不成立',
  recheck: '复查',
  changed: '变更保障金',
  suspended: '停止保障',
  approved: '批准保障',
  rejected: '不予保障',
  withdrawn: '撤回',
};

const officer = (o: Officer | null) =>
  o && { id: o.id, name: o.name, role: o.role, roleName: ROLE_NAMES_ZH[o.role as Role] ?? o.role };

/** An officer's view of an application: every step with who acted, their opinion and the deadlines. */
export function applicationView(state: DibaoState, place: Place) {
  const d = state.details!;
  return {
    applicationId: d.applicationId,
    caseId: d.caseId,
    caseNumber: d.caseNumber,
    program: d.program,
    programName: PROGRAM_NAMES[d.program],
    status: state.status,
    statusName: STATUS_NAMES[state.status],
    paused: state.objections.some((o) => o.status === 'pending'),
    villageCode: d.villageCode,
    townshipCode: d.townshipCode,
    countyCode: d.countyCode,
    place,
    area: d.area,
    areaName: AREA_NAMES[d.area],
    applicant: d.applicant,
    description: d.description,
    urgency: d.urgency,
    receivedAt: state.receivedAt,
    staffRelative: state.staffRelative,
    staffMatches: state.staffMatches,
    // Who makes the final decision: the township where the county delegated it, unless staff-relative.
    decidedBy: decidedAtTownship(state) ? 'township' : 'county',
    decidedByName: decidedAtTownship(state) ? '乡镇（街道）审核确认（权限下放）' : '旗县区民政部门审批',
    investigation: state.investigation && { ...state.investigation, by: officer(state.investigation.by) },
    verification: state.verification && { ...state.verification, by: officer(state.verification.by) },
    appraisal: state.appraisal && { ...state.appraisal, by: officer(state.appraisal.by) },
    townshipReview: state.townshipReview && { ...state.townshipReview, by: officer(state.townshipReview.by) },
    notices: state.notices.map((n) => ({ ...n, name: NOTICE_NAMES[n.kind], by: officer(n.by) })),
    currentNotice: state.currentNotice && {
      ...state.currentNotice,
      name: NOTICE_NAMES[state.currentNotice.kind],
    },
    submittedAt: state.submittedAt,
    spotCheckSample: state.sample,
    spotCheck: state.spotCheck && { ...state.spotCheck, by: officer(state.spotCheck.by) },
    staffRelativeFiling: state.filing && { ...state.filing, by: officer(state.filing.by) },
    countyReview: state.countyReview && { ...state.countyReview, by: officer(state.countyReview.by) },
    objections: state.objections.map((o) => ({
      ...o,
      noticeName: NOTICE_NAMES[o.notice],
      statusName: o.status === 'pending' ? '待复核' : o.status === 'upheld' ? '异议成立' : '异议不成立',
      decidedBy: officer(o.decidedBy),
    })),
    mustReject: state.mustReject,
    decision: state.decision && {
      ...state.decision,
      outcomeName: state.decision.outcome === 'granted' ? '批准保障' : '不予保障',
      levelName: state.decision.level === 'township' ? '乡镇（街道）审核确认' : '旗县区民政部门审批',
      documentName: state.decision.documentType === 'approval' ? '保障决定书' : '不予保障通知书',
      by: officer(state.decision.by),
      allowance: state.decision.allowance && {
        ...state.decision.allowance,
        supplements: state.decision.allowance.supplements.map((s) => ({
          ...s,
          kindNames: s.kinds.map((k) => SUPPLEMENT_NAMES[k]),
        })),
      },
    },
    rechecks: state.rechecks.map((r) => ({
      ...r,
      conclusionName: RECHECK_NAMES[r.conclusion],
      by: officer(r.by),
    })),
    changes: state.changes.map((c) => ({ ...c, documentName: '变更决定书', by: officer(c.by) })),
    currentMonthlyAmount: currentAmount(state),
    suspension: state.suspension && {
      ...state.suspension,
      documentName: '停止保障通知书',
      by: officer(state.suspension.by),
    },
    deadlines: (Object.keys(state.deadlines) as Step[])
      .filter((k) => state.deadlines[k])
      .map((k) => ({ step: k, stepName: STEP_NAMES[k], ...state.deadlines[k]! })),
    overdue: state.overdue.map((s) => ({ step: s, stepName: STEP_NAMES[s] })),
    history: state.history.map((h) => ({
      ...h,
      stepName: HISTORY_NAMES[h.step] ?? h.step,
      officer: officer(h.officer),
    })),
    rules: state.rules,
    withdrawnReason: state.withdrawnReason,
  };
}

/** Where an application stands after a step: status, deadlines, notice, decision; no personal data. */
export function stepView(state: DibaoState) {
  const d = state.details!;
  return {
    applicationId: d.applicationId,
    caseId: d.caseId,
    caseNumber: d.caseNumber,
    program: d.program,
    status: state.status,
    statusName: STATUS_NAMES[state.status],
    paused: state.objections.some((o) => o.status === 'pending'),
    staffRelative: state.staffRelative,
    currentNotice: state.currentNotice && {
      kind: state.currentNotice.kind,
      name: NOTICE_NAMES[state.currentNotice.kind],
      startsAt: state.currentNotice.startsAt,
      endsAt: state.currentNotice.endsAt,
    },
    spotCheckSample: state.sample,
    objections: state.objections.map((o) => ({
      objectionId: o.objectionId,
      reference: o.reference,
      notice: o.notice,
      status: o.status,
      dueAt: o.dueAt,
    })),
    decision: state.decision && {
      outcome: state.decision.outcome,
      monthlyAmount: state.decision.monthlyAmount,
      documentNumber: state.decision.documentNumber,
      documentType: state.decision.documentType,
      at: state.decision.at,
    },
    currentMonthlyAmount: currentAmount(state),
    changes: state.changes.map((c) => ({
      previousAmount: c.previousAmount,
      monthlyAmount: c.monthlyAmount,
      documentNumber: c.documentNumber,
      at: c.at,
    })),
    suspension: state.suspension && {
      documentNumber: state.suspension.documentNumber,
      documentType: state.suspension.documentType,
      at: state.suspension.at,
    },
    deadlines: (Object.keys(state.deadlines) as Step[])
      .filter((k) => state.deadlines[k])
      .map((k) => ({ step: k, stepName: STEP_NAMES[k], ...state.deadlines[k]! })),
    overdue: state.overdue,
    history: state.history.map((h) => ({
      step: h.step,
      stepName: HISTORY_NAMES[h.step] ?? h.step,
      officer: officer(h.officer),
      opinion: h.opinion,
      at: h.at,
    })),
  };
}
