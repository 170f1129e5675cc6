import type { HousingAssistanceTable } from '@platform/policy';
import { categoryName, requireCategory, requireHousehold, type Household } from './household.js';
import {
  beijingDayOf,
  fail,
  requireDay,
  requireInForce,
  requireText,
  type Officer,
  type TableVersion,
} from './values.js';

/**
 * Public rental housing (公共租赁住房) waiting list of one housing pool, one stream per pool
 * (`public-rental-<poolId>`, e.g. a county's stock): households join, their category changes as dated
 * facts arrive, and each unit goes to the household first in line on the day of allocation — the
 * priority categories of the `housing-assistance` table (dibao, special hardship) first, then by
 * application date. One stream for the whole list, so that two allocations never see the same line.
 *
 * Pure: time, the officer and the table version in force on the day of allocation come in with commands.
 */

export interface Unit {
  unitId: string;
  address: string;
  bedrooms: number;
  areaM2: number;
}

export type ApplicationStatus = 'waiting' | 'allocated' | 'removed';

export interface WaitingApplication {
  applicationId: string;
  household: Household;
  /** Where the household lives (village or community, within the pool's county). */
  jurisdictionCode: string;
  appliedOn: string;
  /** The household's category as dated facts, in the order recorded. */
  categories: Array<{ factId: string; category: string; from: string }>;
  /** Order of joining the list: the last tie-break. */
  sequence: number;
  status: ApplicationStatus;
  allocation: { unit: Unit; allocatedOn: string; documentNumber: string } | null;
  removal: { reason: string; at: string } | null;
}

// ---------------------------------------------------------------------------------------------------
// The order of the line

/** What the order of the line depends on, and nothing else. */
export interface InLine {
  applicationId: string;
  category: string;
  appliedOn: string;
  sequence: number;
}

/**
 * The waiting list in allocation order: households of a priority category first, then by application
 * date, then by the order they joined, then by application id (so the order never depends on input order).
 */
export function orderWaitingList<T extends InLine>(
  queue: readonly T[],
  priorityCategories: readonly string[],
): T[] {
  const priority = (x: InLine) => (priorityCategories.includes(x.category) ? 0 : 1);
  return [...queue].sort(
    (a, b) =>
      priority(a) - priority(b) ||
      a.appliedOn.localeCompare(b.appliedOn) ||
      a.sequence - b.sequence ||
      a.applicationId.localeCompare(b.applicationId),
  );
}

/** The household's category on `day`: the latest fact on or before it (of one day, the later recorded). */
export function categoryOf(application: Pick<WaitingApplication, 'categories'>, day: string): string {
  let best: { category: string; from: string } | null = null;
  for (const c of application.categories) if (c.from <= day && (!best || c.from >= best.from)) best = c;
  return best?.category ?? 'other';
}

/** The households waiting on `day`, in the order units go to them, with their place in line (1-based). */
export function waitingListOn(
  state: PublicRentalState,
  day: string,
  priorityCategories: readonly string[],
): Array<InLine & { position: number; priority: boolean }> {
  const line = orderWaitingList(
    state.applications
      .filter((a) => a.status === 'waiting')
      .map((a) => ({
        applicationId: a.applicationId,
        category: categoryOf(a, day),
        appliedOn: a.appliedOn,
        sequence: a.sequence,
      })),
    priorityCategories,
  );
  return line.map((x, i) => ({ ...x, position: i + 1, priority: priorityCategories.includes(x.category) }));
}

// ---------------------------------------------------------------------------------------------------
// Commands

export type PublicRentalCommand =
  | {
      type: 'JoinWaitingList';
      applicationId: string;
      household: Household;
      /** Where the household lives (village or community code); the handler checks it lies in the pool's county. */
      jurisdictionCode: string;
      /** The household's category on the application date. */
      category: string;
      appliedOn: string;
      officer: Officer;
      now: string;
    }
  | {
      /** A category fact for a waiting household (dibao granted, suspended …). */
      type: 'ChangeCategory';
      factId: string;
      applicationId: string;
      category: string;
      effectiveFrom: string;
      source: string;
      now: string;
    }
  | {
      type: 'AllocateUnit';
      applicationId: string;
      unit: Unit;
      allocatedOn: string;
      documentNumber: string;
      /** `housing-assistance` in force on the day of allocation. */
      table: TableVersion<HousingAssistanceTable>;
      officer: Officer;
      now: string;
    }
  | { type: 'RemoveFromList'; applicationId: string; reason: string; officer: Officer; now: string };

// ---------------------------------------------------------------------------------------------------
// Events

export type PublicRentalEvent =
  | {
      type: 'housing.PublicRentalApplicationQueued';
      data: {
        applicationId: string;
        household: Household;
        jurisdictionCode: string;
        category: string;
        appliedOn: string;
        sequence: number;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'housing.PublicRentalCategoryChanged';
      data: {
        factId: string;
        applicationId: string;
        category: string;
        effectiveFrom: string;
        source: string;
        at: string;
      };
    }
  | {
      type: 'housing.PublicRentalUnitAllocated';
      data: {
        applicationId: string;
        household: Household;
        jurisdictionCode: string;
        unit: Unit;
        allocatedOn: string;
        documentNumber: string;
        /** The household's category and place in line on the day, as applied. */
        category: string;
        priority: boolean;
        waiting: number;
        policy: { 'housing-assistance': number };
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'housing.PublicRentalApplicationRemoved';
      data: { applicationId: string; reason: string; by: Officer; at: string };
    };

// ---------------------------------------------------------------------------------------------------
// State

export interface PublicRentalState {
  applications: WaitingApplication[];
  /** Units allocated, by id: a unit goes to one household. */
  allocatedUnits: Record<string, string>;
}

export const initialPublicRentalState = (): PublicRentalState => ({ applications: [], allocatedUnits: {} });

// ---------------------------------------------------------------------------------------------------
// Rules

const HOUSING = ['housing_officer'];

function requireRole(officer: Officer, action: string): void {
  if (!HOUSING.includes(officer.role)) {
    fail('ROLE_NOT_ALLOWED', `当前角色不能${action}`, 403, { permission: `public-rental:${action}` });
  }
}

function waiting(state: PublicRentalState, applicationId: string, action: string): WaitingApplication {
  const a = state.applications.find((x) => x.applicationId === applicationId);
  if (!a) fail('APPLICATION_NOT_FOUND', `公租房申请 ${applicationId} 不在轮候名单中`, 404);
  if (a.status !== 'waiting') {
    fail(
      'APPLICATION_NOT_WAITING',
      `公租房申请 ${applicationId} ${a.status === 'allocated' ? '已配租' : '已移出轮候名单'}，不能${action}`,
      409,
      { status: a.status },
    );
  }
  return a;
}

export function decidePublicRental(
  command: PublicRentalCommand,
  state: PublicRentalState,
): PublicRentalEvent[] {
  switch (command.type) {
    case 'JoinWaitingList': {
      requireRole(command.officer, '登记公租房轮候');
      const applicationId = requireText(command.applicationId, 'applicationId', '申请编号');
      const household = requireHousehold(command.household);
      const jurisdictionCode = requireText(
        command.jurisdictionCode,
        'jurisdictionCode',
        '居住地（村、社区）',
      );
      const category = requireCategory(command.category);
      const appliedOn = requireDay(command.appliedOn, 'appliedOn', '申请日期');
      if (appliedOn > beijingDayOf(command.now)) {
        fail('DATE_IN_FUTURE', 'appliedOn：申请日期不能晚于今天', 422, { field: 'appliedOn' });
      }
      const known = state.applications.find((a) => a.applicationId === applicationId);
      if (known) {
        if (known.household.householdId === household.householdId && known.appliedOn === appliedOn) return [];
        fail('APPLICATION_CONFLICT', `applicationId：申请 ${applicationId} 已以不同内容登记`, 409, {
          field: 'applicationId',
        });
      }
      const same = state.applications.find(
        (a) => a.status === 'waiting' && a.household.householdId === household.householdId,
      );
      if (same) {
        fail('ALREADY_WAITING', `该家庭已在轮候名单中（申请 ${same.applicationId}）`, 409, {
          applicationId: same.applicationId,
        });
      }
      return [
        {
          type: 'housing.PublicRentalApplicationQueued',
          data: {
            applicationId,
            household,
            jurisdictionCode,
            category,
            appliedOn,
            sequence: state.applications.length + 1,
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'ChangeCategory': {
      const factId = requireText(command.factId, 'factId', '类别记录编号');
      const category = requireCategory(command.category);
      const effectiveFrom = requireDay(command.effectiveFrom, 'effectiveFrom', '生效日期');
      const source = requireText(command.source, 'source', '类别依据');
      const a = state.applications.find((x) => x.applicationId === command.applicationId);
      if (!a) fail('APPLICATION_NOT_FOUND', `公租房申请 ${command.applicationId} 不在轮候名单中`, 404);
      const known = a.categories.find((c) => c.factId === factId);
      if (known) {
        if (known.category === category && known.from === effectiveFrom) return [];
        fail('FACT_CONFLICT', `factId：类别记录 ${factId} 已以不同内容记录`, 409, { field: 'factId' });
      }
      // Once housed or off the list the category no longer orders anything: nothing to record.
      if (a.status !== 'waiting') return [];
      return [
        {
          type: 'housing.PublicRentalCategoryChanged',
          data: { factId, applicationId: a.applicationId, category, effectiveFrom, source, at: command.now },
        },
      ];
    }

    case 'AllocateUnit': {
      requireRole(command.officer, '配租公租房');
      const application = waiting(state, command.applicationId, '配租');
      const unitId = requireText(command.unit?.unitId, 'unit.unitId', '房源编号');
      const unit: Unit = {
        unitId,
        address: requireText(command.unit.address, 'unit.address', '房源地址'),
        bedrooms: command.unit.bedrooms,
        areaM2: command.unit.areaM2,
      };
      if (state.allocatedUnits[unitId]) {
        fail('UNIT_TAKEN', `unit.unitId：房源 ${unitId} 已配租给申请 ${state.allocatedUnits[unitId]}`, 409, {
          field: 'unit.unitId',
        });
      }
      const documentNumber = requireText(command.documentNumber, 'documentNumber', '配租文号');
      const allocatedOn = requireDay(command.allocatedOn, 'allocatedOn', '配租日期');
      if (allocatedOn > beijingDayOf(command.now)) {
        fail('DATE_IN_FUTURE', 'allocatedOn：配租日期不能晚于今天', 422, { field: 'allocatedOn' });
      }
      if (allocatedOn < application.appliedOn) {
        fail('DATE_OUT_OF_ORDER', `allocatedOn：配租日期不能早于申请日期（${application.appliedOn}）`, 422, {
          field: 'allocatedOn',
        });
      }
      requireInForce(command.table, allocatedOn, '住房救助政策参数表');
      const priorityCategories = command.table.content.publicRental.priorityCategories;
      const line = waitingListOn(state, allocatedOn, priorityCategories);
      const first = line[0]!;
      const mine = line.find((x) => x.applicationId === application.applicationId)!;
      // No one jumps the line: the unit goes to the household first in it on the day.
      if (first.applicationId !== application.applicationId) {
        const whose = state.applications.find((a) => a.applicationId === first.applicationId)!;
        fail(
          'NOT_FIRST_IN_LINE',
          `申请 ${application.applicationId} 在轮候名单中排第 ${mine.position} 位；排在首位的是${whose.household.headName}家（申请 ${first.applicationId}，${categoryName(first.category)}，${first.appliedOn} 申请），应先向其配租`,
          409,
          { position: mine.position, first: first.applicationId },
        );
      }
      return [
        {
          type: 'housing.PublicRentalUnitAllocated',
          data: {
            applicationId: application.applicationId,
            household: application.household,
            jurisdictionCode: application.jurisdictionCode,
            unit,
            allocatedOn,
            documentNumber,
            category: mine.category,
            priority: mine.priority,
            waiting: line.length,
            policy: { 'housing-assistance': command.table.version },
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'RemoveFromList': {
      requireRole(command.officer, '移出轮候名单');
      const a = waiting(state, command.applicationId, '移出轮候名单');
      const reason = requireText(command.reason, 'reason', '移出理由');
      return [
        {
          type: 'housing.PublicRentalApplicationRemoved',
          data: { applicationId: a.applicationId, reason, by: command.officer, at: command.now },
        },
      ];
    }

    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

function update(
  state: PublicRentalState,
  applicationId: string,
  change: (a: WaitingApplication) => WaitingApplication,
): PublicRentalState {
  return {
    ...state,
    applications: state.applications.map((a) => (a.applicationId === applicationId ? change(a) : a)),
  };
}

export function evolvePublicRental(state: PublicRentalState, event: PublicRentalEvent): PublicRentalState {
  switch (event.type) {
    case 'housing.PublicRentalApplicationQueued': {
      const d = event.data;
      return {
        ...state,
        applications: [
          ...state.applications,
          {
            applicationId: d.applicationId,
            household: d.household,
            jurisdictionCode: d.jurisdictionCode,
            appliedOn: d.appliedOn,
            categories: [
              { factId: `application:${d.applicationId}`, category: d.category, from: d.appliedOn },
            ],
            sequence: d.sequence,
            status: 'waiting',
            allocation: null,
            removal: null,
          },
        ],
      };
    }
    case 'housing.PublicRentalCategoryChanged': {
      const d = event.data;
      return update(state, d.applicationId, (a) => ({
        ...a,
        categories: [...a.categories, { factId: d.factId, category: d.category, from: d.effectiveFrom }],
      }));
    }
    case 'housing.PublicRentalUnitAllocated': {
      const d = event.data;
      return {
        ...update(state, d.applicationId, (a) => ({
          ...a,
          status: 'allocated',
          allocation: { unit: d.unit, allocatedOn: d.allocatedOn, documentNumber: d.documentNumber },
        })),
        allocatedUnits: { ...state.allocatedUnits, [d.unit.unitId]: d.applicationId },
      };
    }
    case 'housing.PublicRentalApplicationRemoved': {
      const d = event.data;
      return update(state, d.applicationId, (a) => ({
        ...a,
        status: 'removed',
        removal: { reason: d.reason, at: d.at },
      }));
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const publicRentalDecider = {
  decide: decidePublicRental,
  evolve: evolvePublicRental,
  initialState: initialPublicRentalState,
};
