import type { VerificationAnswer } from '@platform/contracts';

/**
 * Civil affairs' own answer to a household verification: the dibao, special-hardship and temporary
 * assistance each member's household received in the twelve months up to the day asked about, and the
 * category in force on that day. Pure: the rows come from the dibao and temporary-assistance read models.
 */

export type HouseholdPeriod = {
  /** A member of the household (every member it ever listed). */
  idNumber: string;
  program: 'dibao' | 'special_hardship';
  monthlyAmount: number;
  /** The months (YYYY-MM) the roster paid this amount; last null while it stands. */
  firstMonth: string;
  lastMonth: string | null;
};

/** A temporary-assistance grant (临时救助) to a household, listed under each of its members. */
export type TemporaryGrant = {
  /** A member of the household the application named. */
  idNumber: string;
  /** The amount the township or county granted, in fen. */
  grantedFen: number;
  /** The day (YYYY-MM-DD, Beijing) it was granted. */
  decidedOn: string;
};

const PROGRAMME_NAMES: Record<HouseholdPeriod['program'] | 'temporary', string> = {
  dibao: '最低生活保障',
  special_hardship: '特困人员救助供养',
  temporary: '临时救助',
};

const monthIndex = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return y * 12 + m - 1;
};

/**
 * The period is the twelve roster months up to and including the month of the day asked about, cut at
 * that day: allowance periods count by roster month, temporary grants by the day they were granted
 * (from the period's first day to the day asked about, both included). A member named by any allowance
 * period or grant is on record, even when nothing of it falls inside the period.
 */
export function answerCivilAffairs(
  periods: readonly HouseholdPeriod[],
  memberIdNumbers: readonly string[],
  asOf: string,
  grants: readonly TemporaryGrant[] = [],
): VerificationAnswer<'civil-affairs'> {
  const to = monthIndex(asOf.slice(0, 7));
  // The twelve roster months up to and including the month of the day asked about.
  const from = to - 11;
  const fromDay = `${Math.floor(from / 12)}-${String((from % 12) + 1).padStart(2, '0')}-01`;
  const period = { from: fromDay, to: asOf };
  const members = [...new Set(memberIdNumbers)].map((idNumber) => {
    const mine = periods.filter((p) => p.idNumber === idNumber);
    const myGrants = grants.filter((g) => g.idNumber === idNumber);
    if (mine.length === 0 && myGrants.length === 0) return { idNumber, onRecord: false as const };
    const totals = new Map<string, number>();
    let category: string | null = null;
    for (const p of mine) {
      const first = monthIndex(p.firstMonth);
      const last = p.lastMonth ? monthIndex(p.lastMonth) : Number.POSITIVE_INFINITY;
      const months = Math.max(0, Math.min(last, to) - Math.max(first, from) + 1);
      if (months > 0) totals.set(p.program, (totals.get(p.program) ?? 0) + months * p.monthlyAmount);
      if (first <= to && to <= last) category = p.program;
    }
    // Summed in fen, so that 0.1 + 0.2 yuan grants add up to 0.30.
    const grantedFen = myGrants
      .filter((g) => period.from <= g.decidedOn && g.decidedOn <= period.to)
      .reduce((sum, g) => sum + g.grantedFen, 0);
    if (grantedFen > 0) totals.set('temporary', grantedFen / 100);
    return {
      idNumber,
      onRecord: true as const,
      byProgramme: [...totals].map(([programme, amountYuan]) => ({
        programme: PROGRAMME_NAMES[programme as keyof typeof PROGRAMME_NAMES],
        amountYuan,
      })),
      category: category ? PROGRAMME_NAMES[category as HouseholdPeriod['program']] : null,
    };
  });
  if (members.every((m) => !m.onRecord)) {
    return {
      department: 'civil-affairs',
      result: 'nothing_on_record',
      asOf,
      period,
      statement: `经查询，${period.from} 至 ${period.to} 期间，民政部门无被核对人员享受最低生活保障、特困人员救助供养、临时救助的记录。`,
    };
  }
  return { department: 'civil-affairs', result: 'on_record', asOf, period, members };
}
