import pg from 'pg';
import { EVENT_READ_TYPES, hexOf, parseTimestamptz } from './row-types.js';

const general = pg.types.getTypeParser(1184, 'text') as (text: string) => Date;

describe('event read types', () => {
  it('parses every timestamptz form PostgreSQL writes to the same instant as the general parser', () => {
    const texts = [
      '2026-11-27 10:53:48+00',
      '2026-11-27 10:53:48.1+00',
      '2026-11-27 10:53:48.109+00',
      '2026-11-27 10:53:48.109123+00',
      '1999-12-31 23:59:59.999+00',
      '0099-03-01 00:00:00+00',
      '2026-11-27 18:53:48.109+08',
      '2026-11-27 16:23:48.109+05:30',
      '2026-11-27 10:53:48.109-03',
      '0044-03-15 12:00:00+00 BC',
      '12026-01-01 00:00:00+00',
    ];
    for (const t of texts) expect([t, parseTimestamptz(t).getTime()]).toEqual([t, general(t).getTime()]);
    expect(parseTimestamptz('infinity')).toEqual(general('infinity'));
  });

  it('keeps bytea as hex text and decodes everything else as pg does', () => {
    expect(EVENT_READ_TYPES.getTypeParser(17, 'text')('\\x00ff10')).toBe('\\x00ff10');
    expect(hexOf('\\x00ff10')).toBe('00ff10');
    expect(hexOf('a\\\\b')).toBe(Buffer.from('a\\b').toString('hex'));
    expect(EVENT_READ_TYPES.getTypeParser(20, 'text')).toBe(pg.types.getTypeParser(20, 'text'));
  });
});
