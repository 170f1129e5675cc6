import { maskIdNumber } from '@platform/auth';
import {
  GRADE_NAMES,
  MEASURE_NAMES,
  STATUS_NAMES as RENOVATION_STATUS_NAMES,
  type HouseRenovationState,
} from '../domain/house-renovation.decider.js';
import { categoryName, type Household } from '../domain/household.js';
import { categoryOf, waitingListOn, type PublicRentalState } from '../domain/public-rental.decider.js';
import {
  STATUS_NAMES as SUBSIDY_STATUS_NAMES,
  type RentalSubsidyState,
} from '../domain/rental-subsidy.decider.js';
import { addMonths, yuanOf } from '../domain/values.js';
import { beijingTime } from '../application/housing-context.js';

type PlaceName = (code: string) => string;

function householdView(h: Household, full: boolean) {
  const id = (x: string) => (full ? x : maskIdNumber(x));
  return {
    headName: h.headName,
    headIdNumber: id(h.headIdNumber),
    memberIdNumbers: h.memberIdNumbers.map(id),
    size: h.memberIdNumbers.length,
  };
}

/** A renovation project as officers read it: grade, measure and status in Chinese, money in yuan. */
export function renovationView(state: HouseRenovationState, full: boolean, placeName: PlaceName) {
  const a = state.appraised!;
  const approval = state.approval;
  return {
    projectId: a.projectId,
    status: state.status,
    statusName: RENOVATION_STATUS_NAMES[state.status],
    household: householdView(a.household, full),
    villageCode: a.villageCode,
    villageName: placeName(a.villageCode) || a.villageCode,
    address: full ? a.address : null,
    category: a.category,
    categoryName: categoryName(a.category),
    appraisal: {
      grade: a.appraisal.grade,
      gradeName: GRADE_NAMES[a.appraisal.grade],
      appraisedOn: a.appraisal.appraisedOn,
      organisation: a.appraisal.organisation,
      reportNumber: a.appraisal.reportNumber,
      findings: a.appraisal.findings,
      recordedByName: a.by.name,
      recordedAt: beijingTime(a.at),
    },
    refusal: state.refusal && { reasons: state.refusal.reasons, at: beijingTime(state.refusal.at) },
    approval: approval && {
      measure: approval.measure,
      measureName: MEASURE_NAMES[approval.measure],
      subsidyYuan: yuanOf(approval.subsidyFen),
      documentNumber: approval.documentNumber,
      policyVersion: approval.policy['housing-assistance'],
      approvedByName: approval.by.name,
      approvedAt: beijingTime(approval.at),
    },
    startedOn: state.startedOn,
    completedOn: state.completedOn,
    inspections: state.inspections.map((i) => ({
      inspectedOn: i.inspectedOn,
      passed: i.passed,
      resultName: i.passed ? '验收合格' : '验收不合格，整改',
      findings: i.findings,
    })),
    payment: state.payment && {
      amountYuan: yuanOf(state.payment.amountFen),
      paymentReference: state.payment.paymentReference,
      paidOn: state.payment.paidOn,
    },
  };
}

const APPLICATION_STATUS_NAMES = {
  waiting: '轮候中',
  allocated: '已配租',
  removed: '已移出轮候名单',
} as const;

/** One household's application on a county's list, its place in line today (while waiting); ID numbers masked. */
export function applicationView(
  state: PublicRentalState,
  applicationId: string,
  today: string,
  priorityCategories: readonly string[],
  placeName: PlaceName,
) {
  const a = state.applications.find((x) => x.applicationId === applicationId)!;
  const line = waitingListOn(state, today, priorityCategories);
  const mine = line.find((x) => x.applicationId === applicationId);
  const category = categoryOf(a, today);
  return {
    applicationId,
    status: a.status,
    statusName: APPLICATION_STATUS_NAMES[a.status],
    household: householdView(a.household, false),
    jurisdictionCode: a.jurisdictionCode,
    jurisdictionName: placeName(a.jurisdictionCode) || a.jurisdictionCode,
    appliedOn: a.appliedOn,
    category,
    categoryName: categoryName(category),
    position: mine?.position ?? null,
    priority: mine?.priority ?? null,
    waiting: line.length,
    allocation: a.allocation && {
      unitId: a.allocation.unit.unitId,
      address: a.allocation.unit.address,
      bedrooms: a.allocation.unit.bedrooms,
      areaM2: a.allocation.unit.areaM2,
      allocatedOn: a.allocation.allocatedOn,
      documentNumber: a.allocation.documentNumber,
    },
    removal: a.removal && { reason: a.removal.reason, at: beijingTime(a.removal.at) },
  };
}

/** A rental subsidy: the months paid with their amounts, the review due, in yuan and Chinese. */
export function subsidyView(state: RentalSubsidyState, full: boolean, placeName: PlaceName) {
  const months = Object.entries(state.paid)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, p]) => ({ month, amountYuan: yuanOf(p.amountFen), paymentReference: p.paymentReference }));
  return {
    grantId: state.grantId,
    status: state.status,
    statusName: SUBSIDY_STATUS_NAMES[state.status],
    household: householdView(state.household!, full),
    /** The size on record for the latest months (a passed review may have changed it). */
    householdSize: state.sizes.at(-1)?.size ?? null,
    jurisdictionCode: state.jurisdictionCode,
    jurisdictionName: placeName(state.jurisdictionCode!) || state.jurisdictionCode,
    category: state.category,
    categoryName: categoryName(state.category!),
    firstMonth: state.firstMonth,
    documentNumber: state.documentNumber,
    grantedOn: state.grantedOn,
    reviewIntervalMonths: state.reviewIntervalMonths,
    reviewDueFrom: state.reviewDueFrom,
    /** The last month that may be paid before the next review. */
    paidUntilReview: state.reviewDueFrom ? addMonths(state.reviewDueFrom, -1) : null,
    lastReviewedOn: state.lastReviewedOn,
    months,
    paidTotalYuan: yuanOf(Object.values(state.paid).reduce((s, p) => s + p.amountFen, 0)),
    stoppedFrom: state.stoppedFrom,
    stopReasons: state.stopReasons,
  };
}
