import { DomainError } from '@platform/contracts';
import { INITIAL_EDUCATION_ASSISTANCE, type EducationAssistanceTable } from '@platform/policy';
import { deciderSpec } from '@platform/testing';
import {
  educationAssistanceDecider,
  recordOn,
  splitPerTerm,
  type EducationAssistanceCommand,
  type EducationAssistanceEvent,
  type EducationAssistanceState,
  type Programme,
  type Stage,
  type Student,
  type Term,
} from './education-assistance.decider.js';
import type { Officer, TableVersion } from './values.js';

const spec = deciderSpec<EducationAssistanceCommand, EducationAssistanceEvent, EducationAssistanceState>(
  educationAssistanceDecider,
);

const officer: Officer = { id: 'u-edu-linhe', name: '白雪梅', role: 'education_officer' };
const student: Student = { idNumber: '150802201201011237', name: '王小明', householdId: 'hh-0501' };
const V1: TableVersion<EducationAssistanceTable> = {
  version: 1,
  effectiveFrom: '2020-01-01',
  content: INITIAL_EDUCATION_ASSISTANCE,
};
const t = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();
const school = { code: '2150802001', name: '临河区第八中学', jurisdictionCode: '150802001000' };

const enrol = (
  stage: Stage,
  from: string,
  boarder = true,
  over: Partial<Extract<EducationAssistanceCommand, { type: 'RecordEnrolment' }>> = {},
): EducationAssistanceCommand => ({
  type: 'RecordEnrolment',
  student,
  stage,
  school,
  boarder,
  from,
  officer,
  now: t(from),
  ...over,
});
const leave = (
  leftOn: string,
  reason: 'graduated' | 'dropped_out' | 'transferred_out' = 'dropped_out',
): EducationAssistanceCommand => ({
  type: 'RecordLeaving',
  leftOn,
  reason,
  note: '随父母外出务工',
  officer,
  now: t(leftOn),
});
const grant = (
  programme: Programme,
  schoolYear = 2026,
  over: Partial<Extract<EducationAssistanceCommand, { type: 'GrantAid' }>> = {},
): EducationAssistanceCommand => ({
  type: 'GrantAid',
  grantId: `ZZ-${schoolYear}-${programme}`,
  programme,
  schoolYear,
  documentNumber: `临教助〔${schoolYear}〕15号`,
  universityLocation: null,
  table: V1,
  officer,
  now: t(`${schoolYear}-08-20`),
  ...over,
});
const disburse = (
  programme: Programme,
  term: Term,
  schoolYear = 2026,
  now = term === 'autumn' ? t(`${schoolYear}-10-10`) : t(`${schoolYear + 1}-04-10`),
  paymentReference = `FF-${schoolYear}-${term}`,
): EducationAssistanceCommand => ({
  type: 'DisburseTerm',
  grantId: `ZZ-${schoolYear}-${programme}`,
  term,
  paymentReference,
  paidOn: now.slice(0, 10),
  officer,
  now,
});

function history(...commands: EducationAssistanceCommand[]): EducationAssistanceEvent[] {
  let state = educationAssistanceDecider.initialState();
  const events: EducationAssistanceEvent[] = [];
  for (const c of commands) {
    const decided = educationAssistanceDecider.decide(c, state);
    state = decided.reduce(educationAssistanceDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}
const stateOf = (events: EducationAssistanceEvent[]) =>
  events.reduce(educationAssistanceDecider.evolve, educationAssistanceDecider.initialState());
const refusal = (given: EducationAssistanceEvent[], command: EducationAssistanceCommand): string => {
  try {
    educationAssistanceDecider.decide(command, stateOf(given));
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const d = e as DomainError;
    return `${d.status} ${d.code} ${d.message}`;
  }
};
type Granted = Extract<EducationAssistanceEvent, { type: 'education.AidGranted' }>['data'];
const granted = (given: EducationAssistanceEvent[], command: EducationAssistanceCommand): Granted => {
  const [event] = educationAssistanceDecider.decide(command, stateOf(given));
  expect(event!.type).toBe('education.AidGranted');
  return event!.data as Granted;
};

const boarder = history(enrol('junior_secondary', '2026-09-01'));
const boarderGranted = history(enrol('junior_secondary', '2026-09-01'), grant('boarding_living_allowance'));

describe('education assistance: the school record', () => {
  it('records an enrolment; the same record again adds nothing; another student is refused', () => {
    spec
      .given([])
      .when(enrol('junior_secondary', '2026-09-01'))
      .then([
        {
          type: 'education.StudentEnrolled',
          data: {
            student,
            stage: 'junior_secondary',
            school,
            boarder: true,
            from: '2026-09-01',
            by: officer,
            at: t('2026-09-01'),
          },
        },
      ]);
    spec.given(boarder).when(enrol('junior_secondary', '2026-09-01')).then([]);
    expect(
      refusal(
        boarder,
        enrol('junior_secondary', '2026-09-01', true, {
          student: { ...student, idNumber: '150802201301011234' },
        }),
      ),
    ).toMatch(/^409 STUDENT_MISMATCH /);
    expect(refusal([], enrol('kindergarten' as Stage, '2026-09-01'))).toMatch(/^422 STAGE_INVALID stage：/);
    expect(refusal([], enrol('primary', '2026-09-31'))).toMatch(/^422 DATE_INVALID from：/);
  });

  it('leaving: only while at school, after the enrolment day; the same leaving twice adds nothing', () => {
    expect(refusal([], leave('2027-01-15'))).toMatch(/^404 STUDENT_NOT_FOUND /);
    expect(refusal(boarder, leave('2026-08-31'))).toMatch(/^409 NOT_AT_SCHOOL leftOn：2026-08-31 学生不在校/);
    expect(refusal(boarder, leave('2026-09-01'))).toMatch(/^422 DATE_OUT_OF_ORDER /);
    const left = history(enrol('junior_secondary', '2026-09-01'), leave('2027-01-15'));
    spec.given(left).when(leave('2027-01-15')).then([]);
    expect(refusal(left, leave('2027-02-01'))).toMatch(/^409 NOT_AT_SCHOOL /);
    expect(recordOn(stateOf(left), '2027-01-14')).toMatchObject({ kind: 'enrolled' });
    expect(recordOn(stateOf(left), '2027-01-15')).toEqual({
      kind: 'left',
      from: '2027-01-15',
      reason: 'dropped_out',
    });
  });
});

describe('education assistance: grants', () => {
  it('a boarder in junior secondary: the year’s allowance in equal parts for the autumn and spring terms', () => {
    spec
      .given(boarder)
      .when(grant('boarding_living_allowance'))
      .then([
        {
          type: 'education.AidGranted',
          data: {
            grantId: 'ZZ-2026-boarding_living_allowance',
            student,
            programme: 'boarding_living_allowance',
            stage: 'junior_secondary',
            schoolYear: 2026,
            yearlyFen: 125_000,
            instalments: [
              { term: 'autumn', startsOn: '2026-09-01', amountFen: 62_500 },
              { term: 'spring', startsOn: '2027-03-01', amountFen: 62_500 },
            ],
            universityLocation: null,
            documentNumber: '临教助〔2026〕15号',
            policy: { 'education-assistance': 1 },
            by: officer,
            at: t('2026-08-20'),
          },
        },
      ]);
  });

  it.each<[Stage, Programme, number]>([
    ['preschool', 'preschool_fee_reduction', 100_000],
    ['primary', 'boarding_living_allowance', 100_000],
    ['senior_secondary', 'tuition_waiver', 100_000],
    ['secondary_vocational', 'tuition_waiver', 200_000],
    ['senior_secondary', 'national_grant', 230_000],
    ['secondary_vocational', 'national_grant', 230_000],
  ])('%s, %s: %i fen a school year from the table', (stage, programme, fen) => {
    const g = granted(history(enrol(stage, '2026-09-01')), grant(programme));
    expect(g.yearlyFen).toBe(fen);
    expect(g.instalments.map((i) => i.amountFen)).toEqual([fen / 2, fen / 2]);
  });

  it('a programme for another stage, or the boarding allowance for a day student, is refused with the reason', () => {
    expect(refusal(history(enrol('primary', '2026-09-01')), grant('national_grant'))).toMatch(
      /^409 NOT_ELIGIBLE 国家助学金：2026-09-01 学段为小学，国家助学金适用于普通高中、中等职业教育/,
    );
    expect(
      refusal(history(enrol('junior_secondary', '2026-09-01', false)), grant('boarding_living_allowance')),
    ).toMatch(
      /^409 NOT_ELIGIBLE 义务教育家庭经济困难寄宿生生活补助：2026-09-01 为走读生，寄宿生生活补助仅适用于寄宿生/,
    );
    expect(refusal(history(enrol('primary', '2027-09-01')), grant('boarding_living_allowance'))).toMatch(
      /^409 NOT_ELIGIBLE .*2026-09-01 无在校记录/,
    );
  });

  it('the stage is the one on the school year’s first day: promoted in autumn, the new stage’s amount', () => {
    const promoted = history(enrol('primary', '2020-09-01'), enrol('junior_secondary', '2026-09-01'));
    expect(
      granted(promoted, grant('boarding_living_allowance', 2025, { now: t('2025-08-20') })),
    ).toMatchObject({
      stage: 'primary',
      yearlyFen: 100_000,
    });
    expect(granted(promoted, grant('boarding_living_allowance'))).toMatchObject({
      stage: 'junior_secondary',
      yearlyFen: 125_000,
    });
    // Granted during the year: judged on the day of the grant.
    expect(granted(promoted, grant('boarding_living_allowance', 2026, { now: t('2026-10-08') })).stage).toBe(
      'junior_secondary',
    );
  });

  it('university entrance aid: by where the university is, in one payment, once in a lifetime', () => {
    const freshman = history(enrol('university', '2026-09-01', false));
    expect(
      granted(freshman, grant('university_entrance_aid', 2026, { universityLocation: 'within_region' })),
    ).toMatchObject({
      yearlyFen: 50_000,
      instalments: [{ term: 'autumn', startsOn: '2026-09-01', amountFen: 50_000 }],
    });
    expect(
      granted(freshman, grant('university_entrance_aid', 2026, { universityLocation: 'outside_region' }))
        .yearlyFen,
    ).toBe(100_000);
    expect(refusal(freshman, grant('university_entrance_aid'))).toMatch(
      /^422 LOCATION_REQUIRED universityLocation：/,
    );
    const once = history(
      enrol('university', '2026-09-01', false),
      grant('university_entrance_aid', 2026, { universityLocation: 'outside_region' }),
    );
    expect(
      refusal(
        once,
        grant('university_entrance_aid', 2027, {
          universityLocation: 'outside_region',
          now: t('2027-08-20'),
        }),
      ),
    ).toMatch(
      /^409 ENTRANCE_AID_ONCE 大学新生入学资助只给予一次，已于2026—2027学年给予（临教助〔2026〕15号）/,
    );
  });

  it('the same grant twice adds nothing; a second grant of a programme for the same year is refused', () => {
    spec.given(boarderGranted).when(grant('boarding_living_allowance')).then([]);
    expect(
      refusal(boarderGranted, grant('boarding_living_allowance', 2026, { grantId: 'ZZ-other' })),
    ).toMatch(/^409 ALREADY_GRANTED 2026—2027学年已批准义务教育家庭经济困难寄宿生生活补助/);
    expect(
      refusal(
        boarderGranted,
        grant('tuition_waiver', 2026, { grantId: 'ZZ-2026-boarding_living_allowance' }),
      ),
    ).toMatch(/^409 GRANT_CONFLICT /);
    // The next school year is a new grant.
    expect(refusal(boarderGranted, grant('boarding_living_allowance', 2027, { now: t('2027-08-20') }))).toBe(
      'accepted',
    );
  });

  it('amounts and terms are the table’s: another schedule, the odd fen to the last term, a version not yet in force', () => {
    expect(
      splitPerTerm(100_001, [
        { term: 'autumn', startsOn: '2026-09-01' },
        { term: 'spring', startsOn: '2027-03-01' },
      ]),
    ).toEqual([
      { term: 'autumn', startsOn: '2026-09-01', amountFen: 50_000 },
      { term: 'spring', startsOn: '2027-03-01', amountFen: 50_001 },
    ]);
    const v2: TableVersion<EducationAssistanceTable> = {
      version: 2,
      effectiveFrom: '2026-09-01',
      content: {
        ...INITIAL_EDUCATION_ASSISTANCE,
        terms: [
          { term: 'autumn', startsOn: '08-28', yearOffset: 0 },
          { term: 'spring', startsOn: '02-20', yearOffset: 1 },
        ],
        boardingLivingAllowance: { primary: 1_000, junior_secondary: 1_375.01 },
      },
    };
    // Its autumn term starts on 28 August, before it takes effect: not the version for 2026—2027.
    expect(refusal(boarder, grant('boarding_living_allowance', 2026, { table: v2 }))).toMatch(
      /^422 POLICY_NOT_IN_FORCE /,
    );
    const v3 = { ...v2, version: 3, effectiveFrom: '2026-08-01' };
    expect(
      granted(
        history(enrol('junior_secondary', '2026-08-28')),
        grant('boarding_living_allowance', 2026, { table: v3 }),
      ),
    ).toMatchObject({
      yearlyFen: 137_501,
      instalments: [
        { term: 'autumn', startsOn: '2026-08-28', amountFen: 68_750 },
        { term: 'spring', startsOn: '2027-02-20', amountFen: 68_751 },
      ],
      policy: { 'education-assistance': 3 },
    });
  });
});

describe('education assistance: disbursement per term', () => {
  it('pays a term once it has started, to a student at school on its first day', () => {
    spec
      .given(boarderGranted)
      .when(disburse('boarding_living_allowance', 'autumn'))
      .then([
        {
          type: 'education.AidDisbursed',
          data: {
            grantId: 'ZZ-2026-boarding_living_allowance',
            student,
            programme: 'boarding_living_allowance',
            stage: 'junior_secondary',
            school,
            schoolYear: 2026,
            term: 'autumn',
            termStartsOn: '2026-09-01',
            amountFen: 62_500,
            documentNumber: '临教助〔2026〕15号',
            paymentReference: 'FF-2026-autumn',
            paidOn: '2026-10-10',
            by: officer,
            at: t('2026-10-10'),
          },
        },
      ]);
    expect(
      refusal(boarderGranted, disburse('boarding_living_allowance', 'spring', 2026, t('2027-02-28'))),
    ).toMatch(/^409 TERM_NOT_STARTED term：春季学期自 2027-03-01 开始，开学后方可发放/);
    // 00:30 on 1 March in Beijing is still 28 February in UTC: the term has started.
    const firstMinutes = new Date('2027-03-01T00:30:00+08:00').toISOString();
    expect(refusal(boarderGranted, disburse('boarding_living_allowance', 'spring', 2026, firstMinutes))).toBe(
      'accepted',
    );
  });

  it('a term paid once: the confirmation again adds nothing, another payment is refused', () => {
    const paid = history(
      enrol('junior_secondary', '2026-09-01'),
      grant('boarding_living_allowance'),
      disburse('boarding_living_allowance', 'autumn'),
    );
    spec.given(paid).when(disburse('boarding_living_allowance', 'autumn')).then([]);
    expect(
      refusal(paid, disburse('boarding_living_allowance', 'autumn', 2026, t('2026-10-11'), 'FF-X')),
    ).toMatch(/^409 TERM_ALREADY_PAID term：2026—2027学年秋季学期已发放（FF-2026-autumn）/);
    expect(refusal(paid, disburse('boarding_living_allowance', 'spring'))).toBe('accepted');
  });

  it('a student who leaves: the term under way is paid, no term starting on or after the day of leaving', () => {
    const left = history(
      enrol('junior_secondary', '2026-09-01'),
      grant('boarding_living_allowance'),
      leave('2027-01-15'),
    );
    // The autumn term had started when the student left: paid, even afterwards.
    expect(refusal(left, disburse('boarding_living_allowance', 'autumn', 2026, t('2027-01-20')))).toBe(
      'accepted',
    );
    expect(refusal(left, disburse('boarding_living_allowance', 'spring'))).toMatch(
      /^409 NOT_ELIGIBLE_FOR_TERM 不发放2026—2027学年春季学期义务教育家庭经济困难寄宿生生活补助：学生已于 2027-01-15 离校（辍学）/,
    );
    // Left on the spring term's first day: not paid; left the day after: paid.
    const onTheDay = history(
      enrol('junior_secondary', '2026-09-01'),
      grant('boarding_living_allowance'),
      leave('2027-03-01'),
    );
    expect(refusal(onTheDay, disburse('boarding_living_allowance', 'spring'))).toMatch(
      /^409 NOT_ELIGIBLE_FOR_TERM /,
    );
    const dayAfter = history(
      enrol('junior_secondary', '2026-09-01'),
      grant('boarding_living_allowance'),
      leave('2027-03-02'),
    );
    expect(refusal(dayAfter, disburse('boarding_living_allowance', 'spring'))).toBe('accepted');
    // Back at school before the spring term: paid again.
    const back = history(
      enrol('junior_secondary', '2026-09-01'),
      grant('boarding_living_allowance'),
      leave('2027-01-15'),
      enrol('junior_secondary', '2027-02-25'),
    );
    expect(refusal(back, disburse('boarding_living_allowance', 'spring'))).toBe('accepted');
  });

  it('a boarder who becomes a day student mid-year: no boarding allowance for the spring term', () => {
    const dayStudent = history(
      enrol('junior_secondary', '2026-09-01'),
      grant('boarding_living_allowance'),
      enrol('junior_secondary', '2027-02-20', false),
    );
    expect(refusal(dayStudent, disburse('boarding_living_allowance', 'autumn'))).toBe('accepted');
    expect(refusal(dayStudent, disburse('boarding_living_allowance', 'spring'))).toMatch(
      /^409 NOT_ELIGIBLE_FOR_TERM .*2027-03-01 为走读生/,
    );
  });

  it('refuses an unknown grant or term, a payment dated ahead, and other roles', () => {
    expect(
      refusal(boarderGranted, {
        ...disburse('boarding_living_allowance', 'autumn'),
        grantId: 'ZZ-x',
      } as EducationAssistanceCommand),
    ).toMatch(/^404 GRANT_NOT_FOUND /);
    const once = history(
      enrol('university', '2026-09-01', false),
      grant('university_entrance_aid', 2026, { universityLocation: 'within_region' }),
    );
    expect(refusal(once, disburse('university_entrance_aid', 'spring'))).toMatch(
      /^422 TERM_NOT_IN_GRANT term：该资助在2026—2027学年没有春季学期的发放/,
    );
    expect(
      refusal(boarderGranted, {
        ...disburse('boarding_living_allowance', 'autumn'),
        paidOn: '2026-10-11',
      } as EducationAssistanceCommand),
    ).toMatch(/^422 DATE_IN_FUTURE paidOn：/);
    expect(
      refusal(boarderGranted, {
        ...disburse('boarding_living_allowance', 'autumn'),
        officer: { ...officer, role: 'health_officer' },
      } as EducationAssistanceCommand),
    ).toMatch(/^403 ROLE_NOT_ALLOWED /);
  });
});
