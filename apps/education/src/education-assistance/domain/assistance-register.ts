import { requireMembers, type RegisterVerificationAnswer } from '@platform/assistance-domain';
import {
  PROGRAMME_NAMES,
  type EducationAssistanceEvent,
  type LeavingReason,
  type Programme,
  type Stage,
  type Term,
} from './education-assistance.decider.js';
import { lastTwelveMonths, yuanOf } from './values.js';

/**
 * The education department's register of assistance given (救助台账), per student and household, folded
 * from its events; household economic verification (家庭经济状况核对) is answered from it alone. Besides
 * the aid paid, it keeps the day a student left school: without it the register would call a student
 * who graduated in June "at school" for the rest of the year.
 */

export type EducationRegisterEntry =
  | {
      kind: 'aid';
      personIdNumber: string;
      personName: string;
      householdId: string | null;
      programme: Programme;
      amountFen: number;
      /** Day paid (Beijing). */
      date: string;
      /** The grant's document number (资助文号). */
      decisionReference: string;
      stage: Stage;
      schoolYear: number;
      term: Term;
      termStartsOn: string;
      grantId: string;
      /** The school of the term (its place: whose register the entry is on). */
      schoolName: string;
      jurisdictionCode: string;
    }
  | {
      kind: 'left_school';
      personIdNumber: string;
      personName: string;
      householdId: string | null;
      date: string;
      reason: LeavingReason;
      schoolName: string;
      jurisdictionCode: string;
    };

export function foldEducationRegister(
  entries: readonly EducationRegisterEntry[],
  event: EducationAssistanceEvent,
): EducationRegisterEntry[] {
  switch (event.type) {
    case 'education.AidDisbursed': {
      const d = event.data;
      return [
        ...entries,
        {
          kind: 'aid',
          personIdNumber: d.student.idNumber,
          personName: d.student.name,
          householdId: d.student.householdId,
          programme: d.programme,
          amountFen: d.amountFen,
          date: d.paidOn,
          decisionReference: d.documentNumber,
          stage: d.stage,
          schoolYear: d.schoolYear,
          term: d.term,
          termStartsOn: d.termStartsOn,
          grantId: d.grantId,
          schoolName: d.school.name,
          jurisdictionCode: d.school.jurisdictionCode,
        },
      ];
    }
    case 'education.StudentLeftSchool': {
      const d = event.data;
      return [
        ...entries,
        {
          kind: 'left_school',
          personIdNumber: d.student.idNumber,
          personName: d.student.name,
          householdId: d.student.householdId,
          date: d.leftOn,
          reason: d.reason,
          schoolName: d.school.name,
          jurisdictionCode: d.school.jurisdictionCode,
        },
      ];
    }
    case 'education.StudentEnrolled':
    case 'education.AidGranted':
      return entries as EducationRegisterEntry[];
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const educationRegisterOf = (events: readonly EducationAssistanceEvent[]): EducationRegisterEntry[] =>
  events.reduce<EducationRegisterEntry[]>(foldEducationRegister, []);

// ---------------------------------------------------------------------------------------------------
// Verification

export type EducationMemberAnswer =
  | { idNumber: string; onRecord: false }
  | {
      idNumber: string;
      onRecord: true;
      /** At school as the register knows it: aided for a term that started after any leaving on record. */
      atSchool: boolean;
      /** The stage of the latest term aided. */
      stage: Stage;
      /** Aid paid in the twelve months up to the day, in all and by programme. */
      aidReceivedYuan: number;
      byProgramme: Array<{ programme: Programme; amountYuan: number }>;
    };

export type EducationVerificationAnswer = RegisterVerificationAnswer<
  'education',
  { members: EducationMemberAnswer[] }
>;

const PROGRAMME_ORDER = Object.keys(PROGRAMME_NAMES) as Programme[];

/**
 * 核对回复: the students among the members asked about, their stage and the education aid paid to them
 * in the twelve months up to `asOf`. No school, grant or payment reference leaves the department.
 */
export function answerVerification(
  entries: readonly EducationRegisterEntry[],
  memberIdNumbers: readonly string[],
  asOf: string,
): EducationVerificationAnswer {
  const members = requireMembers(memberIdNumbers, asOf);
  const period = lastTwelveMonths(asOf);
  const answers: EducationMemberAnswer[] = members.map((idNumber) => {
    const aid = entries.filter(
      (e): e is Extract<EducationRegisterEntry, { kind: 'aid' }> =>
        e.kind === 'aid' && e.personIdNumber === idNumber && e.date >= period.from && e.date <= period.to,
    );
    if (aid.length === 0) return { idNumber, onRecord: false };
    const latest = aid.reduce((a, b) => (b.termStartsOn > a.termStartsOn ? b : a));
    const leftSince = entries.some(
      (e) =>
        e.kind === 'left_school' &&
        e.personIdNumber === idNumber &&
        e.date > latest.termStartsOn &&
        e.date <= asOf,
    );
    const byProgramme = PROGRAMME_ORDER.map((programme) => ({
      programme,
      amountYuan: yuanOf(aid.filter((e) => e.programme === programme).reduce((s, e) => s + e.amountFen, 0)),
    })).filter((p) => aid.some((e) => e.programme === p.programme));
    return {
      idNumber,
      onRecord: true,
      atSchool: !leftSince,
      stage: latest.stage,
      aidReceivedYuan: yuanOf(aid.reduce((s, e) => s + e.amountFen, 0)),
      byProgramme,
    };
  });
  if (answers.every((a) => !a.onRecord)) {
    return {
      department: 'education',
      result: 'nothing_on_record',
      asOf,
      period,
      statement: `经查询，${period.from} 至 ${period.to} 期间，教育部门无被核对人员的在校学生资助记录。`,
    };
  }
  return { department: 'education', result: 'on_record', asOf, period, members: answers };
}
