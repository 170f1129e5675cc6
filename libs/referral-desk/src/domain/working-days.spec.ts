import { CALENDAR_2026, isWorkingDay, workingDaysDeadline } from './working-days.js';

const cst = (iso: string) => new Date(`${iso}+08:00`);

describe('workingDaysDeadline', () => {
  it('counts a Friday referral with one working day to the end of Monday (China Standard Time)', () => {
    expect(workingDaysDeadline(cst('2026-11-27T10:00:00'), 1, CALENDAR_2026).toISOString()).toBe(
      '2026-11-30T15:59:59.999Z',
    );
  });

  it('skips the National Day holiday and counts the make-up Saturday as a working day', () => {
    // Wednesday 30 September; 1–7 October are off; Saturday 10 October is a working day.
    expect(workingDaysDeadline(cst('2026-09-30T09:00:00'), 1, CALENDAR_2026)).toEqual(
      cst('2026-10-08T23:59:59.999'),
    );
    expect(workingDaysDeadline(cst('2026-09-30T09:00:00'), 3, CALENDAR_2026)).toEqual(
      cst('2026-10-10T23:59:59.999'),
    );
  });

  it('uses the calendar day in UTC+8, not in UTC', () => {
    // 23:30 on Thursday in Beijing is still Thursday there although it is Thursday 15:30 UTC.
    expect(workingDaysDeadline(cst('2026-11-26T23:30:00'), 1, CALENDAR_2026)).toEqual(
      cst('2026-11-27T23:59:59.999'),
    );
  });

  it('knows weekends, holidays and make-up days', () => {
    expect(isWorkingDay('2026-10-01', CALENDAR_2026)).toBe(false);
    expect(isWorkingDay('2026-10-10', CALENDAR_2026)).toBe(true);
    expect(isWorkingDay('2026-11-28', CALENDAR_2026)).toBe(false);
    expect(isWorkingDay('2026-11-30', CALENDAR_2026)).toBe(true);
  });
});
