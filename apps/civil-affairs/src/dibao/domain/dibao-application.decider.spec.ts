import { DomainError, platformContracts } from '@platform/contracts';
import { SHIPPED_CALENDAR, type CalendarTable, type PolicyVersion } from '@platform/policy';
import { deciderSpec } from '@platform/testing';
import { computeAllowance, standardInForce, type AllowanceStandard } from './allowance.js';
import { workingDaysFrom } from './deadlines.js';
import {
  currentAmount,
  currentHousehold,
  dibaoDecider,
  nextDueAt,
  type ApplicationDetails,
  type DibaoCommand,
  type DibaoEvent,
  type DibaoState,
  type HouseholdMember,
  type InvestigationRecord,
  type Officer,
  type SampleRecord,
} from './dibao-application.decider.js';
import { DEFAULT_DIBAO_RULES as rules } from './dibao-rules.js';

const spec = deciderSpec<DibaoCommand, DibaoEvent, DibaoState>(dibaoDecider);
const DAY = 86_400_000;
const CAL = SHIPPED_CALENDAR;
const applicationId = '0190a4c4-0000-7000-8000-0000000000a1';
const caseId = '0190a4c4-0000-7000-8000-0000000000c1';
const ids = { caseId, referralId: applicationId };
/** Monday 2 November 2026, 10:00 in Beijing. */
const t0 = '2026-11-02T02:00:00.000Z';
const at = (days: number, hours = 0) =>
  new Date(Date.parse(t0) + days * DAY + hours * 3600_000).toISOString();
const plusDaysIso = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY).toISOString();
const endOfDay = (day: string) => new Date(Date.parse(`${day}T23:59:59.999+08:00`)).toISOString();

const township: Officer = { id: 'u-twp-shuanghe', name: '李春梅', role: 'township_officer' };
const township2: Officer = { id: 'u-twp-shuanghe-2', name: '王强', role: 'township_officer' };
const village: Officer = { id: 'u-vil-jinbu', name: '张桂兰', role: 'village_verifier' };
const county: Officer = { id: 'u-ca-linhe', name: '刘海燕', role: 'county_civil_affairs' };
const county2: Officer = { id: 'u-ca-linhe-2', name: '赵敏', role: 'county_civil_affairs' };

const LINHE: AllowanceStandard = {
  urbanDibaoMonthly: 870,
  ruralDibaoMonthly: 690,
  specialHardshipMonthly: 1131,
};

const household: HouseholdMember[] = [
  // 68 on 20 November 2026: elderly.
  {
    name: '王建国',
    idNumber: '150802195801011234',
    relationship: 'applicant',
    disabled: false,
    seriousIllness: false,
  },
  // 64 and disabled.
  {
    name: '刘秀兰',
    idNumber: '150802196203041226',
    relationship: 'spouse',
    disabled: true,
    seriousIllness: false,
  },
  // 16: a minor.
  {
    name: '王小明',
    idNumber: '150802201005051238',
    relationship: 'child',
    disabled: false,
    seriousIllness: false,
  },
];

function investigation(over: Partial<InvestigationRecord> = {}): InvestigationRecord {
  return {
    date: '2026-11-03',
    investigators: ['李春梅', '张桂兰'],
    membersPresent: ['王建国', '刘秀兰'],
    household,
    area: 'rural',
    livingConditions: '土坯房两间，无大件家电，主要劳动力年老体弱',
    incomes: [
      { memberIdNumber: '150802195801011234', source: '种植收入', monthlyAmount: 600 },
      { memberIdNumber: null, source: '亲属接济', monthlyAmount: 300 },
    ],
    assets: [{ kind: '耕地', description: '承包地 5 亩', value: null }],
    investigatorsConfirmed: true,
    applicantConfirmed: true,
    specialHardship: null,
    ...over,
  };
}

const details: ApplicationDetails = {
  applicationId,
  caseId,
  caseNumber: '150802-2026-000001',
  program: 'dibao',
  villageCode: '150802100201',
  townshipCode: '150802100000',
  countyCode: '150802000000',
  area: 'rural',
  applicant: { name: '王建国', idNumber: '150802195801011234', phone: '13900000000' },
  description: '老两口年老体弱，孙子上学，收入低',
  urgency: 'normal',
  acceptedBy: 'u-twp-shuanghe-window',
  confirmation: 'county',
};

const receive = (
  over: Partial<Extract<DibaoCommand, { type: 'ReceiveApplication' }>> = {},
): DibaoCommand => ({
  type: 'ReceiveApplication',
  details,
  staffMatches: [],
  investigationDeadline: workingDaysFrom(t0, rules.investigationWorkingDays, CAL),
  townshipReviewDeadline: workingDaysFrom(t0, rules.townshipReviewWorkingDays, CAL),
  policy: { calendar: 1 },
  rules,
  now: t0,
  ...over,
});

const start = (now = at(0, 1), officer = township): DibaoCommand => ({
  type: 'StartInvestigation',
  officer,
  now,
});
const investigate = (
  over: Partial<InvestigationRecord> = {},
  officer = township,
  now = at(1),
): DibaoCommand => ({
  type: 'RecordInvestigation',
  investigation: investigation(over),
  staffMatches: [],
  rules,
  officer,
  now,
});
const verify = (now = at(1, 1)): DibaoCommand => ({
  type: 'RecordVerification',
  findings: [
    { department: '公安', findings: '无机动车登记' },
    { department: '不动产登记', findings: '无城镇住房' },
  ],
  conclusion: '家庭财产状况符合规定',
  verification: null,
  officer: township,
  now,
});
const appraise = (
  participantsDue: number,
  attended: number,
  agreed: number,
  officer = township,
): DibaoCommand => ({
  type: 'RecordAppraisal',
  appraisal: {
    date: '2026-11-03',
    participantsDue,
    attended,
    agreed,
    signed: true,
    record: '村民代表会议评议',
  },
  rules,
  officer,
  now: at(1, 2),
});
const townshipReview = (
  recommendation: 'approve' | 'reject' = 'approve',
  officer = township,
): DibaoCommand => ({
  type: 'RecordTownshipReview',
  recommendation,
  opinion: recommendation === 'approve' ? '经审核，符合农村低保条件' : '家庭收入高于标准，不符合条件',
  officer,
  now: at(1, 3),
});
const postNotice = (
  notice: 'first' | 'second',
  now: string,
  officer = notice === 'first' ? township : county,
): DibaoCommand => ({
  type: 'PostNotice',
  notice,
  rules,
  officer,
  now,
});
const noSample: SampleRecord = {
  sampled: false,
  reason: 'not_sampled',
  seed: 'seed',
  draw: 0.9,
  position: 2,
  percent: 30,
  month: '2026-11',
};
const submit = (now = at(9), sample: SampleRecord | null = noSample): DibaoCommand => ({
  type: 'SubmitToCounty',
  countyDeadline: workingDaysFrom(now, rules.countyDecisionWorkingDays, CAL),
  sample,
  officer: township,
  now,
});
const countyReview = (
  officer = county,
  recommendation: 'approve' | 'reject' = 'approve',
  now = at(9, 2),
): DibaoCommand => ({
  type: 'RecordCountyReview',
  recommendation,
  opinion: '材料齐全，调查属实',
  officer,
  now,
});
const approve = (
  over: Partial<Extract<DibaoCommand, { type: 'ApproveApplication' }>> = {},
): DibaoCommand => ({
  type: 'ApproveApplication',
  opinion: '同意纳入农村最低生活保障',
  documentNumber: '临河区民保决〔2026〕000001号',
  standard: LINHE,
  policy: { 'allowance-standards': 2 },
  countyName: '临河区',
  day: '2026-11-20',
  rules,
  officer: county,
  now: at(18),
  ...over,
});
const reject = (officer = county, now = at(10)): DibaoCommand => ({
  type: 'RejectApplication',
  reasons: ['家庭月人均收入高于当地低保标准'],
  opinion: '不符合低保条件',
  documentNumber: '临河区民不保〔2026〕000001号',
  rules,
  officer,
  now,
});
const objection = (now: string, objectionId = 'obj-1'): DibaoCommand => ({
  type: 'FileObjection',
  objectionId,
  reference: `YY-${objectionId}`,
  content: '申请人儿子在外地务工，收入较高',
  contact: null,
  deadline: workingDaysFrom(now, rules.objectionWorkingDays, CAL),
  now,
});
const decideObjection = (
  result: 'upheld' | 'dismissed',
  now: string,
  next: 'township_review' | 'rejection' | null = null,
  objectionId = 'obj-1',
): DibaoCommand => ({
  type: 'DecideObjection',
  objectionId,
  result,
  next,
  opinion: result === 'dismissed' ? '经复核，其子已分户且无赡养能力，异议不成立' : '经复核，异议成立',
  townshipReviewDeadline: workingDaysFrom(now, rules.townshipReviewWorkingDays, CAL),
  countyDeadline: workingDaysFrom(now, rules.countyDecisionWorkingDays, CAL),
  officer: county,
  now,
});

/** Runs commands through the decider, each on the state the previous ones left. */
function run(commands: DibaoCommand[], from: DibaoEvent[] = []): DibaoEvent[] {
  let state = from.reduce(dibaoDecider.evolve, dibaoDecider.initialState());
  const out = [...from];
  for (const c of commands) {
    const events = dibaoDecider.decide(c, state);
    state = events.reduce(dibaoDecider.evolve, state);
    out.push(...events);
  }
  return out;
}
const fold = (events: DibaoEvent[]) => events.reduce(dibaoDecider.evolve, dibaoDecider.initialState());

function refusal(given: DibaoEvent[], command: DibaoCommand): DomainError {
  try {
    dibaoDecider.decide(command, fold(given));
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error(`expected ${command.type} to be refused`);
}
const types = (events: DibaoEvent[]) => events.map((e) => e.type);

const received = () => run([receive()]);
const investigating = () => run([start()], received());
const reviewing = () => run([investigate(), verify(), appraise(12, 10, 9)], investigating());
const firstNotice = () => run([townshipReview(), postNotice('first', at(1, 4))], reviewing());
const atCounty = () => run([submit()], firstNotice());
const secondNotice = () => run([countyReview(), postNotice('second', at(10))], atCounty());

describe('dibao application decider', () => {
  describe('receipt', () => {
    it('becomes an application with the referral received, deadlines counted in working days', () => {
      const events = received();
      expect(types(events)).toEqual([
        'civil-affairs.DibaoApplicationReceived',
        'civil-affairs.ReferralReceived',
      ]);
      expect(events[1]!.data).toEqual({
        ...ids,
        acknowledgeBy: endOfDay('2026-11-16'),
        decideBy: endOfDay('2026-11-23'),
        policy: { calendar: 1 },
        deadlinesProvisional: [],
        receivedAt: t0,
        at: t0,
      });
      expect(events[0]!.data).toMatchObject({
        rules: 'dibao-procedure/1',
        program: 'dibao',
        caseNumber: '150802-2026-000001',
      });
    });

    it('is received once: a redelivered referral changes nothing', () => {
      spec.given(received()).when(receive()).then([]);
    });

    it('flags a household member found in the staff-relative filings, with the matches', () => {
      const match = {
        idNumber: '150802195801011234',
        filingId: 'f-1',
        staffName: '王某某',
        staffPosition: '村委会主任',
        organisation: '进步村村民委员会',
        relationship: 'sibling',
      };
      spec
        .given([])
        .when(receive({ staffMatches: [match] }))
        .thenState((state, events) => {
          expect(types(events)).toContain('civil-affairs.DibaoStaffRelativeFlagged');
          expect(state.staffRelative).toBe(true);
          expect(state.staffMatches).toEqual([match]);
        });
    });
  });

  describe('household investigation (入户调查)', () => {
    it('the township starts it: the referral is acknowledged', () => {
      spec
        .given(received())
        .when(start())
        .then([
          { type: 'civil-affairs.DibaoInvestigationStarted', data: { ...ids, by: township, at: at(0, 1) } },
          {
            type: 'civil-affairs.ReferralAcknowledged',
            data: { ...ids, officerId: township.id, at: at(0, 1) },
          },
        ]);
      expect(refusal(received(), start(at(0, 1), village)).status).toBe(403);
    });

    it('needs at least two investigators and both confirmations', () => {
      const one = refusal(investigating(), investigate({ investigators: ['李春梅', ' 李春梅 '] }));
      expect(one).toMatchObject({ code: 'TOO_FEW_INVESTIGATORS', status: 422 });
      expect(one.message).toContain('不少于 2 名');
      expect(refusal(investigating(), investigate({ applicantConfirmed: false })).code).toBe(
        'CONFIRMATION_REQUIRED',
      );
      expect(refusal(investigating(), investigate({ membersPresent: ['外人'] })).code).toBe(
        'MEMBERS_PRESENT_INVALID',
      );
    });

    it('a village verifier may record it on behalf of the township', () => {
      spec
        .given(investigating())
        .when(investigate({}, village))
        .thenState((state, events) => {
          expect(events[0]!.data).toMatchObject({ by: village, onBehalfOf: '150802100000' });
          expect(state.investigation?.by).toEqual(village);
        });
    });

    it('every member is matched: a relative found at the investigation flags the application then', () => {
      const cmd = investigate();
      (cmd as { staffMatches: unknown[] }).staffMatches = [
        {
          idNumber: '150802201005051238',
          filingId: 'f-9',
          staffName: '刘某',
          staffPosition: '乡镇社会救助经办人员',
          organisation: '双河镇人民政府',
          relationship: 'grandchild',
        },
      ];
      spec
        .given(investigating())
        .when(cmd)
        .thenState((state) => expect(state.staffRelative).toBe(true));
    });

    it('special hardship records all three conditions', () => {
      const sh = run([receive({ details: { ...details, program: 'special_hardship' } }), start()]);
      expect(refusal(sh, investigate()).code).toBe('SPECIAL_HARDSHIP_CONDITIONS_REQUIRED');
    });
  });

  describe('the verification result from the verification over the platform', () => {
    const fromPlatform = (
      over: Partial<NonNullable<Extract<DibaoCommand, { type: 'RecordVerification' }>['verification']>> = {},
    ): DibaoCommand => ({
      type: 'RecordVerification',
      findings: [],
      conclusion: '家庭收入和财产状况符合规定',
      verification: {
        verificationId: 'v-1',
        applicationId,
        silent: [],
        findings: [
          { department: '卫生健康部门', findings: '无相关记录' },
          { department: '住房部门', findings: '逾期未回复' },
        ],
        ...over,
      },
      officer: township,
      now: at(1, 1),
    });
    const given = () => run([investigate()], investigating());

    it('takes the answers as the findings, and names the verification', () => {
      spec
        .given(given())
        .when(fromPlatform())
        .thenState((state, events) => {
          expect(events[0]!.data).toMatchObject({ manual: false, verificationId: 'v-1' });
          expect(state.verification!.findings).toHaveLength(2);
        });
    });

    it('waits for departments still within their deadline, and refuses another application’s verification', () => {
      const pending = refusal(given(), fromPlatform({ silent: ['教育部门'] }));
      expect(pending).toMatchObject({ code: 'VERIFICATION_PENDING', status: 409 });
      expect(pending.message).toContain('教育部门尚未回复');
      expect(refusal(given(), fromPlatform({ applicationId: 'another' })).code).toBe(
        'VERIFICATION_OTHER_APPLICATION',
      );
    });
  });

  describe('democratic appraisal (民主评议) and the start of the township review', () => {
    it('township review begins with investigation, verification and a valid appraisal: the referral is accepted', () => {
      const events = run([investigate(), verify(), appraise(12, 8, 8)], investigating());
      expect(types(events).slice(-3)).toEqual([
        'civil-affairs.DibaoAppraisalHeld',
        'civil-affairs.DibaoTownshipReviewBegun',
        'civil-affairs.ReferralAccepted',
      ]);
      expect(fold(events).status).toBe('township_review');
    });

    it('8 of 12 attending is a quorum (exactly 2/3); 7 of 11 is not, and the review does not begin', () => {
      const valid = run([investigate(), verify(), appraise(12, 8, 6)], investigating());
      expect(valid.find((e) => e.type === 'civil-affairs.DibaoAppraisalHeld')!.data).toMatchObject({
        valid: true,
        passed: true,
        quorum: '2/3',
      });
      const invalid = run([investigate(), verify(), appraise(11, 7, 7)], investigating());
      expect(invalid.find((e) => e.type === 'civil-affairs.DibaoAppraisalHeld')!.data).toMatchObject({
        valid: false,
        passed: false,
      });
      expect(fold(invalid).status).toBe('investigating');
    });

    it('passes with 2/3 of attendees agreeing (8 of 12), not with 7 of 11: then the township may not recommend approval', () => {
      const failed = run([investigate(), verify(), appraise(12, 11, 7)], investigating());
      expect(fold(failed).appraisal).toMatchObject({ valid: true, passed: false });
      expect(refusal(failed, townshipReview('approve')).code).toBe('APPRAISAL_NOT_PASSED');
      spec
        .given(failed)
        .when(townshipReview('reject'))
        .thenState((s) => expect(s.townshipReview?.recommendation).toBe('reject'));
      const passed = run([investigate(), verify(), appraise(12, 12, 8)], investigating());
      expect(fold(passed).appraisal).toMatchObject({ passed: true });
    });

    it('may be skipped with a reason', () => {
      const events = run(
        [
          investigate(),
          verify(),
          { type: 'SkipAppraisal', reason: '无争议，经村委会确认不开展', officer: township, now: at(1, 2) },
        ],
        investigating(),
      );
      expect(fold(events).status).toBe('township_review');
      expect(
        refusal(run([investigate(), verify()], investigating()), {
          type: 'SkipAppraisal',
          reason: ' ',
          officer: township,
          now: at(1, 2),
        }).code,
      ).toBe('FIELD_REQUIRED');
    });
  });

  describe('deadlines', () => {
    it('counts working days across holidays and make-up working days', () => {
      // Wednesday 30 September 2026: National Day 1–7 October off, Saturday 10 October worked.
      expect(workingDaysFrom('2026-09-30T02:00:00.000Z', 10, CAL)).toEqual({
        dueAt: endOfDay('2026-10-20'),
        provisionalYears: [],
      });
      // A year without a calendar counts weekends only and says so.
      expect(workingDaysFrom('2027-12-30T02:00:00.000Z', 2, CAL).provisionalYears).toEqual(['2027', '2028']);
    });

    it('the first notice’s days are not counted in the township review', () => {
      const state = fold(firstNotice());
      expect(state.currentNotice).toMatchObject({ kind: 'first', endsAt: endOfDay('2026-11-10') });
      expect(state.deadlines.township_review?.dueAt).toBe(endOfDay('2026-11-30'));
    });

    it('extends a step once only, with a reason, before it is due', () => {
      const extend = (dueAt: string, now = at(2)): DibaoCommand => ({
        type: 'ExtendDeadline',
        step: 'township_review',
        reason: '需补充调查外出务工人员收入',
        dueAt,
        officer: township,
        now,
      });
      const once = run([extend(endOfDay('2026-12-14'))], reviewing());
      expect(fold(once).deadlines.township_review).toMatchObject({
        dueAt: endOfDay('2026-12-14'),
        extended: true,
      });
      expect(refusal(once, extend(endOfDay('2027-01-04'))).code).toBe('ALREADY_EXTENDED');
      expect(refusal(reviewing(), extend(endOfDay('2026-12-14'), at(30))).code).toBe('DEADLINE_PASSED');
    });

    it('marks a missed step once, as a referral overdue too', () => {
      const late = at(15); // 17 November: the investigation was due on the 16th
      const events = run([{ type: 'MarkOverdue', now: late }], investigating());
      expect(events.slice(-2)).toEqual([
        {
          type: 'civil-affairs.DibaoStepOverdue',
          data: {
            ...ids,
            step: 'investigation',
            objectionId: null,
            dueAt: endOfDay('2026-11-16'),
            heldBy: township.id,
            at: late,
          },
        },
        {
          type: 'civil-affairs.ReferralOverdue',
          data: { ...ids, deadline: 'acknowledge', dueAt: endOfDay('2026-11-16'), heldBy: township.id },
        },
      ]);
      spec
        .given(events)
        .when({ type: 'MarkOverdue', now: at(16) })
        .then([]);
      expect(nextDueAt(fold(events))).toBe(endOfDay('2026-11-23'));
      const reviewLate = run([{ type: 'MarkOverdue', now: at(22) }], reviewing());
      expect(reviewLate.at(-1)!.data).toMatchObject({ deadline: 'decide', dueAt: endOfDay('2026-11-23') });
    });
  });

  describe('township review and first notice (审核, 第一次公示)', () => {
    it('sends up after the notice has run its 7 days, not before; the spot-check draw is recorded', () => {
      expect(refusal(firstNotice(), submit(at(8))).code).toBe('NOTICE_RUNNING');
      const events = atCounty();
      expect(types(events).slice(-2)).toEqual([
        'civil-affairs.DibaoSubmittedToCounty',
        'civil-affairs.DibaoSpotCheckSampled',
      ]);
      const state = fold(events);
      expect(state.status).toBe('county_review');
      expect(state.deadlines.county_decision?.dueAt).toBe(endOfDay('2026-11-25'));
      expect(state.deadlines.township_review?.done).toBe(true);
      expect(state.sample).toMatchObject({ sampled: false, seed: 'seed' });
    });

    it('a recommendation to refuse goes to the county without a notice', () => {
      const events = run([townshipReview('reject'), submit(at(2))], reviewing());
      expect(fold(events).status).toBe('county_review');
      expect(refusal(run([townshipReview('reject')], reviewing()), postNotice('first', at(2))).code).toBe(
        'NOTICE_ONLY_FOR_APPROVAL',
      );
    });
  });

  describe('no one approves what they reviewed', () => {
    it('the township reviewer may not act for the county (409)', () => {
      const promoted: Officer = { ...township, role: 'county_civil_affairs' };
      const e = refusal(atCounty(), countyReview(promoted));
      expect(e).toMatchObject({ code: 'SELF_APPROVAL', status: 409 });
      expect(e.message).toContain('李春梅');
      expect(refusal(secondNotice(), approve({ officer: promoted })).code).toBe('SELF_APPROVAL');
      expect(refusal(atCounty(), reject(promoted)).code).toBe('SELF_APPROVAL');
    });

    it('nor the window officer who accepted the case', () => {
      const acceptor: Officer = { id: 'u-twp-shuanghe-window', name: '陈芳', role: 'county_civil_affairs' };
      const e = refusal(atCounty(), countyReview(acceptor));
      expect(e).toMatchObject({ code: 'SELF_APPROVAL', status: 409 });
      expect(e.message).toContain('受理了该申请');
    });

    it('nor a county approver give the township opinion after an objection sent it back', () => {
      const back = run(
        [objection(at(11)), decideObjection('upheld', at(12), 'township_review')],
        secondNotice(),
      );
      const demoted: Officer = { ...county, role: 'township_officer' };
      expect(refusal(back, townshipReview('approve', demoted)).code).toBe('SELF_APPROVAL');
      spec
        .given(back)
        .when(townshipReview('approve', township2))
        .thenState((s) => expect(s.townshipReview?.by).toEqual(township2));
    });
  });

  describe('objections during a notice (异议)', () => {
    it('only while a notice runs', () => {
      expect(refusal(reviewing(), objection(at(2))).code).toBe('NOT_IN_NOTICE');
      expect(refusal(firstNotice(), objection(at(9))).code).toBe('NOT_IN_NOTICE');
    });

    it('pause the application; the county decides within 20 working days', () => {
      const filed = run([objection(at(3))], firstNotice());
      const state = fold(filed);
      expect(state.pausedAt).toBe(at(3));
      expect(state.objections[0]).toMatchObject({ status: 'pending', dueAt: endOfDay('2026-12-03') });
      expect(refusal(filed, submit(at(9))).code).toBe('OBJECTION_PENDING');
      // The paused step is not marked overdue; the objection is, once its own deadline passes.
      const late = run([{ type: 'MarkOverdue', now: at(32) }], filed);
      expect(late.filter((e) => e.type === 'civil-affairs.DibaoStepOverdue').map((e) => e.data)).toEqual([
        expect.objectContaining({ step: 'objection', objectionId: 'obj-1' }),
      ]);
    });

    it('dismissed: the application continues, the paused days added to the step', () => {
      const events = run([objection(at(3)), decideObjection('dismissed', at(5))], firstNotice());
      const state = fold(events);
      expect(state.pausedAt).toBeNull();
      expect(state.status).toBe('first_notice');
      expect(state.deadlines.township_review?.dueAt).toBe(
        new Date(Date.parse(endOfDay('2026-11-30')) + 2 * DAY).toISOString(),
      );
      expect(fold(run([submit(at(9))], events)).status).toBe('county_review');
    });

    it('upheld: back to the township review with a fresh deadline, or to a refusal only', () => {
      const back = fold(
        run([objection(at(11)), decideObjection('upheld', at(12), 'township_review')], secondNotice()),
      );
      expect(back).toMatchObject({ status: 'township_review', townshipReview: null, countyReview: null });
      expect(back.deadlines.township_review).toMatchObject({ dueAt: endOfDay('2026-12-04'), done: false });
      expect(back.deadlines.county_decision).toBeNull();

      const refuse = run([objection(at(11)), decideObjection('upheld', at(12), 'rejection')], secondNotice());
      expect(fold(refuse)).toMatchObject({ status: 'county_review', mustReject: true });
      expect(refusal(refuse, postNotice('second', at(13))).code).toBe('OBJECTION_UPHELD');
      expect(types(run([reject(county2, at(13))], refuse))).toContain('civil-affairs.ReferralCompleted');
      expect(refusal(run([objection(at(11))], secondNotice()), decideObjection('upheld', at(12))).code).toBe(
        'NEXT_REQUIRED',
      );
    });
  });

  describe('county review and decision (审批)', () => {
    it('approves after the second notice with the allowance computed from the standard in force', () => {
      const events = run([approve()], secondNotice());
      expect(types(events).slice(-2)).toEqual([
        'civil-affairs.DibaoDecisionMade',
        'civil-affairs.ReferralCompleted',
      ]);
      const decision = events.at(-2)!.data;
      // (690 − 900 / 3) × 3 = 1170, plus 50 (elderly) + 50 + 80 (elderly, disabled) + 50 (minor) = 1400.
      expect(decision).toMatchObject({
        outcome: 'granted',
        monthlyAmount: 1400,
        documentNumber: '临河区民保决〔2026〕000001号',
        policy: { 'allowance-standards': 2 },
        rules: 'dibao-procedure/1',
        allowance: { standardMonthly: 690, perCapitaIncome: 300, base: 1170, supplementTotal: 230 },
      });
      expect(events.at(-1)!.data).toMatchObject({ outcome: 'granted', amount: 1400, officerId: county.id });
      expect(fold(events).status).toBe('granted');
      // Every event with a contract matches it.
      const contracts = platformContracts();
      for (const e of events.filter((x) => contracts.isPublic(x.type))) {
        expect(() => contracts.validate(e.type, 1, e.data)).not.toThrow();
      }
    });

    it('waits for the second notice to end and for every objection to be decided', () => {
      expect(refusal(secondNotice(), approve({ now: at(16) })).code).toBe('NOTICE_RUNNING');
      const objected = run([objection(at(11))], secondNotice());
      expect(refusal(objected, approve()).code).toBe('OBJECTION_PENDING');
      expect(types(run([decideObjection('dismissed', at(12)), approve()], objected))).toContain(
        'civil-affairs.ReferralCompleted',
      );
    });

    it('refuses with 422 naming the county when no standard is in force', () => {
      const e = refusal(secondNotice(), approve({ standard: null }));
      expect(e).toMatchObject({ code: 'STANDARD_MISSING', status: 422 });
      expect(e.message).toContain('临河区');
    });

    it('refuses when the income is not below the standard', () => {
      const rich = run(
        [
          investigate({ incomes: [{ memberIdNumber: null, source: '工资', monthlyAmount: 2070 }] }),
          verify(),
          appraise(12, 10, 9),
          townshipReview(),
          postNotice('first', at(1, 4)),
          submit(),
          countyReview(),
          postNotice('second', at(10)),
        ],
        investigating(),
      );
      expect(refusal(rich, approve()).code).toBe('INCOME_NOT_BELOW_STANDARD');
    });

    it('a staff relative: every application visited at home and a filing on record before approval', () => {
      const match = {
        idNumber: '150802195801011234',
        filingId: 'f-1',
        staffName: '王某某',
        staffPosition: '村委会主任',
        organisation: '进步村村民委员会',
        relationship: 'sibling',
      };
      const sampled: SampleRecord = { ...noSample, sampled: true, reason: 'staff_relative' };
      const flaggedFlow = run([
        receive({ staffMatches: [match] }),
        start(),
        investigate(),
        verify(),
        appraise(12, 10, 9),
        townshipReview(),
        postNotice('first', at(1, 4)),
        submit(at(9), sampled),
        countyReview(),
      ]);
      expect(refusal(flaggedFlow, postNotice('second', at(10))).code).toBe('SPOT_CHECK_REQUIRED');
      const visited = run(
        [
          {
            type: 'RecordSpotCheck',
            spotCheck: {
              visitDate: '2026-11-12',
              visitors: ['刘海燕', '赵敏'],
              findings: '情况属实',
              confirmed: true,
            },
            officer: county,
            now: at(10),
          },
          postNotice('second', at(10, 1)),
        ],
        flaggedFlow,
      );
      expect(refusal(visited, approve()).code).toBe('FILING_REQUIRED');
      const filed = run(
        [
          {
            type: 'RecordStaffRelativeFiling',
            note: '已按规定备案，入户核查属实',
            officer: county,
            now: at(11),
          },
        ],
        visited,
      );
      expect(fold(run([approve()], filed)).status).toBe('granted');
    });

    it('rejects with reasons: the referral is completed as not eligible', () => {
      const events = run([reject()], atCounty());
      expect(events.at(-1)).toEqual({
        type: 'civil-affairs.ReferralCompleted',
        data: {
          ...ids,
          outcome: 'not_eligible',
          amount: null,
          service: null,
          reason: '家庭月人均收入高于当地低保标准',
          officerId: county.id,
          at: at(10),
        },
      });
      expect(fold(events).decision).toMatchObject({
        documentType: 'rejection',
        documentNumber: '临河区民不保〔2026〕000001号',
      });
      expect(refusal(atCounty(), { ...reject(), reasons: [' '] } as DibaoCommand).code).toBe(
        'REASONS_REQUIRED',
      );
    });

    it('special hardship: all three conditions, and the support standard per person', () => {
      const hardship: ApplicationDetails = { ...details, program: 'special_hardship' };
      const alone = [household[0]!];
      const flow = (conditions: {
        noWorkCapacity: boolean;
        noIncomeSource: boolean;
        noSupporterAble: boolean;
      }) =>
        run([
          receive({ details: hardship }),
          start(),
          investigate({
            household: alone,
            membersPresent: ['王建国'],
            incomes: [],
            specialHardship: conditions,
          }),
          verify(),
          appraise(12, 10, 9),
          townshipReview(),
          postNotice('first', at(1, 4)),
          submit(),
          countyReview(),
          postNotice('second', at(10)),
        ]);
      const e = refusal(
        flow({ noWorkCapacity: true, noIncomeSource: true, noSupporterAble: false }),
        approve(),
      );
      expect(e.code).toBe('NOT_SPECIAL_HARDSHIP');
      expect(e.message).toContain('无法定赡养');
      const granted = run(
        [approve()],
        flow({ noWorkCapacity: true, noIncomeSource: true, noSupporterAble: true }),
      );
      expect(granted.at(-2)!.data).toMatchObject({ program: 'special_hardship', monthlyAmount: 1131 });
    });
  });

  describe('after approval: recheck (复查) and suspension (停保)', () => {
    const granted = () => run([approve()], secondNotice());
    const suspend = (reasons = ['家庭成员已稳定就业，月人均收入高于标准']): DibaoCommand => ({
      type: 'SuspendAssistance',
      reasons,
      opinion: '经复查核实，决定停止保障',
      documentNumber: '临河区民停保〔2026〕000001号',
      rules,
      officer: county,
      now: at(200),
    });

    it('records a recheck of a recipient, by the township or the county', () => {
      const recheck = (officer: Officer): DibaoCommand => ({
        type: 'RecordRecheck',
        date: '2027-05-20',
        findings: '入户复查，儿子已在外地稳定就业',
        conclusion: 'no_longer_eligible',
        officer,
        now: at(199),
      });
      spec
        .given(granted())
        .when(recheck(township))
        .thenState((s) =>
          expect(s.rechecks).toMatchObject([{ conclusion: 'no_longer_eligible', by: township }]),
        );
      expect(refusal(granted(), recheck(village)).status).toBe(403);
      expect(refusal(secondNotice(), recheck(county)).code).toBe('APPLICATION_INVALID_STATE');
    });

    it('changes the allowance only after a recheck found the situation changed, recomputed from the household now', () => {
      const recheck = (now: string, conclusion: 'continue' | 'changed' = 'changed'): DibaoCommand => ({
        type: 'RecordRecheck',
        date: '2027-05-20',
        findings: '孙子已随父母生活，家庭人口减少',
        conclusion,
        officer: township,
        now,
      });
      const change = (
        over: Partial<Extract<DibaoCommand, { type: 'ChangeAllowance' }>> = {},
      ): DibaoCommand => ({
        type: 'ChangeAllowance',
        household: household.slice(0, 2),
        incomes: [{ memberIdNumber: null, source: '种植收入', monthlyAmount: 900 }],
        area: 'rural',
        opinion: '家庭人口减少，变更月保障金',
        documentNumber: '临河区民保变〔2027〕000001号',
        standard: LINHE,
        policy: { 'allowance-standards': 2 },
        countyName: '临河区',
        day: '2027-05-21',
        rules,
        officer: county,
        now: at(201),
        ...over,
      });
      expect(refusal(granted(), change()).code).toBe('RECHECK_REQUIRED');
      expect(refusal(run([recheck(at(200), 'continue')], granted()), change()).code).toBe('RECHECK_REQUIRED');
      const changed = run([recheck(at(200)), change()], granted());
      // (690 × 2 − 900) + 50 + (50 + 80) = 660.
      expect(changed.at(-1)!.data).toMatchObject({
        previousAmount: 1400,
        monthlyAmount: 660,
        documentNumber: '临河区民保变〔2027〕000001号',
        documentType: 'change',
      });
      expect(currentAmount(fold(changed))).toBe(660);
      expect(currentHousehold(fold(changed))).toHaveLength(2);
      // A second change needs a recheck after the first.
      expect(refusal(changed, change({ now: at(210) })).code).toBe('RECHECK_REQUIRED');
      const again = run([recheck(at(209))], changed);
      expect(refusal(again, change({ now: at(210) })).code).toBe('AMOUNT_UNCHANGED');
      expect(
        refusal(
          again,
          change({ now: at(210), incomes: [{ memberIdNumber: null, source: '工资', monthlyAmount: 1380 }] }),
        ).code,
      ).toBe('INCOME_NOT_BELOW_STANDARD');
      expect(refusal(again, change({ now: at(210), standard: null })).code).toBe('STANDARD_MISSING');
      const contracts = platformContracts();
      expect(() =>
        contracts.validate('civil-affairs.DibaoAllowanceChanged', 1, changed.at(-1)!.data),
      ).not.toThrow();
    });

    it('suspends with reasons and a numbered notice; nothing more happens to it', () => {
      const events = run([suspend()], granted());
      expect(events.at(-1)).toEqual({
        type: 'civil-affairs.DibaoAssistanceSuspended',
        data: {
          ...ids,
          program: 'dibao',
          documentNumber: '临河区民停保〔2026〕000001号',
          documentType: 'suspension',
          reasons: ['家庭成员已稳定就业，月人均收入高于标准'],
          opinion: '经复查核实，决定停止保障',
          by: county,
          rules: 'dibao-procedure/1',
          at: at(200),
        },
      });
      expect(fold(events)).toMatchObject({ status: 'suspended', decision: { monthlyAmount: 1400 } });
      expect(refusal(events, suspend()).code).toBe('APPLICATION_INVALID_STATE');
      expect(refusal(granted(), suspend([' '])).code).toBe('REASONS_REQUIRED');
      expect(refusal(secondNotice(), suspend()).code).toBe('APPLICATION_INVALID_STATE');
      spec
        .given(events)
        .when({ type: 'MarkOverdue', now: at(400) })
        .then([]);
      expect(nextDueAt(fold(events))).toBeNull();
    });
  });

  describe('deadlines counted into a year whose calendar was not loaded yet', () => {
    const dec24 = '2026-12-24T02:00:00.000Z';
    const with2027: CalendarTable = {
      years: {
        ...CAL.years,
        '2027': { holidays: { '2027-01-01': '元旦' }, workingWeekends: {} },
      },
    };
    const lateReceived = () =>
      run([
        receive({
          now: dec24,
          investigationDeadline: workingDaysFrom(dec24, rules.investigationWorkingDays, CAL),
          townshipReviewDeadline: workingDaysFrom(dec24, rules.townshipReviewWorkingDays, CAL),
        }),
      ]);
    const recount = (calendar = with2027): DibaoCommand => ({
      type: 'RecountDeadlines',
      calendar,
      calendarVersion: 2,
      now: '2026-12-28T02:00:00.000Z',
    });

    it('are counted again when the year loads, keeping the notice days added since', () => {
      const given = run(
        [
          start(dec24),
          investigate({}, township, '2026-12-25T02:00:00.000Z'),
          verify('2026-12-25T03:00:00.000Z'),
          { type: 'SkipAppraisal', reason: '情况清楚', officer: township, now: '2026-12-25T04:00:00.000Z' },
          { ...townshipReview(), now: '2026-12-25T05:00:00.000Z' },
          postNotice('first', '2026-12-25T06:00:00.000Z'),
        ],
        lateReceived(),
      );
      const before = fold(given).deadlines;
      expect(before.township_review!.provisionalYears).toEqual(['2027']);
      // 15 working days from 24 December, 元旦 counted as a working day, then 7 notice days.
      expect(before.township_review!.dueAt).toBe(plusDaysIso(endOfDay('2027-01-14'), 7));
      spec
        .given(given)
        .when(recount())
        .thenState((state, events) => {
          expect(events[0]!.data).toMatchObject({
            years: ['2027'],
            steps: [{ step: 'township_review', dueAt: plusDaysIso(endOfDay('2027-01-15'), 7) }],
          });
          expect(state.deadlines.township_review!.provisionalYears).toEqual([]);
          expect(nextDueAt(state)).toBe(plusDaysIso(endOfDay('2027-01-15'), 7));
        });
      // Once counted, a second look (or the same year loaded again) changes nothing.
      spec
        .given([...given, ...dibaoDecider.decide(recount(), fold(given))])
        .when(recount())
        .then([]);
    });

    it('wait while the year has still no calendar, and leave finished steps alone', () => {
      spec.given(lateReceived()).when(recount(CAL)).then([]);
      const events = dibaoDecider.decide(recount(), fold(lateReceived()));
      expect(events[0]!.data).toMatchObject({
        steps: [
          { step: 'investigation', dueAt: endOfDay('2027-01-08') },
          { step: 'township_review', dueAt: endOfDay('2027-01-15') },
        ],
      });
    });
  });

  describe('township-level confirmation (审核确认权限下放)', () => {
    const delegated = { ...details, confirmation: 'township' as const };
    const tReceived = () => run([receive({ details: delegated })]);
    const tReviewing = () => run([start(), investigate(), verify(), appraise(12, 10, 9)], tReceived());
    const tNotice = () => run([townshipReview(), postNotice('first', at(1, 4))], tReviewing());
    // The first notice runs 7 days from day 1: the township may decide from day 9.
    const tApprove = (officer = township2, now = at(9)) =>
      approve({ officer, now, day: '2026-11-11', documentNumber: '临河区民保决〔2026〕000002号' });

    it('ends at the township with one notice: no submission to the county', () => {
      const e = refusal(tNotice(), submit());
      expect(e.code).toBe('TOWNSHIP_CONFIRMS');
      expect(e.message).toContain('审核确认权限下放乡镇');
    });

    it('another township officer approves after the notice; both deadlines end', () => {
      spec
        .given(tNotice())
        .when(tApprove())
        .thenState((state, events) => {
          expect(types(events)).toEqual([
            'civil-affairs.RecipientCategoryChanged',
            'civil-affairs.DibaoDecisionMade',
            'civil-affairs.ReferralCompleted',
          ]);
          expect(events[1]!.data).toMatchObject({
            outcome: 'granted',
            level: 'township',
            monthlyAmount: 1400,
          });
          expect(state.status).toBe('granted');
          expect(state.deadlines.township_review!.done).toBe(true);
          expect(nextDueAt(state)).toBeNull();
        });
    });

    it('refuses the county, the reviewer, and a decision while the notice runs', () => {
      expect(refusal(tNotice(), approve({ now: at(9) })).status).toBe(403);
      const own = refusal(tNotice(), tApprove(township));
      expect(own.code).toBe('SELF_APPROVAL');
      expect(own.message).toContain('乡镇（街道）审核确认');
      expect(refusal(tNotice(), tApprove(township2, at(7))).code).toBe('NOTICE_RUNNING');
      // Still a county matter where the county kept the decision.
      expect(refusal(firstNotice(), tApprove()).code).toBe('ROLE_NOT_ALLOWED');
    });

    it('a township rejection needs no notice, but a review opinion and another officer', () => {
      expect(refusal(tReviewing(), reject(township2, at(2))).code).toBe('REVIEW_REQUIRED');
      const rejected = run([townshipReview('reject'), reject(township2, at(2))], tReviewing());
      expect(rejected.at(-2)!.data).toMatchObject({ outcome: 'not_eligible', level: 'township' });
      expect(fold(rejected).status).toBe('rejected');
    });

    it('an objection upheld to rejection keeps the decision, and its deadline, at the township', () => {
      const upheld = run([objection(at(3)), decideObjection('upheld', at(5), 'rejection')], tNotice());
      const state = fold(upheld);
      expect(state.status).toBe('township_review');
      expect(state.mustReject).toBe(true);
      expect(state.deadlines.county_decision).toBeNull();
      expect(nextDueAt(state)).toBe(state.deadlines.township_review!.dueAt);
      expect(refusal(upheld, tApprove()).code).toBe('APPLICATION_INVALID_STATE');
      expect(fold(run([reject(township2, at(6))], upheld)).status).toBe('rejected');
    });

    it("a staff or cadre's relative is decided by the county even where the township confirms", () => {
      const match = {
        idNumber: '150802195801011234',
        filingId: 'f-1',
        staffName: '王某某',
        staffPosition: '村委会主任',
        organisation: '进步村村民委员会',
        relationship: 'sibling',
      };
      const flagged = run(
        [
          start(),
          investigate(),
          verify(),
          appraise(12, 10, 9),
          townshipReview(),
          postNotice('first', at(1, 4)),
        ],
        run([receive({ details: delegated, staffMatches: [match] })]),
      );
      expect(refusal(flagged, tApprove()).code).toBe('ROLE_NOT_ALLOWED');
      expect(types(run([submit()], flagged))).toContain('civil-affairs.DibaoSubmittedToCounty');
    });

    it('an application received before the switch existed stays with the county', () => {
      const [first, ...rest] = received();
      const { confirmation: _c, ...old } = first!.data as typeof first.data & { confirmation?: string };
      const legacy = [{ ...first!, data: old } as DibaoEvent, ...rest];
      expect(fold(legacy).details!.confirmation).toBe('county');
    });
  });

  describe("the household's category for the other departments", () => {
    const category = (events: DibaoEvent[]) =>
      events.filter((e) => e.type === 'civil-affairs.RecipientCategoryChanged').map((e) => e.data);

    it('is told on grant, on a change that drops a member, and on a stop; not on a rejection', () => {
      const granted = run([approve()], secondNotice());
      expect(category(granted)).toEqual([
        {
          householdId: applicationId,
          countyCode: '150802000000',
          memberIdNumbers: household.map((m) => m.idNumber),
          removedIdNumbers: [],
          category: 'dibao',
          effectiveFrom: '2026-11-20',
          reason: 'granted',
          at: at(18),
        },
      ]);
      expect(category(run([reject(county, at(10))], atCounty()))).toEqual([]);
      const changedDecision = dibaoDecider.decide(
        {
          type: 'ChangeAllowance',
          household: household.slice(0, 2),
          incomes: [{ memberIdNumber: null, source: '种植收入', monthlyAmount: 600 }],
          area: 'rural',
          opinion: '孙子随父母生活，家庭人口减少',
          documentNumber: '临河区民保变〔2026〕000001号',
          standard: LINHE,
          policy: { 'allowance-standards': 2 },
          countyName: '临河区',
          day: '2026-12-30',
          rules,
          officer: county2,
          now: at(58),
        },
        fold(
          run(
            [
              {
                type: 'RecordRecheck',
                date: '2026-12-29',
                findings: '孙子已随父母生活',
                conclusion: 'changed',
                officer: township,
                now: at(57),
              },
            ],
            granted,
          ),
        ),
      );
      expect(category(changedDecision)).toEqual([
        expect.objectContaining({
          memberIdNumbers: household.slice(0, 2).map((m) => m.idNumber),
          removedIdNumbers: [household[2]!.idNumber],
          category: 'dibao',
          reason: 'changed',
        }),
      ]);
      const stopped = dibaoDecider.decide(
        {
          type: 'SuspendAssistance',
          reasons: ['家庭收入已高于标准'],
          opinion: '停保',
          documentNumber: '临河区民停保〔2026〕000001号',
          rules,
          officer: county2,
          now: at(60),
        },
        fold(granted),
      );
      expect(category(stopped)).toEqual([
        expect.objectContaining({
          category: null,
          reason: 'suspended',
          memberIdNumbers: household.map((m) => m.idNumber),
        }),
      ]);
    });
  });

  describe('withdrawal', () => {
    it('intake revoked the referral: an open application is withdrawn, a decided one stays', () => {
      spec
        .given(reviewing())
        .when({ type: 'WithdrawApplication', reason: '申请人主动撤回', now: at(3) })
        .thenState((s) => expect(s.status).toBe('withdrawn'));
      spec
        .given(run([approve()], secondNotice()))
        .when({ type: 'WithdrawApplication', reason: 'x', now: at(20) })
        .then([]);
    });
  });
});

describe('the allowance', () => {
  const base = {
    program: 'dibao' as const,
    area: 'rural' as const,
    household,
    standard: LINHE,
    day: '2026-11-20',
    rules,
  };

  it('rounds once, at the end, by the rule', () => {
    // 690 × 3 − 900.50 = 1169.50, plus 230 = 1399.50.
    const half = { ...base, incomes: [{ monthlyAmount: 900.5 }] };
    const amount = (rounding: 'half_up' | 'up' | 'down', incomes = half.incomes) => {
      const r = computeAllowance({ ...half, incomes, rules: { ...rules, rounding } });
      return r.eligible ? r.allowance.monthlyAmount : null;
    };
    expect(amount('half_up')).toBe(1400);
    expect(amount('down')).toBe(1399);
    expect(amount('up')).toBe(1400);
    expect(amount('half_up', [{ monthlyAmount: 900.51 }])).toBe(1399);
    // Fen never drift: one third of a yuan per person is exact over the household.
    const r = computeAllowance({
      ...base,
      incomes: [{ monthlyAmount: 100 }, { monthlyAmount: 0.1 }, { monthlyAmount: 0.2 }],
    });
    expect(r.eligible && r.allowance.base).toBe(1969.7);
  });

  it('stacks supplements by the rule; ages are counted on the decision day', () => {
    const highest = computeAllowance({
      ...base,
      incomes: [{ monthlyAmount: 900 }],
      rules: { ...rules, supplementStacking: 'highest' },
    });
    expect(highest.eligible && highest.allowance.supplementTotal).toBe(50 + 80 + 50);
    // 王小明 turns 18 on 5 May 2028: no longer a minor then.
    const later = computeAllowance({ ...base, incomes: [{ monthlyAmount: 900 }], day: '2028-05-05' });
    expect(later.eligible && later.allowance.supplements.map((s) => s.kinds)).toEqual([
      ['elderly'],
      ['elderly', 'disabled'],
    ]);
  });

  it('uses the standard in force on the decision day, even if it changed during the application', () => {
    const version = (n: number, effectiveFrom: string, content: Record<string, AllowanceStandard>) =>
      ({
        table: 'allowance-standards',
        version: n,
        effectiveFrom,
        content,
        reason: '调整',
        recordedAt: '2026-01-01T00:00:00.000Z',
        recordedBy: { id: 'u-admin', role: 'admin' },
      }) as PolicyVersion<'allowance-standards'>;
    const versions = [
      version(1, '2020-01-01', {}),
      version(2, '2026-01-01', { '150802000000': LINHE }),
      version(3, '2026-12-01', {
        '150802000000': { urbanDibaoMonthly: 900, ruralDibaoMonthly: 720, specialHardshipMonthly: 1170 },
      }),
    ];
    // Received on 2 November under version 2; decided in December under version 3.
    const november = standardInForce(versions, '2026-11-30', '150802000000');
    const december = standardInForce(versions, '2026-12-03', '150802000000');
    expect(november?.version).toBe(2);
    expect(december).toMatchObject({ version: 3, standard: { ruralDibaoMonthly: 720 } });
    expect(standardInForce(versions, '2026-12-03', '150821000000')).toBeNull();
    const decided = run(
      [
        approve({
          standard: december!.standard,
          policy: { 'allowance-standards': 3 },
          day: '2026-12-03',
          now: '2026-12-03T02:00:00.000Z',
        }),
      ],
      secondNotice(),
    );
    // (720 × 3 − 900) + 230 = 1490.
    expect(decided.at(-2)!.data).toMatchObject({ monthlyAmount: 1490, policy: { 'allowance-standards': 3 } });
  });
});
