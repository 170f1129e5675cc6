import { DomainError } from '@platform/contracts';
import { deciderSpec } from '@platform/testing';
import {
  coordinationDecider,
  type CoordinationCommand,
  type CoordinationEvent,
  type CoordinationState,
} from './coordination.decider.js';

const spec = deciderSpec<CoordinationCommand, CoordinationEvent, CoordinationState>(coordinationDecider);
const itemId = '0190a4c4-0000-7000-8000-00000000c001';
const meetingId = '0190a4c4-0000-7000-8000-00000000c101';
const d1 = '0190a4c4-0000-7000-8000-00000000d001';
const d2 = '0190a4c4-0000-7000-8000-00000000d002';
// 2026-11-27 10:00 Beijing.
const now = '2026-11-27T02:00:00.000Z';
const county = {
  id: 'u-ca-linhe',
  name: '刘海燕',
  role: 'county_civil_affairs',
  department: 'civil-affairs',
};
const health = { id: 'u-health-linhe', name: '陈静', role: 'health_officer', department: 'health' };
const housing = { id: 'u-housing-linhe', name: '吴刚', role: 'housing_officer', department: 'housing' };
const education = { id: 'u-edu-linhe', name: '郑小红', role: 'education_officer', department: 'education' };
const place = { villageCode: '150802100201', townshipCode: '150802100000', countyCode: '150802000000' };

const opened: CoordinationEvent = {
  type: 'civil-affairs.CoordinationItemOpened',
  data: {
    itemId,
    caseId: '0190a4c4-0000-7000-8000-0000000000aa',
    caseNumber: 'LH-2026-000123',
    need: '患儿治疗费用缺口大，住房为危房',
    departments: ['health', 'housing'],
    place,
    openedBy: county,
    at: '2026-11-20T02:00:00.000Z',
  },
};
const meeting: CoordinationEvent = {
  type: 'civil-affairs.CoordinationMeetingRecorded',
  data: {
    itemId,
    meetingId,
    heldOn: '2026-11-21',
    departments: ['civil-affairs', 'health', 'housing'],
    minutes: '会议议定如下',
    decisions: [
      { decisionId: d1, text: '落实医疗救助', ownerDepartment: 'health', dueOn: '2026-11-30' },
      { decisionId: d2, text: '列入危房改造', ownerDepartment: 'housing', dueOn: '2026-11-26' },
    ],
    by: county,
    at: '2026-11-21T08:00:00.000Z',
  },
};
const done1: CoordinationEvent = {
  type: 'civil-affairs.CoordinationDecisionDone',
  data: { itemId, decisionId: d1, result: '已救助 3 万元', late: false, by: health, at: now },
};
const done2: CoordinationEvent = {
  type: 'civil-affairs.CoordinationDecisionDone',
  data: { itemId, decisionId: d2, result: '已列入计划', late: true, by: housing, at: now },
};

const open = (
  over: Partial<Extract<CoordinationCommand, { type: 'OpenItem' }>> = {},
): CoordinationCommand => ({
  type: 'OpenItem',
  itemId,
  caseId: '0190a4c4-0000-7000-8000-0000000000aa',
  caseNumber: 'LH-2026-000123',
  need: '患儿治疗费用缺口大，住房为危房',
  departments: ['health', 'housing'],
  place,
  actor: county,
  now,
  ...over,
});

function refused(command: CoordinationCommand, given: CoordinationEvent[], code: string, status: number) {
  try {
    coordinationDecider.decide(
      command,
      given.reduce(coordinationDecider.evolve, coordinationDecider.initialState()),
    );
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ code, status });
    return e as DomainError;
  }
  throw new Error(`expected ${code}`);
}

describe('coordination item (一事一议) decider', () => {
  it('opens an item for a case with the departments asked to take part', () => {
    spec
      .given([])
      .when(open())
      .then([{ ...opened, data: { ...opened.data, at: now } }]);
  });

  it('refuses an unknown or repeated department, naming the field', () => {
    expect(
      refused(open({ departments: ['health', 'police'] }), [], 'UNKNOWN_DEPARTMENT', 422).message,
    ).toMatch(/^departments\[1\]：/);
    refused(open({ departments: ['health', 'health'] }), [], 'DUPLICATE_DEPARTMENT', 422);
    refused(open({ departments: [] }), [], 'NO_DEPARTMENTS', 422);
    refused(open({ need: '  ' }), [], 'FIELD_REQUIRED', 422);
  });

  it('records a meeting with decisions owned by participating departments', () => {
    spec
      .given([opened])
      .when({
        type: 'RecordMeeting',
        meetingId,
        heldOn: '2026-11-21',
        departments: ['civil-affairs', 'health', 'housing'],
        minutes: '会议议定如下',
        decisions: [
          { decisionId: d1, text: '落实医疗救助', ownerDepartment: 'health', dueOn: '2026-11-30' },
          { decisionId: d2, text: '列入危房改造', ownerDepartment: 'housing', dueOn: '2026-11-26' },
        ],
        actor: county,
        now: '2026-11-21T08:00:00.000Z',
      })
      .then([meeting]);
  });

  it('refuses a decision owned by a department neither asked nor present, and a deadline before the meeting', () => {
    const base = {
      type: 'RecordMeeting' as const,
      meetingId,
      heldOn: '2026-11-21',
      departments: ['civil-affairs', 'health'],
      minutes: '纪要',
      actor: county,
      now,
    };
    refused(
      {
        ...base,
        decisions: [{ decisionId: d1, text: '资助', ownerDepartment: 'education', dueOn: '2026-12-01' }],
      },
      [opened],
      'OWNER_NOT_PARTICIPATING',
      422,
    );
    refused(
      {
        ...base,
        decisions: [{ decisionId: d1, text: '资助', ownerDepartment: 'health', dueOn: '2026-11-20' }],
      },
      [opened],
      'DUE_BEFORE_MEETING',
      422,
    );
    refused({ ...base, heldOn: '2026-11-28', decisions: [] }, [opened], 'MEETING_IN_FUTURE', 422);
  });

  it('lets only the owner department mark its decision done', () => {
    spec
      .given([opened, meeting])
      .when({ type: 'MarkDecisionDone', decisionId: d1, result: '已救助 3 万元', actor: health, now })
      .then([done1]);
    refused(
      { type: 'MarkDecisionDone', decisionId: d1, result: '已办', actor: housing, now },
      [opened, meeting],
      'NOT_DECISION_OWNER',
      403,
    );
    refused(
      { type: 'MarkDecisionDone', decisionId: d1, result: '已办', actor: education, now },
      [opened, meeting],
      'NOT_DECISION_OWNER',
      403,
    );
    // Again (a retried request): nothing more.
    spec
      .given([opened, meeting, done1])
      .when({ type: 'MarkDecisionDone', decisionId: d1, result: '已救助 3 万元', actor: health, now })
      .then([]);
  });

  it('flags a decision still open after its deadline overdue, once; done late says so', () => {
    // 2026-11-27 in Beijing: d2 (due 26th) is overdue, d1 (due 30th) is not.
    const flagged: CoordinationEvent = {
      type: 'civil-affairs.CoordinationDecisionOverdue',
      data: { itemId, decisionId: d2, ownerDepartment: 'housing', dueOn: '2026-11-26', at: now },
    };
    spec.given([opened, meeting]).when({ type: 'FlagOverdueDecisions', now }).then([flagged]);
    spec.given([opened, meeting, flagged]).when({ type: 'FlagOverdueDecisions', now }).then([]);
    // On the last day itself (23:59 Beijing on the 26th) it is not yet overdue.
    spec
      .given([opened, meeting])
      .when({ type: 'FlagOverdueDecisions', now: '2026-11-26T15:59:00.000Z' })
      .then([]);
    spec
      .given([opened, meeting, flagged])
      .when({ type: 'MarkDecisionDone', decisionId: d2, result: '已列入计划', actor: housing, now })
      .then([done2]);
  });

  it('closes only when every decision is done', () => {
    const error = refused(
      { type: 'CloseItem', reason: '', actor: county, now },
      [opened, meeting, done1],
      'DECISIONS_PENDING',
      409,
    );
    expect(error.message).toContain('住房和城乡建设部门：列入危房改造');
    expect(error.details).toMatchObject({ pending: [d2] });
    spec
      .given([opened, meeting, done1, done2])
      .when({ type: 'CloseItem', reason: '', actor: county, now })
      .then([
        {
          type: 'civil-affairs.CoordinationItemClosed',
          data: { itemId, outcome: 'all_done', reason: '', by: county, at: now },
        },
      ]);
  });

  it('closes earlier only with the county reason; without decisions a reason is required', () => {
    spec
      .given([opened, meeting, done1])
      .when({ type: 'CloseItem', reason: '家庭已迁出本旗县区', actor: county, now })
      .then([
        {
          type: 'civil-affairs.CoordinationItemClosed',
          data: { itemId, outcome: 'county_reason', reason: '家庭已迁出本旗县区', by: county, at: now },
        },
      ]);
    refused({ type: 'CloseItem', reason: ' ', actor: county, now }, [opened], 'DECISIONS_PENDING', 409);
  });

  it('refuses every change to a closed item', () => {
    const closed: CoordinationEvent = {
      type: 'civil-affairs.CoordinationItemClosed',
      data: { itemId, outcome: 'county_reason', reason: '迁出', by: county, at: now },
    };
    refused(
      { type: 'AddFollowUp', note: '跟进', actor: county, now },
      [opened, meeting, closed],
      'COORDINATION_ITEM_CLOSED',
      409,
    );
    refused(
      { type: 'MarkDecisionDone', decisionId: d2, result: '已办', actor: housing, now },
      [opened, meeting, closed],
      'COORDINATION_ITEM_CLOSED',
      409,
    );
    spec.given([opened, meeting, closed]).when({ type: 'FlagOverdueDecisions', now }).then([]);
  });

  it('records follow-up notes', () => {
    spec
      .given([opened])
      .when({ type: 'AddFollowUp', note: '已联系住建部门', actor: county, now })
      .then([
        {
          type: 'civil-affairs.CoordinationFollowUpNoted',
          data: { itemId, note: '已联系住建部门', by: county, at: now },
        },
      ]);
  });
});
