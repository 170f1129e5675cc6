import { DomainError, platformContracts } from '@platform/contracts';
import {
  INITIAL_MATERIALS,
  INITIAL_URGENT_ASSISTANCE,
  SHIPPED_CALENDAR,
  type PolicyVersion,
} from '@platform/policy';
import {
  temporaryAssistanceDecider,
  type GreenChannelPolicy,
  type PolicyHistories,
  type TemporaryAssistanceCommand,
  type TemporaryAssistanceEvent,
  type TemporaryAssistanceState,
} from './temporary-assistance.decider.js';

/**
 * 救急难绿色通道（先行救助、后补材料）: an urgent application granted before its materials are complete, the
 * obligations to supply the missing ones (deadlines in working days), supplied, waived by the county, overdue.
 */

const applicationId = '0190a4c4-0000-7000-8000-00000000b001';
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
const version = <T extends 'materials' | 'urgent-assistance' | 'calendar'>(
  table: T,
  content: PolicyVersion<T>['content'],
  v = 1,
  effectiveFrom = '2020-01-01',
): PolicyVersion<T> =>
  ({
    table,
    version: v,
    effectiveFrom,
    content,
    reason: '默认',
    recordedAt: `${effectiveFrom}T00:00:00.000Z`,
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
// 临时救助: 身份证、突发事件或困难情况说明、相关费用票据; 10 working days; the State Council's calendar to 2026.
const green: GreenChannelPolicy = {
  materials: [version('materials', INITIAL_MATERIALS)],
  urgent: [version('urgent-assistance', INITIAL_URGENT_ASSISTANCE)],
  calendar: [version('calendar', SHIPPED_CALENDAR)],
};

// Wednesday 2026-07-01 10:00 Beijing.
const now = '2026-07-01T02:00:00.000Z';
const appliedAt = '2026-07-01T01:00:00.000Z';
const applied = (urgency?: 'normal' | 'urgent'): TemporaryAssistanceEvent => ({
  type: 'civil-affairs.TemporaryAssistanceApplied',
  data: {
    applicationId,
    members: [{ name: '王建国', idNumber: '150802195001011234' }],
    hardship: { kind: 'sudden_accident', description: '房屋失火，全家无处居住' },
    requestedAmount: 5000,
    area: 'rural',
    place,
    ...(urgency ? { urgency } : {}),
    recordedBy: window,
    at: appliedAt,
  },
});
const limit = {
  day: '2026-07-01',
  multiple: 3,
  standardMonthly: 690,
  limit: 2070,
  limitsVersion: 1,
  standardsVersion: 1,
};
const endOfBeijingDay = (day: string) =>
  new Date(Date.parse(`${day}T23:59:59.999Z`) - 8 * 3600_000).toISOString();
const DUE = endOfBeijingDay('2026-07-15');

const greenChannel = (materials: string[], dueAt = DUE, provisionalYears: string[] = []) => ({
  requiredMaterials: INITIAL_MATERIALS.temporary!,
  obligationWorkingDays: 10,
  policy: { materials: 1, 'urgent-assistance': 1, calendar: 1 },
  obligations: materials.map((material, i) => ({
    obligationNo: i + 1,
    material,
    dueAt,
    provisionalYears,
  })),
});
const grantedAtOnce: TemporaryAssistanceEvent = {
  type: 'civil-affairs.TemporaryAssistanceGrantedByTownship',
  data: {
    applicationId,
    amount: 2000,
    opinion: '先行救助',
    limit,
    greenChannel: greenChannel(['突发事件或困难情况说明', '相关费用票据']),
    by: window,
    at: now,
  },
};

const fold = (events: TemporaryAssistanceEvent[]): TemporaryAssistanceState =>
  events.reduce(temporaryAssistanceDecider.evolve, temporaryAssistanceDecider.initialState());
const decide = (events: TemporaryAssistanceEvent[], command: TemporaryAssistanceCommand) =>
  temporaryAssistanceDecider.decide(command, fold(events));

function failure(run: () => unknown) {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError)
      return { code: e.code, status: e.status, message: e.message, field: e.details.field };
    throw e;
  }
  throw new Error('expected a DomainError');
}

const grant = (missingMaterials: string[] | undefined, overrides: Record<string, unknown> = {}) =>
  ({
    type: 'GrantByTownship',
    amount: 2000,
    opinion: '先行救助',
    policy,
    missingMaterials,
    green,
    actor: window,
    now,
    ...overrides,
  }) as TemporaryAssistanceCommand;
const supply = (obligationNo: number, at = now, actor = window) =>
  ({ type: 'SupplyMaterial', obligationNo, actor, now: at }) as TemporaryAssistanceCommand;
const waive = (obligationNo: number, reason = '户籍资料因火灾灭失，经核实免予提交', actor = county) =>
  ({ type: 'WaiveObligation', obligationNo, reason, actor, now }) as TemporaryAssistanceCommand;
const markOverdue = (at: string) =>
  ({ type: 'MarkObligationsOverdue', now: at }) as TemporaryAssistanceCommand;

describe('urgent temporary assistance (救急难绿色通道)', () => {
  it('records an application as urgent, and a normal one as normal when no urgency is given', () => {
    const command: Extract<TemporaryAssistanceCommand, { type: 'RecordApplication' }> = {
      type: 'RecordApplication',
      applicationId,
      members: [{ name: '王建国', idNumber: '150802195001011234' }],
      hardship: { kind: 'sudden_accident', description: '房屋失火，全家无处居住' },
      requestedAmount: 5000,
      area: 'rural',
      place,
      actor: window,
      now: appliedAt,
    };
    const [urgent] = decide([], { ...command, urgency: 'urgent' });
    expect(urgent!.data).toMatchObject({ urgency: 'urgent' });
    const [normal] = decide([], command);
    expect(normal!.data).toMatchObject({ urgency: 'normal' });
    expect(failure(() => decide([], { ...command, urgency: 'very' as never }))).toMatchObject({
      code: 'UNKNOWN_URGENCY',
      status: 422,
      field: 'urgency',
    });
  });

  describe('the township grants at once, before the materials are complete', () => {
    it('records the missing materials, each an obligation due 10 working days after the grant', () => {
      const events = decide([applied('urgent')], grant(['突发事件或困难情况说明', '相关费用票据']));
      expect(events).toEqual([grantedAtOnce]);
      const state = fold([applied('urgent'), ...events]);
      expect(state.status).toBe('granted');
      expect(state.obligations.map((o) => [o.obligationNo, o.material, o.status, o.dueAt])).toEqual([
        [1, '突发事件或困难情况说明', 'open', DUE],
        [2, '相关费用票据', 'open', DUE],
      ]);
    });

    it('counts working days over the National Day holiday and its make-up Saturday', () => {
      // Monday 28 September: 29, 30 Sept; 1–7 October off; 8, 9, Saturday 10 (调休), 12–16 → Friday 16 October.
      const at = '2026-09-28T02:00:00.000Z';
      const [e] = decide([applied('urgent')], grant(['相关费用票据'], { now: at }));
      expect(e!.type).toBe('civil-affairs.TemporaryAssistanceGrantedByTownship');
      const gc = (e!.data as { greenChannel: ReturnType<typeof greenChannel> }).greenChannel;
      expect(gc.obligations).toEqual([
        {
          obligationNo: 1,
          material: '相关费用票据',
          dueAt: endOfBeijingDay('2026-10-16'),
          provisionalYears: [],
        },
      ]);
    });

    it('counts into a year with no calendar by weekends only, and says so (year end)', () => {
      // Monday 28 December 2026: 29–31 December, then 2027 (no calendar yet): 1, 4–8, 11 January.
      const at = '2026-12-28T02:00:00.000Z';
      const [e] = decide([applied('urgent')], grant(['身份证'], { now: at }));
      const gc = (e!.data as { greenChannel: ReturnType<typeof greenChannel> }).greenChannel;
      expect(gc.obligations[0]).toMatchObject({
        dueAt: endOfBeijingDay('2027-01-11'),
        provisionalYears: ['2027'],
      });
    });

    it('takes the number of working days from the urgent-assistance table in force that day', () => {
      const stricter: GreenChannelPolicy = {
        ...green,
        urgent: [
          ...green.urgent,
          version(
            'urgent-assistance',
            { ...INITIAL_URGENT_ASSISTANCE, obligationWorkingDays: 5 },
            2,
            '2026-07-01',
          ),
        ],
      };
      const [e] = decide([applied('urgent')], grant(['身份证'], { green: stricter }));
      const gc = (e!.data as { greenChannel: ReturnType<typeof greenChannel> }).greenChannel;
      expect(gc).toMatchObject({
        obligationWorkingDays: 5,
        policy: { 'urgent-assistance': 2 },
        obligations: [{ dueAt: endOfBeijingDay('2026-07-08') }],
      });
    });

    it('still only within the township limit', () => {
      expect(failure(() => decide([applied('urgent')], grant(['身份证'], { amount: 2071 })))).toMatchObject({
        code: 'ABOVE_TOWNSHIP_LIMIT',
        status: 422,
        field: 'amount',
      });
    });

    it('refuses a material the list does not require, or one named twice, naming the entry', () => {
      expect(failure(() => decide([applied('urgent')], grant(['户口簿'])))).toEqual({
        code: 'UNKNOWN_MATERIAL',
        status: 422,
        field: 'missingMaterials[0]',
        message:
          'missingMaterials[0]：「户口簿」不是临时救助须提交的材料（身份证、突发事件或困难情况说明、相关费用票据）',
      });
      expect(failure(() => decide([applied('urgent')], grant(['身份证', ' 身份证'])))).toMatchObject({
        code: 'DUPLICATE_MATERIAL',
        field: 'missingMaterials[1]',
      });
    });

    it('grants an urgent application with complete materials as usual, without obligations', () => {
      const [e] = decide([applied('urgent')], grant([]));
      expect(e!.data).not.toHaveProperty('greenChannel');
      expect(fold([applied('urgent'), e!]).obligations).toEqual([]);
    });
  });

  it('a normal application cannot be granted with missing materials (also one recorded before urgency)', () => {
    for (const app of [applied('normal'), applied()]) {
      expect(failure(() => decide([app], grant(['相关费用票据'])))).toEqual({
        code: 'MATERIALS_INCOMPLETE',
        status: 422,
        field: 'missingMaterials',
        message:
          'missingMaterials：普通申请须材料齐全后方可审批，只有紧急（救急难）申请可以先行救助、后补材料',
      });
    }
  });

  it('above the township limit the county may also approve before the materials are complete', () => {
    const submitted: TemporaryAssistanceEvent = {
      type: 'civil-affairs.TemporaryAssistanceSubmittedToCounty',
      data: { applicationId, proposedAmount: 4000, opinion: '建议给予', limit, by: window, at: now },
    };
    const approve: TemporaryAssistanceCommand = {
      type: 'ApproveByCounty',
      amount: 4000,
      opinion: '同意，先行救助',
      missingMaterials: ['相关费用票据'],
      green,
      actor: county,
      now,
    };
    const events = decide([applied('urgent'), submitted], approve);
    expect(events).toEqual([
      {
        type: 'civil-affairs.TemporaryAssistanceApprovedByCounty',
        data: {
          applicationId,
          amount: 4000,
          opinion: '同意，先行救助',
          greenChannel: greenChannel(['相关费用票据']),
          by: county,
          at: now,
        },
      },
    ]);
    expect(fold([applied('urgent'), submitted, ...events]).obligations).toHaveLength(1);
    expect(failure(() => decide([applied('normal'), submitted], approve))).toMatchObject({
      code: 'MATERIALS_INCOMPLETE',
    });
  });

  describe('obligations', () => {
    const granted = [applied('urgent'), grantedAtOnce];

    it('a material supplied fulfils its obligation: by whom and when; again changes nothing', () => {
      const at = '2026-07-03T03:00:00.000Z';
      const events = decide(granted, supply(2, at, otherWindow));
      expect(events).toEqual([
        {
          type: 'civil-affairs.TemporaryAssistanceMaterialSupplied',
          data: {
            applicationId,
            obligationNo: 2,
            material: '相关费用票据',
            late: false,
            by: otherWindow,
            at,
          },
        },
      ]);
      const state = fold([...granted, ...events]);
      expect(state.obligations[1]).toMatchObject({
        status: 'fulfilled',
        fulfilled: { by: otherWindow, at, late: false },
      });
      expect(state.obligations[0]!.status).toBe('open');
      expect(decide([...granted, ...events], supply(2, at, otherWindow))).toEqual([]);
    });

    it('an obligation the application does not have is a 404', () => {
      expect(failure(() => decide(granted, supply(3)))).toMatchObject({
        code: 'OBLIGATION_NOT_FOUND',
        status: 404,
      });
    });

    it('only the county waives an obligation, and only with a reason', () => {
      expect(failure(() => decide(granted, waive(1, '理由', window)))).toMatchObject({
        code: 'COUNTY_ONLY',
        status: 403,
      });
      expect(failure(() => decide(granted, waive(1, '  ')))).toMatchObject({
        code: 'FIELD_REQUIRED',
        status: 422,
        field: 'reason',
      });
      const events = decide(granted, waive(1));
      expect(events).toEqual([
        {
          type: 'civil-affairs.TemporaryAssistanceObligationWaived',
          data: {
            applicationId,
            obligationNo: 1,
            material: '突发事件或困难情况说明',
            reason: '户籍资料因火灾灭失，经核实免予提交',
            by: county,
            at: now,
          },
        },
      ]);
      const after = [...granted, ...events];
      expect(fold(after).obligations[0]).toMatchObject({ status: 'waived', waived: { by: county } });
      expect(decide(after, waive(1))).toEqual([]);
      // A waived material needs no supplying; a supplied one can no longer be waived.
      expect(failure(() => decide(after, supply(1)))).toMatchObject({
        code: 'OBLIGATION_WAIVED',
        status: 409,
      });
      const supplied = [...granted, ...decide(granted, supply(2))];
      expect(failure(() => decide(supplied, waive(2)))).toMatchObject({
        code: 'OBLIGATION_FULFILLED',
        status: 409,
      });
    });

    it('the deadline watch marks an obligation still open after its deadline overdue, once', () => {
      const supplied = [...granted, ...decide(granted, supply(2))];
      // At the deadline itself nothing is overdue yet.
      expect(decide(supplied, markOverdue(DUE))).toEqual([]);
      const after = '2026-07-15T16:00:00.000Z';
      const events = decide(supplied, markOverdue(after));
      expect(events).toEqual([
        {
          type: 'civil-affairs.TemporaryAssistanceObligationOverdue',
          data: {
            applicationId,
            obligationNo: 1,
            material: '突发事件或困难情况说明',
            dueAt: DUE,
            decidedLevel: 'township',
            villageCode: place.villageCode,
            townshipCode: place.townshipCode,
            countyCode: place.countyCode,
            at: after,
          },
        },
      ]);
      // Published for oversight: it matches its contract.
      const contracts = platformContracts();
      expect(contracts.isPublic(events[0]!.type)).toBe(true);
      expect(() => contracts.validate(events[0]!.type, 1, events[0]!.data)).not.toThrow();
      expect(contracts.topicOf(events[0]!.type)).toBe('civil-affairs.events');
      // Nothing else of the green channel leaves civil affairs.
      expect(contracts.isPublic('civil-affairs.TemporaryAssistanceMaterialSupplied')).toBe(false);
      const overdue = [...supplied, ...events];
      expect(fold(overdue).obligations[0]).toMatchObject({ status: 'overdue', overdueAt: after });
      expect(decide(overdue, markOverdue('2026-08-01T00:00:00.000Z'))).toEqual([]);
      // Supplied late: fulfilled, and it says so.
      const late = decide(overdue, supply(1, '2026-07-20T02:00:00.000Z'));
      expect(late[0]!.data).toMatchObject({ obligationNo: 1, late: true });
      expect(fold([...overdue, ...late]).obligations[0]).toMatchObject({
        status: 'fulfilled',
        overdueAt: after,
      });
    });

    it('the watch finds nothing on an application without obligations', () => {
      expect(decide([applied('urgent')], markOverdue('2027-01-01T00:00:00.000Z'))).toEqual([]);
      expect(decide([], markOverdue('2027-01-01T00:00:00.000Z'))).toEqual([]);
    });
  });
});
