import { maskIdNumber } from '@platform/auth';
import { csvCell } from '@platform/contracts';
import { AREA_NAMES, PROGRAM_NAMES } from '../domain/allowance.js';
import type { DibaoState } from '../domain/dibao-application.decider.js';
import { SUPPLEMENT_NAMES } from '../domain/dibao-rules.js';
import type { PaymentRoster, Place, RecipientList } from '../application/queries/dibao-queries.js';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A date as a person reads it in Beijing: 2026年12月13日. */
const date = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 8 * 3600 * 1000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};

const yuan = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(2)} 元`;

function page(title: string, number: string | null, body: string, issuer: string, at: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(title)}${number ? ` ${esc(number)}` : ''}</title>
<style>
  @page { size: A4; margin: 25mm 20mm; }
  body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", serif; font-size: 14pt; line-height: 1.8; color: #000; max-width: 170mm; margin: 0 auto; }
  h1 { text-align: center; font-size: 22pt; letter-spacing: .3em; margin-bottom: .2em; }
  .number { text-align: center; font-size: 12pt; }
  table { width: 100%; border-collapse: collapse; margin: 1em 0; }
  th, td { border: 1px solid #000; padding: 4px 8px; text-align: left; vertical-align: top; }
  .sign { margin-top: 3em; text-align: right; position: relative; }
  .seal { display: inline-block; width: 42mm; height: 42mm; border: 1px dashed #c00; border-radius: 50%; color: #c00; text-align: center; line-height: 42mm; font-size: 11pt; margin-bottom: -10mm; }
  @media print { .noprint { display: none; } }
</style></head>
<body>
<h1>${esc(title)}</h1>
${number ? `<p class="number">${esc(number)}</p>` : ''}
${body}
<div class="sign"><span class="seal">（盖章）</span><br>${esc(issuer)}<br>${date(at)}</div>
<p class="noprint"><button onclick="window.print()">打印</button></p>
</body></html>`;
}

function household(state: DibaoState): { name: string; idNumber: string; size: number } {
  const members = state.investigation?.household ?? [];
  const applicant = members.find((m) => m.relationship === 'applicant') ?? state.details!.applicant;
  return { name: applicant?.name ?? '', idNumber: applicant?.idNumber ?? '', size: members.length };
}

/** 保障决定书: the monthly amount and how it was computed, from when, and the right to appeal. */
export function renderApprovalNotice(state: DibaoState, place: Place, issuer: string): string {
  const decision = state.decision!;
  const allowance = decision.allowance!;
  const h = household(state);
  const program = PROGRAM_NAMES[decision.program];
  const supplements = allowance.supplements
    .map(
      (s) =>
        `<tr><td>${esc(s.name)}</td><td>${esc(s.kinds.map((k) => SUPPLEMENT_NAMES[k]).join('、'))}</td><td>${yuan(s.amount)}</td></tr>`,
    )
    .join('');
  const computation =
    decision.program === 'dibao'
      ? `<p>计算方法：（${esc(AREA_NAMES[allowance.area])}低保标准 ${yuan(allowance.standardMonthly)} − 家庭月人均收入 ${yuan(allowance.perCapitaIncome)}）× 共同生活家庭成员 ${allowance.members} 人 = ${yuan(allowance.base)}${allowance.supplementTotal > 0 ? `；另加特殊困难群体分类施保金 ${yuan(allowance.supplementTotal)}` : ''}，按规定取整至元。</p>`
      : `<p>计算方法：特困人员基本生活标准 ${yuan(allowance.standardMonthly)} × 供养人数 ${allowance.members} 人。</p>`;
  return page(
    `${program}决定书`,
    decision.documentNumber,
    `<p>${esc(h.name)}（身份证号码：${esc(maskIdNumber(h.idNumber))}）：</p>
<p>你（你家庭）于${date(state.receivedAt!)}经${esc(place.townshipName)}人民政府（街道办事处）受理的${program}申请（案件编号：${esc(state.details!.caseNumber)}），经${decision.level === 'township' ? '入户调查、家庭经济状况核对、公示和乡镇（街道）审核确认' : '入户调查、家庭经济状况核对、乡镇（街道）审核、公示和本局审批'}，符合${program}条件，决定自${date(decision.at)}起给予保障。</p>
<table><tbody>
<tr><th style="width:35%">户籍所在地</th><td>${esc(place.fullName)}</td></tr>
<tr><th>保障人数</th><td>${h.size} 人</td></tr>
<tr><th>月保障金</th><td><strong>${yuan(decision.monthlyAmount!)}</strong></td></tr>
</tbody></table>
${computation}
${supplements ? `<table><thead><tr><th>成员</th><th>类别</th><th>月分类施保金</th></tr></thead><tbody>${supplements}</tbody></table>` : ''}
<p>保障金按月发放。家庭人口、收入或财产状况发生变化的，应当及时告知乡镇人民政府（街道办事处）。保障对象名单将在居住地村（居）民委员会长期公示。</p>
<p>如对本决定不服，可以自收到本决定书之日起六十日内向${esc(place.countyName)}人民政府申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。</p>`,
    issuer,
    decision.at,
  );
}

/** 不予保障通知书: the reasons, and the right to reconsideration within 60 days or litigation within 6 months. */
export function renderRejectionNotice(state: DibaoState, place: Place, issuer: string): string {
  const decision = state.decision!;
  const h = household(state);
  const program = PROGRAM_NAMES[decision.program];
  const reasons = decision.reasons.map((r, i) => `<li>${i + 1}. ${esc(r)}</li>`).join('');
  return page(
    '不予保障通知书',
    decision.documentNumber,
    `<p>${esc(h.name)}（身份证号码：${esc(maskIdNumber(h.idNumber))}）：</p>
<p>你（你家庭）于${date(state.receivedAt!)}经${esc(place.townshipName)}人民政府（街道办事处）受理的${program}申请（案件编号：${esc(state.details!.caseNumber)}），经审核审批，不符合${program}条件，决定不予保障。理由如下：</p>
<ul style="list-style:none;padding-left:1em">${reasons}</ul>
<p>如对本决定不服，可以自收到本通知书之日起六十日内向${esc(place.countyName)}人民政府申请行政复议，或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。</p>
<p>家庭经济状况发生变化、符合条件时，可以重新提出申请。</p>`,
    issuer,
    decision.at,
  );
}

/** 长期公示: the standing list of recipients of a village (names masked), printable. */
export function renderRecipientList(list: RecipientList): string {
  const rows = list.items
    .map(
      (r, i) =>
        `<tr><td>${i + 1 + (list.page - 1) * list.pageSize}</td><td>${esc(r.name)}</td><td>${esc(r.programName)}</td><td>${r.householdSize ?? ''}</td><td>${r.monthlyAmount === null ? '' : yuan(r.monthlyAmount)}</td><td>${r.since ? date(r.since) : ''}</td></tr>`,
    )
    .join('');
  const place = list.placeName ?? '';
  return page(
    '最低生活保障和特困人员救助供养对象长期公示',
    null,
    `<p>根据有关规定，现将${esc(place)}的保障对象公示如下（共 ${list.total} 户）。如有异议，请向乡镇人民政府（街道办事处）或旗县区民政局反映。</p>
<table><thead><tr><th style="width:8%">序号</th><th>户主</th><th>保障类别</th><th style="width:12%">保障人数</th><th>月保障金</th><th>保障起始</th></tr></thead>
<tbody>${rows || '<tr><td colspan="6">暂无保障对象</td></tr>'}</tbody></table>`,
    place,
    list.asOf,
  );
}

/** 变更决定书: the new monthly amount and how it was computed, from when, and the right to appeal. */
export function renderChangeNotice(
  state: DibaoState,
  place: Place,
  issuer: string,
  documentNumber: string,
): string {
  const change = state.changes.find((c) => c.documentNumber === documentNumber)!;
  const allowance = change.allowance;
  const applicant = change.household.find((m) => m.relationship === 'applicant')!;
  const program = PROGRAM_NAMES[change.program];
  return page(
    `${program}变更决定书`,
    change.documentNumber,
    `<p>${esc(applicant.name)}（身份证号码：${esc(maskIdNumber(applicant.idNumber))}）：</p>
<p>你家庭经本局${esc(state.decision!.documentNumber)}决定享受${program}。经复查，家庭情况发生变化，决定自${date(change.at)}起变更月保障金：</p>
<table><tbody>
<tr><th style="width:35%">保障人数</th><td>${change.household.length} 人</td></tr>
<tr><th>原月保障金</th><td>${yuan(change.previousAmount)}</td></tr>
<tr><th>变更后月保障金</th><td><strong>${yuan(change.monthlyAmount)}</strong></td></tr>
</tbody></table>
<p>计算方法：保障标准 ${yuan(allowance.standardMonthly)}，家庭月人均收入 ${yuan(allowance.perCapitaIncome)}，共同生活家庭成员 ${allowance.members} 人，基本保障金 ${yuan(allowance.base)}${allowance.supplementTotal > 0 ? `，分类施保金 ${yuan(allowance.supplementTotal)}` : ''}，按规定取整至元。</p>
<p>如对本决定不服，可以自收到本决定书之日起六十日内向${esc(place.countyName)}人民政府申请行政复议，或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。</p>`,
    issuer,
    change.at,
  );
}

/** 停保通知书: the reasons, from when, and the right to reconsideration or litigation. */
export function renderSuspensionNotice(state: DibaoState, place: Place, issuer: string): string {
  const suspension = state.suspension!;
  const h = household(state);
  const program = PROGRAM_NAMES[suspension.program];
  const reasons = suspension.reasons.map((r, i) => `<li>${i + 1}. ${esc(r)}</li>`).join('');
  return page(
    '停止保障通知书',
    suspension.documentNumber,
    `<p>${esc(h.name)}（身份证号码：${esc(maskIdNumber(h.idNumber))}）：</p>
<p>你家庭经本局${esc(state.decision?.documentNumber ?? '')}决定享受的${program}，经复查核实，决定自${date(suspension.at)}起停止保障。理由如下：</p>
<ul style="list-style:none;padding-left:1em">${reasons}</ul>
<p>如对本决定不服，可以自收到本通知书之日起六十日内向${esc(place.countyName)}人民政府申请行政复议，或者自收到本通知书之日起六个月内依法向人民法院提起行政诉讼。</p>
<p>家庭经济状况发生变化、再次符合条件时，可以重新提出申请。</p>`,
    issuer,
    suspension.at,
  );
}

/** 发放花名册 as CSV (UTF-8 with BOM, so spreadsheet software shows the Chinese): one line per household. */
export function renderRosterCsv(roster: PaymentRoster): string {
  const header = [
    '序号',
    '乡镇（街道）',
    '村（社区）',
    '户主姓名',
    '身份证号码',
    '保障类别',
    '保障人数',
    '月保障金（元）',
    '决定书编号',
  ];
  const lines = roster.lines.map((l, i) =>
    [
      i + 1,
      l.townshipName,
      l.villageName,
      l.name,
      l.idNumber,
      l.programName,
      l.householdSize,
      l.monthlyAmount,
      l.documentNumber,
    ]
      .map(csvCell)
      .join(','),
  );
  const total = ['合计', '', '', `${roster.lines.length} 户`, '', '', '', roster.total, '']
    .map(csvCell)
    .join(',');
  return `\uFEFF${[header.map(csvCell).join(','), ...lines, total].join('\r\n')}\r\n`;
}
