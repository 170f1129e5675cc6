import {
  allowancePeriods,
  amountForMonth,
  beijingMonth,
  nextMonth,
  previousMonth,
  type AllowancePeriod,
} from './allowance-history.js';
import type { DibaoEvent, Officer } from './dibao-application.decider.js';

const county: Officer = { id: 'u-ca-linhe', name: '刘海燕', role: 'county_civil_affairs' };
const ids = {
  caseId: '0190a4c4-0000-7000-8000-0000000000c1',
  referralId: '0190a4c4-0000-7000-8000-0000000000a1',
};
/** An instant given as Beijing wall-clock time. */
const bj = (local: string) => new Date(`${local}+08:00`).toISOString();

const granted = (
  at: string,
  monthlyAmount: number,
  documentNumber = '临河区民保决〔2026〕000001号',
): DibaoEvent => ({
  type: 'civil-affairs.DibaoDecisionMade',
  data: {
    ...ids,
    program: 'dibao',
    outcome: 'granted',
    monthlyAmount,
    documentNumber,
    documentType: 'approval',
    allowance: null,
    reasons: [],
    opinion: '同意纳入农村最低生活保障',
    by: county,
    policy: {},
    rules: 'v1',
    at,
  },
});

const refused = (at: string): DibaoEvent => ({
  type: 'civil-affairs.DibaoDecisionMade',
  data: {
    ...ids,
    program: 'dibao',
    outcome: 'not_eligible',
    monthlyAmount: null,
    documentNumber: '临河区民保不〔2026〕000001号',
    documentType: 'rejection',
    allowance: null,
    reasons: ['家庭月人均收入高于标准'],
    opinion: '不予保障',
    by: county,
    policy: {},
    rules: 'v1',
    at,
  },
});

const changed = (
  at: string,
  previousAmount: number,
  monthlyAmount: number,
  documentNumber: string,
): DibaoEvent => ({
  type: 'civil-affairs.DibaoAllowanceChanged',
  data: {
    ...ids,
    program: 'dibao',
    previousAmount,
    monthlyAmount,
    documentNumber,
    documentType: 'change',
    allowance: {} as never,
    household: [],
    incomes: [],
    area: 'rural',
    opinion: '家庭人口减少，变更月保障金',
    by: county,
    policy: {},
    rules: 'v1',
    at,
  },
});

const suspended = (at: string): DibaoEvent => ({
  type: 'civil-affairs.DibaoAssistanceSuspended',
  data: {
    ...ids,
    program: 'dibao',
    documentNumber: '临河区民停保〔2026〕000001号',
    documentType: 'suspension',
    reasons: ['家庭月人均收入已高于标准'],
    opinion: '决定停止保障',
    by: county,
    rules: 'v1',
    at,
  },
});

const recheck = (at: string): DibaoEvent => ({
  type: 'civil-affairs.DibaoRecheckRecorded',
  data: { ...ids, date: at.slice(0, 10), findings: '入户复查', conclusion: 'changed', by: county, at },
});

/** given the events, when folded, then the periods / the amount each month's roster pays. */
const given = (events: DibaoEvent[]) => {
  const periods = allowancePeriods(events);
  return {
    periods,
    rosters: (months: string[]): Record<string, number | null> =>
      Object.fromEntries(months.map((m) => [m, amountForMonth(periods, m)])),
  };
};

describe('allowance history', () => {
  it('counts months in Beijing time', () => {
    expect(beijingMonth(bj('2026-12-31T23:59:59.999'))).toBe('2026-12');
    expect(beijingMonth(bj('2027-01-01T00:00'))).toBe('2027-01');
    // Still 31 December in UTC.
    expect(beijingMonth('2026-12-31T16:30:00.000Z')).toBe('2027-01');
    expect(nextMonth('2026-12')).toBe('2027-01');
    expect(nextMonth('2027-09')).toBe('2027-10');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2027-10')).toBe('2027-09');
  });

  it('has no periods before a grant, after a refusal or for other events', () => {
    expect(given([]).periods).toEqual([]);
    expect(given([refused(bj('2026-11-20T10:00'))]).periods).toEqual([]);
    expect(given([recheck(bj('2026-11-20T10:00'))]).periods).toEqual([]);
  });

  it('pays a grant from the month it is made in, open-ended', () => {
    const h = given([granted(bj('2026-11-20T10:00'), 1400)]);
    expect(h.periods).toEqual<AllowancePeriod[]>([
      {
        from: bj('2026-11-20T10:00'),
        to: null,
        monthlyAmount: 1400,
        documentNumber: '临河区民保决〔2026〕000001号',
        firstMonth: '2026-11',
        lastMonth: null,
      },
    ]);
    expect(h.rosters(['2026-10', '2026-11', '2026-12', '2030-06'])).toEqual({
      '2026-10': null,
      '2026-11': 1400,
      '2026-12': 1400,
      '2030-06': 1400,
    });
  });

  it('pays a grant made at 23:30 on 31 December (Beijing) for December, one at 00:30 on 1 January from January', () => {
    expect(given([granted(bj('2026-12-31T23:30'), 800)]).rosters(['2026-12', '2027-01'])).toEqual({
      '2026-12': 800,
      '2027-01': 800,
    });
    // 2026-12-31T16:30Z: a UTC calendar would still say December.
    expect(given([granted(bj('2027-01-01T00:30'), 800)]).rosters(['2026-12', '2027-01'])).toEqual({
      '2026-12': null,
      '2027-01': 800,
    });
  });

  it('pays a change made during a month from the next month, the old amount until then', () => {
    const h = given([
      granted(bj('2026-11-20T10:00'), 1400),
      recheck(bj('2026-12-13T09:00')),
      changed(bj('2026-12-13T15:00'), 1400, 660, '临河区民保变〔2026〕000001号'),
    ]);
    expect(h.periods).toEqual<AllowancePeriod[]>([
      {
        from: bj('2026-11-20T10:00'),
        to: bj('2026-12-13T15:00'),
        monthlyAmount: 1400,
        documentNumber: '临河区民保决〔2026〕000001号',
        firstMonth: '2026-11',
        lastMonth: '2026-12',
      },
      {
        from: bj('2026-12-13T15:00'),
        to: null,
        monthlyAmount: 660,
        documentNumber: '临河区民保变〔2026〕000001号',
        firstMonth: '2027-01',
        lastMonth: null,
      },
    ]);
    expect(h.rosters(['2026-11', '2026-12', '2027-01'])).toEqual({
      '2026-11': 1400,
      '2026-12': 1400,
      '2027-01': 660,
    });
  });

  it('pays a change made at 23:30 on 31 December (Beijing) from January, one made on 1 January for January itself', () => {
    const late = given([
      granted(bj('2026-11-20T10:00'), 1400),
      changed(bj('2026-12-31T23:30'), 1400, 660, '临河区民保变〔2026〕000001号'),
    ]);
    expect(late.periods[1]).toMatchObject({ from: '2026-12-31T15:30:00.000Z', firstMonth: '2027-01' });
    expect(late.rosters(['2026-12', '2027-01', '2027-02'])).toEqual({
      '2026-12': 1400,
      '2027-01': 660,
      '2027-02': 660,
    });
    // 00:30 on 1 January in Beijing is 16:30 on 31 December in UTC: it is the 1st, so January pays it.
    const onTheFirst = given([
      granted(bj('2026-11-20T10:00'), 1400),
      changed(bj('2027-01-01T00:30'), 1400, 660, '临河区民保变〔2027〕000001号'),
    ]);
    expect(onTheFirst.rosters(['2026-12', '2027-01'])).toEqual({ '2026-12': 1400, '2027-01': 660 });
    // 04:00 on 2 January in Beijing is still 1 January in UTC: not the 1st, so February.
    const onTheSecond = given([
      granted(bj('2026-11-20T10:00'), 1400),
      changed(bj('2027-01-02T04:00'), 1400, 660, '临河区民保变〔2027〕000001号'),
    ]);
    expect(onTheSecond.rosters(['2027-01', '2027-02'])).toEqual({ '2027-01': 1400, '2027-02': 660 });
  });

  it('pays the last of several changes in one month, and never an amount superseded before it was paid', () => {
    const h = given([
      granted(bj('2026-11-20T10:00'), 1400),
      changed(bj('2026-12-05T10:00'), 1400, 900, '临河区民保变〔2026〕000001号'),
      changed(bj('2026-12-20T10:00'), 900, 660, '临河区民保变〔2026〕000002号'),
    ]);
    expect(h.periods.map((p) => [p.monthlyAmount, p.firstMonth, p.lastMonth])).toEqual([
      [1400, '2026-11', '2026-12'],
      [900, null, null],
      [660, '2027-01', null],
    ]);
    expect(h.rosters(['2026-12', '2027-01'])).toEqual({ '2026-12': 1400, '2027-01': 660 });
    // Granted and changed in the same month: that month pays the granted amount.
    const same = given([
      granted(bj('2026-12-03T10:00'), 1400),
      changed(bj('2026-12-20T10:00'), 1400, 660, '临河区民保变〔2026〕000001号'),
    ]);
    expect(same.rosters(['2026-11', '2026-12', '2027-01'])).toEqual({
      '2026-11': null,
      '2026-12': 1400,
      '2027-01': 660,
    });
  });

  it('stops paying with the month of a stop: suspended in December, paid up to November', () => {
    const h = given([granted(bj('2026-09-10T10:00'), 1400), suspended(bj('2026-12-15T10:00'))]);
    expect(h.periods).toEqual<AllowancePeriod[]>([
      {
        from: bj('2026-09-10T10:00'),
        to: bj('2026-12-15T10:00'),
        monthlyAmount: 1400,
        documentNumber: '临河区民保决〔2026〕000001号',
        firstMonth: '2026-09',
        lastMonth: '2026-11',
      },
    ]);
    expect(h.rosters(['2026-08', '2026-09', '2026-11', '2026-12', '2027-01'])).toEqual({
      '2026-08': null,
      '2026-09': 1400,
      '2026-11': 1400,
      '2026-12': null,
      '2027-01': null,
    });
  });

  it('pays December to a household stopped at 00:30 on 1 January (Beijing), not to one stopped at 23:30 on 31 December', () => {
    const grant = granted(bj('2026-09-10T10:00'), 1400);
    expect(given([grant, suspended(bj('2027-01-01T00:30'))]).rosters(['2026-12', '2027-01'])).toEqual({
      '2026-12': 1400,
      '2027-01': null,
    });
    expect(given([grant, suspended(bj('2026-12-31T23:30'))]).rosters(['2026-11', '2026-12'])).toEqual({
      '2026-11': 1400,
      '2026-12': null,
    });
  });

  it('pays nothing more after a stop that follows a change not yet paid', () => {
    const h = given([
      granted(bj('2026-09-10T10:00'), 1400),
      changed(bj('2026-12-13T15:00'), 1400, 660, '临河区民保变〔2026〕000001号'),
      suspended(bj('2026-12-20T10:00')),
    ]);
    expect(h.periods.map((p) => [p.monthlyAmount, p.to, p.firstMonth, p.lastMonth])).toEqual([
      [1400, bj('2026-12-13T15:00'), '2026-09', '2026-11'],
      [660, bj('2026-12-20T10:00'), null, null],
    ]);
    expect(h.rosters(['2026-11', '2026-12', '2027-01'])).toEqual({
      '2026-11': 1400,
      '2026-12': null,
      '2027-01': null,
    });
  });

  it('does not pay a household granted and stopped within one month', () => {
    const h = given([granted(bj('2026-12-03T10:00'), 1400), suspended(bj('2026-12-28T10:00'))]);
    expect(h.periods).toMatchObject([{ firstMonth: null, lastMonth: null, to: bj('2026-12-28T10:00') }]);
    expect(h.rosters(['2026-11', '2026-12', '2027-01'])).toEqual({
      '2026-11': null,
      '2026-12': null,
      '2027-01': null,
    });
  });
});
