import type { CalendarTable } from './policy-tables.js';

/**
 * Deadlines in working days (工作日): weekends and listed public holidays are not working days, except
 * listed make-up working days (调休上班). Dates are calendar days in China Standard Time (UTC+8).
 * The calendar is a policy table loaded year by year: a day in a year with no calendar counts weekends
 * only, and the deadline says which years it could not check (`provisionalYears`), never silently.
 */

const CST_OFFSET_MS = 8 * 3600 * 1000;

function cstDay(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whether `day` is a working day, and whether the calendar knew its year. */
export function workingDay(day: string, calendar: CalendarTable): { working: boolean; known: boolean } {
  const year = calendar.years[day.slice(0, 4)];
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (!year) return { working: !weekend, known: false };
  if (Object.hasOwn(year.workingWeekends, day)) return { working: true, known: true };
  if (Object.hasOwn(year.holidays, day)) return { working: false, known: true };
  return { working: !weekend, known: true };
}

export function isWorkingDay(day: string, calendar: CalendarTable): boolean {
  return workingDay(day, calendar).working;
}

export interface WorkingDaysDeadline {
  /** 23:59:59.999 CST of the n-th working day after the day of `from`. */
  due: Date;
  /** Years counted without a calendar (weekends only): the deadline is provisional until they are loaded. */
  provisionalYears: string[];
}

/**
 * The end (23:59:59.999 CST) of the n-th working day after the day of `from`.
 * A referral received on Friday with 1 working day is due at the end of Monday.
 */
export function workingDaysDeadline(from: Date, n: number, calendar: CalendarTable): WorkingDaysDeadline {
  let day = cstDay(from);
  let remaining = n;
  const missing = new Set<string>();
  while (remaining > 0) {
    day = addDays(day, 1);
    const { working, known } = workingDay(day, calendar);
    if (!known) missing.add(day.slice(0, 4));
    if (working) remaining--;
  }
  return {
    due: new Date(new Date(`${day}T23:59:59.999Z`).getTime() - CST_OFFSET_MS),
    provisionalYears: [...missing].sort(),
  };
}
