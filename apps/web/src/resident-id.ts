// GB 11643-1999 resident identity numbers, checked as the officer types. Same rules and messages as the
// server's validator (libs/auth/src/domain/resident-id.ts); the server still checks every number.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 91'.split(
    ' ',
  ),
);

/** null when the number is valid, otherwise why not (in Chinese). */
export function residentIdProblem(id: string, today = new Date()): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号码应为18位，前17位为数字，最后一位为数字或X';
  if (!PROVINCES.has(id.slice(0, 2)) || id.slice(2, 6) === '0000') return '身份证号码的地区代码无效';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || y < 1900)
    return '身份证号码的出生日期无效';
  if (birth.getTime() > today.getTime()) return '身份证号码的出生日期晚于今天';
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  if (CHECK[sum % 11] !== id[17]) return '身份证号码校验位不正确';
  return null;
}

/** Form rules: the number checked as it is typed (once complete), and required on leaving the field. */
export const RESIDENT_ID_RULES = [
  {
    validateTrigger: 'onChange',
    validator: async (_: unknown, v?: string) => {
      const id = (v ?? '').trim().toUpperCase();
      if (id.length >= 18) {
        const problem = residentIdProblem(id);
        if (problem) throw new Error(problem);
      }
    },
  },
  {
    validateTrigger: ['onBlur', 'onSubmit'],
    validator: async (_: unknown, v?: string) => {
      const id = (v ?? '').trim().toUpperCase();
      if (!id) throw new Error('请输入身份证号码');
      const problem = residentIdProblem(id);
      if (problem) throw new Error(problem);
    },
  },
];

/** ID numbers typed one to a line (or separated by commas or spaces), upper-cased. */
export const idNumbersIn = (text: string | undefined) =>
  (text ?? '')
    .split(/[\s,，、]+/)
    .map((x) => x.trim().toUpperCase())
    .filter(Boolean);

/** A form rule for a list of ID numbers: the first one that is not valid is named with why. */
export const ID_LIST_RULE = {
  validator: async (_: unknown, v: string | undefined) => {
    for (const id of idNumbersIn(v)) {
      const problem = residentIdProblem(id);
      if (problem) throw new Error(`${id}：${problem}`);
    }
  },
};
