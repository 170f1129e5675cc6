import { requireMembers, type RegisterVerificationAnswer } from '@platform/assistance-domain';
import type { HouseRenovationEvent } from './house-renovation.decider.js';
import type { PublicRentalEvent } from './public-rental.decider.js';
import type { RentalSubsidyEvent } from './rental-subsidy.decider.js';
import { lastTwelveMonths, yuanOf } from './values.js';

/**
 * The housing department's register of assistance given (救助台账), per household and its members, folded
 * from its events; household economic verification (家庭经济状况核对) is answered from it alone.
 *
 * Housing assistance is given to a household: an entry names the applicant (户主) and carries every member
 * it housed, so that a question about any member finds it.
 */

export type HousingProgramme = 'house_renovation' | 'public_rental_housing' | 'rental_subsidy';

export const PROGRAMME_NAMES: Record<HousingProgramme, string> = {
  house_renovation: '农村危房改造补助',
  public_rental_housing: '公共租赁住房实物配租',
  rental_subsidy: '租赁补贴',
};

export interface HousingRegisterEntry {
  /** The applicant (户主). */
  personIdNumber: string;
  personName: string;
  householdId: string;
  /** Every member the assistance housed, the applicant included. */
  memberIdNumbers: string[];
  programme: HousingProgramme;
  /** Money given, fen; 0 for a public rental unit (assistance in kind). */
  amountFen: number;
  /** Day of payment, or of allocation (Beijing). */
  date: string;
  /** The decision's document number (批准文号, 配租文号). */
  decisionReference: string;
  /** Rental subsidy: the month paid. */
  month: string | null;
  /** The project, application or grant the entry belongs to. */
  subjectId: string;
  /** Where the household lives or the house stands (village or community code). */
  jurisdictionCode: string;
}

export type HousingRegisterEvent = HouseRenovationEvent | PublicRentalEvent | RentalSubsidyEvent;

export function foldHousingRegister(
  entries: readonly HousingRegisterEntry[],
  event: HousingRegisterEvent,
): HousingRegisterEntry[] {
  switch (event.type) {
    case 'housing.RenovationSubsidyPaid': {
      const d = event.data;
      return [
        ...entries,
        {
          personIdNumber: d.household.headIdNumber,
          personName: d.household.headName,
          householdId: d.household.householdId,
          memberIdNumbers: d.household.memberIdNumbers,
          programme: 'house_renovation',
          amountFen: d.amountFen,
          date: d.paidOn,
          decisionReference: d.documentNumber,
          month: null,
          subjectId: d.projectId,
          jurisdictionCode: d.villageCode,
        },
      ];
    }
    case 'housing.PublicRentalUnitAllocated': {
      const d = event.data;
      return [
        ...entries,
        {
          personIdNumber: d.household.headIdNumber,
          personName: d.household.headName,
          householdId: d.household.householdId,
          memberIdNumbers: d.household.memberIdNumbers,
          programme: 'public_rental_housing',
          amountFen: 0,
          date: d.allocatedOn,
          decisionReference: d.documentNumber,
          month: null,
          subjectId: d.applicationId,
          jurisdictionCode: d.jurisdictionCode,
        },
      ];
    }
    case 'housing.RentalSubsidyPaid': {
      const d = event.data;
      return [
        ...entries,
        {
          personIdNumber: d.household.headIdNumber,
          personName: d.household.headName,
          householdId: d.household.householdId,
          memberIdNumbers: d.household.memberIdNumbers,
          programme: 'rental_subsidy',
          amountFen: d.amountFen,
          date: d.paidOn,
          decisionReference: d.documentNumber,
          month: d.month,
          subjectId: d.grantId,
          jurisdictionCode: d.jurisdictionCode,
        },
      ];
    }
    case 'housing.HouseAppraised':
    case 'housing.RenovationRefused':
    case 'housing.RenovationApproved':
    case 'housing.RenovationStarted':
    case 'housing.RenovationCompleted':
    case 'housing.RenovationAccepted':
    case 'housing.RenovationAcceptanceFailed':
    case 'housing.PublicRentalApplicationQueued':
    case 'housing.PublicRentalCategoryChanged':
    case 'housing.PublicRentalApplicationRemoved':
    case 'housing.RentalSubsidyGranted':
    case 'housing.RentalSubsidyReviewed':
    case 'housing.RentalSubsidyStopped':
      return entries as HousingRegisterEntry[];
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const housingRegisterOf = (events: readonly HousingRegisterEvent[]): HousingRegisterEntry[] =>
  events.reduce<HousingRegisterEntry[]>(foldHousingRegister, []);

// ---------------------------------------------------------------------------------------------------
// Verification

/** One item of housing assistance, as the verification contract lets housing describe it. */
export type HousingAnswerItem =
  | {
      programme: 'house_renovation';
      /** The members asked about that it covered. */
      memberIdNumbers: string[];
      paidOn: string;
      amountYuan: number;
    }
  | { programme: 'public_rental_housing'; memberIdNumbers: string[]; allocatedOn: string }
  | {
      programme: 'rental_subsidy';
      memberIdNumbers: string[];
      /** Months paid in the last twelve months, and their total. */
      months: number;
      amountYuan: number;
    };

/**
 * On record, `period` is the window of the rental subsidy; renovation and public rental housing are
 * answered whatever their date.
 */
export type HousingVerificationAnswer = RegisterVerificationAnswer<'housing', { items: HousingAnswerItem[] }>;

/**
 * 核对回复: the housing assistance the members asked about have received — a renovated house and a public
 * rental unit whenever they were given up to `asOf` (they describe the household's housing), the rental
 * subsidy paid in the twelve months up to it (it is income-like). No addresses, units or references.
 */
export function answerVerification(
  entries: readonly HousingRegisterEntry[],
  memberIdNumbers: readonly string[],
  asOf: string,
): HousingVerificationAnswer {
  const members = requireMembers(memberIdNumbers, asOf);
  const period = lastTwelveMonths(asOf);
  const asked = (e: HousingRegisterEntry) =>
    members.filter((m) => m === e.personIdNumber || e.memberIdNumbers.includes(m));
  const items: HousingAnswerItem[] = [];
  const subsidies = new Map<string, { members: Set<string>; months: number; fen: number }>();
  for (const e of entries) {
    const who = asked(e);
    if (who.length === 0 || e.date > asOf) continue;
    if (e.programme === 'house_renovation') {
      items.push({
        programme: e.programme,
        memberIdNumbers: who,
        paidOn: e.date,
        amountYuan: yuanOf(e.amountFen),
      });
    } else if (e.programme === 'public_rental_housing') {
      items.push({ programme: e.programme, memberIdNumbers: who, allocatedOn: e.date });
    } else if (e.date >= period.from) {
      // One line per household's subsidy: months and total in the window.
      const s = subsidies.get(e.householdId) ?? { members: new Set<string>(), months: 0, fen: 0 };
      who.forEach((m) => s.members.add(m));
      s.months += 1;
      s.fen += e.amountFen;
      subsidies.set(e.householdId, s);
    }
  }
  for (const s of subsidies.values()) {
    items.push({
      programme: 'rental_subsidy',
      memberIdNumbers: members.filter((m) => s.members.has(m)),
      months: s.months,
      amountYuan: yuanOf(s.fen),
    });
  }
  if (items.length === 0) {
    return {
      department: 'housing',
      result: 'nothing_on_record',
      asOf,
      period,
      statement: `经查询，截至 ${asOf}，住房和城乡建设部门无被核对人员享受农村危房改造补助、公共租赁住房实物配租的记录，${period.from} 至 ${period.to} 期间无租赁补贴发放记录。`,
    };
  }
  return { department: 'housing', result: 'on_record', asOf, period, items };
}
