import { SHIPPED_CALENDAR } from '../data/calendar.data.js';
import type { CalendarTable } from './policy-tables.js';
import { isWorkingDay, workingDaysDeadline } from './working-days.js';

const cst = (iso: string) => new Date(`${iso}+08:00`);
const due = (from: string, n: number, calendar: CalendarTable = SHIPPED_CALENDAR) =>
  workingDaysDeadline(cst(from), n, calendar);

describe('workingDaysDeadline', () => {
  it('counts a Friday referral with one working day to the end of Monday (China Standard Time)', () => {
    expect(due('2026-11-27T10:00:00', 1)).toEqual({
      due: new Date('2026-11-30T15:59:59.999Z'),
      provisionalYears: [],
    });
  });

  it('skips the National Day holiday and counts the make-up Saturday as a working day', () => {
    // Wednesday 30 September; 1–7 October are off; Saturday 10 October is a working day.
    expect(due('2026-09-30T09:00:00', 1).due).toEqual(cst('2026-10-08T23:59:59.999'));
    expect(due('2026-09-30T09:00:00', 3).due).toEqual(cst('2026-10-10T23:59:59.999'));
  });

  it('uses the calendar day in UTC+8, not in UTC', () => {
    // 23:30 on Thursday in Beijing is still Thursday there although it is Thursday 15:30 UTC.
    expect(due('2026-11-26T23:30:00', 1).due).toEqual(cst('2026-11-27T23:59:59.999'));
  });

  it('knows weekends, holidays and make-up days of the shipped years', () => {
    expect(isWorkingDay('2026-10-01', SHIPPED_CALENDAR)).toBe(false);
    expect(isWorkingDay('2026-10-10', SHIPPED_CALENDAR)).toBe(true);
    expect(isWorkingDay('2026-11-28', SHIPPED_CALENDAR)).toBe(false);
    expect(isWorkingDay('2026-11-30', SHIPPED_CALENDAR)).toBe(true);
    // 2025: Spring Festival 28 Jan – 4 Feb, make-up Sunday 26 January.
    expect(isWorkingDay('2025-01-29', SHIPPED_CALENDAR)).toBe(false);
    expect(isWorkingDay('2025-01-26', SHIPPED_CALENDAR)).toBe(true);
  });

  it('across the end of a year with no calendar: weekends only, and says which year it could not check', () => {
    // Wednesday 30 December 2026, 2 working days: Thursday 31 December, then 1 January 2027 — a Friday
    // that counts as a working day only because 2027 is not loaded.
    const provisional = due('2026-12-30T10:00:00', 2);
    expect(provisional).toEqual({ due: cst('2027-01-01T23:59:59.999'), provisionalYears: ['2027'] });
    // Once the State Council's 2027 schedule is loaded, New Year's Day is off.
    const with2027: CalendarTable = {
      years: {
        ...SHIPPED_CALENDAR.years,
        '2027': { holidays: { '2027-01-01': '元旦' }, workingWeekends: {} },
      },
    };
    expect(due('2026-12-30T10:00:00', 2, with2027)).toEqual({
      due: cst('2027-01-04T23:59:59.999'),
      provisionalYears: [],
    });
  });

  it('a deadline that stays inside loaded years is never provisional', () => {
    expect(due('2026-12-28T10:00:00', 3).provisionalYears).toEqual([]);
  });
});
