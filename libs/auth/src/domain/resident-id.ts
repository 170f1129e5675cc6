import { ERASED } from '@platform/contracts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
  '91',
]);

export type ResidentIdResult =
  | { valid: true; birthDate: string; gender: 'male' | 'female'; regionCode: string }
  | { valid: false; reason: string };

/**
 * Validates a resident identity number (GB 11643-1999): 18 characters, a plausible region code and
 * birth date, and the ISO 7064 MOD 11-2 check character. `today` is injected.
 */
export function validateResidentId(id: string, today: Date): ResidentIdResult {
  if (typeof id !== 'string' || !/^\d{17}[\dX]$/.test(id)) {
    return { valid: false, reason: '身份证号码应为18位，前17位为数字，最后一位为数字或X' };
  }
  if (!PROVINCES.has(id.slice(0, 2)) || id.slice(2, 6) === '0000') {
    return { valid: false, reason: '身份证号码的地区代码无效' };
  }
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || y < 1900) {
    return { valid: false, reason: '身份证号码的出生日期无效' };
  }
  if (birth.getTime() > today.getTime()) {
    return { valid: false, reason: '身份证号码的出生日期晚于今天' };
  }
  const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(id[i]), 0);
  if (CHECK[sum % 11] !== id[17]) {
    return { valid: false, reason: '身份证号码校验位不正确' };
  }
  return {
    valid: true,
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    regionCode: id.slice(0, 6),
  };
}

/** Computes the check character for 17 digits (used to make valid demo and test numbers). */
export function residentIdCheckChar(first17: string): string {
  return CHECK[WEIGHTS.reduce((s, w, i) => s + w * Number(first17[i]), 0) % 11]!;
}

/** `150802********1234`: region kept for routing, birth date hidden. */
export function maskIdNumber(id: string): string {
  if (id === ERASED) return id;
  if (id.length !== 18) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}********${id.slice(14)}`;
}

/** `王*明`, `王*`: family name and last character kept. */
export function maskName(name: string): string {
  if (name === ERASED) return name;
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export function maskPhone(phone: string): string {
  if (phone === ERASED) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
