import { maskIdNumber } from '@platform/auth';
import {
  LEAVING_NAMES,
  PROGRAMME_NAMES,
  recordOn,
  schoolYearName,
  STAGE_NAMES,
  TERM_NAMES,
  type EducationAssistanceState,
} from '../domain/education-assistance.decider.js';
import { yuanOf } from '../domain/values.js';
import { beijingTime } from '../application/education-context.js';

type PlaceName = (code: string) => string;

/**
 * A student as education officers read them: the school record in date order, each grant with its terms
 * (amount, paid or not), names of stages, programmes and places in Chinese, money in yuan. `full` only for
 * the detail view, which is recorded in the access log.
 */
export function studentView(
  studentId: string,
  state: EducationAssistanceState,
  full: boolean,
  placeName: PlaceName,
  focusGrantId?: string,
) {
  const s = state.student!;
  const record = [...state.record].sort((a, b) => a.from.localeCompare(b.from));
  const latest = record.at(-1) ?? null;
  return {
    studentId,
    name: s.name,
    idNumber: full ? s.idNumber : maskIdNumber(s.idNumber),
    atSchool: latest?.kind === 'enrolled',
    record: record.map((r) =>
      r.kind === 'enrolled'
        ? {
            kind: r.kind,
            kindName: '在校',
            from: r.from,
            stage: r.stage,
            stageName: STAGE_NAMES[r.stage],
            schoolName: r.school.name,
            schoolPlace: placeName(r.school.jurisdictionCode) || r.school.jurisdictionCode,
            boarder: r.boarder,
          }
        : {
            kind: r.kind,
            kindName: '离校',
            from: r.from,
            reason: r.reason,
            reasonName: LEAVING_NAMES[r.reason],
          },
    ),
    grants: state.grants.map((g) => ({
      grantId: g.grantId,
      programme: g.programme,
      programmeName: PROGRAMME_NAMES[g.programme],
      stageName: STAGE_NAMES[g.stage],
      schoolYear: g.schoolYear,
      schoolYearName: schoolYearName(g.schoolYear),
      yearlyYuan: yuanOf(g.yearlyFen),
      documentNumber: g.documentNumber,
      policyVersion: g.policy['education-assistance'],
      grantedByName: g.by.name,
      grantedAt: beijingTime(g.at),
      terms: g.instalments.map((i) => {
        const paid = g.paid[i.term];
        const on = recordOn(state, i.startsOn);
        return {
          term: i.term,
          termName: TERM_NAMES[i.term],
          startsOn: i.startsOn,
          amountYuan: yuanOf(i.amountFen),
          paid: Boolean(paid),
          paidOn: paid?.paidOn ?? null,
          paymentReference: paid?.paymentReference ?? null,
          /** A term that starts after the student left is not paid. */
          atSchoolOnFirstDay: on?.kind === 'enrolled',
        };
      }),
    })),
    ...(focusGrantId ? { grantId: focusGrantId } : {}),
  };
}
