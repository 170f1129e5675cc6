import { platformContracts } from '@platform/contracts';
import {
  INITIAL_MATERIALS,
  INITIAL_URGENT_ASSISTANCE,
  SHIPPED_CALENDAR,
  type PolicyVersion,
} from '@platform/policy';
import {
  membersOf,
  nextReferralDeadline,
  temporaryAssistanceDecider,
  type GreenChannelPolicy,
  type PolicyHistories,
  type TemporaryAssistanceCommand,
  type TemporaryAssistanceEvent,
  type TemporaryAssistanceState,
} from './temporary-assistance.decider.js';

/**
 * 救急难 one-door intake: a `temporary` referral from intake opens an application, and the application
 * reports back to the case with the standard referral lifecycle (received, accepted, completed).
 */

const caseId = '0190a4c4-0000-7000-8000-00000000c001';
const referralId = '0190a4c4-0000-7000-8000-00000000c002';
const system = { id: 'system', name: '系统', role: 'admin' };
const window = { id: 'u-shuanghe-window', name: '李春梅', role: 'township_officer' };
const county = { id: 'u-linhe-civil', name: '刘海燕', role: 'county_civil_affairs' };
const county2 = { id: 'u-linhe-civil-2', name: '王磊', role: 'county_civil_affairs' };
const place = {
  villageCode: '150802100201',
  townshipCode: '150802100000',
  countyCode: '150802000000',
  countyName: '临河区',
};
const recordedBy = { id: 'admin', role: 'admin' };
const version = <T extends 'materials' | 'urgent-assistance' | 'calendar'>(
  table: T,
  content: PolicyVersion<T>['content'],
): PolicyVersion<T> =>
  ({
    table,
    version: 1,
    effectiveFrom: '2020-01-01',
    content,
    reason: '默认',
    recordedAt: '2020-01-01T00:00:00.000Z',
    recordedBy,
  }) as PolicyVersion<T>;
const policy: PolicyHistories = {
  limits: [
    {
      table: 'temporary-assistance-limits',
      version: 1,
      effectiveFrom: '2020-01-01',
      content: { townshipMultipleOfMonthlyStandard: 3 },
      reason: '默认',
      recordedAt: '2020-01-01T00:00:00.000Z',
      recordedBy,
    },
  ],
  standards: [
    {
      table: 'allowance-standards',
      version: 1,
      effectiveFrom: '2026-01-01',
      content: {
        [place.countyCode]: { urbanDibaoMonthly: 870, ruralDibaoMonthly: 690, specialHardshipMonthly: 1131 },
      },
      reason: '标准',
      recordedAt: '2026-01-01T00:00:00.000Z',
      recordedBy,
    },
  ],
};
const green: GreenChannelPolicy = {
  materials: [version('materials', INITIAL_MATERIALS)],
  urgent: [version('urgent-assistance', INITIAL_URGENT_ASSISTANCE)],
  calendar: [version('calendar', SHIPPED_CALENDAR)],
};

// Wednesday 2026-07-01 09:00 and 10:00 Beijing.
const receivedAt = '2026-07-01T01:00:00.000Z';
const now = '2026-07-01T02:00:00.000Z';
const members = [
  { name: '王建国', idNumber: '150802195001011234' },
  { name: '李秀兰', idNumber: '15080219520202124X' },
];
const deadlines = {
  acknowledgeBy: '2026-07-01T05:00:00.000Z',
  decideBy: '2026-07-03T15:59:59.999Z',
  policy: { deadlines: 1, calendar: 1, 'urgent-assistance': 1 },
  provisionalYears: [],
};
const receive = (
  overrides: Partial<Extract<TemporaryAssistanceCommand, { type: 'ReceiveReferral' }>> = {},
): TemporaryAssistanceCommand => ({
  type: 'ReceiveReferral',
  applicationId: referralId,
  referral: { caseId, referralId, caseNumber: 'LH-2026-000123' },
  members,
  hardship: { kind: 'other', description: '房屋失火，全家无处居住' },
  requestedAmount: 5000,
  area: 'rural',
  place,
  urgency: 'urgent',
  deadlines,
  actor: system,
  now: receivedAt,
  ...overrides,
});

const fold = (events: TemporaryAssistanceEvent[]): TemporaryAssistanceState =>
  events.reduce(temporaryAssistanceDecider.evolve, temporaryAssistanceDecider.initialState());
const decide = (events: TemporaryAssistanceEvent[], command: TemporaryAssistanceCommand) =>
  temporaryAssistanceDecider.decide(command, fold(events));
const received = () => decide([], receive());
const ids = { caseId, referralId };

describe('temporary assistance from intake referrals (救急难 one-door intake)', () => {
  it('opens an application with the case, members and urgency, and receives the referral with its deadlines', () => {
    const events = received();
    expect(events.map((e) => e.type)).toEqual([
      'civil-affairs.TemporaryAssistanceApplied',
      'civil-affairs.ReferralReceived',
    ]);
    expect(events[0]!.data).toMatchObject({
      applicationId: referralId,
      referral: { caseId, referralId, caseNumber: 'LH-2026-000123' },
      members,
      urgency: 'urgent',
      requestedAmount: 5000,
      place,
      recordedBy: system,
    });
    expect(events[1]!.data).toEqual({
      ...ids,
      acknowledgeBy: deadlines.acknowledgeBy,
      decideBy: deadlines.decideBy,
      policy: deadlines.policy,
      deadlinesProvisional: [],
      receivedAt,
      at: receivedAt,
    });
    const state = fold(events);
    expect(state.status).toBe('recorded');
    expect(state.application!.referral).toEqual({ caseId, referralId, caseNumber: 'LH-2026-000123' });
    // What intake reads of it is the public referral contract.
    const contracts = platformContracts();
    expect(() => contracts.validate(events[1]!.type, 1, events[1]!.data)).not.toThrow();
    expect(contracts.isPublic('civil-affairs.TemporaryAssistanceApplied')).toBe(false);
  });

  it('changes nothing when the referral is delivered again', () => {
    expect(decide(received(), receive())).toEqual([]);
    expect(decide(received(), receive({ now: now, requestedAmount: 1 }))).toEqual([]);
  });

  it('takes the applicant first and each person once (applicant and members of the referral)', () => {
    const applicant = { name: '王建国', idNumber: '150802195001011234', phone: '13900000000' };
    expect(
      membersOf({
        applicant,
        members: [
          { ...applicant, idNumber: applicant.idNumber.toLowerCase() },
          { name: '李秀兰', idNumber: '15080219520202124x' },
        ],
      }),
    ).toEqual(members);
    expect(membersOf({ applicant, members: null })).toEqual([members[0]]);
    expect(membersOf({ applicant: null, members: null })).toEqual([]);
  });

  it('granted by the township at once (green channel): the referral accepted and completed with the amount', () => {
    const events = decide(received(), {
      type: 'GrantByTownship',
      amount: 2000,
      opinion: '先行救助',
      policy,
      missingMaterials: ['相关费用票据'],
      green,
      actor: window,
      now,
    });
    expect(events.map((e) => e.type)).toEqual([
      'civil-affairs.TemporaryAssistanceGrantedByTownship',
      'civil-affairs.ReferralAccepted',
      'civil-affairs.ReferralCompleted',
    ]);
    expect(events[1]!.data).toEqual({ ...ids, officerId: window.id, at: now });
    expect(events[2]!.data).toEqual({
      ...ids,
      outcome: 'granted',
      amount: 2000,
      service: '临时救助 2000 元（乡镇（街道）审批；先行救助，待补充材料：相关费用票据）',
      reason: null,
      officerId: window.id,
      at: now,
    });
    const contracts = platformContracts();
    for (const e of events.slice(1)) expect(() => contracts.validate(e.type, 1, e.data)).not.toThrow();
    const state = fold([...received(), ...events]);
    expect(state.status).toBe('granted');
    expect(state.obligations.map((o) => [o.material, o.status])).toEqual([['相关费用票据', 'open']]);
    // A retried grant changes nothing, the referral included.
    expect(
      decide([...received(), ...events], {
        type: 'GrantByTownship',
        amount: 2000,
        opinion: '先行救助',
        policy,
        missingMaterials: ['相关费用票据'],
        green,
        actor: window,
        now,
      }),
    ).toEqual([]);
  });

  it('above the limit: accepted when submitted, completed with the amount the county approves', () => {
    const submitted = decide(received(), {
      type: 'SubmitToCounty',
      proposedAmount: 4000,
      opinion: '超出乡镇审批权限，报请审批',
      policy,
      actor: window,
      now,
    });
    expect(submitted.map((e) => e.type)).toEqual([
      'civil-affairs.TemporaryAssistanceSubmittedToCounty',
      'civil-affairs.ReferralAccepted',
    ]);
    const approved = decide([...received(), ...submitted], {
      type: 'ApproveByCounty',
      amount: 3500,
      opinion: '同意',
      actor: county2,
      now,
    });
    expect(approved.map((e) => e.type)).toEqual([
      'civil-affairs.TemporaryAssistanceApprovedByCounty',
      'civil-affairs.ReferralCompleted',
    ]);
    expect(approved[1]!.data).toMatchObject({
      ...ids,
      outcome: 'granted',
      amount: 3500,
      officerId: county2.id,
    });
  });

  it('refused (township or county): the referral completed not eligible with the reasons', () => {
    const refused = decide(received(), {
      type: 'RefuseByTownship',
      reasons: '家庭收入高于标准',
      actor: window,
      now,
    });
    expect(refused.map((e) => e.type)).toEqual([
      'civil-affairs.TemporaryAssistanceRefusedByTownship',
      'civil-affairs.ReferralCompleted',
    ]);
    expect(refused[1]!.data).toEqual({
      ...ids,
      outcome: 'not_eligible',
      amount: null,
      service: null,
      reason: '家庭收入高于标准',
      officerId: window.id,
      at: now,
    });
    expect(() => platformContracts().validate(refused[1]!.type, 1, refused[1]!.data)).not.toThrow();
    const submitted = decide(received(), {
      type: 'SubmitToCounty',
      proposedAmount: 4000,
      opinion: '报请审批',
      policy,
      actor: window,
      now,
    });
    const byCounty = decide([...received(), ...submitted], {
      type: 'RefuseByCounty',
      reasons: '不符合条件',
      actor: county,
      now,
    });
    expect(byCounty[1]!.data).toMatchObject({ outcome: 'not_eligible', reason: '不符合条件' });
  });

  it('a revoked referral withdraws the undecided application; a decided one keeps its record', () => {
    const withdraw: TemporaryAssistanceCommand = { type: 'WithdrawApplication', reason: '群众撤回申请', now };
    const events = decide(received(), withdraw);
    expect(events).toEqual([
      {
        type: 'civil-affairs.TemporaryAssistanceWithdrawn',
        data: { applicationId: referralId, ...ids, reason: '群众撤回申请', at: now },
      },
    ]);
    expect(fold([...received(), ...events]).status).toBe('withdrawn');
    expect(decide([...received(), ...events], withdraw)).toEqual([]);
    const refused = decide(received(), { type: 'RefuseByTownship', reasons: '不符合', actor: window, now });
    expect(decide([...received(), ...refused], withdraw)).toEqual([]);
    expect(decide([], withdraw)).toEqual([]);
  });

  it('the deadline watch marks each missed referral deadline once, and none once decided', () => {
    const mark = (at: string): TemporaryAssistanceCommand => ({ type: 'MarkObligationsOverdue', now: at });
    expect(nextReferralDeadline(fold(received()))).toBe(deadlines.acknowledgeBy);
    expect(decide(received(), mark(now))).toEqual([]);
    // After the acknowledge deadline (still no step taken): that one only.
    const ack = decide(received(), mark('2026-07-01T06:00:00.000Z'));
    expect(ack).toEqual([
      {
        type: 'civil-affairs.ReferralOverdue',
        data: {
          ...ids,
          deadline: 'acknowledge',
          dueAt: deadlines.acknowledgeBy,
          heldBy: null,
          at: '2026-07-01T06:00:00.000Z',
        },
      },
    ]);
    expect(() => platformContracts().validate(ack[0]!.type, 1, ack[0]!.data)).not.toThrow();
    expect(nextReferralDeadline(fold([...received(), ...ack]))).toBe(deadlines.decideBy);
    const late = '2026-07-10T00:00:00.000Z';
    const dec = decide([...received(), ...ack], mark(late));
    expect(dec.map((e) => (e.data as { deadline: string }).deadline)).toEqual(['decide']);
    expect(decide([...received(), ...ack, ...dec], mark(late))).toEqual([]);
    expect(nextReferralDeadline(fold([...received(), ...ack, ...dec]))).toBeNull();
    // Submitted to the county: acknowledged, the decide deadline still runs; decided: nothing runs.
    const submitted = decide(received(), {
      type: 'SubmitToCounty',
      proposedAmount: 4000,
      opinion: '报请审批',
      policy,
      actor: window,
      now,
    });
    expect(
      decide([...received(), ...submitted], mark(late)).map((e) => (e.data as { deadline: string }).deadline),
    ).toEqual(['decide']);
    const refused = decide(received(), { type: 'RefuseByTownship', reasons: '不符合', actor: window, now });
    expect(decide([...received(), ...refused], mark(late))).toEqual([]);
    expect(nextReferralDeadline(fold([...received(), ...refused]))).toBeNull();
  });

  it('an application recorded at the window reports to no case', () => {
    const recorded = decide([], {
      type: 'RecordApplication',
      applicationId: referralId,
      members,
      hardship: { kind: 'sudden_accident', description: '房屋失火' },
      requestedAmount: 5000,
      area: 'rural',
      place,
      actor: window,
      now: receivedAt,
    });
    expect(recorded.map((e) => e.type)).toEqual(['civil-affairs.TemporaryAssistanceApplied']);
    const granted = decide(recorded, {
      type: 'GrantByTownship',
      amount: 2000,
      opinion: '同意',
      policy,
      actor: window,
      now,
    });
    expect(granted.map((e) => e.type)).toEqual(['civil-affairs.TemporaryAssistanceGrantedByTownship']);
  });
});
