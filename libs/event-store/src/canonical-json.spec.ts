import { canonicalJson } from './canonical-json.js';
import { UpcasterRegistry } from './upcasters.js';
import { uuidv7, UUID_PATTERN } from './uuidv7.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"z":1}]},"b":1}',
    );
  });

  it('gives the same text for the same values whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
  });

  it('keeps Chinese text as is and encodes dates as ISO strings', () => {
    expect(canonicalJson({ name: '王小明', at: new Date('2026-01-02T03:04:05.000Z') })).toBe(
      '{"at":"2026-01-02T03:04:05.000Z","name":"王小明"}',
    );
  });

  it('writes what a JSON round trip would keep, without making one', () => {
    const values: unknown[] = [
      { at: new Date('2026-01-02T03:04:05.000Z'), invalid: new Date(Number.NaN) },
      { boxed: [new Number(3), new String('文'), new Boolean(false)] },
      { dropped: undefined, fn: () => 1, sym: Symbol('s'), kept: [undefined, () => 1, Symbol('s'), 0] },
      { custom: { toJSON: () => ({ z: 1, a: [1.5, -0, 1e21] }) }, gone: { toJSON: () => undefined } },
      { nested: { b: { d: null, c: '"引号" \\ \n' }, a: [] }, empty: {} },
      [{ b: 1, a: 2 }, 'x', 7, true, null],
      '王小明',
      42,
      null,
    ];
    for (const v of values) expect(canonicalJson(v)).toBe(canonicalJson(JSON.parse(JSON.stringify(v))));
    expect(canonicalJson(values[3])).toBe('{"custom":{"a":[1.5,0,1e+21],"z":1}}');
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/non-finite/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });
});

describe('uuidv7', () => {
  it('makes version-7 UUIDs that sort by time', () => {
    const a = uuidv7(1_700_000_000_000);
    const b = uuidv7(1_700_000_000_001);
    expect(a).toMatch(UUID_PATTERN);
    expect(a[14]).toBe('7');
    expect(a < b).toBe(true);
  });

  it('carries the 48-bit time and stays unique across refills of its random pool', () => {
    const now = 0x0123_4567_89ab;
    const ids = Array.from({ length: 10_000 }, () => uuidv7(now));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(UUID_PATTERN);
      expect(id.slice(0, 13)).toBe('01234567-89ab');
    }
  });
});

describe('UpcasterRegistry', () => {
  it('applies the chain from the stored version to the newest', () => {
    const r = new UpcasterRegistry()
      .register('t.E', 1, (d) => ({ ...(d as object), b: 2 }))
      .register('t.E', 2, (d) => ({ ...(d as object), c: 3 }));
    expect(r.upcast('t.E', 1, { a: 1 })).toEqual({ schemaVersion: 3, data: { a: 1, b: 2, c: 3 } });
    expect(r.upcast('t.E', 3, { a: 1 })).toEqual({ schemaVersion: 3, data: { a: 1 } });
    expect(r.upcast('t.Other', 1, { a: 1 })).toEqual({ schemaVersion: 1, data: { a: 1 } });
  });

  it('refuses two upcasters for the same version', () => {
    const r = new UpcasterRegistry().register('t.E', 1, (d) => d);
    expect(() => r.register('t.E', 1, (d) => d)).toThrow(/already registered/);
  });
});
