import type { JurisdictionLevel, JurisdictionNode } from './jurisdiction.js';

/**
 * The import format of the jurisdiction tree (`npm run jurisdictions:import -- --file divisions.csv`):
 * UTF-8 CSV with the header `code,name,level,parent_code`, one division per line:
 *
 *   code,name,level,parent_code
 *   150802104000,双河镇,township,150802000000
 *   150802104215,新建村,village,150802104000
 *
 * - `code`: the 12-digit statistical division code; a city ends in 8 zeros, a county (旗县区) in 6, a
 *   township (苏木乡镇、街道) in 3, a village (嘎查村、社区) in none.
 * - `name`: the name officers read (1–100 characters); quote it ("…") if it holds a comma.
 * - `level`: `city`, `county`, `township` or `village`.
 * - `parent_code`: empty for a city; otherwise the code of the division one level up, which must begin
 *   the code (county 150802 → township 150802104 → village 150802104215) and exist in the file or the
 *   database.
 *
 * Rows already in the database unchanged are skipped, so importing the same file twice changes nothing.
 * A row whose name or parent differs changes that division; a division's level never changes. Nothing is
 * removed (users and cases refer to divisions). Any problem rejects the whole file.
 */
export const IMPORT_HEADER = ['code', 'name', 'level', 'parent_code'] as const;

export interface ImportRow {
  line: number;
  code: string;
  name: string;
  level: JurisdictionLevel;
  parentCode: string | null;
}

export type JurisdictionChange =
  | { kind: 'added'; node: JurisdictionNode }
  | {
      kind: 'changed';
      code: string;
      from: { name: string; parentCode: string | null };
      to: { name: string; parentCode: string | null };
    };

const LEVELS: JurisdictionLevel[] = ['city', 'county', 'township', 'village'];
/** How many leading digits are the division's own, per level. */
const SIGNIFICANT: Record<JurisdictionLevel, number> = { city: 4, county: 6, township: 9, village: 12 };
const PARENT_LEVEL: Record<JurisdictionLevel, JurisdictionLevel | null> = {
  city: null,
  county: 'city',
  township: 'county',
  village: 'township',
};

/** Splits one CSV line: commas, double-quoted fields with "" for a quote. */
function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null; // unterminated quote
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const end = line.indexOf(',', i);
      field = end < 0 ? line.slice(i) : line.slice(i, end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field.trim());
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/** The level a code's shape says it has, or null when it has none (e.g. 150802000001). */
export function levelOfCode(code: string): JurisdictionLevel | null {
  if (!/^\d{12}$/.test(code)) return null;
  if (/^\d{4}0{8}$/.test(code)) return code.slice(2, 4) === '00' ? null : 'city';
  if (/^\d{6}0{6}$/.test(code)) return 'county';
  if (/^\d{9}000$/.test(code)) return 'township';
  return 'village';
}

/** Parses the file; every problem names its line, in Chinese. */
export function parseDivisionsCsv(text: string): { rows: ImportRow[]; problems: string[] } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const problems: string[] = [];
  const rows: ImportRow[] = [];
  const header = splitCsvLine(lines[0] ?? '');
  if (!header || header.join(',') !== IMPORT_HEADER.join(',')) {
    return { rows, problems: [`第1行：表头应为 ${IMPORT_HEADER.join(',')}`] };
  }
  const seen = new Map<string, number>();
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '') return;
    const fields = splitCsvLine(raw);
    if (!fields || fields.length !== 4) {
      problems.push(`第${line}行：应有4列（code,name,level,parent_code）`);
      return;
    }
    const [code, name, level, parent] = fields as [string, string, string, string];
    const before = problems.length;
    if (!/^\d{12}$/.test(code))
      problems.push(`第${line}行：code 应为12位数字（统计用区划代码），实为“${code}”`);
    if (name.length < 1 || [...name].length > 100 || /[\p{Cc}]/u.test(name))
      problems.push(`第${line}行：name 应为1至100个字符`);
    if (!LEVELS.includes(level as JurisdictionLevel))
      problems.push(`第${line}行：level 应为 city、county、township 或 village，实为“${level}”`);
    if (parent !== '' && !/^\d{12}$/.test(parent))
      problems.push(`第${line}行：parent_code 应为空（市）或12位数字，实为“${parent}”`);
    if (problems.length > before) return;
    const lvl = level as JurisdictionLevel;
    if (levelOfCode(code) !== lvl) {
      problems.push(
        `第${line}行：code ${code} 的位数与层级 ${lvl} 不符（市以8个0结尾，旗县区以6个0结尾，乡镇街道以3个0结尾，村社区不以000结尾）`,
      );
      return;
    }
    const first = seen.get(code);
    if (first) {
      problems.push(`第${line}行：code ${code} 与第${first}行重复`);
      return;
    }
    seen.set(code, line);
    rows.push({ line, code, name, level: lvl, parentCode: parent === '' ? null : parent });
  });
  return { rows, problems };
}

/**
 * What importing `rows` into the tree `existing` changes, or the problems that reject the file:
 * parents that exist (in the file or the tree) one level up and begin the code, levels that stay.
 */
export function planJurisdictionImport(
  existing: JurisdictionNode[],
  rows: ImportRow[],
): { changes: JurisdictionChange[]; problems: string[] } {
  const known = new Map(existing.map((n) => [n.code, n]));
  const incoming = new Map(rows.map((r) => [r.code, r]));
  const levelOf = (code: string) => incoming.get(code)?.level ?? known.get(code)?.level;
  const problems: string[] = [];
  const changes: JurisdictionChange[] = [];
  for (const r of rows) {
    const expectedParent = PARENT_LEVEL[r.level];
    if (expectedParent === null) {
      if (r.parentCode !== null) problems.push(`第${r.line}行：市一级的 parent_code 应为空`);
    } else if (r.parentCode === null) {
      problems.push(`第${r.line}行：缺少 parent_code（上一级区划代码）`);
    } else if (!levelOf(r.parentCode)) {
      problems.push(`第${r.line}行：上级 ${r.parentCode} 既不在文件中，也不在现有区划中`);
    } else if (levelOf(r.parentCode) !== expectedParent) {
      problems.push(
        `第${r.line}行：上级 ${r.parentCode} 不是${expectedParent}一级（${r.level} 的上级应为 ${expectedParent}）`,
      );
    } else if (!r.code.startsWith(r.parentCode.slice(0, SIGNIFICANT[expectedParent]))) {
      problems.push(
        `第${r.line}行：code ${r.code} 不以上级代码 ${r.parentCode.slice(0, SIGNIFICANT[expectedParent])} 开头`,
      );
    }
    const current = known.get(r.code);
    if (!current) {
      changes.push({
        kind: 'added',
        node: { code: r.code, name: r.name, level: r.level, parentCode: r.parentCode },
      });
    } else if (current.level !== r.level) {
      problems.push(`第${r.line}行：${r.code} 现为 ${current.level} 一级，层级不能修改`);
    } else if (current.name !== r.name || current.parentCode !== r.parentCode) {
      changes.push({
        kind: 'changed',
        code: r.code,
        from: { name: current.name, parentCode: current.parentCode },
        to: { name: r.name, parentCode: r.parentCode },
      });
    }
  }
  // Parents before children, so that each added division's parent already exists when it is inserted.
  const depth: Record<JurisdictionLevel, number> = { city: 0, county: 1, township: 2, village: 3 };
  changes.sort(
    (a, b) =>
      depth[a.kind === 'added' ? a.node.level : known.get(a.code)!.level] -
      depth[b.kind === 'added' ? b.node.level : known.get(b.code)!.level],
  );
  return { changes: problems.length > 0 ? [] : changes, problems };
}
