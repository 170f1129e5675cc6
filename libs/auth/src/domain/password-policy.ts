import { DomainError } from '@platform/contracts';

/**
 * Password rules for local accounts (pure). A password must
 *  - have at least 10 characters (and at most 200),
 *  - mix at least three of: upper-case letters, lower-case letters, digits, symbols,
 *  - not contain the username,
 *  - not be a common password, also when written with digits for letters (P@ssw0rd) or with a year or
 *    a few digits and symbols around a common word (Password@2026).
 * `Demo@2026`, the published password of the demo users, can never be set: it is too short and listed.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export type PasswordRule = 'min_length' | 'max_length' | 'character_classes' | 'contains_username' | 'common';

export interface PasswordProblem {
  rule: PasswordRule;
  /** Chinese, names the rule: shown to the person choosing the password. */
  message: string;
}

/** Words and sequences found at the top of every leaked-password list, and this platform's own. */
const COMMON = [
  'password',
  'passw0rd',
  'passwd',
  'admin',
  'administrator',
  'root',
  'welcome',
  'letmein',
  'iloveyou',
  'qwerty',
  'qwertyuiop',
  'asdfgh',
  'asdfghjkl',
  'zxcvbnm',
  'abc',
  'abcd',
  'abcdef',
  'abcdefg',
  'abcdefgh',
  'abcdefghij',
  '123456',
  '1234567',
  '12345678',
  '123456789',
  '1234567890',
  '0123456789',
  '987654321',
  '111111',
  '000000',
  '888888',
  '666666',
  '520520',
  '5201314',
  'woaini',
  'woaini1314',
  'aini1314',
  'test',
  'guest',
  'user',
  'login',
  'changeme',
  'default',
  'secret',
  'master',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'superman',
  'trustno1',
  'demo',
  'demo@2026',
  'china',
  'beijing',
  'zhongguo',
  'bayannur',
  'bayannaoer',
  'linhe',
  'platform',
  'system',
  'manager',
  'huawei',
  'shuanghe',
];

const COMMON_SET = new Set(COMMON);

/** `p@55w0rd` → `password`: the substitutions guessing tools try first. */
function unLeet(s: string): string {
  return s
    .replace(/[@4]/g, 'a')
    .replace(/3/g, 'e')
    .replace(/[1!|]/g, 'i')
    .replace(/0/g, 'o')
    .replace(/[$5]/g, 's');
}

function isCommon(password: string): boolean {
  const lower = password.toLowerCase();
  if (COMMON_SET.has(lower) || COMMON_SET.has(unLeet(lower))) return true;
  // A common word with digits and symbols around it: Password@2026, !Admin123, P@ssw0rd2026!
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (core.length > 0 && (COMMON_SET.has(core) || COMMON_SET.has(unLeet(core)))) return true;
  // One character repeated: aaaaaaaaaa, Aaaaaaaaaa1!
  return /^(.)\1+$/.test(lower) || /^(.)\1{5,}$/.test(core);
}

function characterClasses(password: string): number {
  return [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
}

/** The first rule `password` breaks, or null. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { rule: 'min_length', message: `密码至少需要${PASSWORD_MIN_LENGTH}个字符` };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return { rule: 'max_length', message: `密码不能超过${PASSWORD_MAX_LENGTH}个字符` };
  }
  if (characterClasses(password) < 3) {
    return {
      rule: 'character_classes',
      message: '密码须至少包含大写字母、小写字母、数字、符号中的三类',
    };
  }
  const user = username.trim().toLowerCase();
  if (user.length >= 3 && password.toLowerCase().includes(user)) {
    return { rule: 'contains_username', message: '密码不能包含用户名' };
  }
  if (isCommon(password)) {
    return {
      rule: 'common',
      message: '密码过于常见（如 Password@2026、Admin123456），请换一个不易猜到的密码',
    };
  }
  return null;
}

/** 422 `WEAK_PASSWORD` naming the field and the rule when `password` breaks one. */
export function assertPasswordAcceptable(password: string, username: string, field = 'password'): void {
  const problem = passwordProblem(password, username);
  if (problem) {
    throw new DomainError('WEAK_PASSWORD', `${field}：${problem.message}`, 422, {
      field,
      rule: problem.rule,
    });
  }
}
