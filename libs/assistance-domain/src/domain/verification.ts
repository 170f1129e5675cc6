import { fail, isDay } from './values.js';

/**
 * What the department registers share in answering a household economic verification (家庭经济状况核对):
 * the request's members and day, checked alike, and the two shapes of an answer. What a department may say
 * about a member stays in the department's own register.
 */

/** The twelve months (or the window) an answer covers, inclusive. */
export interface VerificationPeriod {
  from: string;
  to: string;
}

/** Nothing on record for any member asked about: a statement the department signs off. */
export interface NothingOnRecordAnswer<D extends string> {
  department: D;
  result: 'nothing_on_record';
  asOf: string;
  period: VerificationPeriod;
  statement: string;
}

/** Something on record: the department's own content (members, items) beside the common fields. */
export type OnRecordAnswer<D extends string, Content extends object> = {
  department: D;
  result: 'on_record';
  asOf: string;
  period: VerificationPeriod;
} & Content;

export type RegisterVerificationAnswer<D extends string, Content extends object> =
  NothingOnRecordAnswer<D> | OnRecordAnswer<D, Content>;

/** The members asked about, trimmed and once each; 422 without a valid day or without a member. */
export function requireMembers(memberIdNumbers: readonly string[], asOf: string): string[] {
  if (!isDay(asOf))
    fail('DATE_INVALID', 'asOf：核对基准日应为有效日期（YYYY-MM-DD）', 422, { field: 'asOf' });
  const members = [...new Set((memberIdNumbers ?? []).map((m) => m.trim()).filter(Boolean))];
  if (members.length === 0) {
    fail('MEMBERS_REQUIRED', 'memberIdNumbers：须列出至少一名被核对的家庭成员', 422, {
      field: 'memberIdNumbers',
    });
  }
  return members;
}
