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
