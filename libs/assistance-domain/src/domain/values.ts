import { DomainError } from '@platform/contracts';

/**
 * Money and calendar values the department domains (health, housing, education) share. Money is integer
 * fen inside a domain and yuan at its edges (commands, policy tables, answers): floating-point yuan never
 * enter a sum. Pure: no framework, no I/O.
 */

export interface Officer {
  id: string;
  name: string;
  role: string;
}

/** A version of a policy table as a decider takes it: its number is recorded in the events it decides. */
export interface TableVersion<T> {
  version: number;
  /** The first day (Beijing) the version applies to. */
  effectiveFrom: string;
  content: T;
}

export function fail(
  code: string,
  message: string,
  status: 403 | 404 | 409 | 422 = 422,
  details: Record<string, unknown> = {},
): never {
  throw new DomainError(code, message, status, details);
}

/** A policy table's yuan (validated by its schema) in fen. */
export const tableFen = (yuan: number) => Math.round(yuan * 100);

export const yuanOf = (fen: number) => fen / 100;

export function isDay(value: string): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function requireDay(value: string, field: string, label: string): string {
  if (!isDay(value)) fail('DATE_INVALID', `${field}：${label}应为有效日期（YYYY-MM-DD）`, 422, { field });
  return value;
}

export function requireText(value: string | null | undefined, field: string, label: string): string {
  const v = typeof value === 'string' ? value.trim() : '';
  if (!v) fail('FIELD_REQUIRED', `${field}：${label}不能为空`, 422, { field });
  return v;
}

/** The Beijing calendar day of an instant (ISO-8601); China keeps no daylight saving time. */
export const beijingDayOf = (iso: string) =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

/** `day` minus whole months, clamped to the month's last day (2028-02-29 − 12 months = 2027-02-28). */
export function monthsBefore(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The twelve months a verification answer covers: from the day after the same day a year before, to asOf. */
export function lastTwelveMonths(asOf: string): { from: string; to: string } {
  return { from: nextDay(monthsBefore(asOf, 12)), to: asOf };
}

/** A policy version handed in must be in force on the day it is applied to (a handler's mistake otherwise). */
export function requireInForce(table: TableVersion<unknown>, day: string, name: string): void {
  if (table.effectiveFrom > day) {
    fail(
      'POLICY_NOT_IN_FORCE',
      `${name}第 ${table.version} 版自 ${table.effectiveFrom} 起生效，不适用于 ${day}`,
      422,
      { version: table.version, day },
    );
  }
}
