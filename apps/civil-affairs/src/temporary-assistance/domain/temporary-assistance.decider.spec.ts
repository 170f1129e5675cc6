import { DomainError } from '@platform/contracts';
import type { PolicyVersion } from '@platform/policy';
import {
  temporaryAssistanceDecider,
  townshipLimitOn,
  type PolicyHistories,
  type TemporaryAssistanceCommand,
  type TemporaryAssistanceEvent,
  type TemporaryAssistanceState,
} from './temporary-assistance.decider.js';

const applicationId = '0190a4c4-0000-7000-8000-00000000a001';
// 2026-07-01 10:00 Beijing.
const now = '2026-07-01T02:00:00.000Z';
const window = { id: 'u-shuanghe-window', name: '李春梅', role: 'township_officer' };
const otherWindow = { id: 'u-shuanghe-window-2', name: '赵丽', role: 'township_officer' };
const county = { id: 'u-linhe-civil', name: '刘海燕', role: 'county_civil_affairs' };
const place = {
  villageCode: '150802100201',
  townshipCode: '150802100000',
  countyCode: '150802000000',
  countyName: '临河区',
};

const recordedBy = { id: 'admin', role: 'admin' };
const limitsV1: PolicyVersion<'temporary-assistance-limits'> = {
  table: 'temporary-assistance-limits',
  version: 1,
  effectiveFrom: '2020-01-01',
  content: { townshipMultipleOfMonthlyStandard: 3 },
  reason: '默认',
  recordedAt: '2020-01-01T00:00:00.000Z',
  recordedBy,
};
const standards = (
  version: number,
  effectiveFrom: string,
  rural: number,
  countyCode = place.countyCode,
): PolicyVersion<'allowance-standards'> => ({
  table: 'allowance-standards',
  version,
  effectiveFrom,
  content: {
    [countyCode]: { urbanDibaoMonthly: 870, ruralDibaoMonthly: rural, specialHardshipMonthly: 1131 },
  },
  reason: '标准通知',
  recordedAt: `${effectiveFrom}T00:00:00.000Z`,
  recordedBy,
});
const policy: PolicyHistories = { limits: [limitsV1], standards: [standards(1, '2026-01-01', 690)] };

const applied: TemporaryAssistanceEvent = {
  type: 'civil-affairs.TemporaryAssistanceApplied',
  data: {
    applicationId,
    members: [
      { name: '王建国', idNumber: '150802195001011234' },
      { name: '刘秀兰', idNumber: '150802195503041220' },
    ],
    hardship: { kind: 'serious_illness', description: '户主突发脑梗住院' },
    requestedAmount: 5000,
    area: 'rural',
    place,
    recordedBy: window,
    at: '2026-06-30T02:00:00.000Z',
  },
};
const limit = {
  day: '2026-07-01',
  multiple: 3,
  standardMonthly: 690,
  limit: 2070,
  limitsVersion: 1,
  standardsVersion: 1,
};
const submitted: TemporaryAssistanceEvent = {
  type: 'civil-affairs.TemporaryAssistanceSubmittedToCounty',
  data: {
    applicationId,
    proposedAmount: 4000,
    opinion: '情况属实，建议给予 4000 元',
    limit,
    by: window,
    at: now,
  },
};
const granted: TemporaryAssistanceEvent = {
  type: 'civil-affairs.TemporaryAssistanceGrantedByTownship',
  data: { applicationId, amount: 2000, opinion: '同意', limit, by: window, at: now },
};
const approved: TemporaryAssistanceEvent = {
  type: 'civil-affairs.TemporaryAssistanceApprovedByCounty',
  data: { applicationId, amount: 4000, opinion: '同意', by: county, at: now },
};

const fold = (events: TemporaryAssistanceEvent[]): TemporaryAssistanceState =>
  events.reduce(temporaryAssistanceDecider.evolve, temporaryAssistanceDecider.initialState());
const decide = (events: TemporaryAssistanceEvent[], command: TemporaryAssistanceCommand) =>
  temporaryAssistanceDecider.decide(command, fold(events));

function failure(run: () => unknown): { code: string; status: number; message: string; field?: unknown } {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError)
      return { code: e.code, status: e.status, message: e.message, field: e.details.field };
    throw e;
  }
  throw new Error('expected a DomainError');
}

const record = (
  overrides: Partial<Extract<TemporaryAssistanceCommand, { type: 'RecordApplication' }>> = {},
) =>
  ({
    type: 'RecordApplication',
    applicationId,
    members: applied.data.members,
    hardship: applied.data.hardship,
    requestedAmount: 5000,
    area: 'rural',
    place,
    actor: window,
    now,
    ...overrides,
  }) as TemporaryAssistanceCommand;
const grant = (amount: number, overrides: Record<string, unknown> = {}) =>
  ({
    type: 'GrantByTownship',
    amount,
    opinion: '同意',
    policy,
    actor: window,
    now,
    ...overrides,
  }) as TemporaryAssistanceCommand;
const submit = (proposedAmount: number, overrides: Record<string, unknown> = {}) =>
  ({
    type: 'SubmitToCounty',
    proposedAmount,
    opinion: '情况属实，建议给予 4000 元',
    policy,
    actor: window,
    now,
    ...overrides,
  }) as TemporaryAssistanceCommand;
const approve = (amount: number, actor = county) =>
  ({ type: 'ApproveByCounty', amount, opinion: '同意', actor, now }) as TemporaryAssistanceCommand;

describe('temporary assistance decider', () => {
  describe('recording an application', () => {
    it('records the household, the hardship and the amount, upper-casing ID check characters', () => {
      const members = [{ name: ' 王建国 ', idNumber: '15080219700303008x' }];
      const [e] = decide([], record({ members }));
      expect(e).toMatchObject({
        type: 'civil-affairs.TemporaryAssistanceApplied',
        data: { members: [{ name: '王建国', idNumber: '15080219700303008X' }], requestedAmount: 5000, place },
      });
      expect(fold([e!]).status).toBe('recorded');
    });

    it.each([
      ['no members', { members: [] }, 'members'],
      [
        'the same person twice',
        {
          members: [
            { name: '王建国', idNumber: '150802195001011234' },
            { name: '王建国', idNumber: '150802195001011234' },
          ],
        },
        'members[1].idNumber',
      ],
      ['an unknown hardship', { hardship: { kind: 'flood', description: 'x' } }, 'hardship.kind'],
      ['an empty description', { hardship: { kind: 'other', description: '  ' } }, 'hardship.description'],
      ['a zero amount', { requestedAmount: 0 }, 'requestedAmount'],
      ['fractions of a fen', { requestedAmount: 100.001 }, 'requestedAmount'],
      ['an unknown area', { area: 'suburb' }, 'area'],
    ])('refuses %s with a 422 naming the field', (_what, overrides, field) => {
      const f = failure(() => decide([], record(overrides as never)));
      expect(f).toMatchObject({ status: 422, field });
      expect(f.message.startsWith(`${field}：`)).toBe(true);
    });

    it('the same application recorded twice is a conflict', () => {
      expect(failure(() => decide([applied], record()))).toMatchObject({
        status: 409,
        code: 'APPLICATION_EXISTS',
      });
    });
  });

  describe('the township limit', () => {
    it('is the multiple times the county standard for the area, from the versions in force', () => {
      expect(townshipLimitOn(policy, '2026-07-01', place, 'rural')).toEqual(limit);
      expect(townshipLimitOn(policy, '2026-07-01', place, 'urban').limit).toBe(2610);
    });

    it('takes a standard that changes on the decision day from that very day', () => {
      const changed = {
        ...policy,
        standards: [standards(1, '2026-01-01', 690), standards(2, '2026-07-01', 720)],
      };
      expect(townshipLimitOn(changed, '2026-06-30', place, 'rural')).toMatchObject({
        limit: 2070,
        standardsVersion: 1,
      });
      expect(townshipLimitOn(changed, '2026-07-01', place, 'rural')).toMatchObject({
        limit: 2160,
        standardsVersion: 2,
      });
    });

    it('is a 422 naming the table when the county has no standard that day', () => {
      const none = { ...policy, standards: [standards(1, '2026-01-01', 690, '150821000000')] };
      expect(failure(() => townshipLimitOn(none, '2026-07-01', place, 'rural'))).toMatchObject({
        status: 422,
        code: 'POLICY_MISSING',
        message: 'allowance-standards：临河区 2026-07-01 没有生效的保障标准，请先由管理员录入',
      });
    });
  });

  describe('the township decides within its limit', () => {
    it('grants exactly at the limit, recording the table versions applied', () => {
      expect(decide([applied], grant(2070))).toEqual([
        {
          type: 'civil-affairs.TemporaryAssistanceGrantedByTownship',
          data: { applicationId, amount: 2070, opinion: '同意', limit: { ...limit }, by: window, at: now },
        },
      ]);
    });

    it('refuses one yuan above the limit, naming the amount and the rule', () => {
      expect(failure(() => decide([applied], grant(2071)))).toEqual({
        code: 'ABOVE_TOWNSHIP_LIMIT',
        status: 422,
        field: 'amount',
        message: 'amount：超出乡镇审批权限（3 × 690 = 2070 元），须报旗县区民政部门审批',
      });
    });

    it('refuses one fen above the limit', () => {
      expect(failure(() => decide([applied], grant(2070.01))).code).toBe('ABOVE_TOWNSHIP_LIMIT');
    });

    it('applies a standard raised on the decision day: 2100 is within 3 × 720 that day', () => {
      const raised = {
        ...policy,
        standards: [standards(1, '2026-01-01', 690), standards(2, '2026-07-01', 720)],
      };
      const [e] = decide([applied], grant(2100, { policy: raised }));
      expect(e).toMatchObject({
        data: { amount: 2100, limit: { limit: 2160, standardMonthly: 720, standardsVersion: 2 } },
      });
      // The day before, the old standard still holds.
      expect(
        failure(() => decide([applied], grant(2100, { policy: raised, now: '2026-06-30T02:00:00.000Z' })))
          .message,
      ).toBe('amount：超出乡镇审批权限（3 × 690 = 2070 元），须报旗县区民政部门审批');
    });

    it('takes the decision day in Beijing time (16:30 UTC on 30 June is already 1 July)', () => {
      const raised = {
        ...policy,
        standards: [standards(1, '2026-01-01', 690), standards(2, '2026-07-01', 720)],
      };
      const [e] = decide([applied], grant(2100, { policy: raised, now: '2026-06-30T16:30:00.000Z' }));
      expect(e).toMatchObject({ data: { limit: { day: '2026-07-01' } } });
    });

    it('grants no more than was requested', () => {
      const small = {
        ...applied,
        data: { ...applied.data, requestedAmount: 1000 },
      } as TemporaryAssistanceEvent;
      expect(failure(() => decide([small], grant(1001)))).toMatchObject({
        code: 'ABOVE_REQUESTED',
        field: 'amount',
      });
    });

    it('the same grant twice changes nothing; a different second decision is a conflict', () => {
      expect(decide([applied, granted], grant(2000))).toEqual([]);
      expect(failure(() => decide([applied, granted], grant(1500)))).toMatchObject({
        status: 409,
        code: 'WRONG_STATUS',
      });
    });

    it('refuses with reasons; an empty reason is a 422 naming the field', () => {
      const [e] = decide([applied], { type: 'RefuseByTownship', reasons: '不符合条件', actor: window, now });
      expect(fold([applied, e!])).toMatchObject({
        status: 'refused',
        decision: { level: 'township', text: '不符合条件' },
      });
      expect(
        failure(() => decide([applied], { type: 'RefuseByTownship', reasons: ' ', actor: window, now })),
      ).toMatchObject({
        status: 422,
        field: 'reasons',
      });
    });

    it('cannot decide an application already submitted to the county', () => {
      expect(failure(() => decide([applied, submitted], grant(2000)))).toMatchObject({ status: 409 });
    });
  });

  describe('above the limit the township submits to the county', () => {
    it('submits one yuan above the limit with its opinion and the limit it exceeded', () => {
      const [e] = decide([applied], submit(2071));
      expect(e).toMatchObject({
        type: 'civil-affairs.TemporaryAssistanceSubmittedToCounty',
        data: { proposedAmount: 2071, limit },
      });
    });

    it('does not submit what it may decide itself (exactly at the limit)', () => {
      expect(failure(() => decide([applied], submit(2070)))).toEqual({
        code: 'WITHIN_TOWNSHIP_LIMIT',
        status: 422,
        field: 'proposedAmount',
        message: 'proposedAmount：建议金额 2070 元未超出乡镇审批权限（3 × 690 = 2070 元），由乡镇直接审批',
      });
    });

    it('needs an opinion', () => {
      expect(failure(() => decide([applied], submit(3000, { opinion: '' })))).toMatchObject({
        field: 'opinion',
      });
    });

    it('the same submission twice changes nothing', () => {
      expect(decide([applied, submitted], submit(4000))).toEqual([]);
    });
  });

  describe('the county decides above the limit', () => {
    it('approves an amount', () => {
      const events = decide([applied, submitted], approve(4000));
      expect(events).toEqual([approved]);
      expect(fold([applied, submitted, ...events])).toMatchObject({
        status: 'approved',
        decision: { level: 'county', outcome: 'granted', amount: 4000 },
      });
    });

    it('an officer who recorded or submitted the application may not decide it (no self-approval)', () => {
      const byCounty = {
        ...applied,
        data: { ...applied.data, recordedBy: county },
      } as TemporaryAssistanceEvent;
      expect(failure(() => decide([byCounty, submitted], approve(4000)))).toMatchObject({
        status: 403,
        code: 'SELF_APPROVAL',
        message: '不得审批本人受理或上报的临时救助申请，请由旗县区民政部门其他工作人员审批',
      });
      const submittedByCounty = {
        ...submitted,
        data: { ...submitted.data, by: county },
      } as TemporaryAssistanceEvent;
      expect(failure(() => decide([applied, submittedByCounty], approve(4000))).code).toBe('SELF_APPROVAL');
      expect(
        failure(() =>
          decide([applied, submittedByCounty], {
            type: 'RefuseByCounty',
            reasons: '不符合',
            actor: county,
            now,
          }),
        ).code,
      ).toBe('SELF_APPROVAL');
    });

    it('approves no more than was requested', () => {
      expect(failure(() => decide([applied, submitted], approve(5000.01)))).toMatchObject({
        code: 'ABOVE_REQUESTED',
      });
    });

    it('refuses with reasons', () => {
      const [e] = decide([applied, submitted], {
        type: 'RefuseByCounty',
        reasons: '家庭有存款',
        actor: county,
        now,
      });
      expect(e).toMatchObject({
        type: 'civil-affairs.TemporaryAssistanceRefusedByCounty',
        data: { reasons: '家庭有存款' },
      });
    });

    it('cannot decide before the township has submitted', () => {
      expect(failure(() => decide([applied], approve(4000)))).toMatchObject({
        status: 409,
        code: 'WRONG_STATUS',
      });
    });

    it('the same approval twice changes nothing; another officer approving again is a conflict', () => {
      expect(decide([applied, submitted, approved], approve(4000))).toEqual([]);
      const other = { ...county, id: 'u-linhe-civil-2' };
      expect(failure(() => decide([applied, submitted, approved], approve(4000, other))).status).toBe(409);
    });
  });

  describe('payment', () => {
    const pay = (paidOn: string, method = 'bank_transfer') =>
      ({ type: 'RecordPayment', paidOn, method, actor: otherWindow, now }) as TemporaryAssistanceCommand;

    it('records the amount decided, the day and how', () => {
      expect(decide([applied, submitted, approved], pay('2026-07-01'))).toEqual([
        {
          type: 'civil-affairs.TemporaryAssistancePaid',
          data: {
            applicationId,
            amount: 4000,
            paidOn: '2026-07-01',
            method: 'bank_transfer',
            by: otherWindow,
            at: now,
          },
        },
      ]);
    });

    it.each([
      ['a day in the future', '2026-07-02', 'PAID_IN_FUTURE'],
      ['a day before the decision', '2026-06-30', 'PAID_BEFORE_DECISION'],
      ['no calendar day', '2026-02-30', 'INVALID_DATE'],
    ])('refuses %s', (_what, paidOn, code) => {
      expect(failure(() => decide([applied, granted], pay(paidOn)))).toMatchObject({ code, field: 'paidOn' });
    });

    it('refuses an unknown method naming the field', () => {
      expect(failure(() => decide([applied, granted], pay('2026-07-01', 'cheque')))).toMatchObject({
        field: 'method',
      });
    });

    it('cannot pay what was not granted; the same payment twice changes nothing', () => {
      expect(failure(() => decide([applied], pay('2026-07-01'))).status).toBe(409);
      const paid = decide([applied, granted], pay('2026-07-01'));
      expect(decide([applied, granted, ...paid], pay('2026-07-01'))).toEqual([]);
      expect(fold([applied, granted, ...paid])).toMatchObject({
        status: 'paid',
        payment: { amount: 2000, method: 'bank_transfer' },
      });
    });
  });

  it('a step on an application that does not exist is a 404', () => {
    expect(failure(() => decide([], grant(100))).status).toBe(404);
  });
});
