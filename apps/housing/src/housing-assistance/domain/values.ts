import { fail } from '@platform/assistance-domain';

/**
 * Money and calendar values of the housing domain: the departments' shared ones
 * (`@platform/assistance-domain`) are re-exported so that the domain imports them from one place; below,
 * the ones only housing uses. Money is integer fen inside the domain and yuan at its edges (the policy tables, answers).
 */
export * from '@platform/assistance-domain';

/** A calendar month, YYYY-MM. */
export function isMonth(value: string): boolean {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export function requireMonth(value: string, field: string, label: string): string {
  if (!isMonth(value)) fail('MONTH_INVALID', `${field}：${label}应为有效月份（YYYY-MM）`, 422, { field });
  return value;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const monthOf = (day: string) => day.slice(0, 7);
