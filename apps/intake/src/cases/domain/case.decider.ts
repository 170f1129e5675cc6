import { DomainError } from '@platform/contracts';
import { CATEGORY_NAMES, type Route } from './policy.js';

/**
 * A case (求助/救助案件) at the one door: opened at the window, by the hotline or by proactive
 * discovery; accepted only by the township window; each need referred to the department that owes it.
 * Pure: ids, numbers, time, routing and materials come in with the command.
 */
export type Channel = 'window' | 'hotline' | 'proactive_discovery';
export type Urgency = 'normal' | 'urgent';
export type ReferralTrackedStatus =
  | 'issued'
  | 'received'
  | 'acknowledged'
  | 'accepted'
  | 'declined'
  | 'completed'
  | 'returned'
  | 'revoked'
  | 'rerouted'
  | 'transferred'
  | 'handed_over';

export interface Member {
  name: string;
  idNumber: string;
  relationship: 'applicant' | 'spouse' | 'child' | 'parent' | 'sibling' | 'other';
  phone: string | null;
}

/**
 * Whether the applicant agreed to be told of each need's result (办理结果告知): by SMS to the
 * applicant's phone when one is given, and by email to `email` when given.
 */
export interface ResultNotice {
  consent: boolean;
  email: string | null;
}

/** Who told the platform about the hardship (发现报告来源). */
export const REPORT_SOURCES = [
  'applicant',
  'hotline_caller',
  'village_committee',
  'residents_committee',
  'social_worker',
  'volunteer',
  'rescue_station',
  'minors_protection_centre',
  'hospital',
  'other',
] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** A call to the county hotline (热线来电记录): when, who, how to call back, what was said. */
export interface CallRecord {
  receivedAt: string;
  callerName: string;
  callbackNumber: string;
  summary: string;
}

export interface CaseReport {
  source: ReportSource;
  /** The organisation that reported it (a hospital, a rescue station), when one did. */
  organisation: string | null;
  call: CallRecord | null;
}

export interface Need {
  needId: string;
  category: string;
  description: string;
  requestedAmount: number | null;
  /** The members the need concerns (the patient, the student), by ID number; the applicant when absent. */
  memberIdNumbers?: string[];
}

/** The window officer who accepted the case: whom a department calls about it. */
export interface WindowOfficer {
  id: string;
  name: string;
  phone: string | null;
}

/** An earlier referral of the same need, as the next department should know it. */
export interface EarlierReferral {
  referralId: string;
  department: string;
  status: ReferralTrackedStatus;
  /** Why the department declined or returned it. */
  declineReason: string | null;
  /** Why it was then rerouted, transferred or revoked (or the decline reason when nothing followed). */
  reason: string | null;
  at: string;
}

export interface ActorRef {
  id: string;
  role: string;
}

export type RouteDecision =
  | {
      kind: 'department';
      referralId: string;
      department: string;
      departmentName: string;
      jurisdiction: string;
    }
  | { kind: 'external'; referralId: string; department: string; departmentName: string; jurisdiction: string }
  | {
      kind: 'government';
      jurisdiction: string;
      reason: string;
      /** When the government's response is due (working days from the report), when the handler knows it. */
      respondBy?: string;
    };

/** The same-level government's handling of a reported need, as its liaison records it. */
export interface GovernmentResponse {
  decision: string;
  /** The department the government made responsible, if any. */
  responsibleDepartment: string | null;
  /** Yuan, when the government granted an amount. */
  amount: number | null;
  followUp: string | null;
  by: string;
  at: string;
}

/** A need reported to the same-level government and what became of it. */
export interface GovernmentReportState {
  needId: string;
  category: string;
  reason: string;
  at: string;
  /** The government the need was reported to (absent on reports from before it was kept). */
  jurisdiction?: string;
  respondBy: string | null;
  response: GovernmentResponse | null;
}

export type CaseCommand =
  | {
      type: 'OpenCase';
      caseId: string;
      caseNumber: string;
      channel: Channel;
      villageCode: string;
      townshipCode: string;
      countyCode: string;
      household: Member[];
      needs: Need[];
      urgency: Urgency;
      consentToShare: boolean;
      onBehalfOf: string | null;
      /** The applicant's consent to result notifications (absent: none). */
      notify?: ResultNotice | null;
      /** How the hardship came to light; required for the hotline (the call record). */
      report?: CaseReport;
      /** A risk of extreme behaviour (极端行为风险) noted by whoever opened the case, with what they saw. */
      risk?: { note: string } | null;
      actor: ActorRef;
      now: string;
      notification: {
        documentNumber: string;
        materials: Array<{ needId: string; category: string; items: string[] }>;
      };
      /** The policy table versions the handler applied (materials), recorded on the notice. */
      policy?: AppliedPolicy;
      /** Open cases of the same members for the same categories, found by the handler. */
      duplicates: Array<{
        idNumber: string;
        category: string;
        caseId: string;
        caseNumber: string;
        /**
         * Whether the case lies in the registering officer's jurisdiction; when it does not, the refusal
         * names only the county to contact (`elsewhere`), never the other case's number or categories.
         */
        visible?: boolean;
        elsewhere?: string;
      }>;
      duplicateOverrideReason: string | null;
    }
  | {
      type: 'AcceptCase';
      actor: ActorRef;
      /** The accepting officer's name and contact phone, given to the departments with each referral. */
      officer?: { name: string; phone: string | null };
      now: string;
      notice: { documentNumber: string; queryCode: string };
      routes: Record<string, RouteDecision>;
      /**
       * Needs also reported to the government besides their department (报告制度: an amount above the
       * threshold, a risk of extreme behaviour), with the reasons and when the answer is due.
       */
      escalations?: Record<string, { reasons: string[]; jurisdiction: string; respondBy: string | null }>;
      /** The routing version the routes were planned under, recorded on every routing decision. */
      policy?: AppliedPolicy;
    }
  | {
      /** The window gives the applicant a new query code (the old one was lost, or its lookup is locked). */
      type: 'ReissueQueryCode';
      actor: ActorRef;
      now: string;
      queryCode: string;
      reason: string;
    }
  | {
      type: 'RecordReferralProgress';
      referralId: string;
      department: string;
      status: ReferralTrackedStatus;
      at: string;
      detail: {
        reason?: string | null;
        outcome?: string | null;
        amount?: number | null;
        service?: string | null;
        deadline?: string | null;
      };
    }
  | {
      type: 'RerouteReferral';
      referralId: string;
      route: RouteDecision;
      actor: ActorRef;
      reason: string;
      now: string;
      policy?: AppliedPolicy;
    }
  | {
      /**
       * The department holding the referral transferred it to another: recorded, and the need issued
       * there like a reroute (the route, with its new referral id derived from the message, comes in).
       */
      type: 'RecordReferralTransfer';
      referralId: string;
      fromDepartment: string;
      route: Extract<RouteDecision, { kind: 'department' }>;
      reason: string;
      /** When the department transferred it. */
      at: string;
      now: string;
      policy?: AppliedPolicy;
    }
  | { type: 'RevokeReferral'; referralId: string; reason: string; actor: ActorRef; now: string }
  | {
      /** The government liaison records how the same-level government handled a reported need. */
      type: 'RecordGovernmentResponse';
      needId: string;
      decision: string;
      responsibleDepartment: string | null;
      amount: number | null;
      followUp: string | null;
      actor: ActorRef;
      now: string;
    }
  | {
      type: 'RecordExternalOutcome';
      referralId: string;
      outcome: 'granted' | 'not_eligible';
      note: string;
      actor: ActorRef;
      now: string;
    };

/** Which version of each policy table a decision applied, e.g. `{ routing: 3 }`. */
export type AppliedPolicy = Record<string, number>;

export interface ReferralIssuedData {
  caseId: string;
  referralId: string;
  needId: string;
  category: string;
  department: string;
  jurisdiction: string;
  description: string;
  requestedAmount: number | null;
  urgency: Urgency;
  applicant: { name: string; idNumber: string; phone: string | null } | null;
  acknowledgeBy: null;
  decideBy: null;
  policy?: AppliedPolicy;
  at: string;
  /** Absent on referrals issued before they were recorded. */
  caseNumber?: string;
  villageCode?: string;
  /** The household members the need concerns; null without consent to share. */
  members?: Member[] | null;
  windowOfficer?: WindowOfficer | null;
  /** Earlier referrals of the same need: declines, returns, reroutes and transfers with their reasons. */
  earlier?: EarlierReferral[];
  /** Why the need is also reported to the same-level government (absent when it is not). */
  escalated?: string[];
}

export type CaseEvent =
  | {
      type: 'intake.CaseOpened';
      data: {
        caseId: string;
        caseNumber: string;
        channel: Channel;
        villageCode: string;
        townshipCode: string;
        countyCode: string;
        urgency: Urgency;
        categories: string[];
        consentToShare: boolean;
        household: Member[];
        needs: Need[];
        onBehalfOf: string | null;
        openedBy: string;
        /** Absent when the applicant gave no consent to result notifications (and on earlier cases). */
        notify?: ResultNotice;
        /** Absent on cases opened before reports were recorded. */
        report?: CaseReport;
        risk?: { note: string } | null;
        duplicateOverride: { reason: string; openCases: string[] } | null;
        at: string;
      };
    }
  | {
      type: 'intake.OneTimeNotificationIssued';
      data: {
        caseId: string;
        documentNumber: string;
        materials: Array<{ needId: string; category: string; items: string[] }>;
        policy?: AppliedPolicy;
        at: string;
      };
    }
  | {
      type: 'intake.CaseAccepted';
      data: {
        caseId: string;
        acceptedBy: string;
        /** Absent on cases accepted before it was recorded. */
        officer?: { name: string; phone: string | null };
        policy?: AppliedPolicy;
        at: string;
      };
    }
  | {
      type: 'intake.AcceptanceNoticeIssued';
      data: { caseId: string; documentNumber: string; queryCode: string; at: string };
    }
  | {
      type: 'intake.QueryCodeReissued';
      data: { caseId: string; queryCode: string; reason: string; by: string; at: string };
    }
  | { type: 'intake.ReferralIssued'; data: ReferralIssuedData }
  | {
      type: 'intake.ExternalHandoverRecorded';
      data: {
        caseId: string;
        referralId: string;
        needId: string;
        category: string;
        department: string;
        departmentName: string;
        by: string;
        policy?: AppliedPolicy;
        at: string;
      };
    }
  | {
      type: 'intake.CaseReportedToGovernment';
      data: {
        caseId: string;
        needId: string;
        category: string;
        jurisdiction: string;
        reason: string;
        policy?: AppliedPolicy;
        at: string;
        /** Absent on reports from before response deadlines were kept. */
        respondBy?: string | null;
      };
    }
  | {
      type: 'intake.GovernmentResponseRecorded';
      data: GovernmentResponse & { caseId: string; needId: string; reportedAt: string };
    }
  | {
      type: 'intake.ReferralStatusRecorded';
      data: {
        caseId: string;
        referralId: string;
        department: string;
        status: ReferralTrackedStatus;
        at: string;
        reason: string | null;
        outcome: string | null;
        amount: number | null;
        service: string | null;
        deadline: string | null;
      };
    }
  | {
      type: 'intake.ReferralRerouted';
      data: { caseId: string; referralId: string; needId: string; reason: string; by: string; at: string };
    }
  | {
      type: 'intake.ReferralTransferred';
      data: {
        caseId: string;
        referralId: string;
        needId: string;
        fromDepartment: string;
        toDepartment: string;
        /** The referral issued to `toDepartment` for the same need. */
        newReferralId: string;
        reason: string;
        at: string;
      };
    }
  | {
      type: 'intake.ReferralRevoked';
      data: {
        caseId: string;
        referralId: string;
        department: string;
        reason: string;
        by: string;
        at: string;
      };
    }
  | {
      type: 'intake.ExternalOutcomeRecorded';
      data: {
        caseId: string;
        referralId: string;
        outcome: 'granted' | 'not_eligible';
        note: string;
        by: string;
        at: string;
      };
    };

export interface TrackedReferral {
  referralId: string;
  needId: string;
  category: string;
  department: string;
  external: boolean;
  status: ReferralTrackedStatus;
  issuedAt: string;
  updatedAt: string;
  overdue: string[];
  outcome: string | null;
  amount: number | null;
  reason: string | null;
  /** The department's reason when it declined or returned the referral. */
  declineReason?: string | null;
  /** Set once the department transferred it to another: where, why and when (absent otherwise). */
  transfer?: {
    fromDepartment: string;
    toDepartment: string;
    newReferralId: string;
    reason: string;
    at: string;
  };
}

export interface CaseState {
  status: 'none' | 'opened' | 'accepted';
  caseId: string | null;
  caseNumber: string | null;
  channel: Channel | null;
  villageCode: string | null;
  townshipCode: string | null;
  countyCode: string | null;
  urgency: Urgency;
  consentToShare: boolean;
  household: Member[];
  needs: Need[];
  referrals: TrackedReferral[];
  reportedToGovernment: GovernmentReportState[];
  notices: Array<{
    kind: 'one_time_notification' | 'acceptance_notice';
    documentNumber: string;
    at: string;
    materials?: Array<{ needId: string; category: string; items: string[] }>;
  }>;
  queryCode: string | null;
  openedAt: string | null;
  acceptedAt: string | null;
  windowOfficer: WindowOfficer | null;
  /** Who opened the case: a reporter may follow it (status only). */
  openedBy: string | null;
  report: CaseReport | null;
  risk: { note: string } | null;
  /** Where the applicant agreed to be told of results; null without consent. */
  notify: ResultNotice | null;
}

export const initialCaseState = (): CaseState => ({
  status: 'none',
  caseId: null,
  caseNumber: null,
  channel: null,
  villageCode: null,
  townshipCode: null,
  countyCode: null,
  urgency: 'normal',
  consentToShare: false,
  household: [],
  needs: [],
  referrals: [],
  reportedToGovernment: [],
  notices: [],
  queryCode: null,
  openedAt: null,
  acceptedAt: null,
  windowOfficer: null,
  openedBy: null,
  report: null,
  risk: null,
  notify: null,
});

const CHANNEL_ROLES: Record<Channel, string[]> = {
  window: ['township_officer'],
  hotline: ['county_civil_affairs', 'township_officer'],
  proactive_discovery: ['village_verifier', 'social_worker', 'township_officer', 'county_civil_affairs'],
};

/** Progress for a referral reported by a department it was not referred to. */
export const REFERRAL_NOT_OWNED = 'REFERRAL_NOT_OWNED';

const TERMINAL: ReferralTrackedStatus[] = ['completed', 'returned', 'revoked', 'rerouted', 'transferred'];

function err(
  code: string,
  message: string,
  status: 403 | 404 | 409 | 422 = 422,
  details: Record<string, unknown> = {},
): never {
  throw new DomainError(code, message, status, details);
}

type RoutingState = Pick<
  CaseState,
  'urgency' | 'consentToShare' | 'household' | 'caseNumber' | 'villageCode' | 'windowOfficer' | 'referrals'
> & { caseId: string };

/** What the department needs to know of a need's earlier referrals. */
function earlierReferrals(state: RoutingState, needId: string): EarlierReferral[] {
  return state.referrals
    .filter((r) => r.needId === needId && !r.external)
    .map((r) => ({
      referralId: r.referralId,
      department: r.department,
      status: r.status,
      declineReason: r.declineReason ?? null,
      reason: r.reason,
      at: r.updatedAt,
    }));
}

/** The applicant, then the members the need names (the patient, the student). */
function membersOf(state: RoutingState, need: Need): Member[] {
  const named = new Set(need.memberIdNumbers ?? []);
  return state.household.filter((m) => m.relationship === 'applicant' || named.has(m.idNumber));
}

function routedEvents(
  state: RoutingState,
  need: Need,
  route: RouteDecision,
  actor: ActorRef,
  now: string,
  policy?: AppliedPolicy,
  /** Why the need is also reported to the government: the department is told. */
  escalated?: string[],
): CaseEvent[] {
  const caseId = state.caseId;
  const applied = policy ? { policy } : {};
  if (route.kind === 'government') {
    return [
      {
        type: 'intake.CaseReportedToGovernment',
        data: {
          caseId,
          needId: need.needId,
          category: need.category,
          jurisdiction: route.jurisdiction,
          reason: route.reason,
          ...applied,
          at: now,
          respondBy: route.respondBy ?? null,
        },
      },
    ];
  }
  if (route.kind === 'external') {
    return [
      {
        type: 'intake.ExternalHandoverRecorded',
        data: {
          caseId,
          referralId: route.referralId,
          needId: need.needId,
          category: need.category,
          department: route.department,
          departmentName: route.departmentName,
          by: actor.id,
          ...applied,
          at: now,
        },
      },
    ];
  }
  const applicant = state.household.find((m) => m.relationship === 'applicant')!;
  return [
    {
      type: 'intake.ReferralIssued',
      data: {
        caseId,
        referralId: route.referralId,
        needId: need.needId,
        category: need.category,
        department: route.department,
        jurisdiction: route.jurisdiction,
        description: need.description,
        requestedAmount: need.requestedAmount,
        urgency: state.urgency,
        // Without consent, departments get the need, not the person.
        applicant: state.consentToShare
          ? { name: applicant.name, idNumber: applicant.idNumber, phone: applicant.phone }
          : null,
        acknowledgeBy: null,
        decideBy: null,
        ...applied,
        at: now,
        caseNumber: state.caseNumber!,
        villageCode: state.villageCode!,
        members: state.consentToShare ? membersOf(state, need) : null,
        windowOfficer: state.windowOfficer,
        earlier: earlierReferrals(state, need.needId),
        ...(escalated?.length ? { escalated } : {}),
      },
    },
  ];
}

export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  switch (command.type) {
    case 'OpenCase': {
      if (state.status !== 'none') err('CASE_EXISTS', '案件已存在', 409);
      if (!CHANNEL_ROLES[command.channel].includes(command.actor.role)) {
        err('CHANNEL_NOT_ALLOWED', `当前角色不能通过该渠道（${command.channel}）登记求助`, 403, {
          permission: 'cases:open',
        });
      }
      const applicants = command.household.filter((m) => m.relationship === 'applicant');
      if (applicants.length !== 1)
        err('ONE_APPLICANT', '家庭成员中必须有且只有一名申请人（relationship = applicant）');
      const ids = command.household.map((m) => m.idNumber);
      if (new Set(ids).size !== ids.length) err('DUPLICATE_MEMBER', '家庭成员身份证号码重复');
      if (command.needs.length === 0) err('NEEDS_REQUIRED', '至少登记一项救助需求');
      if (command.risk && !command.risk.note.trim())
        err('RISK_NOTE_REQUIRED', '标记极端行为风险时须说明情况（riskNote）');
      if (command.channel === 'hotline' && !command.report?.call)
        err('CALL_RECORD_REQUIRED', '热线登记须填写来电记录（call：来电时间、来电人、回拨电话、来电内容）');
      if (command.report?.call) {
        const c = command.report.call;
        if (!c.callerName.trim() || !c.summary.trim())
          err('CALL_RECORD_INCOMPLETE', '来电记录（call）须有来电人和来电内容');
        if (Date.parse(c.receivedAt) > Date.parse(command.now))
          err('CALL_IN_FUTURE', '来电时间（call.receivedAt）不能晚于当前时间');
      }
      for (const need of command.needs) {
        const stranger = need.memberIdNumbers?.find((id) => !ids.includes(id));
        if (stranger)
          err(
            'NEED_MEMBER_UNKNOWN',
            `需求 ${need.needId} 所涉成员（memberIdNumbers）不在家庭成员中：${stranger}`,
          );
      }
      const applicant = applicants[0]!;
      if (command.notify?.consent && !applicant.phone && !command.notify.email)
        err(
          'NOTIFY_CONTACT_REQUIRED',
          '同意接收办理结果通知时，须填写申请人手机号（household[].phone）或通知邮箱（notify.email）',
        );
      const categories = command.needs.map((n) => n.category);
      if (new Set(categories).size !== categories.length) err('DUPLICATE_NEED', '同一救助类别只能登记一次');
      if (command.duplicates.length > 0 && !command.duplicateOverrideReason?.trim()) {
        const seen = command.duplicates.filter((d) => d.visible !== false);
        const elsewhere = [
          ...new Set(
            command.duplicates.filter((d) => d.visible === false).map((d) => d.elsewhere ?? '其他地区'),
          ),
        ];
        const where = [
          ...(seen.length > 0
            ? [`本辖区在办案件 ${[...new Set(seen.map((d) => d.caseNumber))].join('、')}`]
            : []),
          ...(elsewhere.length > 0
            ? [`${elsewhere.join('、')}的在办案件（详情请联系${elsewhere.join('、')}民政部门）`]
            : []),
        ];
        err(
          'DUPLICATE_OPEN_CASE',
          `该家庭成员已有同类别在办案件：${where.join('；')}。如确需重复登记请填写理由`,
          409,
          {
            openCases: seen.map(({ visible: _v, elsewhere: _e, ...d }) => d),
            elsewhere,
          },
        );
      }
      return [
        {
          type: 'intake.CaseOpened',
          data: {
            caseId: command.caseId,
            caseNumber: command.caseNumber,
            channel: command.channel,
            villageCode: command.villageCode,
            townshipCode: command.townshipCode,
            countyCode: command.countyCode,
            urgency: command.urgency,
            categories,
            consentToShare: command.consentToShare,
            household: command.household,
            needs: command.needs,
            onBehalfOf: command.onBehalfOf,
            openedBy: command.actor.id,
            ...(command.notify?.consent
              ? { notify: { consent: true, email: command.notify.email ?? null } }
              : {}),
            ...(command.report ? { report: command.report } : {}),
            ...(command.risk ? { risk: command.risk } : {}),
            duplicateOverride:
              command.duplicates.length > 0
                ? {
                    reason: command.duplicateOverrideReason!.trim(),
                    openCases: command.duplicates.map((d) => d.caseId),
                  }
                : null,
            at: command.now,
          },
        },
        {
          type: 'intake.OneTimeNotificationIssued',
          data: {
            caseId: command.caseId,
            documentNumber: command.notification.documentNumber,
            materials: command.notification.materials,
            ...(command.policy ? { policy: command.policy } : {}),
            at: command.now,
          },
        },
      ];
    }
    case 'ReissueQueryCode': {
      if (state.status === 'none') err('CASE_NOT_FOUND', '案件不存在', 404);
      if (command.actor.role !== 'township_officer') {
        err('ONLY_TOWNSHIP_REISSUES_CODE', '只有乡镇（街道）窗口可以重新生成查询码', 403, {
          permission: 'cases:query-code',
        });
      }
      if (state.queryCode === null) err('CASE_NOT_ACCEPTED', '案件受理后才有查询码', 409);
      if (!command.reason.trim()) err('REASON_REQUIRED', '请说明重新生成查询码的原因');
      return [
        {
          type: 'intake.QueryCodeReissued',
          data: {
            caseId: state.caseId!,
            queryCode: command.queryCode,
            reason: command.reason.trim(),
            by: command.actor.id,
            at: command.now,
          },
        },
      ];
    }
    case 'AcceptCase': {
      if (state.status === 'none') err('CASE_NOT_FOUND', '案件不存在', 404);
      // Acceptance was removed from villages: only the township window accepts.
      if (command.actor.role !== 'township_officer') {
        err('ONLY_TOWNSHIP_ACCEPTS', '只有乡镇（街道）窗口可以受理申请', 403, { permission: 'cases:accept' });
      }
      if (state.status !== 'opened') err('CASE_ALREADY_ACCEPTED', '案件已受理', 409);
      const events: CaseEvent[] = [
        {
          type: 'intake.CaseAccepted',
          data: {
            caseId: state.caseId!,
            acceptedBy: command.actor.id,
            ...(command.officer ? { officer: command.officer } : {}),
            ...(command.policy ? { policy: command.policy } : {}),
            at: command.now,
          },
        },
        {
          type: 'intake.AcceptanceNoticeIssued',
          data: {
            caseId: state.caseId!,
            documentNumber: command.notice.documentNumber,
            queryCode: command.notice.queryCode,
            at: command.now,
          },
        },
      ];
      for (const need of state.needs) {
        const route = command.routes[need.needId];
        if (!route) err('ROUTE_MISSING', `需求 ${need.needId} 缺少转办去向`);
        const escalation = route.kind === 'government' ? undefined : command.escalations?.[need.needId];
        events.push(
          ...routedEvents(
            {
              ...state,
              caseId: state.caseId!,
              windowOfficer: command.officer ? { id: command.actor.id, ...command.officer } : null,
            },
            need,
            route,
            command.actor,
            command.now,
            command.policy,
            escalation?.reasons,
          ),
        );
        if (escalation) {
          events.push({
            type: 'intake.CaseReportedToGovernment',
            data: {
              caseId: state.caseId!,
              needId: need.needId,
              category: need.category,
              jurisdiction: escalation.jurisdiction,
              reason: escalation.reasons.join('；'),
              ...(command.policy ? { policy: command.policy } : {}),
              at: command.now,
              respondBy: escalation.respondBy,
            },
          });
        }
      }
      return events;
    }
    case 'RecordReferralProgress': {
      const r = state.referrals.find((x) => x.referralId === command.referralId);
      if (!r) return [];
      // Only the department a referral went to speaks for it: another's word is not its record.
      if (r.department !== command.department) {
        err(
          REFERRAL_NOT_OWNED,
          `转办 ${r.referralId} 属于 ${r.department}，不接受 ${command.department} 报送的进展`,
          403,
          { referralId: r.referralId, owner: r.department, claimedBy: command.department },
        );
      }
      // The department's own record decides; intake only mirrors it, once per change. A completed
      // referral may still change: the assistance it granted was changed or stopped.
      const sameOutcome =
        (command.detail.outcome ?? r.outcome) === r.outcome &&
        (command.detail.amount ?? r.amount) === r.amount;
      if (
        r.status === command.status &&
        command.status !== 'issued' &&
        !command.detail.deadline &&
        sameOutcome
      )
        return [];
      return [
        {
          type: 'intake.ReferralStatusRecorded',
          data: {
            caseId: state.caseId!,
            referralId: command.referralId,
            department: command.department,
            status: command.detail.deadline ? r.status : command.status,
            at: command.at,
            reason: command.detail.reason ?? null,
            outcome: command.detail.outcome ?? null,
            amount: command.detail.amount ?? null,
            service: command.detail.service ?? null,
            deadline: command.detail.deadline ?? null,
          },
        },
      ];
    }
    case 'RerouteReferral': {
      if (command.actor.role !== 'township_officer')
        err('ONLY_TOWNSHIP_REROUTES', '只有乡镇（街道）窗口可以重新转办', 403, {
          permission: 'cases:reroute',
        });
      const r = state.referrals.find((x) => x.referralId === command.referralId);
      if (!r) err('REFERRAL_NOT_FOUND', '转办事项不存在', 404);
      if (r.status !== 'declined' && r.status !== 'returned')
        err('REFERRAL_NOT_DECLINED', '只有被退回的转办事项可以重新转办或上报', 409);
      if (!command.reason.trim()) err('REASON_REQUIRED', '重新转办必须说明理由');
      const need = state.needs.find((n) => n.needId === r.needId)!;
      return [
        {
          type: 'intake.ReferralRerouted',
          data: {
            caseId: state.caseId!,
            referralId: r.referralId,
            needId: r.needId,
            reason: command.reason.trim(),
            by: command.actor.id,
            at: command.now,
          },
        },
        ...routedEvents(
          // The next department learns this referral's decline and why it was rerouted.
          {
            ...updateReferral(state, r.referralId, {
              status: 'rerouted',
              declineReason: r.declineReason ?? r.reason,
              reason: command.reason.trim(),
              updatedAt: command.now,
            }),
            caseId: state.caseId!,
          },
          need,
          command.route,
          command.actor,
          command.now,
          command.policy,
        ),
      ];
    }
    case 'RecordReferralTransfer': {
      const r = state.referrals.find((x) => x.referralId === command.referralId);
      if (!r) return [];
      // Only the department holding the referral may pass it on.
      if (r.department !== command.fromDepartment) {
        err(
          REFERRAL_NOT_OWNED,
          `转办 ${r.referralId} 属于 ${r.department}，${command.fromDepartment} 不能移交`,
          403,
          { referralId: r.referralId, owner: r.department, claimedBy: command.fromDepartment },
        );
      }
      // Redelivered (already transferred), or closed here first (e.g. the window withdrew it): nothing more.
      if (TERMINAL.includes(r.status)) return [];
      if (state.referrals.some((x) => x.referralId === command.route.referralId)) return [];
      const need = state.needs.find((n) => n.needId === r.needId)!;
      return [
        {
          type: 'intake.ReferralTransferred',
          data: {
            caseId: state.caseId!,
            referralId: r.referralId,
            needId: r.needId,
            fromDepartment: r.department,
            toDepartment: command.route.department,
            newReferralId: command.route.referralId,
            reason: command.reason,
            at: command.at,
          },
        },
        ...routedEvents(
          {
            ...updateReferral(state, r.referralId, {
              status: 'transferred',
              reason: command.reason,
              updatedAt: command.at,
            }),
            caseId: state.caseId!,
          },
          need,
          command.route,
          { id: `system:${command.fromDepartment}`, role: 'system' },
          command.now,
          command.policy,
        ),
      ];
    }
    case 'RecordGovernmentResponse': {
      if (command.actor.role !== 'government_liaison')
        err('ONLY_GOVERNMENT_RESPONDS', '只有同级政府联络人可以登记政府的处理结果', 403, {
          permission: 'government:respond',
        });
      // The latest report of the need: a need may be reported again after a response.
      const report = state.reportedToGovernment.filter((g) => g.needId === command.needId).at(-1);
      if (!report) err('REPORT_NOT_FOUND', `该案件的需求 ${command.needId} 未上报政府`, 404);
      if (report.response) err('GOVERNMENT_RESPONDED', '该上报事项已登记政府处理结果', 409);
      if (!command.decision.trim()) err('DECISION_REQUIRED', '必须填写政府的处理决定（decision）');
      if (command.amount !== null && !(command.amount >= 0))
        err('AMOUNT_INVALID', '救助金额（amount）不能为负数');
      return [
        {
          type: 'intake.GovernmentResponseRecorded',
          data: {
            caseId: state.caseId!,
            needId: command.needId,
            reportedAt: report.at,
            decision: command.decision.trim(),
            responsibleDepartment: command.responsibleDepartment,
            amount: command.amount,
            followUp: command.followUp?.trim() || null,
            by: command.actor.id,
            at: command.now,
          },
        },
      ];
    }
    case 'RevokeReferral': {
      if (!['township_officer', 'county_civil_affairs'].includes(command.actor.role)) {
        err('NOT_ALLOWED', '无权撤回转办', 403, { permission: 'cases:revoke-referral' });
      }
      const r = state.referrals.find((x) => x.referralId === command.referralId);
      if (!r) err('REFERRAL_NOT_FOUND', '转办事项不存在', 404);
      if (TERMINAL.includes(r.status)) err('REFERRAL_CLOSED', '已办结或已撤回的转办事项不能撤回', 409);
      if (!command.reason.trim()) err('REASON_REQUIRED', '撤回转办必须说明理由');
      return [
        {
          type: 'intake.ReferralRevoked',
          data: {
            caseId: state.caseId!,
            referralId: r.referralId,
            department: r.department,
            reason: command.reason.trim(),
            by: command.actor.id,
            at: command.now,
          },
        },
      ];
    }
    case 'RecordExternalOutcome': {
      if (command.actor.role !== 'township_officer')
        err('NOT_ALLOWED', '只有乡镇（街道）窗口可以登记外部门办理结果', 403, {
          permission: 'cases:external-outcome',
        });
      const r = state.referrals.find((x) => x.referralId === command.referralId);
      if (!r || !r.external) err('REFERRAL_NOT_FOUND', '外部门转交事项不存在', 404);
      if (r.status === 'completed') err('REFERRAL_CLOSED', '已登记办理结果', 409);
      return [
        {
          type: 'intake.ExternalOutcomeRecorded',
          data: {
            caseId: state.caseId!,
            referralId: r.referralId,
            outcome: command.outcome,
            note: command.note,
            by: command.actor.id,
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

function updateReferral(state: CaseState, referralId: string, patch: Partial<TrackedReferral>): CaseState {
  return {
    ...state,
    referrals: state.referrals.map((r) => (r.referralId === referralId ? { ...r, ...patch } : r)),
  };
}

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  switch (event.type) {
    case 'intake.CaseOpened': {
      const d = event.data;
      return {
        ...state,
        status: 'opened',
        caseId: d.caseId,
        caseNumber: d.caseNumber,
        channel: d.channel,
        villageCode: d.villageCode,
        townshipCode: d.townshipCode,
        countyCode: d.countyCode,
        urgency: d.urgency,
        consentToShare: d.consentToShare,
        household: d.household,
        needs: d.needs,
        openedAt: d.at,
        openedBy: d.openedBy,
        report: d.report ?? null,
        risk: d.risk ?? null,
        notify: d.notify?.consent ? d.notify : null,
      };
    }
    case 'intake.OneTimeNotificationIssued':
      return {
        ...state,
        notices: [
          ...state.notices,
          {
            kind: 'one_time_notification',
            documentNumber: event.data.documentNumber,
            at: event.data.at,
            materials: event.data.materials,
          },
        ],
      };
    case 'intake.CaseAccepted':
      return {
        ...state,
        status: 'accepted',
        acceptedAt: event.data.at,
        windowOfficer: event.data.officer ? { id: event.data.acceptedBy, ...event.data.officer } : null,
      };
    case 'intake.AcceptanceNoticeIssued':
      return {
        ...state,
        queryCode: event.data.queryCode,
        notices: [
          ...state.notices,
          { kind: 'acceptance_notice', documentNumber: event.data.documentNumber, at: event.data.at },
        ],
      };
    case 'intake.QueryCodeReissued':
      return { ...state, queryCode: event.data.queryCode };
    case 'intake.ReferralIssued':
    case 'intake.ExternalHandoverRecorded': {
      const d = event.data;
      const external = event.type === 'intake.ExternalHandoverRecorded';
      return {
        ...state,
        referrals: [
          ...state.referrals,
          {
            referralId: d.referralId,
            needId: d.needId,
            category: d.category,
            department: d.department,
            external,
            status: external ? 'handed_over' : 'issued',
            issuedAt: d.at,
            updatedAt: d.at,
            overdue: [],
            outcome: null,
            amount: null,
            reason: null,
          },
        ],
      };
    }
    case 'intake.CaseReportedToGovernment':
      return {
        ...state,
        reportedToGovernment: [
          ...state.reportedToGovernment,
          {
            needId: event.data.needId,
            category: event.data.category,
            reason: event.data.reason,
            at: event.data.at,
            jurisdiction: event.data.jurisdiction,
            respondBy: event.data.respondBy ?? null,
            response: null,
          },
        ],
      };
    case 'intake.GovernmentResponseRecorded': {
      const { caseId: _c, needId, reportedAt, ...response } = event.data;
      return {
        ...state,
        reportedToGovernment: state.reportedToGovernment.map((g) =>
          g.needId === needId && g.at === reportedAt ? { ...g, response } : g,
        ),
      };
    }
    case 'intake.ReferralStatusRecorded': {
      const d = event.data;
      const current = state.referrals.find((r) => r.referralId === d.referralId);
      if (!current) return state;
      if (d.deadline)
        return updateReferral(state, d.referralId, {
          overdue: [...current.overdue, d.deadline],
          updatedAt: d.at,
        });
      return updateReferral(state, d.referralId, {
        status: d.status,
        updatedAt: d.at,
        outcome: d.outcome ?? current.outcome,
        amount: d.amount ?? current.amount,
        reason: d.reason ?? current.reason,
        ...(d.status === 'declined' || d.status === 'returned' ? { declineReason: d.reason } : {}),
      });
    }
    case 'intake.ReferralRerouted':
      return updateReferral(state, event.data.referralId, {
        status: 'rerouted',
        updatedAt: event.data.at,
        reason: event.data.reason,
      });
    case 'intake.ReferralTransferred': {
      const { fromDepartment, toDepartment, newReferralId, reason, at } = event.data;
      return updateReferral(state, event.data.referralId, {
        status: 'transferred',
        updatedAt: at,
        reason,
        transfer: { fromDepartment, toDepartment, newReferralId, reason, at },
      });
    }
    case 'intake.ReferralRevoked':
      return updateReferral(state, event.data.referralId, {
        status: 'revoked',
        updatedAt: event.data.at,
        reason: event.data.reason,
      });
    case 'intake.ExternalOutcomeRecorded':
      return updateReferral(state, event.data.referralId, {
        status: 'completed',
        outcome: event.data.outcome,
        updatedAt: event.data.at,
        reason: event.data.note,
      });
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const caseDecider = { decide: decideCase, evolve: evolveCase, initialState: initialCaseState };

/** Routing from the policy table; no department or no policy that fits → the same-level government. */
export function planRoute(
  need: Need,
  routing: Record<string, Route>,
  jurisdiction: { countyCode: string; cityCode: string },
  newReferralId: () => string,
): RouteDecision {
  const route = routing[need.category];
  if (!route) {
    return {
      kind: 'government',
      jurisdiction: jurisdiction.countyCode,
      reason: `“${CATEGORY_NAMES[need.category] ?? need.category}”类需求没有对应的救助政策或责任部门`,
    };
  }
  const node = route.level === 'city' ? jurisdiction.cityCode : jurisdiction.countyCode;
  return {
    kind: route.external ? 'external' : 'department',
    referralId: newReferralId(),
    department: route.department,
    departmentName: route.departmentName,
    jurisdiction: node,
  };
}

export function isCaseOpen(state: CaseState): boolean {
  if (state.status === 'opened') return true;
  return state.referrals.some((r) => !TERMINAL.includes(r.status) && r.status !== 'declined');
}
