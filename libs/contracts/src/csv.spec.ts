import { csvCell } from './csv.js';

describe('a CSV cell', () => {
  it('defuses what a spreadsheet would run, and quotes everything', () => {
    expect(csvCell('=HYPERLINK("http://x","点我")')).toBe(`"'=HYPERLINK(""http://x"",""点我"")"`);
    for (const lead of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${lead}1+1`)).toBe(`"'${lead}1+1"`);
    expect(csvCell('王小明, "二组"\n')).toBe('"王小明, ""二组""\n"');
    // Numbers stay numbers to the reader; a negative amount is text, as a formula would be.
    expect(csvCell(1200.5)).toBe('"1200.5"');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(new Date('2026-11-27T02:00:00.000Z'))).toBe('"2026-11-27T02:00:00.000Z"');
  });
});
