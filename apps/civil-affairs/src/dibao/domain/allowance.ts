import { versionInForce, type PolicyVersion } from '@platform/policy';
import type { DibaoProcedureRules, Rounding, SupplementKind } from './dibao-rules.js';

/**
 * The monthly allowance (保障金) of an approved application. Pure; amounts are computed in fen (integers)
 * and rounded to the yuan once, at the end, by the rule in `DibaoProcedureRules`.
 *
 * dibao: (standard − monthly per-capita income) × members = standard × members − household income, plus
 * the supplements of special groups; special hardship: the support standard × persons supported.
 */

export type Program = 'dibao' | 'special_hardship';
export type Area = 'urban' | 'rural';

export const PROGRAM_NAMES: Record<Program, string> = {
  dibao: '最低生活保障',
  special_hardship: '特困人员救助供养',
};

export const AREA_NAMES: Record<Area, string> = { urban: '城市', rural: '农村' };

/** A county's row of the `allowance-standards` policy table (yuan per person per month). */
export interface AllowanceStandard {
  urbanDibaoMonthly: number;
  ruralDibaoMonthly: number;
  specialHardshipMonthly: number;
}

export interface AllowanceMember {
  name: string;
  idNumber: string;
  disabled: boolean;
  seriousIllness: boolean;
}

export interface SupplementLine {
  idNumber: string;
  name: string;
  kinds: SupplementKind[];
  amount: number;
}

export interface Allowance {
  program: Program;
  area: Area;
  /** The standard applied, yuan per person per month. */
  standardMonthly: number;
  members: number;
  householdMonthlyIncome: number;
  /** Monthly per-capita income, to the fen. */
  perCapitaIncome: number;
  /** Before supplements and rounding, yuan (to the fen). */
  base: number;
  supplements: SupplementLine[];
  supplementTotal: number;
  /** The monthly amount granted, whole yuan. */
  monthlyAmount: number;
  rounding: Rounding;
}

const fen = (yuan: number) => Math.round(yuan * 100);

export function roundToYuan(amountFen: number, rounding: Rounding): number {
  switch (rounding) {
    case 'half_up':
      return Math.floor((amountFen + 50) / 100);
    case 'up':
      return Math.ceil(amountFen / 100);
    case 'down':
      return Math.floor(amountFen / 100);
    default: {
      const never: never = rounding;
      throw new Error(`unknown rounding ${String(never)}`);
    }
  }
}

/** Birth date (YYYY-MM-DD) from an 18-digit resident ID number, or null when it carries none. */
export function birthDateOf(idNumber: string): string | null {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(idNumber);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** Full years of age on `day` (YYYY-MM-DD), from the ID number; null when unknown. */
export function ageOn(idNumber: string, day: string): number | null {
  const birth = birthDateOf(idNumber);
  if (!birth) return null;
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The special groups a member belongs to on `day`, with the supplement each earns (yuan). */
export function supplementsOf(
  member: AllowanceMember,
  day: string,
  rules: Pick<DibaoProcedureRules, 'supplements'>,
): Array<{ kind: SupplementKind; monthly: number }> {
  const s = rules.supplements;
  const age = ageOn(member.idNumber, day);
  const out: Array<{ kind: SupplementKind; monthly: number }> = [];
  if (age !== null && age >= s.elderly.minAge) out.push({ kind: 'elderly', monthly: s.elderly.monthly });
  if (member.disabled) out.push({ kind: 'disabled', monthly: s.disabled.monthly });
  if (member.seriousIllness) out.push({ kind: 'serious_illness', monthly: s.serious_illness.monthly });
  if (age !== null && age <= s.minor.maxAge) out.push({ kind: 'minor', monthly: s.minor.monthly });
  return out.filter((x) => x.monthly > 0);
}

export type AllowanceOutcome =
  | { eligible: true; allowance: Allowance }
  | {
      eligible: false;
      reason: 'income_not_below_standard';
      perCapitaIncome: number;
      standardMonthly: number;
    };

export function computeAllowance(input: {
  program: Program;
  area: Area;
  household: AllowanceMember[];
  incomes: Array<{ monthlyAmount: number }>;
  standard: AllowanceStandard;
  /** The decision day (YYYY-MM-DD, Beijing): ages are counted on it. */
  day: string;
  rules: Pick<DibaoProcedureRules, 'rounding' | 'supplements' | 'supplementStacking'>;
}): AllowanceOutcome {
  const members = input.household.length;
  const standardMonthly =
    input.program === 'special_hardship'
      ? input.standard.specialHardshipMonthly
      : input.area === 'urban'
        ? input.standard.urbanDibaoMonthly
        : input.standard.ruralDibaoMonthly;
  const incomeFen = input.incomes.reduce((sum, i) => sum + fen(i.monthlyAmount), 0);
  const perCapitaIncome = members > 0 ? Math.round(incomeFen / members) / 100 : 0;
  // (S − I/n) × n = S·n − I: exact in fen whatever the household size.
  const baseFen =
    input.program === 'special_hardship'
      ? fen(standardMonthly) * members
      : fen(standardMonthly) * members - incomeFen;
  if (baseFen <= 0) {
    return { eligible: false, reason: 'income_not_below_standard', perCapitaIncome, standardMonthly };
  }
  const supplements: SupplementLine[] =
    input.program === 'dibao'
      ? input.household
          .map((m) => {
            const groups = supplementsOf(m, input.day, input.rules);
            const amounts = groups.map((g) => fen(g.monthly));
            const amountFen =
              amounts.length === 0
                ? 0
                : input.rules.supplementStacking === 'highest'
                  ? Math.max(...amounts)
                  : amounts.reduce((a, b) => a + b, 0);
            return {
              idNumber: m.idNumber,
              name: m.name,
              kinds: groups.map((g) => g.kind),
              amount: amountFen / 100,
            };
          })
          .filter((l) => l.amount > 0)
      : [];
  const supplementFen = supplements.reduce((sum, l) => sum + fen(l.amount), 0);
  return {
    eligible: true,
    allowance: {
      program: input.program,
      area: input.area,
      standardMonthly,
      members,
      householdMonthlyIncome: incomeFen / 100,
      perCapitaIncome,
      base: baseFen / 100,
      supplements,
      supplementTotal: supplementFen / 100,
      monthlyAmount: roundToYuan(baseFen + supplementFen, input.rules.rounding),
      rounding: input.rules.rounding,
    },
  };
}

/**
 * The county's standard in force on `day` (YYYY-MM-DD, Beijing) and the version of the
 * `allowance-standards` table it comes from, or null when the county has none then.
 */
export function standardInForce(
  versions: readonly PolicyVersion<'allowance-standards'>[],
  day: string,
  countyCode: string,
): { standard: AllowanceStandard; version: number } | null {
  const v = versionInForce(versions, day);
  const standard = v?.content[countyCode];
  return v && standard ? { standard, version: v.version } : null;
}
