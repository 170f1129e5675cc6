import { DomainError, REFERRAL_DEPARTMENT_NAMES } from '@platform/contracts';

/**
 * 一事一议: a case that no single department can solve is brought by county civil affairs to the joint
 * meeting of departments (联席会议). The item names the case, what is needed and the departments asked to
 * take part; each meeting records its day, the departments present, the minutes and its decisions — each
 * with the department that owns it and a deadline. The owner department's officer marks its decision
 * done; a decision still open after its deadline is flagged overdue once (the periodic watch); the item
 * closes when every decision is done, or earlier only with the county's reason. Pure: ids, time and the
 * acting officer's department come in with the command.
 */

export const COORDINATION_DEPARTMENTS = ['civil-affairs', 'health', 'housing', 'education'] as const;
export type CoordinationDepartment = (typeof COORDINATION_DEPARTMENTS)[number];

export const departmentName = (d: string): string =>
  (REFERRAL_DEPARTMENT_NAMES as Record<string, string>)[d] ?? d;

/** Up to this many decisions per meeting and meetings per item: more is a data-entry slip. */
export const MAX_DECISIONS_PER_MEETING = 50;
export const MAX_MEETINGS = 100;

export interface Officer {
  id: string;
  name: string;
  role: string;
  /** The department the officer acts for (health_officer → health, county_civil_affairs → civil-affairs). */
  department: string;
}

/** Where the household lives: the village and the township and county above it (from the tree). */
export interface Place {
  villageCode: string;
  townshipCode: string;
  countyCode: string;
}

export interface Decision {
  decisionId: string;
  meetingId: string;
  text: string;
  ownerDepartment: CoordinationDepartment;
  /** The last day (Beijing) to carry it out, YYYY-MM-DD. */
  dueOn: string;
  done: { result: string; by: Officer; at: string; late: boolean } | null;
  /** When the watch flagged it overdue (once); null otherwise. */
  overdueAt: string | null;
}

export interface Meeting {
  meetingId: string;
  heldOn: string;
  departments: CoordinationDepartment[];
  minutes: string;
  decisionIds: string[];
  recordedBy: Officer;
  at: string;
}

export interface FollowUp {
  note: string;
  by: Officer;
  at: string;
}

export type CoordinationStatus = 'none' | 'open' | 'closed';

export const COORDINATION_STATUS_NAMES: Record<CoordinationStatus, string> = {
  none: '不存在',
  open: '协调中',
  closed: '已办结',
};

export interface CoordinationItem {
  itemId: string;
  caseId: string;
  caseNumber: string;
  need: string;
  departments: CoordinationDepartment[];
  place: Place;
}

export interface CoordinationState {
  status: CoordinationStatus;
  item: CoordinationItem | null;
  openedBy: Officer | null;
  openedAt: string | null;
  meetings: Meeting[];
  decisions: Decision[];
  followUps: FollowUp[];
  closure: { outcome: 'all_done' | 'county_reason'; reason: string; by: Officer; at: string } | null;
  updatedAt: string | null;
}

export interface DecisionInput {
  decisionId: string;
  text: string;
  ownerDepartment: string;
  dueOn: string;
}

export type CoordinationCommand =
  | {
      type: 'OpenItem';
      itemId: string;
      caseId: string;
      caseNumber: string;
      need: string;
      departments: string[];
      place: Place;
      actor: Officer;
      now: string;
    }
  | {
      type: 'RecordMeeting';
      meetingId: string;
      heldOn: string;
      departments: string[];
      minutes: string;
      decisions: DecisionInput[];
      actor: Officer;
      now: string;
    }
  | { type: 'AddFollowUp'; note: string; actor: Officer; now: string }
  | { type: 'MarkDecisionDone'; decisionId: string; result: string; actor: Officer; now: string }
  | { type: 'FlagOverdueDecisions'; now: string }
  | { type: 'CloseItem'; reason: string; actor: Officer; now: string };

export type CoordinationEvent =
  | {
      type: 'civil-affairs.CoordinationItemOpened';
      data: CoordinationItem & { openedBy: Officer; at: string };
    }
  | {
      type: 'civil-affairs.CoordinationMeetingRecorded';
      data: {
        itemId: string;
        meetingId: string;
        heldOn: string;
        departments: CoordinationDepartment[];
        minutes: string;
        decisions: Array<{
          decisionId: string;
          text: string;
          ownerDepartment: CoordinationDepartment;
          dueOn: string;
        }>;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.CoordinationFollowUpNoted';
      data: { itemId: string; note: string; by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.CoordinationDecisionDone';
      data: { itemId: string; decisionId: string; result: string; late: boolean; by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.CoordinationDecisionOverdue';
      data: { itemId: string; decisionId: string; ownerDepartment: string; dueOn: string; at: string };
    }
  | {
      type: 'civil-affairs.CoordinationItemClosed';
      data: {
        itemId: string;
        outcome: 'all_done' | 'county_reason';
        reason: string;
        by: Officer;
        at: string;
      };
    };

export const initialCoordinationState = (): CoordinationState => ({
  status: 'none',
  item: null,
  openedBy: null,
  openedAt: null,
  meetings: [],
  decisions: [],
  followUps: [],
  closure: null,
  updatedAt: null,
});

function err(
  code: string,
  message: string,
  status: 403 | 404 | 409 | 422 = 422,
  details: Record<string, unknown> = {},
): never {
  throw new DomainError(code, message, status, details);
}

/** The Beijing calendar day of an instant. */
export function beijingDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

export function isCalendarDay(day: unknown): day is string {
  if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

function required(value: unknown, field: string, label: string, max = 5000): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) err('FIELD_REQUIRED', `${field}：${label}不能为空`, 422, { field });
  if (v.length > max) err('FIELD_TOO_LONG', `${field}：${label}不能超过${max}个字`, 422, { field });
  return v;
}

const departmentList = COORDINATION_DEPARTMENTS.map((d) => `${d}（${departmentName(d)}）`).join('、');

function departmentsOf(values: unknown, field: string): CoordinationDepartment[] {
  if (!Array.isArray(values) || values.length === 0) {
    err('NO_DEPARTMENTS', `${field}：至少列出一个部门`, 422, { field });
  }
  const out: CoordinationDepartment[] = [];
  values.forEach((d, i) => {
    if (!(COORDINATION_DEPARTMENTS as readonly string[]).includes(d as string)) {
      err('UNKNOWN_DEPARTMENT', `${field}[${i}]：部门应为 ${departmentList} 之一`, 422, {
        field: `${field}[${i}]`,
      });
    }
    if (out.includes(d as CoordinationDepartment)) {
      err('DUPLICATE_DEPARTMENT', `${field}[${i}]：${departmentName(d as string)}重复`, 422, {
        field: `${field}[${i}]`,
      });
    }
    out.push(d as CoordinationDepartment);
  });
  return out;
}

function assertOpen(state: CoordinationState, action: string): CoordinationItem {
  if (state.status === 'none') err('COORDINATION_ITEM_NOT_FOUND', '协调事项不存在', 404);
  if (state.status === 'closed') {
    err('COORDINATION_ITEM_CLOSED', `该协调事项已办结，不能${action}`, 409, { status: state.status });
  }
  return state.item!;
}

/** Decisions still to be carried out. */
export const pendingDecisions = (state: CoordinationState): Decision[] =>
  state.decisions.filter((d) => !d.done);

/** Overdue: still open on a Beijing day after its deadline. */
export const isOverdue = (d: Decision, now: string): boolean => !d.done && beijingDay(now) > d.dueOn;

export function decideCoordination(
  command: CoordinationCommand,
  state: CoordinationState,
): CoordinationEvent[] {
  switch (command.type) {
    case 'OpenItem': {
      if (state.status !== 'none') err('COORDINATION_ITEM_EXISTS', '协调事项已存在', 409);
      const item: CoordinationItem = {
        itemId: command.itemId,
        caseId: required(command.caseId, 'caseId', '案件编号（ID）', 100),
        caseNumber: required(command.caseNumber, 'caseNumber', '案件编号', 100),
        need: required(command.need, 'need', '需要协调解决的事项'),
        departments: departmentsOf(command.departments, 'departments'),
        place: command.place,
      };
      return [
        {
          type: 'civil-affairs.CoordinationItemOpened',
          data: { ...item, openedBy: command.actor, at: command.now },
        },
      ];
    }
    case 'RecordMeeting': {
      const item = assertOpen(state, '记录会议');
      if (state.meetings.some((m) => m.meetingId === command.meetingId)) return [];
      if (state.meetings.length >= MAX_MEETINGS) {
        err('TOO_MANY_MEETINGS', `一个协调事项最多记录 ${MAX_MEETINGS} 次会议`, 422);
      }
      if (!isCalendarDay(command.heldOn)) {
        err('INVALID_DATE', 'heldOn：会议日期应为有效日期（YYYY-MM-DD）', 422, { field: 'heldOn' });
      }
      if (command.heldOn > beijingDay(command.now)) {
        err('MEETING_IN_FUTURE', 'heldOn：会议日期不能晚于今天', 422, { field: 'heldOn' });
      }
      const departments = departmentsOf(command.departments, 'departments');
      const minutes = required(command.minutes, 'minutes', '会议纪要', 20000);
      if (!Array.isArray(command.decisions)) {
        err('INVALID_DECISIONS', 'decisions：议定事项应为数组', 422, { field: 'decisions' });
      }
      if (command.decisions.length > MAX_DECISIONS_PER_MEETING) {
        err('TOO_MANY_DECISIONS', `decisions：一次会议最多 ${MAX_DECISIONS_PER_MEETING} 项议定事项`, 422, {
          field: 'decisions',
        });
      }
      const decisions = command.decisions.map((d, i) => {
        const field = `decisions[${i}]`;
        const text = required(d.text, `${field}.text`, '议定事项内容');
        if (!(COORDINATION_DEPARTMENTS as readonly string[]).includes(d.ownerDepartment)) {
          err('UNKNOWN_DEPARTMENT', `${field}.ownerDepartment：责任部门应为 ${departmentList} 之一`, 422, {
            field: `${field}.ownerDepartment`,
          });
        }
        const owner = d.ownerDepartment as CoordinationDepartment;
        // The owner is a department asked to take part or present at the meeting: it accepted the task there.
        if (!item.departments.includes(owner) && !departments.includes(owner)) {
          err(
            'OWNER_NOT_PARTICIPATING',
            `${field}.ownerDepartment：${departmentName(owner)}既不是受邀参与协调的部门，也未参加本次会议`,
            422,
            { field: `${field}.ownerDepartment` },
          );
        }
        if (!isCalendarDay(d.dueOn)) {
          err('INVALID_DATE', `${field}.dueOn：办理期限应为有效日期（YYYY-MM-DD）`, 422, {
            field: `${field}.dueOn`,
          });
        }
        if (d.dueOn < command.heldOn) {
          err('DUE_BEFORE_MEETING', `${field}.dueOn：办理期限不能早于会议日期（${command.heldOn}）`, 422, {
            field: `${field}.dueOn`,
          });
        }
        return { decisionId: d.decisionId, text, ownerDepartment: owner, dueOn: d.dueOn };
      });
      return [
        {
          type: 'civil-affairs.CoordinationMeetingRecorded',
          data: {
            itemId: item.itemId,
            meetingId: command.meetingId,
            heldOn: command.heldOn,
            departments,
            minutes,
            decisions,
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    case 'AddFollowUp': {
      const item = assertOpen(state, '记录跟进情况');
      const note = required(command.note, 'note', '跟进情况');
      return [
        {
          type: 'civil-affairs.CoordinationFollowUpNoted',
          data: { itemId: item.itemId, note, by: command.actor, at: command.now },
        },
      ];
    }
    case 'MarkDecisionDone': {
      if (state.status === 'none') err('COORDINATION_ITEM_NOT_FOUND', '协调事项不存在', 404);
      const decision = state.decisions.find((d) => d.decisionId === command.decisionId);
      if (!decision) {
        err('DECISION_NOT_FOUND', `decisionId：议定事项 ${command.decisionId} 不存在`, 404, {
          field: 'decisionId',
        });
      }
      if (decision.ownerDepartment !== command.actor.department) {
        err(
          'NOT_DECISION_OWNER',
          `该议定事项由${departmentName(decision.ownerDepartment)}负责办理，只能由该部门的工作人员标记办结`,
          403,
          { ownerDepartment: decision.ownerDepartment },
        );
      }
      if (decision.done) return [];
      const item = assertOpen(state, '标记议定事项办结');
      const result = required(command.result, 'result', '办理结果');
      return [
        {
          type: 'civil-affairs.CoordinationDecisionDone',
          data: {
            itemId: item.itemId,
            decisionId: decision.decisionId,
            result,
            late: isOverdue(decision, command.now),
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    case 'FlagOverdueDecisions': {
      if (state.status !== 'open') return [];
      return state.decisions
        .filter((d) => isOverdue(d, command.now) && d.overdueAt === null)
        .map((d) => ({
          type: 'civil-affairs.CoordinationDecisionOverdue' as const,
          data: {
            itemId: state.item!.itemId,
            decisionId: d.decisionId,
            ownerDepartment: d.ownerDepartment,
            dueOn: d.dueOn,
            at: command.now,
          },
        }));
    }
    case 'CloseItem': {
      const item = assertOpen(state, '办结');
      const reason = typeof command.reason === 'string' ? command.reason.trim() : '';
      const pending = pendingDecisions(state);
      const allDone = state.decisions.length > 0 && pending.length === 0;
      if (!allDone && !reason) {
        const message =
          state.decisions.length === 0
            ? 'reason：尚无议定事项，办结须说明理由'
            : `reason：尚有 ${pending.length} 项议定事项未办结（${pending
                .map((d) => `${departmentName(d.ownerDepartment)}：${d.text}`)
                .join('；')}），全部办结后方可办结，或由旗县区民政部门说明理由`;
        err('DECISIONS_PENDING', message, 409, {
          field: 'reason',
          pending: pending.map((d) => d.decisionId),
        });
      }
      if (reason.length > 5000) {
        err('FIELD_TOO_LONG', 'reason：办结理由不能超过5000个字', 422, { field: 'reason' });
      }
      return [
        {
          type: 'civil-affairs.CoordinationItemClosed',
          data: {
            itemId: item.itemId,
            outcome: allDone ? 'all_done' : 'county_reason',
            reason,
            by: command.actor,
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

export function evolveCoordination(state: CoordinationState, event: CoordinationEvent): CoordinationState {
  switch (event.type) {
    case 'civil-affairs.CoordinationItemOpened': {
      const { openedBy, at, ...item } = event.data;
      return { ...state, status: 'open', item, openedBy, openedAt: at, updatedAt: at };
    }
    case 'civil-affairs.CoordinationMeetingRecorded': {
      const d = event.data;
      return {
        ...state,
        meetings: [
          ...state.meetings,
          {
            meetingId: d.meetingId,
            heldOn: d.heldOn,
            departments: d.departments,
            minutes: d.minutes,
            decisionIds: d.decisions.map((x) => x.decisionId),
            recordedBy: d.by,
            at: d.at,
          },
        ],
        decisions: [
          ...state.decisions,
          ...d.decisions.map((x) => ({ ...x, meetingId: d.meetingId, done: null, overdueAt: null })),
        ],
        updatedAt: d.at,
      };
    }
    case 'civil-affairs.CoordinationFollowUpNoted':
      return {
        ...state,
        followUps: [...state.followUps, { note: event.data.note, by: event.data.by, at: event.data.at }],
        updatedAt: event.data.at,
      };
    case 'civil-affairs.CoordinationDecisionDone': {
      const { decisionId, result, by, at, late } = event.data;
      return {
        ...state,
        decisions: state.decisions.map((d) =>
          d.decisionId === decisionId ? { ...d, done: { result, by, at, late } } : d,
        ),
        updatedAt: at,
      };
    }
    case 'civil-affairs.CoordinationDecisionOverdue': {
      const { decisionId, at } = event.data;
      return {
        ...state,
        decisions: state.decisions.map((d) => (d.decisionId === decisionId ? { ...d, overdueAt: at } : d)),
        updatedAt: at,
      };
    }
    case 'civil-affairs.CoordinationItemClosed': {
      const { outcome, reason, by, at } = event.data;
      return { ...state, status: 'closed', closure: { outcome, reason, by, at }, updatedAt: at };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const coordinationDecider = {
  decide: decideCoordination,
  evolve: evolveCoordination,
  initialState: initialCoordinationState,
};
