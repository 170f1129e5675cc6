import { assertJsonDepth, BodyTooDeepError, nulFields } from './input-bounds.js';

describe('input bounds', () => {
  it('counts nesting outside strings only, and refuses one level past the limit', () => {
    const nested = (n: number) => Buffer.from(`${'['.repeat(n)}${']'.repeat(n)}`);
    expect(() => assertJsonDepth(nested(32), 32)).not.toThrow();
    expect(() => assertJsonDepth(nested(33), 32)).toThrow(BodyTooDeepError);
    // Brackets inside strings, and escaped quotes inside strings, are text.
    expect(() =>
      assertJsonDepth(Buffer.from(`{"a":"${'['.repeat(100)}\\"${'{'.repeat(100)}"}`), 2),
    ).not.toThrow();
    expect(() => assertJsonDepth(Buffer.from('{"a":{"b":{"c":1}}}'), 2)).toThrow(/嵌套/);
  });

  it('names every field holding a NUL character, nested or in arrays', () => {
    expect(
      nulFields({ household: [{ name: '王\u0000明' }, { name: 'ok' }], needs: [{ description: 'a\u0000' }] }),
    ).toEqual(['household.0.name', 'needs.0.description']);
    expect(nulFields('\u0000')).toEqual(['(body)']);
    expect(nulFields({ n: 1, b: true, s: '正常' })).toEqual([]);
  });
});
