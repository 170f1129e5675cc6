import { DomainError } from '@platform/contracts';
import { INITIAL_HOUSING_ASSISTANCE, type HousingAssistanceTable } from '@platform/policy';
import { deciderSpec } from '@platform/testing';
import type { Household } from './household.js';
import {
  orderWaitingList,
  publicRentalDecider,
  waitingListOn,
  type PublicRentalCommand,
  type PublicRentalEvent,
  type PublicRentalState,
  type Unit,
} from './public-rental.decider.js';
import type { Officer, TableVersion } from './values.js';

const spec = deciderSpec<PublicRentalCommand, PublicRentalEvent, PublicRentalState>(publicRentalDecider);

const officer: Officer = { id: 'u-housing-linhe', name: '韩雪', role: 'housing_officer' };
const V1: TableVersion<HousingAssistanceTable> = {
  version: 1,
  effectiveFrom: '2020-01-01',
  content: INITIAL_HOUSING_ASSISTANCE,
};
const t = (day: string) => new Date(`${day}T10:00:00+08:00`).toISOString();
const household = (n: number): Household => {
  const head = `1508021980010100${String(n).padStart(2, '0')}`;
  return { householdId: `hh-${n}`, headName: `户主${n}`, headIdNumber: head, memberIdNumbers: [head] };
};
const unit = (unitId = 'GZF-3-502'): Unit => ({
  unitId,
  address: '临河区新华街公租房小区 3 号楼 502',
  bedrooms: 1,
  areaM2: 48.5,
});

const join = (n: number, category: string, appliedOn: string): PublicRentalCommand => ({
  type: 'JoinWaitingList',
  applicationId: `GZ-${n}`,
  household: household(n),
  jurisdictionCode: '150802001001',
  category,
  appliedOn,
  officer,
  now: t(appliedOn),
});
const change = (
  n: number,
  category: string,
  effectiveFrom: string,
  factId = `f-${n}-${category}`,
): PublicRentalCommand => ({
  type: 'ChangeCategory',
  factId,
  applicationId: `GZ-${n}`,
  category,
  effectiveFrom,
  source: '临河区民政局 低保审批决定',
  now: t(effectiveFrom),
});
const allocate = (
  n: number,
  allocatedOn = '2026-10-15',
  table = V1,
  unitId = 'GZF-3-502',
): PublicRentalCommand => ({
  type: 'AllocateUnit',
  applicationId: `GZ-${n}`,
  unit: unit(unitId),
  allocatedOn,
  documentNumber: `临住配〔2026〕${n}号`,
  table,
  officer,
  now: t(allocatedOn),
});

function history(...commands: PublicRentalCommand[]): PublicRentalEvent[] {
  let state = publicRentalDecider.initialState();
  const events: PublicRentalEvent[] = [];
  for (const c of commands) {
    const decided = publicRentalDecider.decide(c, state);
    state = decided.reduce(publicRentalDecider.evolve, state);
    events.push(...decided);
  }
  return events;
}
const stateOf = (events: PublicRentalEvent[]) =>
  events.reduce(publicRentalDecider.evolve, publicRentalDecider.initialState());
const refusal = (given: PublicRentalEvent[], command: PublicRentalCommand): string => {
  try {
    publicRentalDecider.decide(command, stateOf(given));
    return 'accepted';
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    const d = e as DomainError;
    return `${d.status} ${d.code} ${d.message}`;
  }
};

describe('public rental housing: the order of the line', () => {
  const priority = ['special_hardship', 'dibao'];

  it('priority categories first, then application date, then who joined first, then id', () => {
    const line = orderWaitingList(
      [
        { applicationId: 'a', category: 'other', appliedOn: '2025-01-05', sequence: 1 },
        { applicationId: 'b', category: 'dibao', appliedOn: '2026-03-01', sequence: 2 },
        { applicationId: 'c', category: 'low_income_margin', appliedOn: '2025-01-04', sequence: 3 },
        { applicationId: 'd', category: 'special_hardship', appliedOn: '2026-03-01', sequence: 4 },
        { applicationId: 'e', category: 'special_hardship', appliedOn: '2026-02-28', sequence: 5 },
        { applicationId: 'g', category: 'other', appliedOn: '2025-01-05', sequence: 6 },
        { applicationId: 'f', category: 'other', appliedOn: '2025-01-05', sequence: 6 },
      ],
      priority,
    );
    // Special hardship and dibao are one tier: by date within it (e, then b and d by joining order).
    expect(line.map((x) => x.applicationId)).toEqual(['e', 'b', 'd', 'c', 'a', 'f', 'g']);
  });

  it('is the same whatever order it is given, and leaves its input alone', () => {
    const input = [
      { applicationId: 'x', category: 'other', appliedOn: '2026-01-01', sequence: 2 },
      { applicationId: 'y', category: 'dibao', appliedOn: '2026-06-01', sequence: 1 },
    ];
    const copy = [...input];
    expect(orderWaitingList(input, priority).map((x) => x.applicationId)).toEqual(['y', 'x']);
    expect(orderWaitingList([...input].reverse(), priority).map((x) => x.applicationId)).toEqual(['y', 'x']);
    expect(input).toEqual(copy);
    // With no priority categories in the table: by date only.
    expect(orderWaitingList(input, []).map((x) => x.applicationId)).toEqual(['x', 'y']);
  });
});

describe('public rental housing: waiting list and allocation', () => {
  const line = history(
    join(1, 'other', '2025-03-01'),
    join(2, 'low_income_margin', '2025-06-01'),
    join(3, 'dibao', '2026-05-01'),
  );

  it('a household joins the line; the same application again adds nothing; one household waits once', () => {
    spec
      .given([])
      .when(join(1, 'other', '2025-03-01'))
      .then([
        {
          type: 'housing.PublicRentalApplicationQueued',
          data: {
            applicationId: 'GZ-1',
            household: household(1),
            jurisdictionCode: '150802001001',
            category: 'other',
            appliedOn: '2025-03-01',
            sequence: 1,
            by: officer,
            at: t('2025-03-01'),
          },
        },
      ]);
    spec
      .given(line)
      .when(join(1, 'other', '2025-03-01'))
      .then([]);
    expect(refusal(line, join(1, 'other', '2025-03-02'))).toMatch(/^409 APPLICATION_CONFLICT /);
    expect(
      refusal(line, { ...join(1, 'other', '2025-03-01'), applicationId: 'GZ-9' } as PublicRentalCommand),
    ).toMatch(/^409 ALREADY_WAITING 该家庭已在轮候名单中（申请 GZ-1）/);
    expect(
      refusal([], { ...join(1, 'other', '2025-03-01'), now: t('2025-02-28') } as PublicRentalCommand),
    ).toMatch(/^422 DATE_IN_FUTURE /);
  });

  it('the unit goes to the first in line: a dibao household who applied later comes first', () => {
    expect(waitingListOn(stateOf(line), '2026-10-15', V1.content.publicRental.priorityCategories)).toEqual([
      {
        applicationId: 'GZ-3',
        category: 'dibao',
        appliedOn: '2026-05-01',
        sequence: 3,
        position: 1,
        priority: true,
      },
      {
        applicationId: 'GZ-1',
        category: 'other',
        appliedOn: '2025-03-01',
        sequence: 1,
        position: 2,
        priority: false,
      },
      {
        applicationId: 'GZ-2',
        category: 'low_income_margin',
        appliedOn: '2025-06-01',
        sequence: 2,
        position: 3,
        priority: false,
      },
    ]);
    expect(refusal(line, allocate(1))).toMatch(
      /^409 NOT_FIRST_IN_LINE 申请 GZ-1 在轮候名单中排第 2 位；排在首位的是户主3家（申请 GZ-3，低保家庭，2026-05-01 申请），应先向其配租/,
    );
    spec
      .given(line)
      .when(allocate(3))
      .then([
        {
          type: 'housing.PublicRentalUnitAllocated',
          data: {
            applicationId: 'GZ-3',
            household: household(3),
            jurisdictionCode: '150802001001',
            unit: unit(),
            allocatedOn: '2026-10-15',
            documentNumber: '临住配〔2026〕3号',
            category: 'dibao',
            priority: true,
            waiting: 3,
            policy: { 'housing-assistance': 1 },
            by: officer,
            at: t('2026-10-15'),
          },
        },
      ]);
  });

  it('a unit is let once, a household housed once; the next unit goes to the next in line', () => {
    const housed = history(
      join(1, 'other', '2025-03-01'),
      join(2, 'low_income_margin', '2025-06-01'),
      join(3, 'dibao', '2026-05-01'),
      allocate(3),
    );
    expect(refusal(housed, allocate(1))).toMatch(
      /^409 UNIT_TAKEN unit\.unitId：房源 GZF-3-502 已配租给申请 GZ-3/,
    );
    expect(refusal(housed, allocate(3, '2026-10-15', V1, 'GZF-3-503'))).toMatch(
      /^409 APPLICATION_NOT_WAITING 公租房申请 GZ-3 已配租/,
    );
    expect(refusal(housed, allocate(1, '2026-10-15', V1, 'GZF-3-503'))).toBe('accepted');
    // Taken off the line: the one after moves up.
    const removed = [
      ...housed,
      ...publicRentalDecider.decide(
        {
          type: 'RemoveFromList',
          applicationId: 'GZ-1',
          reason: '已购买商品住房',
          officer,
          now: t('2026-10-16'),
        },
        stateOf(housed),
      ),
    ];
    expect(refusal(removed, allocate(2, '2026-10-16', V1, 'GZF-3-503'))).toBe('accepted');
    expect(refusal(removed, allocate(1, '2026-10-16', V1, 'GZF-3-503'))).toMatch(
      /^409 APPLICATION_NOT_WAITING .*已移出轮候名单/,
    );
  });

  it('a category that changes mid-year moves the household from the day it takes effect', () => {
    const given = [...line, ...publicRentalDecider.decide(change(2, 'dibao', '2026-07-01'), stateOf(line))];
    const order = (events: PublicRentalEvent[], day: string, priority = ['special_hardship', 'dibao']) =>
      waitingListOn(stateOf(events), day, priority).map((x) => x.applicationId);
    expect(order(given, '2026-06-30')).toEqual(['GZ-3', 'GZ-1', 'GZ-2']);
    // Dibao from 1 July: ahead of household 3 (dibao too) by its earlier application date.
    expect(order(given, '2026-07-01')).toEqual(['GZ-2', 'GZ-3', 'GZ-1']);
    expect(refusal(given, allocate(3, '2026-07-01'))).toMatch(/^409 NOT_FIRST_IN_LINE .*户主2家/);
    // Dibao suspended from 1 September: back behind household 1.
    const suspended = [
      ...given,
      ...publicRentalDecider.decide(change(2, 'low_income_margin', '2026-09-01'), stateOf(given)),
    ];
    expect(order(suspended, '2026-08-31')).toEqual(['GZ-2', 'GZ-3', 'GZ-1']);
    expect(order(suspended, '2026-09-01')).toEqual(['GZ-3', 'GZ-1', 'GZ-2']);
    // The same fact delivered again changes nothing; the same id with another category is refused.
    spec
      .given(suspended)
      .when(change(2, 'low_income_margin', '2026-09-01'))
      .then([]);
    expect(refusal(suspended, change(2, 'dibao', '2026-09-01', 'f-2-low_income_margin'))).toMatch(
      /^409 FACT_CONFLICT /,
    );
  });

  it('the priority categories are the table’s: a version without them orders by date alone', () => {
    const noPriority: TableVersion<HousingAssistanceTable> = {
      version: 2,
      effectiveFrom: '2026-10-01',
      content: { ...INITIAL_HOUSING_ASSISTANCE, publicRental: { priorityCategories: [] } },
    };
    expect(refusal(line, allocate(3, '2026-10-15', noPriority))).toMatch(/^409 NOT_FIRST_IN_LINE .*户主1家/);
    spec
      .given(line)
      .when(allocate(1, '2026-10-15', noPriority))
      .thenState((s) => {
        expect(s.applications[0]!.allocation).toMatchObject({ allocatedOn: '2026-10-15' });
      });
    expect(refusal(line, allocate(1, '2026-09-30', noPriority))).toMatch(/^422 POLICY_NOT_IN_FORCE /);
  });

  it('refuses an allocation dated before the application or in the future, and other roles', () => {
    expect(refusal(line, allocate(3, '2026-04-30'))).toMatch(
      /^422 DATE_OUT_OF_ORDER allocatedOn：配租日期不能早于申请日期（2026-05-01）/,
    );
    expect(refusal(line, { ...allocate(3), now: t('2026-10-14') } as PublicRentalCommand)).toMatch(
      /^422 DATE_IN_FUTURE /,
    );
    expect(
      refusal(line, {
        ...allocate(3),
        officer: { ...officer, role: 'education_officer' },
      } as PublicRentalCommand),
    ).toMatch(/^403 ROLE_NOT_ALLOWED /);
    expect(refusal(line, allocate(7))).toMatch(/^404 APPLICATION_NOT_FOUND /);
    // A category fact for a household already housed has nothing left to order.
    const housed = history(join(3, 'dibao', '2026-05-01'), allocate(3));
    spec
      .given(housed)
      .when(change(3, 'other', '2026-11-01'))
      .then([]);
  });
});
