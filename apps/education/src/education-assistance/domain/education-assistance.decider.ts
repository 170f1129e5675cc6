import type { EducationAssistanceTable } from '@platform/policy';
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
 * Education assistance (教育救助) of one student, one stream per student (`education-assistance-<studentKey>`):
 * the student's school record (enrolment by stage, boarding, leaving) and the aid granted and disbursed.
 *
 * Which programme serves which stage is the policy's structure, here: preschool fee reduction (学前教育),
 * the boarding-student living allowance (义务教育寄宿生, boarders only), tuition waiver and national grant
 * (普通高中, 中等职业教育), first-year university entrance aid (大学新生, once). The amounts per school
 * year and the term schedule are the `education-assistance` table's. A grant for a school year is paid in
 * equal parts per term (the last part takes the odd fen); a term is paid only if on its first day the
 * student was at school, in a stage the programme serves (and boarding, for the boarding allowance) — so
 * nothing is paid for a term that starts on or after the day the student left.
 *
 * Pure: time, the officer and the table version in force on the school year's first day come in with
 * commands; grants record the version they applied.
 */

export type Stage =
  'preschool' | 'primary' | 'junior_secondary' | 'senior_secondary' | 'secondary_vocational' | 'university';

export const STAGE_NAMES: Record<Stage, string> = {
  preschool: '学前教育',
  primary: '小学',
  junior_secondary: '初中',
  senior_secondary: '普通高中',
  secondary_vocational: '中等职业教育',
  university: '高等教育',
};

export type Programme =
  | 'preschool_fee_reduction'
  | 'boarding_living_allowance'
  | 'tuition_waiver'
  | 'national_grant'
  | 'university_entrance_aid';

export const PROGRAMME_NAMES: Record<Programme, string> = {
  preschool_fee_reduction: '学前教育保育教育费减免',
  boarding_living_allowance: '义务教育家庭经济困难寄宿生生活补助',
  tuition_waiver: '免学费',
  national_grant: '国家助学金',
  university_entrance_aid: '大学新生入学资助',
};

/** The stages each programme serves (policy structure, not amounts). */
export const PROGRAMME_STAGES: Record<Programme, Stage[]> = {
  preschool_fee_reduction: ['preschool'],
  boarding_living_allowance: ['primary', 'junior_secondary'],
  tuition_waiver: ['senior_secondary', 'secondary_vocational'],
  national_grant: ['senior_secondary', 'secondary_vocational'],
  university_entrance_aid: ['university'],
};

export type Term = 'autumn' | 'spring';
export const TERM_NAMES: Record<Term, string> = { autumn: '秋季学期', spring: '春季学期' };

export type LeavingReason = 'graduated' | 'dropped_out' | 'transferred_out' | 'deceased' | 'other';
export const LEAVING_NAMES: Record<LeavingReason, string> = {
  graduated: '毕业',
  dropped_out: '辍学',
  transferred_out: '转出本地',
  deceased: '死亡',
  other: '其他',
};

export type UniversityLocation = 'within_region' | 'outside_region';

export interface Student {
  idNumber: string;
  name: string;
  householdId: string | null;
}

export interface School {
  code: string;
  name: string;
  /** Where the school is (county, township or village code): whose officers handle its students. */
  jurisdictionCode: string;
}

export interface Instalment {
  term: Term;
  /** The term's first day (YYYY-MM-DD). */
  startsOn: string;
  amountFen: number;
}

/** "2026—2027学年": a school year is named by the calendar year its first term starts in. */
export const schoolYearName = (y: number) => `${y}—${y + 1}学年`;

// ---------------------------------------------------------------------------------------------------
// Commands

export type EducationAssistanceCommand =
  | {
      /** The student at a school from a day, as the student-status record (学籍) says. */
      type: 'RecordEnrolment';
      student: Student;
      stage: Stage;
      school: School;
      boarder: boolean;
      from: string;
      officer: Officer;
      now: string;
    }
  | {
      type: 'RecordLeaving';
      /** The first day the student is no longer at school. */
      leftOn: string;
      reason: LeavingReason;
      note: string;
      officer: Officer;
      now: string;
    }
  | {
      type: 'GrantAid';
      grantId: string;
      programme: Programme;
      schoolYear: number;
      documentNumber: string;
      /** University entrance aid only: where the university is. */
      universityLocation: UniversityLocation | null;
      /** `education-assistance` in force on the school year's first day. */
      table: TableVersion<EducationAssistanceTable>;
      officer: Officer;
      now: string;
    }
  | {
      type: 'DisburseTerm';
      grantId: string;
      term: Term;
      paymentReference: string;
      paidOn: string;
      officer: Officer;
      now: string;
    };

// ---------------------------------------------------------------------------------------------------
// Events

export interface EnrolmentData {
  student: Student;
  stage: Stage;
  school: School;
  boarder: boolean;
  from: string;
  by: Officer;
  at: string;
}

export interface LeavingData {
  student: Student;
  /** The school the student left. */
  school: School;
  leftOn: string;
  reason: LeavingReason;
  note: string;
  by: Officer;
  at: string;
}

export interface GrantData {
  grantId: string;
  student: Student;
  programme: Programme;
  stage: Stage;
  schoolYear: number;
  yearlyFen: number;
  instalments: Instalment[];
  universityLocation: UniversityLocation | null;
  documentNumber: string;
  policy: { 'education-assistance': number };
  by: Officer;
  at: string;
}

export interface DisbursedData {
  grantId: string;
  student: Student;
  programme: Programme;
  /** The stage and school on the term's first day. */
  stage: Stage;
  school: School;
  schoolYear: number;
  term: Term;
  termStartsOn: string;
  amountFen: number;
  documentNumber: string;
  paymentReference: string;
  paidOn: string;
  by: Officer;
  at: string;
}

export type EducationAssistanceEvent =
  | { type: 'education.StudentEnrolled'; data: EnrolmentData }
  | { type: 'education.StudentLeftSchool'; data: LeavingData }
  | { type: 'education.AidGranted'; data: GrantData }
  | { type: 'education.AidDisbursed'; data: DisbursedData };

// ---------------------------------------------------------------------------------------------------
// State

export type SchoolRecord =
  | { kind: 'enrolled'; from: string; stage: Stage; school: School; boarder: boolean }
  | { kind: 'left'; from: string; reason: LeavingReason };

export interface EducationAssistanceState {
  student: Student | null;
  /** The school record in the order recorded; `recordOn` reads it by date. */
  record: SchoolRecord[];
  grants: Array<GrantData & { paid: Partial<Record<Term, { paymentReference: string; paidOn: string }>> }>;
}

export const initialEducationAssistanceState = (): EducationAssistanceState => ({
  student: null,
  record: [],
  grants: [],
});

/** What the school record says on `day`: the latest entry from on or before it (of one day, the later recorded). */
export function recordOn(state: Pick<EducationAssistanceState, 'record'>, day: string): SchoolRecord | null {
  let best: SchoolRecord | null = null;
  for (const r of state.record) if (r.from <= day && (!best || r.from >= best.from)) best = r;
  return best;
}

/** The term schedule of a school year, with each term's first day. */
export function termsOf(
  table: EducationAssistanceTable,
  schoolYear: number,
): Array<{ term: Term; startsOn: string }> {
  return table.terms.map((t) => ({ term: t.term, startsOn: `${schoolYear + t.yearOffset}-${t.startsOn}` }));
}

/** A year's amount in equal parts, one per term; the last part takes the fen that do not divide. */
export function splitPerTerm(
  yearlyFen: number,
  terms: Array<{ term: Term; startsOn: string }>,
): Instalment[] {
  const part = Math.floor(yearlyFen / terms.length);
  return terms.map((t, i) => ({
    ...t,
    amountFen: i === terms.length - 1 ? yearlyFen - part * (terms.length - 1) : part,
  }));
}

/** The amount per school year of a programme for a stage, from the table (yuan). */
export function yearlyYuan(
  table: EducationAssistanceTable,
  programme: Programme,
  stage: Stage,
  location: UniversityLocation | null,
): number {
  switch (programme) {
    case 'preschool_fee_reduction':
      return table.preschoolFeeReduction.preschool;
    case 'boarding_living_allowance':
      return table.boardingLivingAllowance[stage as 'primary' | 'junior_secondary'];
    case 'tuition_waiver':
      return table.tuitionWaiver[stage as 'senior_secondary' | 'secondary_vocational'];
    case 'national_grant':
      return table.nationalGrant[stage as 'senior_secondary' | 'secondary_vocational'];
    case 'university_entrance_aid':
      return location === 'outside_region'
        ? table.universityEntranceAid.outsideRegion
        : table.universityEntranceAid.withinRegion;
    default: {
      const never: never = programme;
      throw new Error(`unknown programme ${String(never)}`);
    }
  }
}

/** Why the student is not served by the programme on `day` (null: served). */
export function ineligibility(
  state: EducationAssistanceState,
  programme: Programme,
  day: string,
): string | null {
  const r = recordOn(state, day);
  if (!r) return `${day} 无在校记录`;
  if (r.kind === 'left') return `学生已于 ${r.from} 离校（${LEAVING_NAMES[r.reason]}）`;
  if (!PROGRAMME_STAGES[programme].includes(r.stage)) {
    return `${day} 学段为${STAGE_NAMES[r.stage]}，${PROGRAMME_NAMES[programme]}适用于${PROGRAMME_STAGES[programme].map((s) => STAGE_NAMES[s]).join('、')}`;
  }
  if (programme === 'boarding_living_allowance' && !r.boarder)
    return `${day} 为走读生，寄宿生生活补助仅适用于寄宿生`;
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Rules

const EDUCATION = ['education_officer'];

function requireRole(officer: Officer, action: string): void {
  if (!EDUCATION.includes(officer.role)) {
    fail('ROLE_NOT_ALLOWED', `当前角色不能${action}`, 403, { permission: `education-assistance:${action}` });
  }
}

function sameStudent(state: EducationAssistanceState, s: Student): Student {
  const idNumber = requireText(s?.idNumber, 'student.idNumber', '学生身份证号码');
  const name = requireText(s?.name, 'student.name', '学生姓名');
  if (state.student && state.student.idNumber !== idNumber) {
    fail('STUDENT_MISMATCH', 'student.idNumber：与该学生资助档案的身份证号码不一致', 409, {
      field: 'student.idNumber',
    });
  }
  return { idNumber, name, householdId: s.householdId ?? state.student?.householdId ?? null };
}

function requireStudent(state: EducationAssistanceState): Student {
  if (!state.student) fail('STUDENT_NOT_FOUND', '该学生无在校（学籍）记录', 404);
  return state.student;
}

export function decideEducationAssistance(
  command: EducationAssistanceCommand,
  state: EducationAssistanceState,
): EducationAssistanceEvent[] {
  switch (command.type) {
    case 'RecordEnrolment': {
      requireRole(command.officer, '登记学籍');
      const student = sameStudent(state, command.student);
      if (!(command.stage in STAGE_NAMES)) {
        fail('STAGE_INVALID', `stage：学段应为 ${Object.keys(STAGE_NAMES).join('、')} 之一`, 422, {
          field: 'stage',
        });
      }
      const school = {
        code: requireText(command.school?.code, 'school.code', '学校代码'),
        name: requireText(command.school?.name, 'school.name', '学校名称'),
        jurisdictionCode: requireText(
          command.school?.jurisdictionCode,
          'school.jurisdictionCode',
          '学校所在地',
        ),
      };
      const from = requireDay(command.from, 'from', '入学（学籍变动）日期');
      const boarder = command.boarder === true;
      // The student-status system sends what it knows again: the same record adds nothing.
      const same = state.record.some(
        (r) =>
          r.kind === 'enrolled' &&
          r.from === from &&
          r.stage === command.stage &&
          r.boarder === boarder &&
          r.school.code === school.code,
      );
      if (same) return [];
      return [
        {
          type: 'education.StudentEnrolled',
          data: {
            student,
            stage: command.stage,
            school,
            boarder,
            from,
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'RecordLeaving': {
      requireRole(command.officer, '登记离校');
      const student = requireStudent(state);
      const leftOn = requireDay(command.leftOn, 'leftOn', '离校日期');
      if (!(command.reason in LEAVING_NAMES)) {
        fail('REASON_INVALID', `reason：离校原因应为 ${Object.keys(LEAVING_NAMES).join('、')} 之一`, 422, {
          field: 'reason',
        });
      }
      const known = state.record.find((r) => r.kind === 'left' && r.from === leftOn);
      if (known) return [];
      const before = recordOn(state, leftOn);
      if (before?.kind !== 'enrolled') {
        fail('NOT_AT_SCHOOL', `leftOn：${leftOn} 学生不在校，不能登记离校`, 409, { field: 'leftOn' });
      }
      if (before.from === leftOn) {
        fail('DATE_OUT_OF_ORDER', `leftOn：离校日期应晚于入学日期（${before.from}）`, 422, {
          field: 'leftOn',
        });
      }
      return [
        {
          type: 'education.StudentLeftSchool',
          data: {
            student,
            school: before.school,
            leftOn,
            reason: command.reason,
            note: command.note?.trim() ?? '',
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'GrantAid': {
      requireRole(command.officer, '批准教育救助');
      const student = requireStudent(state);
      const grantId = requireText(command.grantId, 'grantId', '资助编号');
      const documentNumber = requireText(command.documentNumber, 'documentNumber', '资助文号');
      const known = state.grants.find((g) => g.grantId === grantId);
      if (known) {
        if (known.programme === command.programme && known.schoolYear === command.schoolYear) return [];
        fail('GRANT_CONFLICT', `grantId：资助 ${grantId} 已以不同内容批准`, 409, { field: 'grantId' });
      }
      const programme = command.programme;
      if (!(programme in PROGRAMME_NAMES)) {
        fail(
          'PROGRAMME_INVALID',
          `programme：资助项目应为 ${Object.keys(PROGRAMME_NAMES).join('、')} 之一`,
          422,
          {
            field: 'programme',
          },
        );
      }
      if (!Number.isInteger(command.schoolYear) || command.schoolYear < 2000 || command.schoolYear > 2100) {
        fail(
          'SCHOOL_YEAR_INVALID',
          'schoolYear：学年应为其秋季学期开始的年份（如 2026 表示 2026—2027 学年）',
          422,
          {
            field: 'schoolYear',
          },
        );
      }
      const location = programme === 'university_entrance_aid' ? command.universityLocation : null;
      if (
        programme === 'university_entrance_aid' &&
        location !== 'within_region' &&
        location !== 'outside_region'
      ) {
        fail('LOCATION_REQUIRED', 'universityLocation：新生入学资助须注明录取院校在区内还是区外', 422, {
          field: 'universityLocation',
        });
      }
      if (programme === 'university_entrance_aid') {
        const earlier = state.grants.find((g) => g.programme === 'university_entrance_aid');
        if (earlier) {
          fail(
            'ENTRANCE_AID_ONCE',
            `大学新生入学资助只给予一次，已于${schoolYearName(earlier.schoolYear)}给予（${earlier.documentNumber}）`,
            409,
          );
        }
      }
      const twice = state.grants.find(
        (g) => g.programme === programme && g.schoolYear === command.schoolYear,
      );
      if (twice) {
        fail(
          'ALREADY_GRANTED',
          `${schoolYearName(command.schoolYear)}已批准${PROGRAMME_NAMES[programme]}（${twice.documentNumber}）`,
          409,
        );
      }
      const table = command.table.content;
      const terms = termsOf(table, command.schoolYear);
      requireInForce(command.table, terms[0]!.startsOn, '教育救助政策参数表');
      // Judged on the year's first day, or today for a grant made during the year.
      const today = beijingDayOf(command.now);
      const day = terms[0]!.startsOn > today ? terms[0]!.startsOn : today;
      const why = ineligibility(state, programme, day);
      if (why) fail('NOT_ELIGIBLE', `${PROGRAMME_NAMES[programme]}：${why}`, 409, { programme });
      const r = recordOn(state, day) as Extract<SchoolRecord, { kind: 'enrolled' }>;
      const yearlyFen = tableFen(yearlyYuan(table, programme, r.stage, location));
      // Entrance aid is paid once, with the first term; the others in equal parts per term.
      const instalments =
        programme === 'university_entrance_aid'
          ? [{ ...terms[0]!, amountFen: yearlyFen }]
          : splitPerTerm(yearlyFen, terms);
      return [
        {
          type: 'education.AidGranted',
          data: {
            grantId,
            student,
            programme,
            stage: r.stage,
            schoolYear: command.schoolYear,
            yearlyFen,
            instalments,
            universityLocation: location,
            documentNumber,
            policy: { 'education-assistance': command.table.version },
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'DisburseTerm': {
      requireRole(command.officer, '发放教育救助');
      const grant = state.grants.find((g) => g.grantId === command.grantId);
      if (!grant) fail('GRANT_NOT_FOUND', `资助 ${command.grantId} 不存在`, 404);
      const instalment = grant.instalments.find((i) => i.term === command.term);
      if (!instalment) {
        fail(
          'TERM_NOT_IN_GRANT',
          `term：该资助在${schoolYearName(grant.schoolYear)}没有${TERM_NAMES[command.term] ?? command.term}的发放`,
          422,
          {
            field: 'term',
          },
        );
      }
      const paymentReference = requireText(command.paymentReference, 'paymentReference', '发放凭证号');
      const paid = grant.paid[command.term];
      if (paid) {
        // A payment confirmation delivered twice pays the term once.
        if (paid.paymentReference === paymentReference) return [];
        fail(
          'TERM_ALREADY_PAID',
          `term：${schoolYearName(grant.schoolYear)}${TERM_NAMES[command.term]}已发放（${paid.paymentReference}）`,
          409,
          {
            field: 'term',
          },
        );
      }
      const today = beijingDayOf(command.now);
      if (instalment.startsOn > today) {
        fail(
          'TERM_NOT_STARTED',
          `term：${TERM_NAMES[command.term]}自 ${instalment.startsOn} 开始，开学后方可发放`,
          409,
          {
            field: 'term',
          },
        );
      }
      const why = ineligibility(state, grant.programme, instalment.startsOn);
      if (why) {
        fail(
          'NOT_ELIGIBLE_FOR_TERM',
          `不发放${schoolYearName(grant.schoolYear)}${TERM_NAMES[command.term]}${PROGRAMME_NAMES[grant.programme]}：${why}`,
          409,
          {
            term: command.term,
          },
        );
      }
      const paidOn = requireDay(command.paidOn, 'paidOn', '发放日期');
      if (paidOn > today) fail('DATE_IN_FUTURE', 'paidOn：发放日期不能晚于今天', 422, { field: 'paidOn' });
      const r = recordOn(state, instalment.startsOn) as Extract<SchoolRecord, { kind: 'enrolled' }>;
      return [
        {
          type: 'education.AidDisbursed',
          data: {
            grantId: grant.grantId,
            student: state.student!,
            programme: grant.programme,
            stage: r.stage,
            school: r.school,
            schoolYear: grant.schoolYear,
            term: instalment.term,
            termStartsOn: instalment.startsOn,
            amountFen: instalment.amountFen,
            documentNumber: grant.documentNumber,
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

export function evolveEducationAssistance(
  state: EducationAssistanceState,
  event: EducationAssistanceEvent,
): EducationAssistanceState {
  switch (event.type) {
    case 'education.StudentEnrolled': {
      const d = event.data;
      return {
        ...state,
        student: d.student,
        record: [
          ...state.record,
          { kind: 'enrolled', from: d.from, stage: d.stage, school: d.school, boarder: d.boarder },
        ],
      };
    }
    case 'education.StudentLeftSchool': {
      const d = event.data;
      return { ...state, record: [...state.record, { kind: 'left', from: d.leftOn, reason: d.reason }] };
    }
    case 'education.AidGranted':
      return { ...state, grants: [...state.grants, { ...event.data, paid: {} }] };
    case 'education.AidDisbursed': {
      const d = event.data;
      return {
        ...state,
        grants: state.grants.map((g) =>
          g.grantId === d.grantId
            ? {
                ...g,
                paid: { ...g.paid, [d.term]: { paymentReference: d.paymentReference, paidOn: d.paidOn } },
              }
            : g,
        ),
      };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const educationAssistanceDecider = {
  decide: decideEducationAssistance,
  evolve: evolveEducationAssistance,
  initialState: initialEducationAssistanceState,
};
