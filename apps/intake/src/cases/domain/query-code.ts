/**
 * 查询码: what the applicant types, with the case number, to follow the case without an account. Ten
 * characters from an alphabet with nothing to mistake on paper or on a phone (no 0/O, 1/I/L), 31 symbols:
 * about 50 bits, against six digits' 20 before. Cases accepted before keep their six-digit codes until the
 * window issues a new one.
 */
export const QUERY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const QUERY_CODE_LENGTH = 10;
/** Wrong codes for one case number before its public lookup is locked until the window issues a new code. */
export const QUERY_CODE_MAX_FAILURES = 5;

/**
 * A new code from `random(n)`, a uniform integer in [0, n) (the caller's cryptographic source: the
 * domain takes its randomness injected).
 */
export function newQueryCode(random: (n: number) => number): string {
  let code = '';
  for (let i = 0; i < QUERY_CODE_LENGTH; i++) code += QUERY_CODE_ALPHABET[random(QUERY_CODE_ALPHABET.length)];
  return code;
}

/** As typed → as stored: spaces and hyphens dropped, letters upper-cased (`abcde-fghjk` → `ABCDEFGHJK`). */
export function normalizeQueryCode(typed: string): string {
  return typed.replace(/[\s\-－—]/g, '').toUpperCase();
}

/** A code as issued now, or a six-digit one issued before (normalised). */
export const QUERY_CODE_PATTERN = new RegExp(`^(\\d{6}|[${QUERY_CODE_ALPHABET}]{${QUERY_CODE_LENGTH}})$`);

export function isQueryCode(code: string): boolean {
  return QUERY_CODE_PATTERN.test(code);
}

/** For print and screen: two groups of five, `ABCDE-FGHJK` (a six-digit code as it is). */
export function formatQueryCode(code: string): string {
  return code.length === QUERY_CODE_LENGTH ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}
