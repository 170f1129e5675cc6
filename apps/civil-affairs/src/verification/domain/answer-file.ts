import { DomainError } from '@platform/contracts';

/**
 * The answer file of a department not on the platform (人社, 市场监管, 公安车管, 不动产登记, 银行): a CSV
 * with a header row `身份证号码,项目,金额（元）,说明`, one line per item found; an empty file (header only)
 * says the department has nothing on record. Parsed strictly: a wrong line is refused with its number,
 * and nothing is recorded. Pure.
 */

export const EXTERNAL_DEPARTMENTS: Record<string, string> = {
  'human-resources': '人力资源和社会保障部门',
  'market-regulation': '市场监督管理部门',
  'public-security': '公安部门（车辆）',
  'real-estate': '不动产登记机构',
  banks: '银行等金融机构',
  'housing-fund': '住房公积金管理中心',
  tax: '税务部门',
};

export interface ImportedItem {
  idNumber: string;
  item: string;
  amountYuan: number | null;
  note: string;
}

export interface ImportedAnswer {
  department: string;
  result: 'on_record' | 'nothing_on_record';
  items: ImportedItem[];
  statement: string | null;
}

const HEADER = ['身份证号码', '项目', '金额（元）', '说明'];
const MAX_LINES = 1000;

function fail(message: string, line?: number): never {
  throw new DomainError(
    'ANSWER_FILE_INVALID',
    line ? `file 第 ${line} 行：${message}` : `file：${message}`,
    422,
    {
      field: 'file',
      ...(line ? { line } : {}),
    },
  );
}

/** One CSV line into cells: quoted cells may hold commas and doubled quotes. */
function cells(line: string, n: number): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"' && cur === '') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (quoted) fail('引号未闭合', n);
  out.push(cur);
  return out.map((x) => x.trim());
}

export function parseAnswerFile(
  department: string,
  text: string,
  memberIdNumbers: readonly string[],
): ImportedAnswer {
  if (!Object.hasOwn(EXTERNAL_DEPARTMENTS, department)) {
    fail(`未知的部门 ${department}（可导入：${Object.keys(EXTERNAL_DEPARTMENTS).join('、')}）`);
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && lines.at(-1)!.trim() === '') lines.pop();
  if (lines.length === 0) fail(`缺少表头（${HEADER.join(',')}）`);
  if (lines.length > MAX_LINES + 1) fail(`超过 ${MAX_LINES} 行`);
  const header = cells(lines[0]!, 1);
  if (header.join(',') !== HEADER.join(',')) fail(`表头应为：${HEADER.join(',')}`, 1);
  const asked = new Set(memberIdNumbers);
  const items = lines.slice(1).map((line, i): ImportedItem => {
    const n = i + 2;
    const [idNumber = '', item = '', amount = '', note = '', ...rest] = cells(line, n);
    if (rest.length > 0) fail('列数多于 4 列', n);
    if (!asked.has(idNumber.toUpperCase())) fail(`身份证号码 ${idNumber} 不是被核对的家庭成员`, n);
    if (!item) fail('项目不能为空', n);
    if (item.length > 60 || note.length > 200) fail('项目不超过 60 字，说明不超过 200 字', n);
    let amountYuan: number | null = null;
    if (amount !== '') {
      if (!/^\d{1,9}(\.\d{1,2})?$/.test(amount)) fail(`金额 ${amount} 应为不超过两位小数的非负数`, n);
      amountYuan = Number(amount);
    }
    return { idNumber: idNumber.toUpperCase(), item, amountYuan, note };
  });
  return items.length === 0
    ? {
        department,
        result: 'nothing_on_record',
        items: [],
        statement: `${EXTERNAL_DEPARTMENTS[department]}回复：无被核对人员的相关记录。`,
      }
    : { department, result: 'on_record', items, statement: null };
}
