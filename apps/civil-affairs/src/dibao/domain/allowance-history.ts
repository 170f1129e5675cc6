import type { DibaoEvent } from './dibao-application.decider.js';

/**
 * The allowance history of one application: which monthly amount stood when, and which month's payment
 * roster (发放花名册) pays it. Pure: folded from the application's own events.
 *
 * The events carry no separate effective date: a decision (批准), a change (变更) or a stop (停保) takes
 * effect when it is made, its `at`. Months are calendar months in Beijing (UTC+8, no daylight saving),
 * written YYYY-MM.
 *
 * The rule of the roster of month M:
 * - who: the households whose assistance stands at the end of M — granted before M ends, not stopped
 *   before it ends. A household granted during M is paid for M (assistance starts in the month it is
 *   granted; its first payment does not wait a month); a household stopped during M is not (the county
 *   has found that it no longer qualifies, and paying M would be an overpayment to recover).
 * - how much: the amount in force on M's first day (Beijing), or, for a household granted during M, the
 *   granted amount. A change decided during M is paid from M+1, one decided on the 1st from M itself.
 *   A finance office pays each month whole, at one amount — there is no proration by days — and carries
 *   out a 变更 from the next month's payment (次月起按变更后的金额发放), as county rules commonly word it;
 *   so the roster of a past month shows what that month was paid, not what was decided later in it.
 */

export interface AllowancePeriod {
  /** When the amount took effect: the decision's or the change's `at` (ISO). */
  from: string;
  /** When it stopped: the next change's or the stop's `at`; null while it stands. */
  to: string | null;
  monthlyAmount: number;
  /** The decision (保障决定书) or change decision (变更决定书) that set the amount. */
  documentNumber: string;
  /** The first month (YYYY-MM) whose roster pays this amount; null when no roster does (superseded or stopped first). */
  firstMonth: string | null;
  /** The last month whose roster pays it; null while open-ended (and when `firstMonth` is null). */
  lastMonth: string | null;
}

const CST_OFFSET_MS = 8 * 3600_000;

/** The Beijing calendar month of an instant: 2026-12-31T16:30Z is 00:30 on 1 January 2027 in Beijing. */
export function beijingMonth(iso: string): string {
  return new Date(Date.parse(iso) + CST_OFFSET_MS).toISOString().slice(0, 7);
}

/** The month after a YYYY-MM month. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The month before a YYYY-MM month. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The first month a change pays: its own month when made on the 1st (Beijing), else the next. */
function changePaidFrom(iso: string): string {
  const day = new Date(Date.parse(iso) + CST_OFFSET_MS).getUTCDate();
  return day === 1 ? beijingMonth(iso) : nextMonth(beijingMonth(iso));
}

/**
 * Folds an application's events into its allowance periods, oldest first: one from the grant, one
 * from each change, the last closed by a stop. A refusal, a withdrawal or an application still in
 * procedure has none. Other events are ignored, so the whole stream can be passed.
 */
export function allowancePeriods(events: readonly DibaoEvent[]): AllowancePeriod[] {
  // Exact periods first, with the first month each would be paid from.
  const periods: Array<Omit<AllowancePeriod, 'firstMonth' | 'lastMonth'> & { paidFrom: string }> = [];
  let stoppedIn: string | null = null;
  const close = (at: string) => {
    const open = periods.at(-1);
    if (open && open.to === null) open.to = at;
  };
  for (const event of events) {
    switch (event.type) {
      case 'civil-affairs.DibaoDecisionMade': {
        const d = event.data;
        if (d.outcome !== 'granted' || d.monthlyAmount === null) break;
        close(d.at);
        periods.push({
          from: d.at,
          to: null,
          monthlyAmount: d.monthlyAmount,
          documentNumber: d.documentNumber,
          paidFrom: beijingMonth(d.at),
        });
        break;
      }
      case 'civil-affairs.DibaoAllowanceChanged': {
        const d = event.data;
        close(d.at);
        periods.push({
          from: d.at,
          to: null,
          monthlyAmount: d.monthlyAmount,
          documentNumber: d.documentNumber,
          paidFrom: changePaidFrom(d.at),
        });
        break;
      }
      case 'civil-affairs.DibaoAssistanceSuspended':
        close(event.data.at);
        stoppedIn = beijingMonth(event.data.at);
        break;
      default:
        break;
    }
  }
  // Each period is paid until the month before the next one's first month, and never in or after the
  // month of a stop. Text comparison orders YYYY-MM months.
  return periods.map(({ paidFrom, ...period }, i) => {
    const bounds = [periods[i + 1]?.paidFrom, stoppedIn ?? undefined].filter((m): m is string => !!m);
    const until = bounds.sort()[0]; // exclusive
    const paid = until === undefined || paidFrom < until;
    return {
      ...period,
      firstMonth: paid ? paidFrom : null,
      lastMonth: paid && until !== undefined ? previousMonth(until) : null,
    };
  });
}

/** The amount the roster of `month` (YYYY-MM) pays, or null when the household is not on it. */
export function amountForMonth(periods: readonly AllowancePeriod[], month: string): number | null {
  const paying = periods.find(
    (p) => p.firstMonth !== null && p.firstMonth <= month && (p.lastMonth === null || month <= p.lastMonth),
  );
  return paying?.monthlyAmount ?? null;
}
