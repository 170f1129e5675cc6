import { beijingMinute, REFERRAL_DEPARTMENT_NAMES } from '@platform/contracts';
import type { ReferralEventName } from './referral.decider.js';

/**
 * A referral's history as the officer handling it reads it: each step in Chinese, who took it, and the
 * note or reason given. Pure: the events come from the referral's stream, names from the caller.
 */
export interface HistoryEntry {
  /** Beijing time, `2026-11-27 10:00`. */
  at: string;
  step: string;
  /** The officer who took the step; null for what the platform did (receipt, deadlines). */
  officer: string | null;
  /** The note, the reason, or what was granted. */
  detail: string | null;
}

const STEP_ZH: Record<ReferralEventName, string> = {
  ReferralReceived: '收到转办',
  ReferralDeadlinesRecomputed: '重新计算办理时限',
  ReferralAcknowledged: '签收',
  ReferralAccepted: '受理',
  ReferralDeclined: '不予受理',
  ReferralProgressNoted: '办理进度',
  ReferralCompleted: '办结',
  ReferralReopened: '重新办理',
  ReferralTransferred: '移交其他部门',
  ReferralRevoked: '窗口撤回',
  ReferralOverdue: '逾期',
};

const OUTCOME_ZH: Record<string, string> = {
  granted: '给予救助',
  not_eligible: '不符合条件',
  returned: '退回',
};

function detailOf(name: ReferralEventName, d: Record<string, unknown>): string | null {
  switch (name) {
    case 'ReferralDeclined':
    case 'ReferralRevoked':
    case 'ReferralDeadlinesRecomputed':
      return (d.reason as string) ?? null;
    case 'ReferralProgressNoted':
    case 'ReferralReopened':
      return (d.note as string) ?? null;
    case 'ReferralTransferred': {
      const to = d.toDepartment as string;
      const name = REFERRAL_DEPARTMENT_NAMES[to as keyof typeof REFERRAL_DEPARTMENT_NAMES] ?? to;
      return `移交${name}：${d.reason as string}`;
    }
    case 'ReferralCompleted': {
      const parts = [OUTCOME_ZH[d.outcome as string] ?? (d.outcome as string)];
      if (d.amount != null) parts.push(`${String(d.amount)}元`);
      if (d.service) parts.push(d.service as string);
      if (d.reason) parts.push(d.reason as string);
      return parts.join('，');
    }
    case 'ReferralOverdue':
      return d.deadline === 'acknowledge' ? '超过签收时限' : '超过办理时限';
    default:
      return null;
  }
}

export function referralHistory(
  events: ReadonlyArray<{ name: ReferralEventName; data: Record<string, unknown> }>,
  officerName: (id: string) => string,
): HistoryEntry[] {
  return events.map(({ name, data }) => ({
    at: beijingMinute(data.at as string),
    step: STEP_ZH[name] ?? name,
    officer: typeof data.officerId === 'string' ? officerName(data.officerId) : null,
    detail: detailOf(name, data),
  }));
}
