import pg from 'pg';

const TIMESTAMPTZ = 1184;
const BYTEA = 17;
const defaultTimestamptz = pg.types.getTypeParser(TIMESTAMPTZ, 'text') as (text: string) => Date;
const defaultBytea = pg.types.getTypeParser(BYTEA, 'text');

/**
 * timestamptz as PostgreSQL writes it in a UTC session (`2026-11-27 10:53:48.109+00`) through the
 * engine's own ISO parser; any other form (another session time zone, BC, years past 9999,
 * infinity) through pg's general parser. Decoding timestamps was a visible share of log reads.
 */
export function parseTimestamptz(text: string): Date {
  if (text.length >= 22 && text.length <= 29 && text[4] === '-' && text[10] === ' ' && text.endsWith('+00')) {
    return new Date(`${text.slice(0, 10)}T${text.slice(11, -3)}Z`);
  }
  return defaultTimestamptz(text);
}

/**
 * Type parsers for reads of the event log: fast timestamps, and bytea left as PostgreSQL's hex text
 * (`\x…`), since events carry their hash as hex anyway (decoding to a Buffer and encoding it back
 * cost twice).
 */
export const EVENT_READ_TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format !== 'binary' && oid === TIMESTAMPTZ) return parseTimestamptz;
    if (format !== 'binary' && oid === BYTEA) return (text: string) => text;
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as typeof pg.types.getTypeParser,
};

/** The hex digits of a bytea read through EVENT_READ_TYPES. */
export function hexOf(byteaText: string): string {
  return byteaText.startsWith('\\x')
    ? byteaText.slice(2)
    : (defaultBytea(byteaText) as Buffer).toString('hex');
}
