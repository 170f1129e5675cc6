import { categoryName } from './household.js';
import { fail, isDay, requireDay, requireText } from './values.js';

/**
 * A person's assistance category as civil affairs decided it (低保, 特困人员), kept by housing as dated
 * facts, one stream per person. Housing does not decide these categories: civil affairs publishes them
 * (`civil-affairs.RecipientCategoryChanged`) and housing records each message once. The other categories
 * housing's table names (低保边缘家庭, 防止返贫监测对象 …) are certified by other bodies and declared by the
 * officer with the papers; dibao and special hardship are never taken on an officer's word.
 *
 * Pure: the message id (the fact's id), the day and the time come in with the command.
 */

export const CIVIL_AFFAIRS_CATEGORIES = ['special_hardship', 'dibao'] as const;
export type CivilAffairsCategory = (typeof CIVIL_AFFAIRS_CATEGORIES)[number];

export const isCivilAffairsCategory = (c: string | null | undefined): c is CivilAffairsCategory =>
  (CIVIL_AFFAIRS_CATEGORIES as readonly string[]).includes(c ?? '');

export interface CategoryFact {
  factId: string;
  /** null: no longer dibao or special hardship from `from`. */
  category: CivilAffairsCategory | null;
  from: string;
}

export interface CategoryFactCommand {
  type: 'RecordCategoryFact';
  factId: string;
  idNumber: string;
  category: CivilAffairsCategory | null;
  effectiveFrom: string;
  /** Civil affairs' household (its dibao or special-hardship application) the fact came with. */
  civilAffairsHouseholdId: string;
  reason: string;
  now: string;
}

export interface CategoryFactEvent {
  type: 'housing.RecipientCategoryRecorded';
  data: {
    factId: string;
    idNumber: string;
    category: CivilAffairsCategory | null;
    effectiveFrom: string;
    civilAffairsHouseholdId: string;
    reason: string;
    at: string;
  };
}

export interface CategoryFactState {
  idNumber: string | null;
  /** In the order recorded. */
  facts: CategoryFact[];
}

export const initialCategoryFactState = (): CategoryFactState => ({ idNumber: null, facts: [] });

export function decideCategoryFact(
  command: CategoryFactCommand,
  state: CategoryFactState,
): CategoryFactEvent[] {
  const factId = requireText(command.factId, 'factId', '类别记录编号');
  const idNumber = requireText(command.idNumber, 'idNumber', '身份证号码');
  const effectiveFrom = requireDay(command.effectiveFrom, 'effectiveFrom', '生效日期');
  if (command.category !== null && !isCivilAffairsCategory(command.category)) {
    fail('CATEGORY_INVALID', 'category：民政认定类别应为 dibao 或 special_hardship', 422, {
      field: 'category',
    });
  }
  if (state.idNumber && state.idNumber !== idNumber) {
    fail('PERSON_MISMATCH', 'idNumber：与该类别记录的身份证号码不一致', 409, { field: 'idNumber' });
  }
  // The same message delivered twice records nothing more.
  if (state.facts.some((f) => f.factId === factId)) return [];
  return [
    {
      type: 'housing.RecipientCategoryRecorded',
      data: {
        factId,
        idNumber,
        category: command.category,
        effectiveFrom,
        civilAffairsHouseholdId: command.civilAffairsHouseholdId,
        reason: command.reason,
        at: command.now,
      },
    },
  ];
}

export function evolveCategoryFact(state: CategoryFactState, event: CategoryFactEvent): CategoryFactState {
  const d = event.data;
  return {
    idNumber: d.idNumber,
    facts: [...state.facts, { factId: d.factId, category: d.category, from: d.effectiveFrom }],
  };
}

export const categoryFactDecider = {
  decide: decideCategoryFact,
  evolve: evolveCategoryFact,
  initialState: initialCategoryFactState,
};

/** The person's civil-affairs category on `day`: the latest fact from on or before it (of one day, the later recorded). */
export function personCategoryOn(state: CategoryFactState, day: string): CivilAffairsCategory | null {
  let best: CategoryFact | null = null;
  for (const f of state.facts) if (f.from <= day && (!best || f.from >= best.from)) best = f;
  return best?.category ?? null;
}

/**
 * The household's civil-affairs category on `day`: special hardship if any member is supported as such,
 * else dibao if any member's household receives it, else none.
 */
export function householdCategoryOn(
  members: readonly CategoryFactState[],
  day: string,
): CivilAffairsCategory | null {
  const held = new Set(members.map((m) => personCategoryOn(m, day)));
  return CIVIL_AFFAIRS_CATEGORIES.find((c) => held.has(c)) ?? null;
}

/**
 * The category a housing rule applies: civil affairs' when it has one for the household on the day;
 * otherwise the one the officer declared (never dibao or special hardship: those only civil affairs
 * certifies), or 'other'.
 */
export function resolveCategory(
  civil: CivilAffairsCategory | null,
  declared: string | null | undefined,
  day: string,
  field = 'category',
): string {
  if (civil) return civil;
  const d = declared?.trim() || 'other';
  if (isCivilAffairsCategory(d)) {
    fail(
      'CATEGORY_NOT_CERTIFIED',
      `${field}：民政部门无该家庭成员于 ${isDay(day) ? day : '当日'} 享受${categoryName(d)}待遇的记录，不能按${categoryName(d)}办理`,
      422,
      { field },
    );
  }
  return d;
}

/**
 * A waiting household's category after a civil-affairs fact: civil affairs' if it has one, otherwise the
 * category declared when it joined unless that was itself civil affairs' (then: other).
 */
export function categoryAfterCivilFact(civil: CivilAffairsCategory | null, declaredAtJoin: string): string {
  if (civil) return civil;
  return isCivilAffairsCategory(declaredAtJoin) ? 'other' : declaredAtJoin;
}
