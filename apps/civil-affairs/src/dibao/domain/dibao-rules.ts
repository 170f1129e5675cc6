/**
 * The numbers of the dibao and special-hardship procedure (最低生活保障审核确认办法, 特困人员认定办法) as
 * one typed object, injected into the handlers and handed to the decider with each command; every event
 * records which version it applied (`rules: 'dibao-procedure/1'`).
 *
 * The values are the versioned policy table `dibao-procedure` (`libs/policy`), changed by administrators
 * with an effective date; handlers read the version in force and hand it to the decider.
 */

/** A share as a fraction of integers, so that 8 of 12 is exactly 2/3 (no floating point). */
export interface Fraction {
  numerator: number;
  denominator: number;
}

/** How the monthly allowance is rounded to the yuan. */
export type Rounding = 'half_up' | 'up' | 'down';

export type SupplementKind = 'elderly' | 'disabled' | 'serious_illness' | 'minor';

export interface DibaoProcedureRules {
  /** Recorded in every event as `rules`. */
  version: string;
  /** 入户调查: working days from acceptance. */
  investigationWorkingDays: number;
  /** Investigators a household visit needs at least. */
  minInvestigators: number;
  /** 乡镇审核: working days from acceptance, notice days not counted; extendable once. */
  townshipReviewWorkingDays: number;
  townshipReviewExtensionWorkingDays: number;
  /** 公示: calendar days each notice runs. */
  noticeDays: number;
  /** 旗县区审批: working days from receiving the township's opinion, notice days not counted; extendable once. */
  countyDecisionWorkingDays: number;
  countyDecisionExtensionWorkingDays: number;
  /** 异议: working days the county has to re-verify and decide. */
  objectionWorkingDays: number;
  /** 入户抽查: at least this percentage of a county's applications in a month (staff-relative ones: all). */
  spotCheckPercent: number;
  /** 民主评议: valid only when at least this share of those due attend… */
  appraisalQuorum: Fraction;
  /** …and passes only when at least this share of those attending agree. */
  appraisalAgreement: Fraction;
  rounding: Rounding;
  /** Monthly supplements per person for special groups (dibao), in yuan. */
  supplements: {
    elderly: { minAge: number; monthly: number };
    disabled: { monthly: number };
    serious_illness: { monthly: number };
    minor: { maxAge: number; monthly: number };
  };
  /** A person in several groups gets the sum of the supplements, or the highest one. */
  supplementStacking: 'sum' | 'highest';
  /** Counties that delegated the final decision to their townships (审核确认权限下放). */
  townshipConfirmationCounties?: string[];
}

/** The shipped first version of the table, as the specs use it (decisions read the policy table). */
export const DEFAULT_DIBAO_RULES: DibaoProcedureRules = {
  version: 'dibao-procedure/1',
  investigationWorkingDays: 10,
  minInvestigators: 2,
  townshipReviewWorkingDays: 15,
  townshipReviewExtensionWorkingDays: 15,
  noticeDays: 7,
  countyDecisionWorkingDays: 10,
  countyDecisionExtensionWorkingDays: 10,
  objectionWorkingDays: 20,
  spotCheckPercent: 30,
  appraisalQuorum: { numerator: 2, denominator: 3 },
  appraisalAgreement: { numerator: 2, denominator: 3 },
  rounding: 'half_up',
  supplements: {
    elderly: { minAge: 60, monthly: 50 },
    disabled: { monthly: 80 },
    serious_illness: { monthly: 100 },
    minor: { maxAge: 17, monthly: 50 },
  },
  supplementStacking: 'sum',
};

/** At least `share` of `whole`, in integers: 8 of 12 is 2/3, 7 of 11 is not. */
export function atLeast(part: number, whole: number, share: Fraction): boolean {
  return part * share.denominator >= whole * share.numerator;
}

export const SUPPLEMENT_NAMES: Record<SupplementKind, string> = {
  elderly: '老年人',
  disabled: '残疾人',
  serious_illness: '重病患者',
  minor: '未成年人',
};
