import type { HousingAssistanceTable } from '@platform/policy';
import { categoryName, requireCategory, requireHousehold, type Household } from './household.js';
import {
  addMonths,
  beijingDayOf,
  fail,
  monthOf,
  requireDay,
  requireInForce,
  requireMonth,
  requireText,
  tableFen,
  type Officer,
  type TableVersion,
} from './values.js';

/**
 * Rental subsidy (租赁补贴) of one household, one stream per grant (`rental-subsidy-<grantId>`): a monthly
 * amount by household size from the `housing-assistance` table, paid month by month; a periodic review
 * (定期复核) every `reviewIntervalMonths`, without which no month from the due month on is paid; a failed
 * review (or a category the table no longer covers) stops the subsidy.
 *
 * Each month is paid at the amount of the table version in force on its first day for the household size
 * on record that month, so a change of the standard applies from its effective month and every payment
 * records the version it used.
 *
 * Pure: time, the officer and the table versions come in with commands.
 */

export type SubsidyStatus = 'none' | 'active' | 'stopped';

export const STATUS_NAMES: Record<SubsidyStatus, string> = {
  none: '不存在',
  active: '发放中',
  stopped: '已停发',
};

// ---------------------------------------------------------------------------------------------------
// Commands

export type RentalSubsidyCommand =
  | {
      type: 'GrantRentalSubsidy';
      grantId: string;
      household: Household;
      /** Where the household lives (village or community code). */
      jurisdictionCode: string;
      /** The household's category on the day of the decision. */
      category: string;
      /** The first month paid (YYYY-MM). */
      firstMonth: string;
      documentNumber: string;
      /** `housing-assistance` in force on the day of the decision. */
      table: TableVersion<HousingAssistanceTable>;
      officer: Officer;
      now: string;
    }
  | {
      type: 'DisburseMonth';
      month: string;
      paymentReference: string;
      paidOn: string;
      /** `housing-assistance` in force on the first day of the month paid. */
      table: TableVersion<HousingAssistanceTable>;
      officer: Officer;
      now: string;
    }
  | {
      type: 'RecordReview';
      reviewedOn: string;
      passed: boolean;
      findings: string;
      /** The household as the review found it, and its category then. */
      household: Household;
      category: string;
      /** `housing-assistance` in force on the day of the review. */
      table: TableVersion<HousingAssistanceTable>;
      officer: Officer;
      now: string;
    }
  | { type: 'StopSubsidy'; reason: string; stoppedFrom: string; officer: Officer; now: string };

// ---------------------------------------------------------------------------------------------------
// Events

export type RentalSubsidyEvent =
  | {
      type: 'housing.RentalSubsidyGranted';
      data: {
        grantId: string;
        household: Household;
        jurisdictionCode: string;
        householdSize: number;
        category: string;
        firstMonth: string;
        /** The monthly amount at the table version of the decision (each month pays by its own version). */
        monthlyFen: number;
        reviewIntervalMonths: number;
        /** The first month that is not paid without a passed review. */
        reviewDueFrom: string;
        documentNumber: string;
        policy: { 'housing-assistance': number };
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'housing.RentalSubsidyPaid';
      data: {
        grantId: string;
        household: Household;
        jurisdictionCode: string;
        month: string;
        householdSize: number;
        amountFen: number;
        documentNumber: string;
        paymentReference: string;
        paidOn: string;
        policy: { 'housing-assistance': number };
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'housing.RentalSubsidyReviewed';
      data: {
        grantId: string;
        reviewedOn: string;
        passed: boolean;
        findings: string;
        household: Household;
        householdSize: number;
        category: string;
        /** Passed: the new size applies from the month after the review, the next review is due then. */
        sizeFromMonth: string | null;
        reviewDueFrom: string | null;
        policy: { 'housing-assistance': number };
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'housing.RentalSubsidyStopped';
      data: {
        grantId: string;
        reason: 'review_failed' | 'stopped';
        reasons: string[];
        /** The first month not paid. */
        stoppedFrom: string;
        by: Officer;
        at: string;
      };
    };

// ---------------------------------------------------------------------------------------------------
// State

export interface RentalSubsidyState {
  status: SubsidyStatus;
  grantId: string | null;
  household: Household | null;
  jurisdictionCode: string | null;
  category: string | null;
  firstMonth: string | null;
  documentNumber: string | null;
  grantedOn: string | null;
  /** Household size from a month on, oldest first. */
  sizes: Array<{ fromMonth: string; size: number }>;
  reviewIntervalMonths: number;
  reviewDueFrom: string | null;
  lastReviewedOn: string | null;
  /** Months paid, with the payment reference. */
  paid: Record<string, { amountFen: number; paymentReference: string }>;
  stoppedFrom: string | null;
  stopReasons: string[];
}

export const initialRentalSubsidyState = (): RentalSubsidyState => ({
  status: 'none',
  grantId: null,
  household: null,
  jurisdictionCode: null,
  category: null,
  firstMonth: null,
  documentNumber: null,
  grantedOn: null,
  sizes: [],
  reviewIntervalMonths: 0,
  reviewDueFrom: null,
  lastReviewedOn: null,
  paid: {},
  stoppedFrom: null,
  stopReasons: [],
});

// ---------------------------------------------------------------------------------------------------
// Rules

const HOUSING = ['housing_officer'];

function requireRole(officer: Officer, action: string): void {
  if (!HOUSING.includes(officer.role)) {
    fail('ROLE_NOT_ALLOWED', `当前角色不能${action}`, 403, { permission: `rental-subsidy:${action}` });
  }
}

function requireStatus(state: RentalSubsidyState, allowed: SubsidyStatus[], action: string): void {
  if (state.status === 'none') fail('GRANT_NOT_FOUND', '租赁补贴记录不存在', 404);
  if (!allowed.includes(state.status)) {
    fail('GRANT_INVALID_STATE', `当前状态（${STATUS_NAMES[state.status]}）下不能${action}`, 409, {
      status: state.status,
    });
  }
}

/** The monthly amount for a household of `size` members: the last band covers every larger household. */
export function monthlyFenFor(size: number, table: HousingAssistanceTable): number {
  const bands = table.rentalSubsidy.monthlyYuanByHouseholdSize;
  return tableFen(bands[Math.min(Math.max(size, 1), bands.length) - 1]!);
}

export function sizeIn(state: RentalSubsidyState, month: string): number {
  let size = state.sizes[0]?.size ?? 0;
  for (const s of state.sizes) if (s.fromMonth <= month) size = s.size;
  return size;
}

function ineligible(category: string, table: HousingAssistanceTable): string | null {
  const allowed = table.rentalSubsidy.eligibleCategories;
  return allowed.includes(category)
    ? null
    : `家庭类别为${categoryName(category)}，不属于租赁补贴对象（${allowed.map(categoryName).join('、')}）`;
}

const earlier = (a: string, b: string) => (a < b ? a : b);
const later = (a: string, b: string) => (a > b ? a : b);

export function decideRentalSubsidy(
  command: RentalSubsidyCommand,
  state: RentalSubsidyState,
): RentalSubsidyEvent[] {
  switch (command.type) {
    case 'GrantRentalSubsidy': {
      requireRole(command.officer, '批准租赁补贴');
      const grantId = requireText(command.grantId, 'grantId', '补贴编号');
      const documentNumber = requireText(command.documentNumber, 'documentNumber', '批准文号');
      if (state.status !== 'none') {
        if (state.documentNumber === documentNumber) return [];
        fail('ALREADY_GRANTED', `租赁补贴 ${grantId} 已批准（${state.documentNumber}）`, 409);
      }
      const household = requireHousehold(command.household);
      const jurisdictionCode = requireText(
        command.jurisdictionCode,
        'jurisdictionCode',
        '居住地（村、社区）',
      );
      const category = requireCategory(command.category);
      const firstMonth = requireMonth(command.firstMonth, 'firstMonth', '起始发放月份');
      const today = beijingDayOf(command.now);
      requireInForce(command.table, today, '住房救助政策参数表');
      const refusal = ineligible(category, command.table.content);
      if (refusal) fail('NOT_ELIGIBLE', `category：${refusal}`, 422, { field: 'category' });
      const interval = command.table.content.rentalSubsidy.reviewIntervalMonths;
      return [
        {
          type: 'housing.RentalSubsidyGranted',
          data: {
            grantId,
            household,
            jurisdictionCode,
            householdSize: household.memberIdNumbers.length,
            category,
            firstMonth,
            monthlyFen: monthlyFenFor(household.memberIdNumbers.length, command.table.content),
            reviewIntervalMonths: interval,
            reviewDueFrom: addMonths(firstMonth, interval),
            documentNumber,
            policy: { 'housing-assistance': command.table.version },
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'DisburseMonth': {
      requireRole(command.officer, '发放租赁补贴');
      requireStatus(state, ['active', 'stopped'], '发放租赁补贴');
      const month = requireMonth(command.month, 'month', '发放月份');
      const paymentReference = requireText(command.paymentReference, 'paymentReference', '发放凭证号');
      const already = state.paid[month];
      if (already) {
        // The bank's confirmation delivered twice pays the month once.
        if (already.paymentReference === paymentReference) return [];
        fail('MONTH_ALREADY_PAID', `month：${month} 的租赁补贴已发放（${already.paymentReference}）`, 409, {
          field: 'month',
        });
      }
      if (month < state.firstMonth!) {
        fail('BEFORE_FIRST_MONTH', `month：租赁补贴自 ${state.firstMonth} 起发放`, 422, { field: 'month' });
      }
      const today = beijingDayOf(command.now);
      if (month > monthOf(today)) {
        fail('MONTH_IN_FUTURE', `month：不能预发 ${month} 的租赁补贴`, 422, { field: 'month' });
      }
      if (state.stoppedFrom && month >= state.stoppedFrom) {
        fail(
          'SUBSIDY_STOPPED',
          `month：租赁补贴自 ${state.stoppedFrom} 起停发（${state.stopReasons.join('；')}）`,
          409,
          { field: 'month', stoppedFrom: state.stoppedFrom },
        );
      }
      if (month >= state.reviewDueFrom!) {
        fail(
          'REVIEW_DUE',
          `month：租赁补贴应于 ${state.reviewDueFrom} 前完成定期复核，复核通过后方可发放 ${month} 及以后月份`,
          409,
          { field: 'month', reviewDueFrom: state.reviewDueFrom },
        );
      }
      const paidOn = requireDay(command.paidOn, 'paidOn', '发放日期');
      if (paidOn > today) fail('DATE_IN_FUTURE', 'paidOn：发放日期不能晚于今天', 422, { field: 'paidOn' });
      requireInForce(command.table, `${month}-01`, '住房救助政策参数表');
      const householdSize = sizeIn(state, month);
      return [
        {
          type: 'housing.RentalSubsidyPaid',
          data: {
            grantId: state.grantId!,
            household: state.household!,
            jurisdictionCode: state.jurisdictionCode!,
            month,
            householdSize,
            amountFen: monthlyFenFor(householdSize, command.table.content),
            documentNumber: state.documentNumber!,
            paymentReference,
            paidOn,
            policy: { 'housing-assistance': command.table.version },
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'RecordReview': {
      requireRole(command.officer, '登记定期复核');
      requireStatus(state, ['active'], '登记定期复核');
      const reviewedOn = requireDay(command.reviewedOn, 'reviewedOn', '复核日期');
      const today = beijingDayOf(command.now);
      if (reviewedOn > today)
        fail('DATE_IN_FUTURE', 'reviewedOn：复核日期不能晚于今天', 422, { field: 'reviewedOn' });
      const since = state.lastReviewedOn ?? state.grantedOn!;
      if (reviewedOn < since) {
        fail('DATE_OUT_OF_ORDER', `reviewedOn：复核日期不能早于上次批准或复核日期（${since}）`, 422, {
          field: 'reviewedOn',
        });
      }
      const findings = requireText(command.findings, 'findings', '复核情况');
      const household = requireHousehold(command.household);
      if (household.householdId !== state.household!.householdId) {
        fail('HOUSEHOLD_MISMATCH', 'household.householdId：与租赁补贴家庭不一致', 409, {
          field: 'household.householdId',
        });
      }
      const category = requireCategory(command.category);
      requireInForce(command.table, reviewedOn, '住房救助政策参数表');
      const reasons: string[] = [];
      if (!command.passed) reasons.push(`定期复核未通过：${findings}`);
      const refusal = ineligible(category, command.table.content);
      if (refusal) reasons.push(refusal);
      const passed = reasons.length === 0;
      const reviewMonth = monthOf(reviewedOn);
      const base = {
        grantId: state.grantId!,
        reviewedOn,
        findings,
        household,
        householdSize: household.memberIdNumbers.length,
        category,
        policy: { 'housing-assistance': command.table.version },
        by: command.officer,
        at: command.now,
      };
      if (passed) {
        const interval = command.table.content.rentalSubsidy.reviewIntervalMonths;
        return [
          {
            type: 'housing.RentalSubsidyReviewed',
            data: {
              ...base,
              passed: true,
              sizeFromMonth: addMonths(reviewMonth, 1),
              // An early review does not shorten the period already covered; a late one counts from itself.
              reviewDueFrom: addMonths(later(state.reviewDueFrom!, reviewMonth), interval),
            },
          },
        ];
      }
      return [
        {
          type: 'housing.RentalSubsidyReviewed',
          data: { ...base, passed: false, sizeFromMonth: null, reviewDueFrom: null },
        },
        {
          type: 'housing.RentalSubsidyStopped',
          data: {
            grantId: state.grantId!,
            reason: 'review_failed',
            reasons,
            // The month of the review is still paid, nothing after it; nor anything the review was due for.
            stoppedFrom: earlier(addMonths(reviewMonth, 1), state.reviewDueFrom!),
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    case 'StopSubsidy': {
      requireRole(command.officer, '停发租赁补贴');
      requireStatus(state, ['active'], '停发租赁补贴');
      const reason = requireText(command.reason, 'reason', '停发理由');
      const stoppedFrom = requireMonth(command.stoppedFrom, 'stoppedFrom', '停发起始月份');
      if (stoppedFrom < state.firstMonth!) {
        fail('DATE_OUT_OF_ORDER', `stoppedFrom：停发月份不能早于起始发放月份（${state.firstMonth}）`, 422, {
          field: 'stoppedFrom',
        });
      }
      const paidAfter = Object.keys(state.paid)
        .filter((m) => m >= stoppedFrom)
        .sort();
      if (paidAfter.length > 0) {
        fail(
          'MONTHS_ALREADY_PAID',
          `stoppedFrom：${paidAfter.join('、')} 已发放，停发月份应在其后（已发放的应另行追回）`,
          409,
          {
            field: 'stoppedFrom',
          },
        );
      }
      return [
        {
          type: 'housing.RentalSubsidyStopped',
          data: {
            grantId: state.grantId!,
            reason: 'stopped',
            reasons: [reason],
            stoppedFrom,
            by: command.officer,
            at: command.now,
          },
        },
      ];
    }

    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

export function evolveRentalSubsidy(
  state: RentalSubsidyState,
  event: RentalSubsidyEvent,
): RentalSubsidyState {
  switch (event.type) {
    case 'housing.RentalSubsidyGranted': {
      const d = event.data;
      return {
        ...state,
        status: 'active',
        grantId: d.grantId,
        household: d.household,
        jurisdictionCode: d.jurisdictionCode,
        category: d.category,
        firstMonth: d.firstMonth,
        documentNumber: d.documentNumber,
        grantedOn: beijingDayOf(d.at),
        sizes: [{ fromMonth: d.firstMonth, size: d.householdSize }],
        reviewIntervalMonths: d.reviewIntervalMonths,
        reviewDueFrom: d.reviewDueFrom,
      };
    }
    case 'housing.RentalSubsidyPaid': {
      const d = event.data;
      return {
        ...state,
        paid: { ...state.paid, [d.month]: { amountFen: d.amountFen, paymentReference: d.paymentReference } },
      };
    }
    case 'housing.RentalSubsidyReviewed': {
      const d = event.data;
      if (!d.passed) return { ...state, lastReviewedOn: d.reviewedOn };
      return {
        ...state,
        lastReviewedOn: d.reviewedOn,
        household: d.household,
        category: d.category,
        sizes: [...state.sizes, { fromMonth: d.sizeFromMonth!, size: d.householdSize }],
        reviewDueFrom: d.reviewDueFrom,
      };
    }
    case 'housing.RentalSubsidyStopped':
      return {
        ...state,
        status: 'stopped',
        stoppedFrom: event.data.stoppedFrom,
        stopReasons: event.data.reasons,
      };
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const rentalSubsidyDecider = {
  decide: decideRentalSubsidy,
  evolve: evolveRentalSubsidy,
  initialState: initialRentalSubsidyState,
};
