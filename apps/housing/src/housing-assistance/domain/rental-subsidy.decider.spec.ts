import { DomainError } from '@platform/contracts';
import { INITIAL_HOUSING_ASSISTANCE, type HousingAssistanceTable } from '@platform/policy';
import { deciderSpec } from '@platform/testing';
import type { Household } from './household.js';
import {
  monthlyFenFor,
  rentalSubsidyDecider,
  sizeIn,
  type RentalSubsidyCommand,
  type RentalSubsidyEvent,
  type RentalSubsidyState,
} from './rental-subsidy.decider.js';
import type { Officer, TableVersion } from './values.js';

const spec = deciderSpec<RentalSubsidyCommand, RentalSubsidyEvent, RentalSubsidyState>(rentalSubsidyDecider);

const officer: Officer = { id: 'u-housing-linhe', name: '韩雪', role: 'housing_officer' };
const V1: TableVersion<HousingAssistanceTable> = {
  version: 1,
  effectiveFrom: '2020-01-01',
  content: INITIAL_HOUSING_ASSISTANCE,
};
const V2: TableVersion<HousingAssistanceTable> = {
  version: 2,
  effectiveFrom: '2027-01-01',
  content: {
    ...INITIAL_HOUSING_ASSISTANCE,
    rentalSubsidy: {
      ...INITIAL_HOUSING_ASSISTANCE.rentalSubsidy,
      monthlyYuanByHouseholdSize: [250, 350, 450, 550],
    },
  },
};
const t = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();
const members = (n: number) => Array.from({ length: n }, (_, i) => `15080219850101${String(1000 + i)}`);
const household = (n = 3): Household => ({
  householdId: 'hh-0301',
  headName: '刘志刚',
  headIdNumber: members(1)[0]!,
  memberIdNumbers: members(n),
});

const grant = (
  over: Partial<Extract<RentalSubsidyCommand, { type: 'GrantRentalSubsidy' }>> = {},
): RentalSubsidyCommand => ({
  type: 'GrantRentalSubsidy',
  grantId: 'ZL-2026-0301',
  household: household(),
  jurisdictionCode: '150802001002',
  category: 'dibao',
  firstMonth: '2026-01',
  documentNumber: '临住补〔2025〕301号',
  table: V1,
  officer,
  now: t('2025-12-20'),
  ...over,
});
const pay = (month: string, table = V1, paymentReference = `FF-${month}`): RentalSubsidyCommand => ({
  type: 'DisburseMonth',
  month,
  paymentReference,
  paidOn: `${month}-10`,
  table,
  officer,
  now: t(`${month}-10`),
});
const review = (
  reviewedOn: string,
  passed = true,
  over: Partial<Extract<RentalSubsidyCommand, { type: 'RecordReview' }>> = {},
): RentalSubsidyCommand => ({
  type: 'RecordReview',
  reviewedOn,
  passed,
  findings: passed ? '家庭人口、收入、住房情况核实无变化' : '家庭已购置住房',
  household: household(),
  category: 'dibao',
  table: reviewedOn >= V2.effectiveFrom ? V2 : V1,
  officer,
  now: t(reviewedOn),
  ...over,
});

function history(...commands: RentalSubsidyCommand[]): RentalSubsidyEvent[] {
  let state = rentalSubsidyDecider.initialState();
  const events: RentalSubsidyEvent[] = [];
  for (const c of commands) {
    const decided = rentalSubsidyDecider.decide(c, state);
    state = decided.reduce(rentalSubsidyDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}
const stateOf = (events: RentalSubsidyEvent[]) =>
  events.reduce(rentalSubsidyDecider.evolve, rentalSubsidyDecider.initialState());
const refusal = (given: RentalSubsidyEvent[], command: RentalSubsidyCommand): string => {
  try {
    rentalSubsidyDecider.decide(command, stateOf(given));
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const d = e as DomainError;
    return `${d.status} ${d.code} ${d.message}`;
  }
};
const paidAmount = (given: RentalSubsidyEvent[], command: RentalSubsidyCommand) => {
  const [event] = rentalSubsidyDecider.decide(command, stateOf(given));
  return event?.type === 'housing.RentalSubsidyPaid' ? event.data.amountFen : null;
};

const granted = history(grant());

describe('rental subsidy', () => {
  it('the monthly amount by household size, the last band for every larger household', () => {
    const table = INITIAL_HOUSING_ASSISTANCE;
    expect([1, 2, 3, 4, 5, 9].map((n) => monthlyFenFor(n, table))).toEqual([
      20_000, 30_000, 40_000, 50_000, 50_000, 50_000,
    ]);
  });

  it('a grant: amount by size, review due after the table’s interval', () => {
    spec
      .given([])
      .when(grant())
      .then([
        {
          type: 'housing.RentalSubsidyGranted',
          data: {
            grantId: 'ZL-2026-0301',
            household: household(),
            jurisdictionCode: '150802001002',
            householdSize: 3,
            category: 'dibao',
            firstMonth: '2026-01',
            monthlyFen: 40_000,
            reviewIntervalMonths: 12,
            reviewDueFrom: '2027-01',
            documentNumber: '临住补〔2025〕301号',
            policy: { 'housing-assistance': 1 },
            by: officer,
            at: t('2025-12-20'),
          },
        },
      ]);
    spec.given(granted).when(grant()).then([]);
    expect(refusal(granted, grant({ documentNumber: '临住补〔2025〕302号' }))).toMatch(
      /^409 ALREADY_GRANTED /,
    );
    expect(refusal([], grant({ category: 'poverty_monitoring' }))).toMatch(
      /^422 NOT_ELIGIBLE category：家庭类别为防止返贫监测对象，不属于租赁补贴对象（特困人员、低保家庭、低保边缘家庭）/,
    );
    expect(refusal([], grant({ firstMonth: '2026-13' }))).toMatch(/^422 MONTH_INVALID firstMonth：/);
  });

  it('pays month by month, each month once, never before the first month nor ahead of time', () => {
    spec
      .given(granted)
      .when(pay('2026-01'))
      .then([
        {
          type: 'housing.RentalSubsidyPaid',
          data: {
            grantId: 'ZL-2026-0301',
            household: household(),
            jurisdictionCode: '150802001002',
            month: '2026-01',
            householdSize: 3,
            amountFen: 40_000,
            documentNumber: '临住补〔2025〕301号',
            paymentReference: 'FF-2026-01',
            paidOn: '2026-01-10',
            policy: { 'housing-assistance': 1 },
            by: officer,
            at: t('2026-01-10'),
          },
        },
      ]);
    const january = history(grant(), pay('2026-01'));
    spec.given(january).when(pay('2026-01')).then([]);
    expect(refusal(january, pay('2026-01', V1, 'FF-X'))).toMatch(
      /^409 MONTH_ALREADY_PAID month：2026-01 的租赁补贴已发放（FF-2026-01）/,
    );
    expect(refusal(granted, pay('2025-12'))).toMatch(/^422 BEFORE_FIRST_MONTH /);
    expect(refusal(granted, { ...pay('2026-03'), now: t('2026-02-28') } as RentalSubsidyCommand)).toMatch(
      /^422 MONTH_IN_FUTURE /,
    );
  });

  it('the review interval: the last month before the due month is paid, the due month is not until reviewed', () => {
    expect(paidAmount(granted, pay('2026-12'))).toBe(40_000);
    expect(refusal(granted, pay('2027-01', V2))).toMatch(
      /^409 REVIEW_DUE month：租赁补贴应于 2027-01 前完成定期复核，复核通过后方可发放 2027-01 及以后月份/,
    );
  });

  it('a review passed on time: the next one due a full interval after the due month; a new size from the next month', () => {
    const reviewed = history(grant(), review('2026-12-15', true, { household: household(5) }));
    expect(stateOf(reviewed)).toMatchObject({ reviewDueFrom: '2028-01', lastReviewedOn: '2026-12-15' });
    // December is still paid for three, January for five (the last band) under the table of 2027.
    expect(paidAmount(reviewed, pay('2026-12'))).toBe(40_000);
    expect(paidAmount(reviewed, pay('2027-01', V2))).toBe(55_000);
    expect(sizeIn(stateOf(reviewed), '2026-12')).toBe(3);
    expect(sizeIn(stateOf(reviewed), '2027-01')).toBe(5);
    expect(refusal(reviewed, pay('2028-01', V2))).toMatch(/^409 REVIEW_DUE /);
  });

  it('a review done late: the months from the due month are held, then paid; the next review counts from it', () => {
    const late = history(grant(), review('2027-03-05'));
    expect(stateOf(late).reviewDueFrom).toBe('2028-03');
    expect(paidAmount(late, { ...pay('2027-01', V2), now: t('2027-03-10') } as RentalSubsidyCommand)).toBe(
      45_000,
    );
  });

  it('a failed review stops the subsidy from the next month; months before are still paid', () => {
    const failed = history(grant(), review('2026-06-10', false));
    expect(failed.map((e) => e.type)).toEqual([
      'housing.RentalSubsidyGranted',
      'housing.RentalSubsidyReviewed',
      'housing.RentalSubsidyStopped',
    ]);
    expect(failed[2]!.data).toMatchObject({
      reason: 'review_failed',
      reasons: ['定期复核未通过：家庭已购置住房'],
      stoppedFrom: '2026-07',
    });
    expect(paidAmount(failed, { ...pay('2026-06'), now: t('2026-07-02') } as RentalSubsidyCommand)).toBe(
      40_000,
    );
    expect(refusal(failed, pay('2026-07'))).toMatch(
      /^409 SUBSIDY_STOPPED month：租赁补贴自 2026-07 起停发（定期复核未通过：家庭已购置住房）/,
    );
    expect(refusal(failed, review('2026-07-10'))).toMatch(
      /^409 GRANT_INVALID_STATE 当前状态（已停发）下不能登记定期复核/,
    );
    // Failed after the due month: nothing from the due month on, whatever the review's month.
    const lateFail = history(grant(), review('2027-03-05', false));
    expect(stateOf(lateFail).stoppedFrom).toBe('2027-01');
  });

  it('a household whose category the table no longer covers is stopped at its review, even if nothing else changed', () => {
    const events = history(grant(), review('2026-12-15', true, { category: 'other' }));
    expect(stateOf(events)).toMatchObject({ status: 'stopped', stoppedFrom: '2027-01' });
    expect(stateOf(events).stopReasons).toEqual([
      '家庭类别为其他家庭，不属于租赁补贴对象（特困人员、低保家庭、低保边缘家庭）',
    ]);
  });

  it('each month is paid under the table in force on its first day', () => {
    const reviewed = history(grant(), review('2026-12-15'));
    expect(paidAmount(reviewed, pay('2027-01', V2))).toBe(45_000);
    expect(
      refusal(reviewed, { ...pay('2026-12', V2), now: t('2027-01-05') } as RentalSubsidyCommand),
    ).toMatch(/^422 POLICY_NOT_IN_FORCE 住房救助政策参数表第 2 版自 2027-01-01 起生效，不适用于 2026-12-01/);
  });

  it('stopped by the department: not from a month already paid', () => {
    const paid = history(grant(), pay('2026-01'), pay('2026-02'));
    const stop = (stoppedFrom: string): RentalSubsidyCommand => ({
      type: 'StopSubsidy',
      reason: '家庭迁出本市',
      stoppedFrom,
      officer,
      now: t('2026-02-20'),
    });
    expect(refusal(paid, stop('2026-02'))).toMatch(/^409 MONTHS_ALREADY_PAID stoppedFrom：2026-02 已发放/);
    spec
      .given(paid)
      .when(stop('2026-03'))
      .thenState((s) => expect(s).toMatchObject({ status: 'stopped', stoppedFrom: '2026-03' }));
    expect(refusal(paid, stop('2025-12'))).toMatch(/^422 DATE_OUT_OF_ORDER /);
  });

  it('refuses reviews out of order, of another household, and by other roles', () => {
    expect(refusal(granted, review('2025-12-19'))).toMatch(
      /^422 DATE_OUT_OF_ORDER reviewedOn：复核日期不能早于上次批准或复核日期（2025-12-20）/,
    );
    expect(
      refusal(granted, review('2026-06-10', true, { household: { ...household(), householdId: 'hh-9' } })),
    ).toMatch(/^409 HOUSEHOLD_MISMATCH /);
    expect(
      refusal(granted, {
        ...pay('2026-01'),
        officer: { ...officer, role: 'township_officer' },
      } as RentalSubsidyCommand),
    ).toMatch(/^403 /);
    expect(refusal([], pay('2026-01'))).toMatch(/^404 GRANT_NOT_FOUND /);
  });
});
