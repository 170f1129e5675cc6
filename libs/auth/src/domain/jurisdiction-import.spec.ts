import { DEMO_JURISDICTIONS } from './demo-jurisdictions.js';
import { levelOfCode, parseDivisionsCsv, planJurisdictionImport } from './jurisdiction-import.js';

const existing = DEMO_JURISDICTIONS;
const csv = (...lines: string[]) => ['code,name,level,parent_code', ...lines].join('\n');

describe('jurisdiction import', () => {
  it('reads the documented format, with quotes, a BOM and CRLF', () => {
    const { rows, problems } = parseDivisionsCsv(
      `\uFEFF${csv('150802100203,"新丰村",village,150802100000', '150802100204,"东, 西""村""",village,150802100000')}\r\n`,
    );
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.code, r.name, r.level, r.parentCode])).toEqual([
      ['150802100203', '新丰村', 'village', '150802100000'],
      ['150802100204', '东, 西"村"', 'village', '150802100000'],
    ]);
  });

  it('names each bad line: header, code, level, shape, duplicate', () => {
    expect(parseDivisionsCsv('code,name,level\n').problems).toEqual([
      '第1行：表头应为 code,name,level,parent_code',
    ]);
    const { problems } = parseDivisionsCsv(
      csv(
        '15080210020,新丰村,village,150802100000',
        '150802100205,新丰村,hamlet,150802100000',
        '150802100000,双河镇,village,150802000000',
        '150802100206,丰村,village,150802100000',
        '150802100206,丰村,village,150802100000',
        '150802100207,,village,150802100000',
      ),
    );
    expect(problems).toEqual([
      expect.stringMatching(/^第2行：code 应为12位数字/),
      expect.stringMatching(/^第3行：level 应为/),
      expect.stringMatching(/^第4行：code 150802100000 的位数与层级 village 不符/),
      '第6行：code 150802100206 与第5行重复',
      '第7行：name 应为1至100个字符',
    ]);
  });

  it('plans additions (parents first) and changes, and skips what is already there (idempotent)', () => {
    const { rows } = parseDivisionsCsv(
      csv(
        '150802100203,新丰村,village,150802103000',
        '150802103000,新设镇,township,150802000000',
        '150802100201,进步村,village,150802100000',
        '150802100202,丰收一村,village,150802100000',
      ),
    );
    const plan = planJurisdictionImport(existing, rows);
    expect(plan.problems).toEqual([
      expect.stringMatching(/^第2行：code 150802100203 不以上级代码 150802103 开头/),
    ]);
    const ok = parseDivisionsCsv(
      csv(
        '150802103201,新丰村,village,150802103000',
        '150802103000,新设镇,township,150802000000',
        '150802100201,进步村,village,150802100000',
        '150802100202,丰收一村,village,150802100000',
      ),
    ).rows;
    const { changes, problems } = planJurisdictionImport(existing, ok);
    expect(problems).toEqual([]);
    expect(changes).toEqual([
      {
        kind: 'added',
        node: { code: '150802103000', name: '新设镇', level: 'township', parentCode: '150802000000' },
      },
      {
        kind: 'added',
        node: { code: '150802103201', name: '新丰村', level: 'village', parentCode: '150802103000' },
      },
      {
        kind: 'changed',
        code: '150802100202',
        from: { name: '丰收村', parentCode: '150802100000' },
        to: { name: '丰收一村', parentCode: '150802100000' },
      },
    ]);
    const after = [
      ...existing.map((n) => (n.code === '150802100202' ? { ...n, name: '丰收一村' } : n)),
      ...changes.flatMap((c) => (c.kind === 'added' ? [c.node] : [])),
    ];
    expect(planJurisdictionImport(after, ok)).toEqual({ changes: [], problems: [] });
  });

  it('refuses unknown parents, parents at the wrong level and a change of level', () => {
    const { rows } = parseDivisionsCsv(
      csv(
        '150899100201,某村,village,150899100000',
        '150802101202,某村,village,150802000000',
        '150802000000,临河区,county,',
      ),
    );
    expect(planJurisdictionImport(existing, rows).problems).toEqual([
      '第2行：上级 150899100000 既不在文件中，也不在现有区划中',
      expect.stringMatching(/^第3行：上级 150802000000 不是township一级/),
      '第4行：缺少 parent_code（上一级区划代码）',
    ]);
  });

  it('reads a level from the shape of a code', () => {
    expect(
      ['150800000000', '150802000000', '150802104000', '150802104215', '150000000000', '1508'].map(
        levelOfCode,
      ),
    ).toEqual(['city', 'county', 'township', 'village', null, null]);
  });
});
