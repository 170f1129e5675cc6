import { fail, requireText } from './values.js';

/** A household as housing assistance sees it: the head (户主, the applicant) and every member. */
export interface Household {
  householdId: string;
  headName: string;
  headIdNumber: string;
  /** Every member's ID number, the head's included. */
  memberIdNumbers: string[];
}

/** Assistance categories as the other departments' facts name them (table codes). */
export const HOUSEHOLD_CATEGORY_NAMES: Record<string, string> = {
  special_hardship: '特困人员',
  dibao: '低保家庭',
  low_income_margin: '低保边缘家庭',
  poverty_monitoring: '防止返贫监测对象',
  other: '其他家庭',
};

export const categoryName = (code: string) => HOUSEHOLD_CATEGORY_NAMES[code] ?? code;

export function requireHousehold(h: Household, field = 'household'): Household {
  const householdId = requireText(h?.householdId, `${field}.householdId`, '家庭编号');
  const headName = requireText(h?.headName, `${field}.headName`, '户主姓名');
  const headIdNumber = requireText(h?.headIdNumber, `${field}.headIdNumber`, '户主身份证号码');
  const members = (h.memberIdNumbers ?? []).map((m) => m.trim());
  if (members.some((m) => !m) || new Set(members).size !== members.length) {
    fail('MEMBERS_INVALID', `${field}.memberIdNumbers：家庭成员身份证号码不能为空或重复`, 422, {
      field: `${field}.memberIdNumbers`,
    });
  }
  if (!members.includes(headIdNumber)) {
    fail('HEAD_NOT_MEMBER', `${field}.memberIdNumbers：家庭成员中应包含户主`, 422, {
      field: `${field}.memberIdNumbers`,
    });
  }
  return { householdId, headName, headIdNumber, memberIdNumbers: members };
}

export function requireCategory(code: string, field = 'category'): string {
  const c = requireText(code, field, '救助对象类别');
  if (!/^[a-z][a-z0-9_]{1,40}$/.test(c)) {
    fail('CATEGORY_INVALID', `${field}：类别代码应为小写字母、数字和下划线`, 422, { field });
  }
  return c;
}
