import { maskIdNumber } from '@platform/auth';
import type { CaseState } from '../domain/case.decider.js';
import { formatQueryCode } from '../domain/query-code.js';
import { CATEGORY_NAMES } from '../domain/policy.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const date = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};

function page(title: string, number: string, body: string, issuer: string, at: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)} ${esc(number)}</title>
<style>
  @page { size: A4; margin: 25mm 20mm; }
  body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
  h1 { text-align: center; font-size: 22pt; letter-spacing: .3em; margin-bottom: .2em; }
  .number { text-align: right; font-size: 11pt; }
  table { width: 100%; border-collapse: collapse; margin: 1em 0; }
  th, td { border: 1px solid #000; padding: 4px 8px; text-align: left; vertical-align: top; }
  .sign { margin-top: 3em; text-align: right; }
  @media print { .noprint { display: none; } }
</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="number">编号：${esc(number)}</p>
${body}
<p class="sign">${esc(issuer)}<br>${date(at)}</p>
<p class="noprint"><button onclick="window.print()">打印</button></p>
</body></html>`;
}

function applicantLine(state: CaseState): string {
  const a = state.household.find((m) => m.relationship === 'applicant')!;
  return `<p>${esc(a.name)}（身份证号码：${esc(maskIdNumber(a.idNumber))}）：</p>`;
}

/** 一次性告知书: every material for every need, listed once. */
export function renderOneTimeNotification(state: CaseState, documentNumber: string, issuer: string): string {
  const notice = state.notices.find((n) => n.documentNumber === documentNumber)!;
  const rows = state.needs
    .map(
      (n) =>
        `<tr><td>${esc(CATEGORY_NAMES[n.category] ?? n.category)}</td><td>${esc(materialsOf(state, documentNumber, n.needId).join('；'))}</td></tr>`,
    )
    .join('');
  return page(
    '一次性告知书',
    documentNumber,
    `${applicantLine(state)}
<p>您于${date(notice.at)}提出的救助申请（案件编号：${esc(state.caseNumber!)}）已登记。请按下列清单一次性备齐材料，交至乡镇（街道）社会救助窗口。本告知书所列以外的材料，经办机构不得另行要求。</p>
<table><thead><tr><th style="width:30%">救助事项</th><th>需提交的材料</th></tr></thead><tbody>${rows}</tbody></table>
<p>如对告知事项有疑问，可拨打当地社会救助服务热线咨询。</p>`,
    issuer,
    notice.at,
  );
}

/** 申请受理通知书, with the query code for following progress online. */
export function renderAcceptanceNotice(state: CaseState, documentNumber: string, issuer: string): string {
  const notice = state.notices.find((n) => n.documentNumber === documentNumber)!;
  const rows = state.needs
    .map(
      (n) =>
        `<tr><td>${esc(CATEGORY_NAMES[n.category] ?? n.category)}</td><td>${esc(n.description)}</td></tr>`,
    )
    .join('');
  return page(
    '申请受理通知书',
    documentNumber,
    `${applicantLine(state)}
<p>您提出的下列救助申请已于${date(notice.at)}受理（案件编号：${esc(state.caseNumber!)}），我们将转有关部门协同办理，并及时告知办理进度。</p>
<table><thead><tr><th style="width:30%">救助事项</th><th>情况说明</th></tr></thead><tbody>${rows}</tbody></table>
<p>办理进度查询：案件编号 <strong>${esc(state.caseNumber!)}</strong>，查询码 <strong>${esc(state.queryCode ? formatQueryCode(state.queryCode) : '')}</strong>。</p>`,
    issuer,
    notice.at,
  );
}

function materialsOf(state: CaseState, documentNumber: string, needId: string): string[] {
  const notice = state.notices.find((n) => n.documentNumber === documentNumber);
  return notice?.materials?.find((m) => m.needId === needId)?.items ?? [];
}
