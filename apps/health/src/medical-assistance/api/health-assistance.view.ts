import { maskIdNumber, maskName } from '@platform/auth';
import {
  REASON_NAMES,
  STATUS_NAMES as REPORT_STATUS_NAMES,
  type DiseaseEmergencyState,
} from '../domain/disease-emergency.decider.js';
import {
  CATEGORY_NAMES,
  CLAIM_STATUS_NAMES,
  claimStatusOf,
  FACT_NAMES,
  type CategoryFactData,
  type ClaimAssessedData,
  type MedicalAssistanceState,
  type YearStanding,
} from '../domain/medical-assistance.decider.js';
import { yuanOf } from '../domain/values.js';

type PlaceName = (code: string) => string;

/** An instant in Beijing time: 2026-11-05T10:00:00+08:00. */
const beijing = (iso: string) =>
  `${new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

const idNumberOf = (id: string, full: boolean) => (full ? id : maskIdNumber(id));

/** A claim as the officer reads it: every figure in yuan, the category by name, how the amount came about. */
export function claimView(c: ClaimAssessedData, full: boolean, placeName: PlaceName) {
  const status = claimStatusOf(c);
  return {
    claimId: c.claimId,
    person: {
      name: c.person.name,
      idNumber: idNumberOf(c.person.idNumber, full),
      householdId: c.person.householdId,
    },
    countyCode: c.countyCode,
    countyName: placeName(c.countyCode),
    serviceDate: c.serviceDate,
    year: c.year,
    hospital: c.hospital,
    seriousIllness: c.seriousIllness,
    totalCostYuan: yuanOf(c.totalCostFen),
    inPolicyCostYuan: yuanOf(c.inPolicyCostFen),
    basicInsurancePaidYuan: yuanOf(c.basicInsurancePaidFen),
    criticalIllnessInsurancePaidYuan: yuanOf(c.criticalIllnessInsurancePaidFen),
    inPolicyOutOfPocketYuan: yuanOf(c.inPolicyOutOfPocketFen),
    category: c.category,
    categoryName: CATEGORY_NAMES[c.category],
    ratioPercent: c.ratioPercent,
    annualDeductibleYuan: yuanOf(c.annualDeductibleFen),
    deductibleAppliedYuan: yuanOf(c.deductibleAppliedFen),
    annualCapYuan: yuanOf(c.annualCapFen),
    paidInYearBeforeYuan: yuanOf(c.paidInYearBeforeFen),
    computedYuan: yuanOf(c.computedFen),
    assistanceYuan: yuanOf(c.assistanceFen),
    capReached: c.capReached,
    personalPaymentYuan: yuanOf(c.personalPaymentFen),
    status,
    statusName: CLAIM_STATUS_NAMES[status],
    explanation: c.explanation,
    policyVersion: c.policy['medical-assistance'],
    assessedByName: c.by.name,
    assessedAt: beijing(c.at),
  };
}

/** A person's year: the category then, the cap, what was paid and what remains. */
export function standingView(s: YearStanding) {
  return {
    year: s.year,
    category: s.category,
    categoryName: CATEGORY_NAMES[s.category],
    ratioPercent: s.ratioPercent,
    annualCapYuan: yuanOf(s.annualCapFen),
    paidYuan: yuanOf(s.paidFen),
    remainingYuan: yuanOf(s.remainingFen),
    annualDeductibleYuan: yuanOf(s.annualDeductibleFen),
    deductibleMetYuan: yuanOf(s.deductibleMetFen),
    deductibleRemainingYuan: yuanOf(s.deductibleRemainingFen),
    claims: s.claims,
    policyVersion: s.policyVersion,
  };
}

export function categoryFactView(f: CategoryFactData) {
  return {
    factId: f.factId,
    kind: f.kind,
    kindName: FACT_NAMES[f.kind],
    category: f.category,
    categoryName: f.category ? CATEGORY_NAMES[f.category] : null,
    effectiveFrom: f.effectiveFrom,
    source: f.source,
    claimsAlreadyAssessed: f.claimsAlreadyAssessed,
    recordedAt: beijing(f.at),
  };
}

/** A person's medical-assistance record in full (the view is recorded in the access log). */
export function personView(
  record: { state: MedicalAssistanceState; standing: YearStanding; asOf: string },
  placeName: PlaceName,
) {
  const { state } = record;
  return {
    person: state.person && {
      name: state.person.name || null,
      idNumber: state.person.idNumber,
      householdId: state.person.householdId,
    },
    asOf: record.asOf,
    standing: standingView(record.standing),
    categories: state.facts.map(categoryFactView),
    claims: [...state.claims].reverse().map((c) => claimView(c, true, placeName)),
  };
}

/** A disease-emergency report: the patient in full only on the recorded detail view. */
export function reportView(state: DiseaseEmergencyState, full: boolean, placeName: PlaceName) {
  const r = state.report!;
  const p = state.patient;
  return {
    reportId: r.reportId,
    status: state.status,
    statusName: REPORT_STATUS_NAMES[state.status],
    hospital: { code: r.hospital.code, name: r.hospital.name, countyCode: r.hospital.countyCode },
    countyName: placeName(r.hospital.countyCode),
    patient: p?.identified
      ? {
          identified: true,
          name: full ? p.name : maskName(p.name),
          idNumber: idNumberOf(p.idNumber, full),
          householdId: p.householdId,
        }
      : { identified: false, description: p && !p.identified ? p.description : null },
    reason: r.reason,
    reasonName: REASON_NAMES[r.reason],
    admittedOn: r.admittedOn,
    treatment: r.treatment,
    emergencyCostYuan: yuanOf(r.emergencyCostFen),
    paidByPatientYuan: yuanOf(r.paidByPatientFen),
    unpaidYuan: yuanOf(r.unpaidFen),
    reportedByName: r.reportedBy.name,
    reportedAt: beijing(r.at),
    review: state.review && {
      capPerCaseYuan: yuanOf(state.review.capPerCaseFen),
      approvedYuan: yuanOf(state.review.approvedFen),
      capReached: state.review.capReached,
      opinion: state.review.opinion,
      policyVersion: state.review.policy['disease-emergency'],
      byName: state.review.by.name,
      at: beijing(state.review.at),
    },
    refusal: state.refusal && {
      reasons: state.refusal.reasons,
      byName: state.refusal.by.name,
      at: beijing(state.refusal.at),
    },
    payment: state.payment && {
      amountYuan: yuanOf(state.payment.amountFen),
      paidTo: r.hospital.name,
      paymentReference: state.payment.paymentReference,
      paidOn: state.payment.paidOn,
      byName: state.payment.by.name,
      at: beijing(state.payment.at),
    },
  };
}
