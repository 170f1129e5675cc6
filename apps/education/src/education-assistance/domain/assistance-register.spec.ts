import { DomainError } from '@platform/contracts';
import { INITIAL_EDUCATION_ASSISTANCE } from '@platform/policy';
import { answerVerification, educationRegisterOf } from './assistance-register.js';
import {
  educationAssistanceDecider,
  type EducationAssistanceCommand,
  type EducationAssistanceEvent,
  type Programme,
  type Stage,
  type Student,
  type Term,
} from './education-assistance.decider.js';
import type { Officer } from './values.js';

const officer: Officer = { id: 'u-edu-linhe', name: '白雪梅', role: 'education_officer' };
const table = { version: 1, effectiveFrom: '2020-01-01', content: INITIAL_EDUCATION_ASSISTANCE };
const t = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();
const boy: Student = { idNumber: '150802201201011237', name: '王小明', householdId: 'hh-0501' };
const girl: Student = { idNumber: '150802200801011220', name: '王小红', householdId: 'hh-0501' };

function run(commands: EducationAssistanceCommand[]): EducationAssistanceEvent[] {
  let state = educationAssistanceDecider.initialState();
  const events: EducationAssistanceEvent[] = [];
  for (const c of commands) {
    const decided = educationAssistanceDecider.decide(c, state);
    state = decided.reduce(educationAssistanceDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}
const enrol = (student: Student, stage: Stage, from: string, boarder = true): EducationAssistanceCommand => ({
  type: 'RecordEnrolment',
  student,
  stage,
  school: { code: '2150802001', name: '临河区第八中学', jurisdictionCode: '150802001000' },
  boarder,
  from,
  officer,
  now: t(from),
});
const grant = (programme: Programme, schoolYear: number): EducationAssistanceCommand => ({
  type: 'GrantAid',
  grantId: `ZZ-${schoolYear}-${programme}`,
  programme,
  schoolYear,
  documentNumber: `临教助〔${schoolYear}〕15号`,
  universityLocation: null,
  table,
  officer,
  now: t(`${schoolYear}-08-20`),
});
const pay = (
  programme: Programme,
  schoolYear: number,
  term: Term,
  paidOn: string,
): EducationAssistanceCommand => ({
  type: 'DisburseTerm',
  grantId: `ZZ-${schoolYear}-${programme}`,
  term,
  paymentReference: `FF-${schoolYear}-${term}-${programme}`,
  paidOn,
  officer,
  now: t(paidOn),
});

// The boy boards in junior secondary; the girl is in senior high with a waiver and a grant, and drops out.
const boyEvents = run([
  enrol(boy, 'primary', '2018-09-01'),
  enrol(boy, 'junior_secondary', '2025-09-01'),
  grant('boarding_living_allowance', 2025),
  pay('boarding_living_allowance', 2025, 'autumn', '2025-11-30'),
  pay('boarding_living_allowance', 2025, 'spring', '2026-04-10'),
  grant('boarding_living_allowance', 2026),
  pay('boarding_living_allowance', 2026, 'autumn', '2026-10-10'),
]);
const girlEvents = run([
  enrol(girl, 'senior_secondary', '2025-09-01', false),
  grant('tuition_waiver', 2025),
  grant('national_grant', 2025),
  pay('tuition_waiver', 2025, 'autumn', '2025-10-10'),
  pay('national_grant', 2025, 'autumn', '2025-10-10'),
  {
    type: 'RecordLeaving',
    leftOn: '2026-01-20',
    reason: 'dropped_out',
    note: '',
    officer,
    now: t('2026-01-20'),
  },
]);
const register = educationRegisterOf([...boyEvents, ...girlEvents]);

describe('education register of assistance given', () => {
  it('folds every term paid, and the day a student left school', () => {
    expect(
      register.map((e) =>
        e.kind === 'aid'
          ? [e.personIdNumber, e.programme, e.date, e.amountFen]
          : [e.personIdNumber, e.kind, e.date],
      ),
    ).toEqual([
      [boy.idNumber, 'boarding_living_allowance', '2025-11-30', 62_500],
      [boy.idNumber, 'boarding_living_allowance', '2026-04-10', 62_500],
      [boy.idNumber, 'boarding_living_allowance', '2026-10-10', 62_500],
      [girl.idNumber, 'tuition_waiver', '2025-10-10', 50_000],
      [girl.idNumber, 'national_grant', '2025-10-10', 115_000],
      [girl.idNumber, 'left_school', '2026-01-20'],
    ]);
    expect(register[0]).toEqual({
      kind: 'aid',
      personIdNumber: boy.idNumber,
      personName: boy.name,
      householdId: 'hh-0501',
      programme: 'boarding_living_allowance',
      amountFen: 62_500,
      date: '2025-11-30',
      decisionReference: '临教助〔2025〕15号',
      stage: 'junior_secondary',
      schoolYear: 2025,
      term: 'autumn',
      termStartsOn: '2025-09-01',
      grantId: 'ZZ-2025-boarding_living_allowance',
      schoolName: '临河区第八中学',
      jurisdictionCode: '150802001000',
    });
  });
});

describe('education answers to household economic verification', () => {
  it('students in the household, their stage and the aid of the last twelve months; a student who left is not at school', () => {
    expect(
      answerVerification(register, [boy.idNumber, girl.idNumber, '150802198001011234'], '2026-10-10'),
    ).toEqual({
      department: 'education',
      result: 'on_record',
      asOf: '2026-10-10',
      period: { from: '2025-10-11', to: '2026-10-10' },
      members: [
        {
          idNumber: boy.idNumber,
          onRecord: true,
          atSchool: true,
          stage: 'junior_secondary',
          aidReceivedYuan: 1_875,
          byProgramme: [{ programme: 'boarding_living_allowance', amountYuan: 1_875 }],
        },
        { idNumber: girl.idNumber, onRecord: false },
        { idNumber: '150802198001011234', onRecord: false },
      ],
    });
    // A month earlier the girl's payments of 10 October 2025 are in the window, and her leaving is on record.
    expect(answerVerification(register, [girl.idNumber], '2026-09-10')).toEqual({
      department: 'education',
      result: 'on_record',
      asOf: '2026-09-10',
      period: { from: '2025-09-11', to: '2026-09-10' },
      members: [
        {
          idNumber: girl.idNumber,
          onRecord: true,
          atSchool: false,
          stage: 'senior_secondary',
          aidReceivedYuan: 1_650,
          byProgramme: [
            { programme: 'tuition_waiver', amountYuan: 500 },
            { programme: 'national_grant', amountYuan: 1_150 },
          ],
        },
      ],
    });
    // As it stood before she left: at school.
    expect(answerVerification(register, [girl.idNumber], '2026-01-19')).toMatchObject({
      members: [{ atSchool: true }],
    });
  });

  it('no school, reference or household id leaves the department', () => {
    const answer = answerVerification(register, [boy.idNumber], '2026-10-10');
    expect(JSON.stringify(answer)).not.toMatch(/临河区第八中学|临教助|FF-|hh-|王小明/);
  });

  it('nothing on record: an explicit answer', () => {
    expect(answerVerification(register, ['150802198001011234'], '2026-10-10')).toEqual({
      department: 'education',
      result: 'nothing_on_record',
      asOf: '2026-10-10',
      period: { from: '2025-10-11', to: '2026-10-10' },
      statement: '经查询，2025-10-11 至 2026-10-10 期间，教育部门无被核对人员的在校学生资助记录。',
    });
    expect(answerVerification(register, [boy.idNumber], '2025-11-29').result).toBe('nothing_on_record');
    expect(() => answerVerification(register, [''], '2026-10-10')).toThrow(DomainError);
    expect(() => answerVerification(register, [boy.idNumber], '20261010')).toThrow(/asOf：/);
  });
});
