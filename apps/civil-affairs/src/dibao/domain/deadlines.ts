import { beijingDay, workingDaysDeadline, type CalendarTable } from '@platform/policy';

/**
 * Step deadlines of the procedure. Working days come from the `calendar` policy table; calendar days
 * (public notices) are plain days in China Standard Time. Pure.
 */

const DAY_MS = 86_400_000;
const CST_OFFSET_MS = 8 * 3600_000;

export interface Deadline {
  /** End (23:59:59.999 CST) of the last day. */
  dueAt: string;
  /** Years counted without a calendar (weekends only). */
  provisionalYears: string[];
}

/** The end of the n-th working day after the day of `from`. */
export function workingDaysFrom(from: Date | string, days: number, calendar: CalendarTable): Deadline {
  const d = workingDaysDeadline(new Date(from), days, calendar);
  return { dueAt: d.due.toISOString(), provisionalYears: d.provisionalYears };
}

/** The end (23:59:59.999 CST) of the n-th calendar day after the day of `from`: a notice posted on
 * Monday for 7 days runs to the end of the following Monday. */
export function calendarDaysFrom(from: Date | string, days: number): string {
  const day = beijingDay(new Date(from));
  const end = new Date(`${day}T23:59:59.999Z`).getTime() - CST_OFFSET_MS + days * DAY_MS;
  return new Date(end).toISOString();
}

/** A deadline moved later by whole calendar days (notice days are not counted in a step's time). */
export function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * DAY_MS).toISOString();
}

/** A deadline moved later by a span of time (the step was paused while an objection was handled). */
export function plusMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + Math.max(0, ms)).toISOString();
}

export { beijingDay };

/**
 * A deadline counted while `year` had no calendar (weekends only), counted again now that it has one:
 * the same number of working days into that year, under its real holidays and make-up working days.
 * The part of the deadline before the year was counted under a known calendar and stays as it was. Calendar
 * days added on top (a notice that ran, a pause) are kept: a due day on a weekend stays that many days after
 * the last weekday before it, and an offset of hours from the end of the day is kept. Null when the due day
 * is not in `year`, or the year still has no calendar.
 */
export function recountInYear(dueAt: string, year: string, calendar: CalendarTable): string | null {
  if (!calendar.years[year]) return null;
  const dueDay = beijingDay(new Date(dueAt));
  if (dueDay.slice(0, 4) !== year) return null;
  const offsetMs = Date.parse(`${dueDay}T23:59:59.999Z`) - CST_OFFSET_MS - Date.parse(dueAt);
  const weekday = (t: number) => ![0, 6].includes(new Date(t).getUTCDay());
  let last = Date.parse(`${dueDay}T00:00:00Z`);
  let extraDays = 0;
  while (!weekday(last)) {
    last -= DAY_MS;
    extraDays++;
  }
  let count = 0;
  for (let t = Date.parse(`${year}-01-01T00:00:00Z`); t <= last; t += DAY_MS) if (weekday(t)) count++;
  if (count === 0) return null;
  // The count-th working day of the year: counted from the last day of the year before.
  const recounted = workingDaysFrom(`${Number(year) - 1}-12-31T12:00:00+08:00`, count, calendar).dueAt;
  return new Date(Date.parse(recounted) + extraDays * DAY_MS - offsetMs).toISOString();
}
