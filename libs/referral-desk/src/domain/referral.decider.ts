import { DomainError, REFERRAL_DEPARTMENTS } from '@platform/contracts';

/**
 * A referral as the handling department sees it (协同办理). Pure: time, deadlines and the acting
 * officer come in with each command. Event types are namespaced by the department, e.g. `health.ReferralAccepted`.
 */
export type ReferralStatus =
  | 'none'
  | 'received'
  | 'acknowledged'
  | 'accepted'
  | 'declined'
  | 'completed'
  | 'returned'
  | 'revoked'
  | 'transferred';

export type Outcome = 'granted' | 'not_eligible' | 'returned';

export interface Officer {
  id: string;
  role: string;
}

export interface ReferralDetails {
  caseId: string;
  referralId: string;
  needId: string;
  category: string;
  jurisdiction: string;
  description: string;
  requestedAmount: number | null;
  urgency: 'normal' | 'urgent';
  applicant: { name: string; idNumber: string; phone: string | null } | null;
  /** What the window told about the case; absent on referrals received before it was sent. */
  context?: ReferralContext | null;
}

/** The case around a referral, as the officer handling it needs it. */
export interface ReferralContext {
  caseNumber: string;
  villageCode: string;
  /** The household members the need concerns; null without the applicant's consent to share. */
  members: Array<{ name: string; idNumber: string; relationship: string; phone: string | null }> | null;
  /** The window officer who accepted the case. */
  windowOfficer: { id: string; name: string; phone: string | null } | null;
  /** Why the need is also reported to the same-level government; absent when it is not. */
  escalated?: string[];
  /** Earlier referrals of the same need: which department, what became of it, and why. */
  earlier: Array<{
    referralId: string;
    department: string;
    status: string;
    declineReason: string | null;
    reason: string | null;
    at: string;
  }>;
}

export type ReferralCommand =
  | {
      type: 'ReceiveReferral';
      details: ReferralDetails;
      acknowledgeBy: string;
      decideBy: string;
      /** The policy table versions the deadlines came from, e.g. `{ deadlines: 2, calendar: 5 }`. */
      policy: Record<string, number>;
      /** Years the deadlines were counted in without a calendar (weekends only): provisional. */
      provisionalYears: string[];
      now: string;
    }
  | {
      /** Deadlines counted again, e.g. once a missing calendar year is loaded: the old values are kept. */
      type: 'RecomputeDeadlines';
      acknowledgeBy: string;
      decideBy: string;
      policy: Record<string, number>;
      provisionalYears: string[];
      reason: string;
      now: string;
    }
  | { type: 'AcknowledgeReferral'; officer: Officer; now: string }
  | { type: 'AcceptReferral'; officer: Officer; now: string }
  | { type: 'DeclineReferral'; officer: Officer; reason: string; now: string }
  | { type: 'NoteProgress'; officer: Officer; note: string; now: string }
  | {
      type: 'CompleteReferral';
      officer: Officer;
      outcome: Outcome;
      amount: number | null;
      service: string | null;
      reason: string | null;
      now: string;
    }
  | { type: 'ReopenReferral'; officer: Officer; note: string; now: string }
  | {
      /** The need belongs to another department: this desk closes it and intake issues it there. */
      type: 'TransferReferral';
      officer: Officer;
      /** The desk's own department: a referral is never transferred to itself. */
      department: string;
      toDepartment: string;
      reason: string;
      now: string;
    }
  | { type: 'RevokeReferral'; reason: string; now: string }
  | { type: 'MarkOverdue'; now: string };

export type ReferralEventName =
  | 'ReferralReceived'
  | 'ReferralAcknowledged'
  | 'ReferralAccepted'
  | 'ReferralDeclined'
  | 'ReferralProgressNoted'
  | 'ReferralCompleted'
  | 'ReferralReopened'
  | 'ReferralTransferred'
  | 'ReferralRevoked'
  | 'ReferralOverdue'
  | 'ReferralDeadlinesRecomputed';

/** Event data; the department prefix is added to the type by `referralEventType`. */
export type ReferralEvent =
  | {
      type: 'ReferralReceived';
      data: ReferralDetails & {
        acknowledgeBy: string;
        decideBy: string;
        policy: Record<string, number>;
        deadlinesProvisional: string[];
        receivedAt: string;
        at: string;
      };
    }
  | {
      type: 'ReferralDeadlinesRecomputed';
      data: {
        caseId: string;
        referralId: string;
        previous: { acknowledgeBy: string; decideBy: string; deadlinesProvisional: string[] };
        acknowledgeBy: string;
        decideBy: string;
        deadlinesProvisional: string[];
        policy: Record<string, number>;
        reason: string;
        at: string;
      };
    }
  | {
      type: 'ReferralAcknowledged';
      data: { caseId: string; referralId: string; officerId: string; at: string };
    }
  | { type: 'ReferralAccepted'; data: { caseId: string; referralId: string; officerId: string; at: string } }
  | {
      type: 'ReferralDeclined';
      data: { caseId: string; referralId: string; officerId: string; reason: string; at: string };
    }
  | {
      type: 'ReferralProgressNoted';
      data: { caseId: string; referralId: string; note: string; officerId: string; at: string };
    }
  | {
      type: 'ReferralCompleted';
      data: {
        caseId: string;
        referralId: string;
        outcome: Outcome;
        amount: number | null;
        service: string | null;
        reason: string | null;
        officerId: string;
        at: string;
      };
    }
  | {
      type: 'ReferralReopened';
      data: { caseId: string; referralId: string; note: string; officerId: string; at: string };
    }
  | {
      type: 'ReferralTransferred';
      data: {
        caseId: string;
        referralId: string;
        toDepartment: string;
        reason: string;
        officerId: string;
        at: string;
      };
    }
  | { type: 'ReferralRevoked'; data: { caseId: string; referralId: string; reason: string; at: string } }
  | {
      type: 'ReferralOverdue';
      data: {
        caseId: string;
        referralId: string;
        deadline: 'acknowledge' | 'decide';
        dueAt: string;
        heldBy: string | null;
      };
    };

export interface ReferralState {
  status: ReferralStatus;
  details: ReferralDetails | null;
  acknowledgeBy: string | null;
  decideBy: string | null;
  /** The officer who last acted on it: who held it when a deadline passed. */
  heldBy: string | null;
  acknowledged: boolean;
  decided: boolean;
  overdue: Array<'acknowledge' | 'decide'>;
  /** When it arrived, the policy versions its deadlines came from, and the years they could not check. */
  receivedAt: string | null;
  policy: Record<string, number>;
  deadlinesProvisional: string[];
}

export const initialReferralState = (): ReferralState => ({
  status: 'none',
  details: null,
  acknowledgeBy: null,
  decideBy: null,
  heldBy: null,
  acknowledged: false,
  decided: false,
  overdue: [],
  receivedAt: null,
  policy: {},
  deadlinesProvisional: [],
});

const fail = (
  code: string,
  message: string,
  status: 404 | 409 | 422 = 409,
  details: Record<string, unknown> = {},
): never => {
  throw new DomainError(code, message, status, details);
};

function requireStatus(state: ReferralState, allowed: ReferralStatus[], action: string): void {
  if (state.status === 'none') fail('REFERRAL_NOT_FOUND', '转办事项不存在', 404);
  if (!allowed.includes(state.status)) {
    fail('REFERRAL_INVALID_STATE', `当前状态（${STATUS_ZH[state.status]}）下不能${action}`);
  }
}

export const STATUS_ZH: Record<ReferralStatus, string> = {
  none: '不存在',
  received: '已接收',
  acknowledged: '已签收',
  accepted: '已受理',
  declined: '已退回（不予受理）',
  completed: '已办结',
  returned: '已退回',
  revoked: '已撤回',
  transferred: '已移交其他部门',
};

export function decideReferral(command: ReferralCommand, state: ReferralState): ReferralEvent[] {
  const ids = state.details ? { caseId: state.details.caseId, referralId: state.details.referralId } : null;
  switch (command.type) {
    case 'ReceiveReferral':
      // Redelivery of the same referral: already received, nothing new.
      if (state.status !== 'none') return [];
      return [
        {
          type: 'ReferralReceived',
          data: {
            ...command.details,
            acknowledgeBy: command.acknowledgeBy,
            decideBy: command.decideBy,
            policy: command.policy,
            deadlinesProvisional: command.provisionalYears,
            receivedAt: command.now,
            at: command.now,
          },
        },
      ];
    case 'RecomputeDeadlines': {
      // Only deadlines still running move; a finished referral keeps the record it was judged by.
      if (!['received', 'acknowledged', 'accepted'].includes(state.status)) return [];
      if (!command.reason.trim()) fail('REASON_REQUIRED', '重新计算期限必须说明理由', 422);
      const unchanged =
        command.acknowledgeBy === state.acknowledgeBy &&
        command.decideBy === state.decideBy &&
        command.provisionalYears.join() === state.deadlinesProvisional.join();
      if (unchanged) return [];
      return [
        {
          type: 'ReferralDeadlinesRecomputed',
          data: {
            ...ids!,
            previous: {
              acknowledgeBy: state.acknowledgeBy!,
              decideBy: state.decideBy!,
              deadlinesProvisional: state.deadlinesProvisional,
            },
            acknowledgeBy: command.acknowledgeBy,
            decideBy: command.decideBy,
            deadlinesProvisional: command.provisionalYears,
            policy: command.policy,
            reason: command.reason.trim(),
            at: command.now,
          },
        },
      ];
    }
    case 'AcknowledgeReferral':
      requireStatus(state, ['received'], '签收');
      return [
        { type: 'ReferralAcknowledged', data: { ...ids!, officerId: command.officer.id, at: command.now } },
      ];
    case 'AcceptReferral':
      requireStatus(state, ['acknowledged'], '受理');
      return [
        { type: 'ReferralAccepted', data: { ...ids!, officerId: command.officer.id, at: command.now } },
      ];
    case 'DeclineReferral':
      requireStatus(state, ['received', 'acknowledged'], '不予受理');
      if (!command.reason.trim()) fail('REASON_REQUIRED', '不予受理必须说明理由', 422);
      return [
        {
          type: 'ReferralDeclined',
          data: { ...ids!, officerId: command.officer.id, reason: command.reason.trim(), at: command.now },
        },
      ];
    case 'NoteProgress':
      requireStatus(state, ['acknowledged', 'accepted'], '记录办理进度');
      if (!command.note.trim()) fail('NOTE_REQUIRED', '进度说明不能为空', 422);
      return [
        {
          type: 'ReferralProgressNoted',
          data: { ...ids!, note: command.note.trim(), officerId: command.officer.id, at: command.now },
        },
      ];
    case 'CompleteReferral': {
      requireStatus(
        state,
        command.outcome === 'returned' ? ['acknowledged', 'accepted'] : ['accepted'],
        '办结',
      );
      if (command.outcome === 'granted' && command.amount === null && !command.service?.trim()) {
        fail('GRANT_REQUIRES_AMOUNT_OR_SERVICE', '给予救助时必须填写金额或服务内容', 422);
      }
      if (command.outcome !== 'granted' && !command.reason?.trim()) {
        fail('REASON_REQUIRED', '不符合条件或退回时必须说明理由', 422);
      }
      if (command.amount !== null && command.amount < 0) fail('AMOUNT_NEGATIVE', '救助金额不能为负数', 422);
      return [
        {
          type: 'ReferralCompleted',
          data: {
            ...ids!,
            outcome: command.outcome,
            amount: command.amount,
            service: command.service?.trim() || null,
            reason: command.reason?.trim() || null,
            officerId: command.officer.id,
            at: command.now,
          },
        },
      ];
    }
    case 'ReopenReferral':
      requireStatus(state, ['completed', 'returned'], '重新办理');
      if (!command.note.trim()) fail('NOTE_REQUIRED', '重新办理必须说明原因', 422);
      return [
        {
          type: 'ReferralReopened',
          data: { ...ids!, note: command.note.trim(), officerId: command.officer.id, at: command.now },
        },
      ];
    case 'TransferReferral': {
      requireStatus(state, ['received', 'acknowledged', 'accepted'], '移交其他部门');
      const known = (REFERRAL_DEPARTMENTS as readonly string[]).includes(command.toDepartment);
      if (!known) {
        fail('UNKNOWN_DEPARTMENT', `toDepartment（${command.toDepartment}）不是平台上办理转办的部门`, 422, {
          field: 'toDepartment',
        });
      }
      if (command.toDepartment === command.department) {
        fail('TRANSFER_TO_SELF', 'toDepartment 不能是本部门：移交须交给其他部门', 422, {
          field: 'toDepartment',
        });
      }
      if (!command.reason.trim())
        fail('REASON_REQUIRED', '移交其他部门必须说明理由', 422, { field: 'reason' });
      return [
        {
          type: 'ReferralTransferred',
          data: {
            ...ids!,
            toDepartment: command.toDepartment,
            reason: command.reason.trim(),
            officerId: command.officer.id,
            at: command.now,
          },
        },
      ];
    }
    case 'RevokeReferral':
      if (state.status === 'none') fail('REFERRAL_NOT_FOUND', '转办事项不存在', 404);
      // Already closed here: revoked, or gone to the department it was transferred to.
      if (state.status === 'revoked' || state.status === 'transferred') return [];
      if (state.status === 'completed') fail('REFERRAL_COMPLETED', '已办结的转办事项不能撤回');
      return [{ type: 'ReferralRevoked', data: { ...ids!, reason: command.reason, at: command.now } }];
    case 'MarkOverdue': {
      if (state.status === 'none') return [];
      const now = Date.parse(command.now);
      const events: ReferralEvent[] = [];
      const open = ['received', 'acknowledged', 'accepted'].includes(state.status);
      if (
        open &&
        !state.acknowledged &&
        !state.overdue.includes('acknowledge') &&
        now > Date.parse(state.acknowledgeBy!)
      ) {
        events.push({
          type: 'ReferralOverdue',
          data: { ...ids!, deadline: 'acknowledge', dueAt: state.acknowledgeBy!, heldBy: state.heldBy },
        });
      }
      if (open && !state.decided && !state.overdue.includes('decide') && now > Date.parse(state.decideBy!)) {
        events.push({
          type: 'ReferralOverdue',
          data: { ...ids!, deadline: 'decide', dueAt: state.decideBy!, heldBy: state.heldBy },
        });
      }
      return events;
    }
    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

export function evolveReferral(state: ReferralState, event: ReferralEvent): ReferralState {
  switch (event.type) {
    case 'ReferralReceived': {
      // Events recorded before policy tables were versioned carry neither field.
      const {
        acknowledgeBy,
        decideBy,
        receivedAt,
        at: _a,
        policy,
        deadlinesProvisional,
        ...details
      } = event.data;
      return {
        ...state,
        status: 'received',
        details,
        acknowledgeBy,
        decideBy,
        receivedAt,
        policy: policy ?? {},
        deadlinesProvisional: deadlinesProvisional ?? [],
      };
    }
    case 'ReferralDeadlinesRecomputed':
      return {
        ...state,
        acknowledgeBy: event.data.acknowledgeBy,
        decideBy: event.data.decideBy,
        deadlinesProvisional: event.data.deadlinesProvisional,
        policy: { ...state.policy, ...event.data.policy },
      };
    case 'ReferralAcknowledged':
      return { ...state, status: 'acknowledged', acknowledged: true, heldBy: event.data.officerId };
    case 'ReferralAccepted':
      return { ...state, status: 'accepted', decided: true, heldBy: event.data.officerId };
    case 'ReferralDeclined':
      return {
        ...state,
        status: 'declined',
        acknowledged: true,
        decided: true,
        heldBy: event.data.officerId,
      };
    case 'ReferralProgressNoted':
      return { ...state, heldBy: event.data.officerId };
    case 'ReferralCompleted':
      return {
        ...state,
        status: event.data.outcome === 'returned' ? 'returned' : 'completed',
        acknowledged: true,
        decided: true,
        heldBy: event.data.officerId,
      };
    case 'ReferralReopened':
      return { ...state, status: 'accepted', heldBy: event.data.officerId };
    case 'ReferralTransferred':
      // Closed on this desk: its deadlines stop here and start again at the target's receipt.
      return { ...state, status: 'transferred', decided: true, heldBy: event.data.officerId };
    case 'ReferralRevoked':
      return { ...state, status: 'revoked' };
    case 'ReferralOverdue':
      return { ...state, overdue: [...state.overdue, event.data.deadline] };
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

/** `<department>.<EventName>` for the event store and the contracts. */
export function referralEventType(department: string, name: ReferralEventName): string {
  return `${department}.${name}`;
}

export function referralEventName(type: string): ReferralEventName {
  return type.slice(type.indexOf('.') + 1) as ReferralEventName;
}

export const referralDecider = {
  decide: decideReferral,
  evolve: evolveReferral,
  initialState: initialReferralState,
};
