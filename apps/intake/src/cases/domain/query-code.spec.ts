import { randomInt } from 'node:crypto';
import {
  formatQueryCode,
  isQueryCode,
  newQueryCode,
  normalizeQueryCode,
  QUERY_CODE_ALPHABET,
  QUERY_CODE_LENGTH,
} from './query-code.js';

describe('query code', () => {
  it('has ten characters from an alphabet without 0/O, 1/I/L', () => {
    expect(QUERY_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(new Set(QUERY_CODE_ALPHABET).size).toBe(QUERY_CODE_ALPHABET.length);
    const codes = Array.from({ length: 2000 }, () => newQueryCode(randomInt));
    for (const c of codes) {
      expect(c).toHaveLength(QUERY_CODE_LENGTH);
      expect(isQueryCode(c)).toBe(true);
    }
    // Every symbol is used, at both ends of the alphabet (an off-by-one would drop the last).
    const used = new Set(codes.join(''));
    expect([...QUERY_CODE_ALPHABET].filter((ch) => !used.has(ch))).toEqual([]);
  });

  it('takes each symbol from random(alphabet size), the first and the last included', () => {
    expect(newQueryCode(() => 0)).toBe('2222222222');
    expect(newQueryCode((n) => n - 1)).toBe('ZZZZZZZZZZ');
  });

  it('reads a code as people type it back, and prints it in two groups', () => {
    expect(normalizeQueryCode(' k7m4q-x9tnp ')).toBe('K7M4QX9TNP');
    expect(normalizeQueryCode('K7M4Q－X9TNP')).toBe('K7M4QX9TNP');
    expect(formatQueryCode('K7M4QX9TNP')).toBe('K7M4Q-X9TNP');
    expect(formatQueryCode(normalizeQueryCode(formatQueryCode('K7M4QX9TNP')))).toBe('K7M4Q-X9TNP');
    // Codes issued before keep working as they are.
    expect(isQueryCode('482913')).toBe(true);
    expect(formatQueryCode('482913')).toBe('482913');
    for (const bad of ['48291', 'K7M4QX9TN', 'K7M4QX9TNO', 'K7M4QX9TN1', 'k7m4qx9tnp', ''])
      expect(isQueryCode(bad)).toBe(false);
  });
});
