import { beijingMinute } from '@platform/contracts';
import { maskIdNumber, maskName, maskPhone } from '@platform/auth';
import type {
  CaseState,
  ReferralTrackedStatus,
  ReportSource,
  TrackedReferral,
} from '../domain/case.decider.js';
import { formatQueryCode } from '../domain/query-code.js';
import { CATEGORY_NAMES, DEPARTMENT_NAMES } from '../domain/policy.js';

export const REFERRAL_STATUS_ZH: Record<ReferralTrackedStatus, string> = {
  issued: '已转办',
  received: '部门已接收',
  acknowledged: '部门已签收',
  accepted: '部门已受理',
  declined: '部门不予受理，待重新转办',
  completed: '已办结',
  returned: '已退回',
  revoked: '已撤回',
  rerouted: '已改派',
  transferred: '部门已移交其他部门',
  handed_over: '已转交（线下办理）',
};

function transferView(t: NonNullable<TrackedReferral['transfer']>) {
  return {
    ...t,
    fromDepartmentName: DEPARTMENT_NAMES[t.fromDepartment] ?? t.fromDepartment,
    toDepartmentName: DEPARTMENT_NAMES[t.toDepartment] ?? t.toDepartment,
  };
}

function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at > 0 ? `${email[0]}***${email.slice(at)}` : '***';
}

/** 办理结果通知 as the window reads it: 短信、邮件 wang@example.com. */
function resultNoticeText(state: CaseState, full: boolean): string {
  const phone = state.household.find((m) => m.relationship === 'applicant')?.phone;
  const email = state.notify?.email;
  return [...(phone ? ['短信'] : []), ...(email ? [`邮件 ${full ? email : maskEmail(email)}`] : [])].join(
    '、',
  );
}

export const CASE_STATUS_ZH = { none: '不存在', opened: '已登记，待受理', accepted: '已受理' } as const;

/** The window officer's view of a case: every need with its referral's state, folded from events. */
export function caseView(state: CaseState, full: boolean) {
  return {
    caseId: state.caseId,
    caseNumber: state.caseNumber,
    status: state.status,
    statusName: CASE_STATUS_ZH[state.status],
    channel: state.channel,
    urgency: state.urgency,
    villageCode: state.villageCode,
    townshipCode: state.townshipCode,
    countyCode: state.countyCode,
    consentToShare: state.consentToShare,
    // Where the applicant agreed to be told of results (the email is personal data: full views only).
    resultNotice: state.notify
      ? {
          sms: Boolean(state.household.find((m) => m.relationship === 'applicant')?.phone),
          email: state.notify.email ? (full ? state.notify.email : maskEmail(state.notify.email)) : null,
          text: resultNoticeText(state, full),
        }
      : null,
    // How it came to light; the caller's name and number are personal data, shown in full only to full views.
    report: state.report
      ? {
          source: state.report.source,
          sourceName: REPORT_SOURCE_ZH[state.report.source],
          organisation: state.report.organisation,
          call: state.report.call
            ? full
              ? state.report.call
              : {
                  ...state.report.call,
                  callerName: maskName(state.report.call.callerName),
                  callbackNumber: maskPhone(state.report.call.callbackNumber),
                }
            : null,
        }
      : null,
    riskOfExtremeBehaviour: state.risk !== null,
    riskNote: full ? (state.risk?.note ?? null) : null,
    household: state.household.map((m) =>
      full
        ? m
        : {
            ...m,
            name: maskName(m.name),
            idNumber: maskIdNumber(m.idNumber),
            phone: m.phone ? maskPhone(m.phone) : null,
          },
    ),
    needs: state.needs.map((n) => {
      const referral = [...state.referrals].reverse().find((r) => r.needId === n.needId) ?? null;
      return {
        ...n,
        categoryName: CATEGORY_NAMES[n.category] ?? n.category,
        referral: referral && {
          ...referral,
          departmentName: DEPARTMENT_NAMES[referral.department] ?? referral.department,
          statusName: REFERRAL_STATUS_ZH[referral.status],
        },
        reportedToGovernment: state.reportedToGovernment.find((g) => g.needId === n.needId) ?? null,
      };
    }),
    // The referral history: each transfer shows from whom to whom, why and when, on both referrals.
    referrals: state.referrals.map((r) => {
      const from = state.referrals.find((x) => x.transfer?.newReferralId === r.referralId);
      return {
        ...r,
        departmentName: DEPARTMENT_NAMES[r.department] ?? r.department,
        statusName: REFERRAL_STATUS_ZH[r.status],
        transfer: r.transfer ? transferView(r.transfer) : null,
        transferredFrom: from?.transfer
          ? { referralId: from.referralId, ...transferView(from.transfer) }
          : null,
      };
    }),
    notices: state.notices.map(({ kind, documentNumber, at }) => ({ kind, documentNumber, at })),
    // As printed on the acceptance notice, `ABCDE-FGHJK`.
    queryCode: full && state.queryCode ? formatQueryCode(state.queryCode) : null,
    openedAt: state.openedAt,
    acceptedAt: state.acceptedAt,
  };
}

/** What the public sees with case number + query code: departments, states and dates; no personal data. */
/** What became of a finished referral, in plain Chinese for the applicant. */
function outcomeText(r: TrackedReferral): string | null {
  if (r.status !== 'completed') return null;
  if (r.outcome === 'granted') {
    return r.amount !== null ? `给予救助 ${r.amount} 元` : '给予救助';
  }
  if (r.outcome === 'not_eligible') return `经审核不符合条件${r.reason ? `：${r.reason}` : ''}`;
  if (r.outcome === 'suspended') return '已停止保障';
  return null;
}

/**
 * The public progress page (case number + query code): each need's department and where it stands, in
 * plain Chinese, no personal data. A need sent on to the government says so, not the department it left;
 * a finished need says what it came to.
 */
export function progressView(state: CaseState) {
  return {
    caseNumber: state.caseNumber,
    statusName: CASE_STATUS_ZH[state.status],
    acceptedAt: state.acceptedAt,
    needs: state.needs.map((n) => {
      const referral = [...state.referrals].reverse().find((r) => r.needId === n.needId);
      const report = state.reportedToGovernment.filter((g) => g.needId === n.needId).at(-1);
      // Rerouted to the government (the reroute and the report share their moment), or never referred.
      const withGovernment =
        report !== undefined &&
        (referral === undefined || (referral.status === 'rerouted' && report.at >= referral.updatedAt));
      if (withGovernment) {
        return {
          categoryName: CATEGORY_NAMES[n.category] ?? n.category,
          departmentName: '同级人民政府',
          status: report.response ? 'government_responded' : 'reported_to_government',
          statusName: report.response ? '同级人民政府已研究处理' : '已上报同级人民政府研究解决',
          outcome: report.response?.decision ?? null,
          issuedAt: report.at,
          updatedAt: report.response?.at ?? report.at,
        };
      }
      return {
        categoryName: CATEGORY_NAMES[n.category] ?? n.category,
        departmentName: referral ? (DEPARTMENT_NAMES[referral.department] ?? referral.department) : null,
        status: referral?.status ?? 'pending',
        statusName: referral ? REFERRAL_STATUS_ZH[referral.status] : '待转办',
        outcome: referral ? outcomeText(referral) : null,
        issuedAt: referral?.issuedAt ?? null,
        updatedAt: referral?.updatedAt ?? null,
      };
    }),
  };
}

export const REPORT_SOURCE_ZH: Record<ReportSource, string> = {
  applicant: '申请人本人',
  hotline_caller: '热线来电',
  village_committee: '村民委员会',
  residents_committee: '居民委员会',
  social_worker: '社会工作者',
  volunteer: '志愿者',
  rescue_station: '救助管理站',
  minors_protection_centre: '未成年人救助保护机构',
  hospital: '医疗机构',
  other: '其他',
};

/**
 * What the person who reported a hardship sees of it afterwards: where it stands and who is handling each
 * need — no one's personal data, not even what they gave (the case may have been corrected since).
 */
export function reporterView(state: CaseState, villageName: string) {
  return {
    caseId: state.caseId,
    ...progressView(state),
    villageName,
    urgency: state.urgency,
    urgencyName: state.urgency === 'urgent' ? '紧急' : '一般',
    source: state.report?.source ?? null,
    sourceName: state.report ? REPORT_SOURCE_ZH[state.report.source] : null,
    organisation: state.report?.organisation ?? null,
    openedAt: state.openedAt,
    openedAtBeijing: state.openedAt ? beijingMinute(state.openedAt) : null,
  };
}
