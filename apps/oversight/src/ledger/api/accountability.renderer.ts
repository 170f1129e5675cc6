import { csvCell } from '@platform/contracts';
const DEPT: Record<string, string> = {
  'civil-affairs': '民政部门',
  health: '卫生健康部门',
  housing: '住房和城乡建设部门',
  education: '教育部门',
};
const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
const iso = (v: unknown) => (v ? new Date(v as string).toISOString() : '');
const hoursBetween = (a: unknown, b: unknown) =>
  a && b ? ((new Date(b as string).getTime() - new Date(a as string).getTime()) / 3_600_000).toFixed(1) : '';

export interface AccountabilityReport {
  period: { from: string; to: string };
  overdue: Array<Record<string, unknown>>;
  decisions: Array<Record<string, unknown>>;
  revokedAndReopened: Array<Record<string, unknown>>;
}

/** CSV (UTF-8 with BOM so spreadsheet programs read Chinese correctly). */
export function accountabilityCsv(r: AccountabilityReport): string {
  const lines = [
    [
      'section',
      'referral_id',
      'case_id',
      'department',
      'county_code',
      'category',
      'issued_at',
      'received_at',
      'acknowledged_at',
      'decided_at',
      'completed_at',
      'hours_to_acknowledge',
      'hours_to_decide',
      'overdue_acknowledge',
      'overdue_decide',
      'held_by_when_overdue',
      'status',
      'outcome',
      'amount',
      'reason',
    ],
    ...r.overdue.map((o) => [
      'overdue',
      o.referral_id,
      o.case_id,
      o.department,
      o.county_code,
      o.category,
      iso(o.issued_at),
      iso(o.received_at),
      iso(o.acknowledged_at),
      iso(o.decided_at),
      iso(o.completed_at),
      hoursBetween(o.issued_at, o.acknowledged_at),
      hoursBetween(o.issued_at, o.decided_at),
      o.overdue_acknowledge,
      o.overdue_decide,
      o.overdue_held_by,
      o.status,
      o.outcome,
      o.amount,
      o.reason,
    ]),
    ...r.revokedAndReopened.map((o) => [
      'revoked_or_reopened',
      o.referral_id,
      o.case_id,
      o.department,
      o.county_code,
      o.category,
      iso(o.issued_at),
      iso(o.received_at),
      iso(o.acknowledged_at),
      iso(o.decided_at),
      iso(o.completed_at),
      '',
      '',
      o.overdue_acknowledge,
      o.overdue_decide,
      o.overdue_held_by,
      o.revoked ? 'revoked' : `reopened x${o.reopened}`,
      o.outcome,
      o.amount,
      o.reason,
    ]),
    [],
    [
      'decisions_by_officer',
      'officer',
      'department',
      'accepted',
      'declined',
      'granted',
      'not_eligible',
      'reasons',
    ],
    ...r.decisions.map((d) => [
      'decision',
      d.officer,
      d.department,
      d.accepted,
      d.declined,
      d.granted,
      d.not_eligible,
      (d.reasons as string[]).join('; '),
    ]),
  ];
  return `\uFEFF${lines.map((l) => l.map(csvCell).join(',')).join('\n')}\n`;
}

/** Printable Chinese report for a joint-meeting or accountability session. */
export function accountabilityHtml(r: AccountabilityReport): string {
  const date = (v: unknown) =>
    v
      ? new Date(new Date(v as string).getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
      : '—';
  const overdueRows = r.overdue
    .map(
      (
        o,
      ) => `<tr><td>${esc(DEPT[o.department as string] ?? o.department)}</td><td>${esc(o.county_code)}</td><td>${esc(o.referral_id)}</td>
      <td>${o.overdue_acknowledge ? '签收超期' : ''}${o.overdue_decide ? ' 办理超期' : ''}</td><td>${esc(o.overdue_held_by ?? '未签收')}</td>
      <td>${date(o.issued_at)}</td><td>${date(o.acknowledged_at)}</td><td>${date(o.decided_at)}</td><td>${date(o.completed_at)}</td></tr>`,
    )
    .join('');
  const decisionRows = r.decisions
    .map(
      (
        d,
      ) => `<tr><td>${esc(d.officer)}</td><td>${esc(DEPT[d.department as string] ?? d.department)}</td><td>${esc(d.accepted)}</td><td>${esc(d.declined)}</td>
      <td>${esc(d.granted)}</td><td>${esc(d.not_eligible)}</td><td>${esc((d.reasons as string[]).join('；'))}</td></tr>`,
    )
    .join('');
  const revokedRows = r.revokedAndReopened
    .map(
      (o) =>
        `<tr><td>${esc(DEPT[o.department as string] ?? o.department)}</td><td>${esc(o.referral_id)}</td><td>${o.revoked ? '已撤回' : `重新办理 ${esc(o.reopened)} 次`}</td><td>${esc(o.reason)}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>社会救助协同办理责任追究报告</title>
<style>@page{size:A4 landscape;margin:15mm}body{font-family:"SimSun","Noto Serif CJK SC",serif;font-size:11pt}h1{text-align:center}
table{width:100%;border-collapse:collapse;margin:8px 0 18px}th,td{border:1px solid #000;padding:3px 6px;text-align:left}th{background:#eee}
@media print{.noprint{display:none}}</style></head><body>
<h1>社会救助协同办理责任追究报告</h1>
<p>统计期间：${date(r.period.from)} 至 ${date(r.period.to)}</p>
<h2>一、超期未办转办事项（${r.overdue.length} 件）</h2>
<table><tr><th>部门</th><th>旗县区</th><th>转办编号</th><th>超期类型</th><th>超期时经办人</th><th>转办时间</th><th>签收时间</th><th>决定时间</th><th>办结时间</th></tr>${overdueRows}</table>
<h2>二、经办人员决定情况</h2>
<table><tr><th>经办人</th><th>部门</th><th>受理</th><th>不予受理</th><th>给予救助</th><th>不符合条件</th><th>理由</th></tr>${decisionRows}</table>
<h2>三、撤回与重新办理的转办事项（${r.revokedAndReopened.length} 件）</h2>
<table><tr><th>部门</th><th>转办编号</th><th>情况</th><th>理由</th></tr>${revokedRows}</table>
<p class="noprint"><button onclick="window.print()">打印</button></p>
</body></html>`;
}
