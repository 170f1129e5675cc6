import { SHIPPED_CALENDAR, type CalendarTable } from '@platform/policy';
import { recountInYear, workingDaysFrom } from './deadlines.js';

/** 2026 as shipped, 2027 not yet published. */
const without2027: CalendarTable = SHIPPED_CALENDAR;
/** A 2027 calendar for the tests (not the State Council's): 元旦 on a Friday, 春节 with a make-up Saturday. */
const with2027: CalendarTable = {
  years: {
    ...SHIPPED_CALENDAR.years,
    '2027': {
      holidays: {
        '2027-01-01': '元旦',
        '2027-02-08': '春节',
        '2027-02-09': '春节',
        '2027-02-10': '春节',
        '2027-02-11': '春节',
        '2027-02-12': '春节',
      },
      workingWeekends: { '2027-02-06': '春节', '2027-02-20': '春节' },
    },
  },
};

describe('a deadline counted into a year without a calendar, counted again when it loads', () => {
  it('lands where a count under the full calendar lands, for every length across the holidays', () => {
    for (const from of ['2026-12-01T02:00:00Z', '2026-12-24T02:00:00Z', '2026-12-31T15:30:00Z']) {
      for (let n = 1; n <= 60; n++) {
        const provisional = workingDaysFrom(from, n, without2027);
        const truth = workingDaysFrom(from, n, with2027).dueAt;
        if (!provisional.provisionalYears.includes('2027')) {
          expect(truth).toBe(provisional.dueAt);
          continue;
        }
        expect({ from, n, due: recountInYear(provisional.dueAt, '2027', with2027) }).toEqual({
          from,
          n,
          due: truth,
        });
      }
    }
  });

  it('moves 10 working days from Thursday 24 December past 元旦: Thursday 7 → Friday 8 January', () => {
    const provisional = workingDaysFrom('2026-12-24T02:00:00Z', 10, without2027);
    expect(provisional).toEqual({ dueAt: '2027-01-07T15:59:59.999Z', provisionalYears: ['2027'] });
    expect(recountInYear(provisional.dueAt, '2027', with2027)).toBe('2027-01-08T15:59:59.999Z');
  });

  it('keeps an offset of hours from the end of the day (a pause moved it)', () => {
    const provisional = workingDaysFrom('2026-12-24T02:00:00Z', 10, without2027).dueAt;
    const paused = new Date(Date.parse(provisional) - 5 * 3600_000).toISOString();
    expect(recountInYear(paused, '2027', with2027)).toBe('2027-01-08T10:59:59.999Z');
  });

  it('counts a make-up Saturday as a working day: earlier than the weekend-only count', () => {
    const from = '2026-12-31T02:00:00Z';
    // 1 Jan off; 4 Jan … 5 Feb are 25 working days; Saturday 6 February is the 26th.
    expect(workingDaysFrom(from, 26, without2027).dueAt).toBe('2027-02-05T15:59:59.999Z');
    const provisional = workingDaysFrom(from, 26, without2027).dueAt;
    expect(recountInYear(provisional, '2027', with2027)).toBe('2027-02-06T15:59:59.999Z');
  });

  it('leaves what it cannot recount: another year, or a year still without a calendar', () => {
    expect(recountInYear('2026-12-31T15:59:59.999Z', '2027', with2027)).toBeNull();
    expect(recountInYear('2027-01-07T15:59:59.999Z', '2027', without2027)).toBeNull();
  });
});
