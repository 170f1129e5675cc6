/**
 * Notifications as data: what to tell whom, over which channel. Pure: no I/O, time passed in.
 *
 * Four things notify (docs/notifications.md): an applicant's need decided (to the applicant, with
 * consent), a referral overdue (also to its officers by email), a need reported to the same-level
 * government, and an objection filed.
 * Each goes to the subscribed webhook (the departments' and the government's own systems) without
 * personal data; a decided need also goes to the applicant by SMS and email, in plain Chinese.
 */

export const NOTIFICATION_KINDS = [
  'need_decided',
  'referral_overdue',
  'reported_to_government',
  'objection_filed',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export const NOTIFICATION_KIND_NAMES: Record<NotificationKind, string> = {
  need_decided: '救助事项办结',
  referral_overdue: '转办事项逾期',
  reported_to_government: '报告同级政府',
  objection_filed: '公示异议',
};

export const CHANNELS = ['webhook', 'sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_NAMES: Record<Channel, string> = {
  webhook: '业务系统推送',
  sms: '短信',
  email: '电子邮件',
};

export const NOTIFICATION_STATUSES = ['pending', 'sent', 'dead'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];
export const NOTIFICATION_STATUS_NAMES: Record<NotificationStatus, string> = {
  pending: '待发送',
  sent: '已发送',
  dead: '发送失败（已停止重试）',
};

/** One message to one recipient over one channel; `sourceEventId` makes it once per event. */
export interface OutgoingNotification {
  kind: NotificationKind;
  channel: Channel;
  /** A phone number, an email address, or the webhook's URL. */
  recipient: string;
  subject: string;
  text: string;
  /** What the webhook receives (no names, ID numbers or phones); also kept for the other channels. */
  payload: Record<string, unknown>;
  sourceEventId: string;
  caseId: string | null;
}

/** What a referral's outcome means to the applicant. */
const OUTCOME_TEXT: Record<
  string,
  (amount: number | null, service: string | null, reason: string | null) => string
> = {
  granted: (amount, service) =>
    `给予救助${amount !== null ? `，金额 ${formatYuan(amount)} 元` : ''}${service ? `（${service}）` : ''}`,
  not_eligible: (_a, _s, reason) => `经审核不符合救助条件${reason ? `（${reason}）` : ''}`,
  returned: (_a, _s, reason) => `申请已退回${reason ? `（${reason}）` : ''}，请按要求补充后再次申请`,
};

function formatYuan(amount: number): string {
  return Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
}

export interface NeedDecidedFacts {
  sourceEventId: string;
  caseId: string;
  caseNumber: string;
  /** The applicant's name as given at the window: the message is to them. */
  applicantName: string;
  categoryName: string;
  departmentName: string;
  outcome: string;
  amount: number | null;
  service: string | null;
  reason: string | null;
  /** Beijing time of the decision, e.g. `2026-11-28 10:15`. */
  decidedAt: string;
  /** Where the applicant agreed to be told; null/empty when they did not consent. */
  phone: string | null;
  email: string | null;
  webhook: string | null;
  /** The payload's plain facts: department code, category code, county. */
  department: string;
  category: string;
  countyCode: string | null;
}

/** The applicant's SMS and email, and the webhook's event, for one decided need. */
export function needDecided(f: NeedDecidedFacts): OutgoingNotification[] {
  const outcome = (OUTCOME_TEXT[f.outcome] ?? ((_a, _s, r) => `已办结${r ? `（${r}）` : ''}`))(
    f.amount,
    f.service,
    f.reason,
  );
  const text =
    `【社会救助】${f.applicantName}您好：您的救助申请（案件编号 ${f.caseNumber}）中的“${f.categoryName}”事项，` +
    `${f.departmentName}已于 ${f.decidedAt} 办结：${outcome}。` +
    `可凭案件编号和受理回执上的查询码在“办理进度查询”页面查看；如有疑问请联系受理窗口。`;
  const subject = `救助申请办理结果通知（案件编号 ${f.caseNumber}）`;
  const payload = {
    kind: 'need_decided',
    caseId: f.caseId,
    caseNumber: f.caseNumber,
    category: f.category,
    department: f.department,
    outcome: f.outcome,
    amount: f.amount,
    countyCode: f.countyCode,
    decidedAt: f.decidedAt,
  };
  const base = {
    kind: 'need_decided' as const,
    subject,
    text,
    payload,
    sourceEventId: f.sourceEventId,
    caseId: f.caseId,
  };
  return [
    ...(f.phone ? [{ ...base, channel: 'sms' as const, recipient: f.phone }] : []),
    ...(f.email ? [{ ...base, channel: 'email' as const, recipient: f.email }] : []),
    ...(f.webhook ? [{ ...base, channel: 'webhook' as const, recipient: f.webhook }] : []),
  ];
}

/** A webhook event for officers' and governments' own systems: what happened, to which case, no personal data. */
export function systemEvent(
  kind: Exclude<NotificationKind, 'need_decided'>,
  f: {
    sourceEventId: string;
    caseId: string | null;
    caseNumber: string | null;
    webhook: string | null;
    summary: string;
    facts: Record<string, unknown>;
  },
): OutgoingNotification[] {
  if (!f.webhook) return [];
  return [
    {
      kind,
      channel: 'webhook',
      recipient: f.webhook,
      subject: `${NOTIFICATION_KIND_NAMES[kind]}${f.caseNumber ? `（案件编号 ${f.caseNumber}）` : ''}`,
      text: f.summary,
      payload: { kind, caseId: f.caseId, caseNumber: f.caseNumber, ...f.facts },
      sourceEventId: f.sourceEventId,
      caseId: f.caseId,
    },
  ];
}

/**
 * A referral past its deadline, by email to the department's officers who hold it — those of the case's
 * county, and the department's city-level officers above them. No applicant's data: the officer looks
 * the case up in the platform.
 */
export function overdueReminders(f: {
  sourceEventId: string;
  caseId: string;
  caseNumber: string;
  departmentName: string;
  categoryName: string;
  deadline: 'acknowledge' | 'decide';
  /** The case's county, named. */
  countyName: string;
  officers: ReadonlyArray<{ name: string; email: string }>;
}): OutgoingNotification[] {
  const deadlineName = f.deadline === 'acknowledge' ? '签收' : '办结';
  const seen = new Set<string>();
  return f.officers
    .filter((o) => !seen.has(o.email) && (seen.add(o.email), true))
    .map((o) => ({
      kind: 'referral_overdue' as const,
      channel: 'email' as const,
      recipient: o.email,
      subject: `【逾期提醒】案件 ${f.caseNumber} 的“${f.categoryName}”事项已超过${deadlineName}时限`,
      text:
        `${o.name}：您好。\n\n` +
        `${f.countyName}案件 ${f.caseNumber} 转${f.departmentName}的“${f.categoryName}”事项已超过${deadlineName}时限。` +
        `请登录社会救助协同平台，在“转办事项”中查看并尽快${f.deadline === 'acknowledge' ? '签收' : '办理'}。\n\n` +
        '本邮件由系统自动发送，请勿回复。',
      payload: {
        kind: 'referral_overdue',
        caseId: f.caseId,
        caseNumber: f.caseNumber,
        deadline: f.deadline,
      },
      sourceEventId: f.sourceEventId,
      caseId: f.caseId,
    }));
}

/**
 * When attempt `attempts` (1 = the first) failed, how long to wait before the next: doubling from
 * `baseMs`, capped, with up to 20 % jitter (`random` in [0, 1)) so a receiver back from an outage is not
 * hit by every retry at once. `null`: give up (the notification goes to the dead-letter list).
 */
export function nextAttemptDelay(
  attempts: number,
  o: { baseMs: number; maxMs: number; maxAttempts: number; random: number },
): number | null {
  if (attempts >= o.maxAttempts) return null;
  const plain = Math.min(o.maxMs, o.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(plain * (1 + 0.2 * o.random));
}

/** A recipient as an administrator's list shows it: enough to recognise, not to copy. */
export function maskRecipient(channel: Channel, recipient: string): string {
  if (channel === 'sms')
    return recipient.length >= 7 ? `${recipient.slice(0, 3)}****${recipient.slice(-4)}` : '****';
  if (channel === 'email') {
    const at = recipient.indexOf('@');
    return at > 0 ? `${recipient[0]}***${recipient.slice(at)}` : '***';
  }
  try {
    const u = new URL(recipient);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return recipient;
  }
}
