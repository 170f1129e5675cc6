import { toInstant } from './instant.js';

describe('a time a person typed', () => {
  it('is Beijing time when it names no zone, and taken as written when it does', () => {
    expect(toInstant('2026-11-27 22:32:03')).toBe('2026-11-27T14:32:03.000Z');
    expect(toInstant('2026-11-27T22:32')).toBe('2026-11-27T14:32:00.000Z');
    expect(toInstant('2026-11-27')).toBe('2026-11-26T16:00:00.000Z');
    // The first moment of a year in Beijing is still the old year in UTC.
    expect(toInstant('2027-01-01 00:00:00')).toBe('2026-12-31T16:00:00.000Z');
    expect(toInstant('2026-11-27T14:32:03Z')).toBe('2026-11-27T14:32:03Z');
    expect(toInstant('2026-11-27T22:32:03+08:00')).toBe('2026-11-27T22:32:03+08:00');
    // Not a time: left for the validator to refuse.
    expect(toInstant('2026-13-40 25:00')).toBe('2026-13-40 25:00');
    expect(toInstant('yesterday')).toBe('yesterday');
  });
});
