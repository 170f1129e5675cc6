import { DomainError } from '@platform/contracts';
import { INITIAL_HOUSING_ASSISTANCE, type HousingAssistanceTable } from '@platform/policy';
import { deciderSpec } from '@platform/testing';
import {
  houseRenovationDecider,
  type Appraisal,
  type Grade,
  type HouseRenovationCommand,
  type HouseRenovationEvent,
  type HouseRenovationState,
} from './house-renovation.decider.js';
import type { Household } from './household.js';
import type { Officer, TableVersion } from './values.js';

const spec = deciderSpec<HouseRenovationCommand, HouseRenovationEvent, HouseRenovationState>(
  houseRenovationDecider,
);

const officer: Officer = { id: 'u-housing-wuyuan', name: '郝建军', role: 'housing_officer' };
const household: Household = {
  householdId: 'hh-0107',
  headName: '张福贵',
  headIdNumber: '150821195505051236',
  memberIdNumbers: ['150821195505051236', '150821195808081223'],
};
const V1: TableVersion<HousingAssistanceTable> = {
  version: 1,
  effectiveFrom: '2020-01-01',
  content: INITIAL_HOUSING_ASSISTANCE,
};
const t = (day: string, hour = 10) =>
  new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

const appraisal = (grade: Grade, over: Partial<Appraisal> = {}): Appraisal => ({
  grade,
  appraisedOn: '2026-04-08',
  organisation: '五原县房屋安全鉴定站',
  reportNumber: `JD-2026-${grade}-031`,
  findings: '承重墙体开裂、屋架腐朽',
  ...over,
});
function appraise(
  grade: Grade,
  over: Partial<Extract<HouseRenovationCommand, { type: 'RecordAppraisal' }>> = {},
): HouseRenovationCommand {
  return {
    type: 'RecordAppraisal',
    projectId: 'WG-2026-0031',
    household,
    villageCode: '150821102201',
    address: '五原县隆兴昌镇永联村三组 12 号',
    category: 'dibao',
    appraisal: appraisal(grade),
    table: V1,
    officer,
    now: t('2026-04-09'),
    ...over,
  };
}
const approve = (table = V1, now = t('2026-04-20')): HouseRenovationCommand => ({
  type: 'ApproveRenovation',
  documentNumber: '五住建改〔2026〕031号',
  table,
  officer,
  now,
});
const start = (startedOn = '2026-05-06', now = t('2026-05-06')): HouseRenovationCommand => ({
  type: 'StartWorks',
  startedOn,
  officer,
  now,
});
const complete = (completedOn = '2026-08-28', now = t('2026-08-28')): HouseRenovationCommand => ({
  type: 'CompleteWorks',
  completedOn,
  officer,
  now,
});
const inspect = (
  passed: boolean,
  inspectedOn = '2026-09-03',
  inspectors = ['郝建军', '乌兰'],
): HouseRenovationCommand => ({
  type: 'RecordAcceptance',
  inspectedOn,
  passed,
  inspectors,
  findings: passed ? '主体结构安全，符合验收要求' : '屋面防水未完成',
  officer,
  now: t(inspectedOn),
});
const pay = (paymentReference = 'BF-2026-0912-07', paidOn = '2026-09-12'): HouseRenovationCommand => ({
  type: 'PaySubsidy',
  paymentReference,
  paidOn,
  officer,
  now: t('2026-09-12'),
});

function history(...commands: HouseRenovationCommand[]): HouseRenovationEvent[] {
  let state = houseRenovationDecider.initialState();
  const events: HouseRenovationEvent[] = [];
  for (const c of commands) {
    const decided = houseRenovationDecider.decide(c, state);
    state = decided.reduce(houseRenovationDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}
const refusal = (given: HouseRenovationEvent[], command: HouseRenovationCommand): string => {
  try {
    houseRenovationDecider.decide(
      command,
      given.reduce(houseRenovationDecider.evolve, houseRenovationDecider.initialState()),
    );
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const d = e as DomainError;
    return `${d.status} ${d.code} ${d.message}`;
  }
};
const stateOf = (events: HouseRenovationEvent[]) =>
  events.reduce(houseRenovationDecider.evolve, houseRenovationDecider.initialState());

describe('rural dangerous-house renovation', () => {
  it('a C- or D-grade house of an eligible household is appraised and waits for approval', () => {
    spec
      .given([])
      .when(appraise('C'))
      .then([
        {
          type: 'housing.HouseAppraised',
          data: {
            projectId: 'WG-2026-0031',
            household,
            villageCode: '150821102201',
            address: '五原县隆兴昌镇永联村三组 12 号',
            category: 'dibao',
            appraisal: appraisal('C'),
            by: officer,
            at: t('2026-04-09'),
          },
        },
      ]);
    spec
      .given([])
      .when(appraise('D'))
      .thenState((s) => expect(s.status).toBe('appraised'));
  });

  it.each<Grade>(['A', 'B'])(
    'a %s-grade house is not dangerous: refused with the reason, and no approval after',
    (grade) => {
      spec
        .given([])
        .when(appraise(grade))
        .thenState((s, events) => {
          expect(s.status).toBe('refused');
          expect(events[1]).toEqual({
            type: 'housing.RenovationRefused',
            data: {
              projectId: 'WG-2026-0031',
              reasons: [
                grade === 'A'
                  ? '房屋鉴定为A级（结构能满足安全使用要求），不属于危房，不纳入农村危房改造'
                  : '房屋鉴定为B级（个别结构构件不满足安全使用要求，基本不影响整体安全），不属于危房，不纳入农村危房改造',
              ],
              policy: { 'housing-assistance': 1 },
              by: officer,
              at: t('2026-04-09'),
            },
          });
        });
      expect(refusal(history(appraise(grade)), approve())).toMatch(
        /^409 PROJECT_INVALID_STATE 当前状态（不予改造）下不能批准危房改造/,
      );
    },
  );

  it('a household whose category the table does not list is refused, with every reason that applies', () => {
    spec
      .given([])
      .when(appraise('D', { category: 'other' }))
      .thenState((s) => {
        expect(s.refusal!.reasons).toEqual([
          '家庭类别为其他家庭，不属于危房改造对象（特困人员、低保家庭、低保边缘家庭、防止返贫监测对象）',
        ]);
      });
    spec
      .given([])
      .when(appraise('A', { category: 'other' }))
      .thenState((s) => expect(s.refusal!.reasons).toHaveLength(2));
  });

  it('the same appraisal recorded twice adds nothing; another one is refused', () => {
    const given = history(appraise('C'));
    spec
      .given(given)
      .when(appraise('C', { now: t('2026-04-10') }))
      .then([]);
    expect(refusal(given, appraise('D', { appraisal: appraisal('D') }))).toMatch(/^409 ALREADY_APPRAISED /);
  });

  it('approval fixes the subsidy of the grade from the table in force on the day of approval', () => {
    spec
      .given(history(appraise('C')))
      .when(approve())
      .then([
        {
          type: 'housing.RenovationApproved',
          data: {
            projectId: 'WG-2026-0031',
            grade: 'C',
            measure: 'reinforcement',
            subsidyFen: 1_500_000,
            documentNumber: '五住建改〔2026〕031号',
            policy: { 'housing-assistance': 1 },
            by: officer,
            at: t('2026-04-20'),
          },
        },
      ]);
    const raised: TableVersion<HousingAssistanceTable> = {
      version: 2,
      effectiveFrom: '2026-04-20',
      content: {
        ...INITIAL_HOUSING_ASSISTANCE,
        renovation: {
          ...INITIAL_HOUSING_ASSISTANCE.renovation,
          subsidyByGradeYuan: { C: 16_000, D: 45_000 },
        },
      },
    };
    spec
      .given(history(appraise('D')))
      .when(approve(raised))
      .thenState((s) => {
        expect(s.approval).toMatchObject({
          grade: 'D',
          measure: 'rebuild',
          subsidyFen: 4_500_000,
          policy: { 'housing-assistance': 2 },
        });
      });
    // The day before it takes effect, the raised table does not apply.
    expect(refusal(history(appraise('D')), approve(raised, t('2026-04-19')))).toMatch(
      /^422 POLICY_NOT_IN_FORCE /,
    );
  });

  it('works: approved → started → completed → accepted → paid, the subsidy approved paid once', () => {
    const accepted = history(appraise('D'), approve(), start(), complete(), inspect(true));
    expect(stateOf(accepted).status).toBe('accepted');
    spec
      .given(accepted)
      .when(pay())
      .then([
        {
          type: 'housing.RenovationSubsidyPaid',
          data: {
            projectId: 'WG-2026-0031',
            household,
            villageCode: '150821102201',
            amountFen: 4_000_000,
            documentNumber: '五住建改〔2026〕031号',
            paymentReference: 'BF-2026-0912-07',
            paidOn: '2026-09-12',
            by: officer,
            at: t('2026-09-12'),
          },
        },
      ]);
    const paid = [...accepted, ...houseRenovationDecider.decide(pay(), stateOf(accepted))];
    spec.given(paid).when(pay()).then([]);
    expect(refusal(paid, pay('BF-2026-0912-08'))).toMatch(
      /^409 PROJECT_INVALID_STATE 当前状态（补助已拨付）/,
    );
  });

  it('a failed inspection sends the works back to rectification; accepted only on a later inspection', () => {
    const failed = history(appraise('C'), approve(), start(), complete(), inspect(false));
    expect(stateOf(failed).status).toBe('rectifying');
    expect(refusal(failed, pay())).toMatch(
      /^409 PROJECT_INVALID_STATE 当前状态（验收未通过，整改中）下不能拨付补助（须先竣工验收合格）/,
    );
    expect(refusal(failed, complete('2026-09-02', t('2026-09-20')))).toMatch(
      /^422 DATE_OUT_OF_ORDER completedOn：整改完成日期不能早于上次验收日期（2026-09-03）/,
    );
    const reworked = history(
      appraise('C'),
      approve(),
      start(),
      complete(),
      inspect(false),
      complete('2026-09-03', t('2026-09-20')),
      inspect(true, '2026-09-21'),
    );
    expect(stateOf(reworked)).toMatchObject({ status: 'accepted', completedOn: '2026-09-03' });
    expect(stateOf(reworked).inspections.map((i) => i.passed)).toEqual([false, true]);
  });

  it('keeps the steps in order and their dates real', () => {
    const approved = history(appraise('C'), approve());
    expect(refusal(approved, start('2026-04-19'))).toMatch(
      /^422 DATE_OUT_OF_ORDER startedOn：开工日期不能早于批准日期（2026-04-20）/,
    );
    expect(refusal(approved, start('2026-04-20', t('2026-04-20')))).toBe('accepted');
    expect(refusal(approved, start('2026-05-07'))).toMatch(/^422 DATE_IN_FUTURE startedOn：/);
    expect(refusal(approved, complete())).toMatch(
      /^409 PROJECT_INVALID_STATE 当前状态（已批准，待开工）下不能登记竣工/,
    );
    const started = history(appraise('C'), approve(), start());
    expect(refusal(started, complete('2026-05-05'))).toMatch(
      /^422 DATE_OUT_OF_ORDER completedOn：竣工日期不能早于开工日期/,
    );
    expect(refusal(started, inspect(true))).toMatch(/^409 /);
    expect(refusal(started, pay())).toMatch(/^409 /);
    const completed = history(appraise('C'), approve(), start(), complete());
    expect(refusal(completed, inspect(true, '2026-09-03', ['郝建军', ' 郝建军 ']))).toMatch(
      /^422 TOO_FEW_INSPECTORS inspectors：竣工验收须由不少于 2 人进行（当前 1 人）/,
    );
    expect(refusal(completed, inspect(true, '2026-08-27'))).toMatch(/^422 DATE_OUT_OF_ORDER inspectedOn：/);
    expect(refusal([], start())).toMatch(/^404 PROJECT_NOT_FOUND /);
  });

  it('refuses an incomplete household or appraisal, and anyone but the housing department', () => {
    expect(
      refusal([], appraise('C', { household: { ...household, memberIdNumbers: ['150821195808081223'] } })),
    ).toMatch(/^422 HEAD_NOT_MEMBER household\.memberIdNumbers：家庭成员中应包含户主/);
    expect(refusal([], appraise('C', { appraisal: appraisal('E' as Grade) }))).toMatch(/^422 GRADE_INVALID /);
    expect(refusal([], appraise('C', { appraisal: appraisal('C', { reportNumber: '' }) }))).toMatch(
      /^422 FIELD_REQUIRED appraisal\.reportNumber：/,
    );
    expect(refusal([], appraise('C', { appraisal: appraisal('C', { appraisedOn: '2026-04-10' }) }))).toMatch(
      /^422 DATE_IN_FUTURE appraisal\.appraisedOn：/,
    );
    expect(refusal([], appraise('C', { officer: { ...officer, role: 'township_officer' } }))).toMatch(
      /^403 ROLE_NOT_ALLOWED /,
    );
    expect(
      refusal(history(appraise('C')), { ...approve(), documentNumber: ' ' } as HouseRenovationCommand),
    ).toMatch(/^422 FIELD_REQUIRED documentNumber：/);
  });
});
