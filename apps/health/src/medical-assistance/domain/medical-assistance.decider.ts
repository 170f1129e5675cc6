import type { MedicalAssistanceTable } from '@platform/policy';
import {
  beijingDayOf,
  fail,
  fenOf,
  percentOf,
  requireDay,
  requireInForce,
  requireText,
  tableFen,
  yuanText,
  type Officer,
  type TableVersion,
} from './values.js';

/**
 * Medical assistance (医疗救助) of one person, one stream per person (`medical-assistance-<personKey>`):
 * the person's assistance categories as dated facts, and every claim assessed for them.
 *
 * Why one aggregate per person, and not per person-year or a register state passed in: the annual cap and
 * the annual deductible are only safe if two claims of the same person are never decided against the same
 * totals — the stream version makes the second one re-decide on the first one's result. A register passed
 * in could be stale; a person-year stream could not see a category granted in an earlier year and still
 * in force. A person has a handful of claims a year, so the stream stays short.
 *
 * A claim's assistance: in-policy out-of-pocket (政策范围内个人自付 = in-policy cost − basic medical
 * insurance − critical-illness insurance) less what remains of the year's deductible, × the ratio of the
 * person's category on the date of service, within what remains of the category's annual cap. The year
 * is the calendar year (Beijing) of the date of service; the totals of the year are the person's, whatever
 * category they were paid under, so a change of category mid-year keeps what was already paid and met.
 *
 * Pure: time, the officer and the `medical-assistance` table version in force on the date of service come
 * in with each command; events record the version they applied.
 */

export type MedicalCategory = keyof MedicalAssistanceTable['categories'];
/** Categories a dated fact can grant; `other` is what applies when none is in force. */
export type GrantedCategory = Exclude<MedicalCategory, 'other'>;

export const CATEGORY_NAMES: Record<MedicalCategory, string> = {
  special_hardship: '特困人员',
  dibao: '低保对象',
  low_income_margin: '低保边缘家庭成员',
  poverty_monitoring: '防止返贫监测对象',
  impoverished_by_illness: '因病致贫重病患者',
  other: '其他人员',
};

const GRANTED_CATEGORIES = Object.keys(CATEGORY_NAMES).filter((c) => c !== 'other') as GrantedCategory[];

export interface Person {
  idNumber: string;
  /** Empty while only category facts are known: other departments name people by ID number only. */
  name: string;
  /** The household the person belongs to (intake's household), when known. */
  householdId: string | null;
}

/** granted / changed: the category applies from the date; suspended: no category from the date. */
export type CategoryFactKind = 'granted' | 'changed' | 'suspended';

export const FACT_NAMES: Record<CategoryFactKind, string> = {
  granted: '认定',
  changed: '变更',
  suspended: '停止',
};

export interface ClaimCosts {
  /** 医疗总费用 */
  totalCostYuan: number;
  /** 政策范围内费用 */
  inPolicyCostYuan: number;
  /** 基本医疗保险支付 */
  basicInsurancePaidYuan: number;
  /** 大病保险支付 */
  criticalIllnessInsurancePaidYuan: number;
}

// ---------------------------------------------------------------------------------------------------
// Commands

export type MedicalAssistanceCommand =
  | {
      /** A category fact from the department that decides it (civil affairs, rural revitalisation …). */
      type: 'RecordCategory';
      factId: string;
      person: Person;
      kind: CategoryFactKind;
      /** The category granted or changed to; null for a suspension. */
      category: GrantedCategory | null;
      effectiveFrom: string;
      /** Where the fact comes from, as an officer reads it: 临河区民政局 低保审批决定 临河区民保决〔2026〕12号. */
      source: string;
      now: string;
    }
  | ({
      /** A settlement (一站式结算) or a claim brought to the window: assessed once, by its number. */
      type: 'AssessClaim';
      claimId: string;
      person: Person;
      /** 结算日期: the day the care was settled (discharge), Beijing. Its year is the claim's year. */
      serviceDate: string;
      /**
       * The county (12-digit code) whose medical assistance pays the claim — where the person is insured;
       * its officers decide and see it. Checked against the jurisdiction tree by the handler.
       */
      countyCode: string;
      hospital: string;
      /** The diagnosis is a serious illness on the region's list (重特大疾病), as the hospital certifies. */
      seriousIllness: boolean;
      /** The version of `medical-assistance` in force on the date of service. */
      table: TableVersion<MedicalAssistanceTable>;
      officer: Officer;
      now: string;
    } & ClaimCosts);

// ---------------------------------------------------------------------------------------------------
// Events

export interface CategoryFactData {
  factId: string;
  person: Person;
  kind: CategoryFactKind;
  category: GrantedCategory | null;
  effectiveFrom: string;
  source: string;
  /** Claims already assessed on or after the effective date: decided under the category known then. */
  claimsAlreadyAssessed: string[];
  at: string;
}

export interface ClaimAssessedData {
  claimId: string;
  person: Person;
  serviceDate: string;
  /** The calendar year (Beijing) the claim counts in. */
  year: string;
  countyCode: string;
  hospital: string;
  seriousIllness: boolean;
  totalCostFen: number;
  inPolicyCostFen: number;
  basicInsurancePaidFen: number;
  criticalIllnessInsurancePaidFen: number;
  /** 政策范围内个人自付 */
  inPolicyOutOfPocketFen: number;
  /** The category in force on the date of service, and the fact that put it there (null: none). */
  category: MedicalCategory;
  categoryFactId: string | null;
  ratioPercent: number;
  annualDeductibleFen: number;
  /** Out-of-pocket this claim counted towards the year's deductible. */
  deductibleAppliedFen: number;
  annualCapFen: number;
  /** Assistance already paid to the person in the year, before this claim. */
  paidInYearBeforeFen: number;
  /** Ratio × (out-of-pocket − deductible applied), before the cap. */
  computedFen: number;
  /** 救助金额: what the person receives. */
  assistanceFen: number;
  capReached: boolean;
  /** 个人负担: the total cost less insurance and assistance. */
  personalPaymentFen: number;
  /** How the amount came about, for the officer and the person (Chinese). */
  explanation: string[];
  policy: { 'medical-assistance': number };
  by: Officer;
  at: string;
}

export type MedicalAssistanceEvent =
  | { type: 'health.MedicalCategoryRecorded'; data: CategoryFactData }
  | { type: 'health.MedicalClaimAssessed'; data: ClaimAssessedData };

// ---------------------------------------------------------------------------------------------------
// State

export interface YearTotals {
  paidFen: number;
  deductibleMetFen: number;
  claims: number;
}

export interface MedicalAssistanceState {
  person: Person | null;
  /** In the order recorded; `categoryOn` reads them by effective date. */
  facts: CategoryFactData[];
  claims: ClaimAssessedData[];
  years: Record<string, YearTotals>;
}

export const initialMedicalAssistanceState = (): MedicalAssistanceState => ({
  person: null,
  facts: [],
  claims: [],
  years: {},
});

const EMPTY_YEAR: YearTotals = { paidFen: 0, deductibleMetFen: 0, claims: 0 };

/**
 * The category in force on `day`: the fact with the latest effective date on or before it (of two on the
 * same date, the one recorded later); a suspension, or no fact at all, leaves none.
 */
export function categoryOn(
  state: Pick<MedicalAssistanceState, 'facts'>,
  day: string,
): { category: GrantedCategory; factId: string } | null {
  let best: CategoryFactData | null = null;
  for (const f of state.facts) {
    if (f.effectiveFrom > day) continue;
    if (!best || f.effectiveFrom >= best.effectiveFrom) best = f;
  }
  return best && best.kind !== 'suspended' && best.category
    ? { category: best.category, factId: best.factId }
    : null;
}

export const yearTotals = (state: MedicalAssistanceState, year: string): YearTotals =>
  state.years[year] ?? EMPTY_YEAR;

// ---------------------------------------------------------------------------------------------------
// Rules

const ASSESSORS = ['health_officer'];

/**
 * The person a command names, checked against the stream's. A category fact may come without a name (other
 * departments' messages carry ID numbers only); a claim always names the person.
 */
function samePerson(state: MedicalAssistanceState, person: Person, nameRequired: boolean): Person {
  const idNumber = requireText(person?.idNumber, 'person.idNumber', '身份证号码');
  const name = nameRequired
    ? requireText(person?.name, 'person.name', '姓名')
    : person?.name?.trim() || state.person?.name || '';
  if (state.person && state.person.idNumber !== idNumber) {
    fail('PERSON_MISMATCH', 'person.idNumber：与该医疗救助档案的身份证号码不一致', 409, {
      field: 'person.idNumber',
    });
  }
  return { idNumber, name, householdId: person.householdId ?? state.person?.householdId ?? null };
}

function sameFact(a: CategoryFactData, c: Extract<MedicalAssistanceCommand, { type: 'RecordCategory' }>) {
  return (
    a.kind === c.kind &&
    a.category === (c.category ?? null) &&
    a.effectiveFrom === c.effectiveFrom &&
    a.person.idNumber === c.person.idNumber
  );
}

function sameClaim(a: ClaimAssessedData, c: Extract<MedicalAssistanceCommand, { type: 'AssessClaim' }>) {
  return (
    a.serviceDate === c.serviceDate &&
    a.person.idNumber === c.person.idNumber &&
    a.totalCostFen === fenOf(c.totalCostYuan, 'totalCostYuan', '医疗总费用') &&
    a.inPolicyCostFen === fenOf(c.inPolicyCostYuan, 'inPolicyCostYuan', '政策范围内费用') &&
    a.basicInsurancePaidFen === fenOf(c.basicInsurancePaidYuan, 'basicInsurancePaidYuan', '基本医保支付') &&
    a.criticalIllnessInsurancePaidFen ===
      fenOf(c.criticalIllnessInsurancePaidYuan, 'criticalIllnessInsurancePaidYuan', '大病保险支付')
  );
}

/** The assistance of a claim, in fen, from the person's year so far and the table row of their category. */
export function assessClaim(input: {
  inPolicyOutOfPocketFen: number;
  category: MedicalCategory;
  row: MedicalAssistanceTable['categories'][MedicalCategory];
  year: YearTotals;
}): Pick<
  ClaimAssessedData,
  | 'ratioPercent'
  | 'annualDeductibleFen'
  | 'deductibleAppliedFen'
  | 'annualCapFen'
  | 'paidInYearBeforeFen'
  | 'computedFen'
  | 'assistanceFen'
  | 'capReached'
  | 'explanation'
> {
  const { row, year } = input;
  const oop = input.inPolicyOutOfPocketFen;
  const annualDeductibleFen = tableFen(row.annualDeductibleYuan);
  const annualCapFen = tableFen(row.annualCapYuan);
  const deductibleLeft = Math.max(0, annualDeductibleFen - year.deductibleMetFen);
  const deductibleAppliedFen = Math.min(oop, deductibleLeft);
  const computedFen = percentOf(oop - deductibleAppliedFen, row.ratioPercent);
  const room = Math.max(0, annualCapFen - year.paidFen);
  const assistanceFen = Math.min(computedFen, room);
  // Reached when the cap limited this claim or this claim used exactly what was left of it.
  const capReached = computedFen > 0 && computedFen >= room;
  const name = CATEGORY_NAMES[input.category];
  const explanation = [`政策范围内个人自付 ${yuanText(oop)}，按${name}救助比例 ${row.ratioPercent}%`];
  if (annualDeductibleFen > 0) {
    explanation.push(
      `年度起付线 ${yuanText(annualDeductibleFen)}，本年度此前已累计 ${yuanText(Math.min(year.deductibleMetFen, annualDeductibleFen))}，本次计入起付线 ${yuanText(deductibleAppliedFen)}`,
    );
  }
  if (row.ratioPercent === 0) explanation.push(`${name}的救助比例为 0，不予救助`);
  if (computedFen > room) {
    explanation.push(
      `年度救助限额 ${yuanText(annualCapFen)}，本年度此前已救助 ${yuanText(year.paidFen)}，本次按剩余额度 ${yuanText(assistanceFen)} 救助`,
    );
  } else if (capReached) {
    explanation.push(`本次救助后达到年度救助限额 ${yuanText(annualCapFen)}`);
  }
  explanation.push(`救助金额 ${yuanText(assistanceFen)}`);
  return {
    ratioPercent: row.ratioPercent,
    annualDeductibleFen,
    deductibleAppliedFen,
    annualCapFen,
    paidInYearBeforeFen: year.paidFen,
    computedFen,
    assistanceFen,
    capReached,
    explanation,
  };
}

export function decideMedicalAssistance(
  command: MedicalAssistanceCommand,
  state: MedicalAssistanceState,
): MedicalAssistanceEvent[] {
  switch (command.type) {
    case 'RecordCategory': {
      const factId = requireText(command.factId, 'factId', '类别记录编号');
      const person = samePerson(state, command.person, false);
      requireDay(command.effectiveFrom, 'effectiveFrom', '生效日期');
      const source = requireText(command.source, 'source', '类别依据');
      if (!(command.kind in FACT_NAMES)) {
        fail('FACT_KIND_INVALID', 'kind：应为 granted（认定）、changed（变更）或 suspended（停止）', 422, {
          field: 'kind',
        });
      }
      if (
        command.kind === 'suspended'
          ? command.category !== null
          : !GRANTED_CATEGORIES.includes(command.category!)
      ) {
        fail(
          'CATEGORY_INVALID',
          command.kind === 'suspended'
            ? 'category：停止救助对象类别时不应填写类别'
            : `category：救助对象类别应为 ${GRANTED_CATEGORIES.map((c) => `${c}（${CATEGORY_NAMES[c]}）`).join('、')} 之一`,
          422,
          { field: 'category' },
        );
      }
      // Facts arrive from other departments' messages: a redelivery is answered with nothing.
      const known = state.facts.find((f) => f.factId === factId);
      if (known) {
        if (sameFact(known, command)) return [];
        fail('FACT_CONFLICT', `factId：类别记录 ${factId} 已以不同内容记录`, 409, { field: 'factId' });
      }
      return [
        {
          type: 'health.MedicalCategoryRecorded',
          data: {
            factId,
            person,
            kind: command.kind,
            category: command.category,
            effectiveFrom: command.effectiveFrom,
            source,
            claimsAlreadyAssessed: state.claims
              .filter((c) => c.serviceDate >= command.effectiveFrom)
              .map((c) => c.claimId),
            at: command.now,
          },
        },
      ];
    }

    case 'AssessClaim': {
      if (!ASSESSORS.includes(command.officer.role)) {
        fail('ROLE_NOT_ALLOWED', '当前角色不能核定医疗救助', 403, {
          permission: 'medical-assistance:assess',
        });
      }
      const claimId = requireText(command.claimId, 'claimId', '结算单号');
      const person = samePerson(state, command.person, true);
      const known = state.claims.find((c) => c.claimId === claimId);
      if (known) {
        // The same settlement sent again is answered with nothing; different figures are a conflict.
        if (sameClaim(known, command)) return [];
        fail('CLAIM_CONFLICT', `claimId：结算单 ${claimId} 已核定，且费用与本次不一致`, 409, {
          field: 'claimId',
        });
      }
      const serviceDate = requireDay(command.serviceDate, 'serviceDate', '结算日期');
      if (serviceDate > beijingDayOf(command.now)) {
        fail('SERVICE_DATE_IN_FUTURE', 'serviceDate：结算日期不能晚于今天', 422, { field: 'serviceDate' });
      }
      const countyCode = requireText(command.countyCode, 'countyCode', '救助地旗县区');
      const hospital = requireText(command.hospital, 'hospital', '医疗机构');
      requireInForce(command.table, serviceDate, '医疗救助政策参数表');
      const totalCostFen = fenOf(command.totalCostYuan, 'totalCostYuan', '医疗总费用');
      const inPolicyCostFen = fenOf(command.inPolicyCostYuan, 'inPolicyCostYuan', '政策范围内费用');
      const basicInsurancePaidFen = fenOf(
        command.basicInsurancePaidYuan,
        'basicInsurancePaidYuan',
        '基本医保支付',
      );
      const criticalIllnessInsurancePaidFen = fenOf(
        command.criticalIllnessInsurancePaidYuan,
        'criticalIllnessInsurancePaidYuan',
        '大病保险支付',
      );
      if (inPolicyCostFen > totalCostFen) {
        fail('IN_POLICY_EXCEEDS_TOTAL', 'inPolicyCostYuan：政策范围内费用不能超过医疗总费用', 422, {
          field: 'inPolicyCostYuan',
        });
      }
      // Both insurances pay within the policy scope only: more than it means the figures are wrong.
      if (basicInsurancePaidFen + criticalIllnessInsurancePaidFen > inPolicyCostFen) {
        fail(
          'INSURANCE_EXCEEDS_IN_POLICY',
          'basicInsurancePaidYuan / criticalIllnessInsurancePaidYuan：基本医保与大病保险支付合计不能超过政策范围内费用',
          422,
          { field: 'basicInsurancePaidYuan' },
        );
      }
      const inPolicyOutOfPocketFen =
        inPolicyCostFen - basicInsurancePaidFen - criticalIllnessInsurancePaidFen;
      const inForce = categoryOn(state, serviceDate);
      const category: MedicalCategory = inForce?.category ?? 'other';
      const year = serviceDate.slice(0, 4);
      const assessed = assessClaim({
        inPolicyOutOfPocketFen,
        category,
        row: command.table.content.categories[category],
        year: yearTotals(state, year),
      });
      if (!inForce)
        assessed.explanation.unshift(
          `结算日（${serviceDate}）无在册救助对象类别，按${CATEGORY_NAMES.other}标准`,
        );
      return [
        {
          type: 'health.MedicalClaimAssessed',
          data: {
            claimId,
            person,
            serviceDate,
            year,
            countyCode,
            hospital,
            seriousIllness: command.seriousIllness === true,
            totalCostFen,
            inPolicyCostFen,
            basicInsurancePaidFen,
            criticalIllnessInsurancePaidFen,
            inPolicyOutOfPocketFen,
            category,
            categoryFactId: inForce?.factId ?? null,
            ...assessed,
            personalPaymentFen:
              totalCostFen - basicInsurancePaidFen - criticalIllnessInsurancePaidFen - assessed.assistanceFen,
            policy: { 'medical-assistance': command.table.version },
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

export function evolveMedicalAssistance(
  state: MedicalAssistanceState,
  event: MedicalAssistanceEvent,
): MedicalAssistanceState {
  switch (event.type) {
    case 'health.MedicalCategoryRecorded':
      return { ...state, person: state.person ?? event.data.person, facts: [...state.facts, event.data] };
    case 'health.MedicalClaimAssessed': {
      const d = event.data;
      const year = yearTotals(state, d.year);
      return {
        ...state,
        // A claim names the person in full: their name (and household, once known) as last recorded.
        person: { ...d.person, householdId: d.person.householdId ?? state.person?.householdId ?? null },
        claims: [...state.claims, d],
        years: {
          ...state.years,
          [d.year]: {
            paidFen: year.paidFen + d.assistanceFen,
            deductibleMetFen: year.deductibleMetFen + d.deductibleAppliedFen,
            claims: year.claims + 1,
          },
        },
      };
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const medicalAssistanceDecider = {
  decide: decideMedicalAssistance,
  evolve: evolveMedicalAssistance,
  initialState: initialMedicalAssistanceState,
};

// ---------------------------------------------------------------------------------------------------
// Reading a person's record

/** assisted: paid within the cap; capped: the cap limited or was reached by it; none: nothing payable. */
export type ClaimStatus = 'assisted' | 'capped' | 'none';

export const CLAIM_STATUS_NAMES: Record<ClaimStatus, string> = {
  assisted: '已救助',
  capped: '已救助（达到年度限额）',
  none: '无救助金额',
};

export const CLAIM_STATUSES = Object.keys(CLAIM_STATUS_NAMES) as ClaimStatus[];

export function claimStatusOf(claim: Pick<ClaimAssessedData, 'assistanceFen' | 'capReached'>): ClaimStatus {
  if (claim.assistanceFen === 0) return 'none';
  return claim.capReached ? 'capped' : 'assisted';
}

/** Where a person stands in the calendar year of `day`: the category then, its cap and what is left of it. */
export interface YearStanding {
  year: string;
  category: MedicalCategory;
  categoryFactId: string | null;
  ratioPercent: number;
  annualCapFen: number;
  paidFen: number;
  remainingFen: number;
  annualDeductibleFen: number;
  deductibleMetFen: number;
  deductibleRemainingFen: number;
  claims: number;
  policyVersion: number;
}

/**
 * What a claim settled on `day` would be assessed against: the category in force that day and the
 * row of the table version in force that day, less what the year has already paid and met.
 */
export function standingOn(
  state: MedicalAssistanceState,
  table: TableVersion<MedicalAssistanceTable>,
  day: string,
): YearStanding {
  const inForce = categoryOn(state, day);
  const category: MedicalCategory = inForce?.category ?? 'other';
  const row = table.content.categories[category];
  const year = day.slice(0, 4);
  const totals = yearTotals(state, year);
  const annualCapFen = tableFen(row.annualCapYuan);
  const annualDeductibleFen = tableFen(row.annualDeductibleYuan);
  return {
    year,
    category,
    categoryFactId: inForce?.factId ?? null,
    ratioPercent: row.ratioPercent,
    annualCapFen,
    paidFen: totals.paidFen,
    remainingFen: Math.max(0, annualCapFen - totals.paidFen),
    annualDeductibleFen,
    deductibleMetFen: Math.min(totals.deductibleMetFen, annualDeductibleFen),
    deductibleRemainingFen: Math.max(0, annualDeductibleFen - totals.deductibleMetFen),
    claims: totals.claims,
    policyVersion: table.version,
  };
}
