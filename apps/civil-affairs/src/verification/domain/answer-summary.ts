/**
 * One line of Chinese per department answer, for the verification findings the township records in a
 * dibao application (家庭经济状况核对结果). Pure; reads the shapes of the verification contracts.
 */

type Answer = Record<string, unknown> & { result?: string; statement?: string | null };

const yuan = (n: unknown) => `${Number(n ?? 0).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 元`;

function sum(rows: unknown, key: string): number {
  return Array.isArray(rows)
    ? rows.reduce((s: number, r) => s + Number((r as Record<string, unknown>)[key] ?? 0), 0)
    : 0;
}

export function summariseAnswer(department: string, answer: Answer): string {
  if (answer.result === 'nothing_on_record') return answer.statement ?? '无相关记录';
  const members = (Array.isArray(answer.members) ? answer.members : []) as Array<Record<string, unknown>>;
  const onRecord = members.filter((m) => m.onRecord);
  switch (department) {
    case 'health':
      return `${onRecord.length} 人有记录：近 12 个月医疗费用 ${yuan(sum(onRecord, 'medicalExpensesYuan'))}，个人负担 ${yuan(sum(onRecord, 'personalPaymentYuan'))}，已获医疗救助 ${yuan(sum(onRecord, 'assistancePaidYuan'))}${onRecord.some((m) => m.seriousIllness) ? '；有重特大疾病' : ''}`;
    case 'education': {
      const students = onRecord.filter((m) => m.atSchool).length;
      return `在校学生 ${students} 人；近 12 个月获教育资助 ${yuan(sum(onRecord, 'aidReceivedYuan'))}`;
    }
    case 'housing': {
      const items = (Array.isArray(answer.items) ? answer.items : []) as Array<Record<string, unknown>>;
      const names: Record<string, string> = {
        house_renovation: '危房改造补助',
        public_rental_housing: '公租房',
        rental_subsidy: '租赁补贴',
      };
      return items
        .map((i) =>
          i.programme === 'public_rental_housing'
            ? `已配租${names.public_rental_housing}（${String(i.allocatedOn)}）`
            : `${names[String(i.programme)] ?? String(i.programme)} ${yuan(i.amountYuan)}`,
        )
        .join('；');
    }
    case 'civil-affairs': {
      const totals = onRecord.flatMap(
        (m) => (m.byProgramme as Array<{ programme: string; amountYuan: number }>) ?? [],
      );
      const categories = [...new Set(onRecord.map((m) => m.category).filter(Boolean))];
      return `近 12 个月已获${totals.map((t) => `${t.programme} ${yuan(t.amountYuan)}`).join('、') || '救助 0 元'}${categories.length ? `；现为${categories.join('、')}对象` : ''}`;
    }
    default: {
      const items = (Array.isArray(answer.items) ? answer.items : []) as Array<Record<string, unknown>>;
      return items
        .map(
          (i) =>
            `${String(i.item)}${i.amountYuan !== null && i.amountYuan !== undefined ? ` ${yuan(i.amountYuan)}` : ''}${i.note ? `（${String(i.note)}）` : ''}`,
        )
        .join('；');
    }
  }
}
