/**
 * Deadlines in working days (工作日): weekends and listed public holidays are not working days,
 * except listed make-up working days (调休上班). Dates are calendar days in China Standard Time (UTC+8).
 */
export interface HolidayCalendar {
  /** 'YYYY-MM-DD' days off that would otherwise be working days. */
  holidays: string[];
  /** 'YYYY-MM-DD' weekend days that are working days. */
  workingWeekends: string[];
}

const CST_OFFSET_MS = 8 * 3600 * 1000;

function cstDay(instant: Date): string {
  return new Date(instant.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(day: string, calendar: HolidayCalendar): boolean {
  if (calendar.workingWeekends.includes(day)) return true;
  if (calendar.holidays.includes(day)) return false;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * The end (23:59:59.999 CST) of the n-th working day after the day of `from`.
 * A referral received on Friday with 1 working day is due at the end of Monday.
 */
export function workingDaysDeadline(from: Date, n: number, calendar: HolidayCalendar): Date {
  let day = cstDay(from);
  let remaining = n;
  while (remaining > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day, calendar)) remaining--;
  }
  return new Date(new Date(`${day}T23:59:59.999Z`).getTime() - CST_OFFSET_MS);
}

/** 2026 national holidays and make-up working days (State Council notice), as the default calendar. */
export const CALENDAR_2026: HolidayCalendar = {
  holidays: [
    '2026-01-01',
    '2026-01-02',
    '2026-01-03',
    '2026-02-15',
    '2026-02-16',
    '2026-02-17',
    '2026-02-18',
    '2026-02-19',
    '2026-02-20',
    '2026-02-21',
    '2026-02-22',
    '2026-02-23',
    '2026-04-04',
    '2026-04-05',
    '2026-04-06',
    '2026-05-01',
    '2026-05-02',
    '2026-05-03',
    '2026-05-04',
    '2026-05-05',
    '2026-06-19',
    '2026-06-20',
    '2026-06-21',
    '2026-09-25',
    '2026-09-26',
    '2026-09-27',
    '2026-10-01',
    '2026-10-02',
    '2026-10-03',
    '2026-10-04',
    '2026-10-05',
    '2026-10-06',
    '2026-10-07',
  ],
  workingWeekends: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};
