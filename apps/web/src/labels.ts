// Chinese labels for the codes the API returns (the API gives names beside most codes; these cover the rest).
export const CATEGORY_NAMES: Record<string, string> = {
  dibao: '最低生活保障',
  special_hardship: '特困人员供养',
  temporary: '临时救助',
  medical: '医疗救助',
  disease_emergency: '疾病应急救助',
  education: '教育救助',
  housing: '住房救助',
  employment: '就业救助',
  disaster_victim: '受灾人员救助',
  vagrant: '流浪乞讨人员救助',
  other: '其他困难',
};

export const CASE_STATUS_NAMES: Record<string, string> = {
  opened: '已登记，待受理',
  accepted: '已受理',
};

export const REFERRAL_STATUS_NAMES: Record<string, string> = {
  issued: '已转办',
  received: '部门已接收',
  acknowledged: '部门已签收',
  accepted: '部门已受理',
  declined: '部门不予受理，待重新转办',
  completed: '已办结',
  returned: '已退回',
  revoked: '已撤回',
  rerouted: '已改派',
  transferred: '部门已移交其他部门',
  handed_over: '已转交（线下办理）',
};

export const DEPARTMENT_NAMES: Record<string, string> = {
  intake: '一门受理窗口',
  'civil-affairs': '民政部门',
  health: '卫生健康部门',
  housing: '住房和城乡建设部门',
  education: '教育部门',
  'human-resources': '人力资源和社会保障部门',
};

export const CHANNEL_NAMES: Record<string, string> = {
  window: '窗口申请',
  hotline: '热线来电',
  proactive_discovery: '主动发现',
};

export const RELATIONSHIP_NAMES: Record<string, string> = {
  applicant: '申请人',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  sibling: '兄弟姐妹',
  other: '其他',
};

export const URGENCY_NAMES: Record<string, string> = { normal: '一般', urgent: '紧急' };

export const label = (names: Record<string, string>, code: string | null | undefined): string =>
  code ? (names[code] ?? code) : '—';

const beijing = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** An instant in Beijing time, `2026/11/28 06:41`; strings the API already formatted pass through. */
export function beijingTime(at: string | null | undefined): string {
  if (!at) return '—';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : beijing.format(d);
}

/**
 * 巴彦淖尔市's counties (national division codes). No endpoint lists jurisdiction names to non-admins
 * (`/admin/jurisdictions` is admin-only; `/auth/me` names only the user's own), so the dashboard names
 * counties from here, prefers the user's own name from `/auth/me`, and shows the code when unknown.
 */
export const COUNTY_NAMES: Record<string, string> = {
  '150802000000': '临河区',
  '150821000000': '五原县',
  '150822000000': '磴口县',
  '150823000000': '乌拉特前旗',
  '150824000000': '乌拉特中旗',
  '150825000000': '乌拉特后旗',
  '150826000000': '杭锦后旗',
};

export const GOVERNMENT_REPORT_STATUS_NAMES: Record<string, string> = {
  awaiting: '待政府回复',
  overdue: '逾期未回复',
  responded: '政府已处理',
};

/** Today's date in Beijing, `2026-11-28`. */
export function beijingToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}

/** The instant a Beijing calendar date starts, `2026-11-28` → `2026-11-27T16:00:00.000Z`. */
export function beijingDayStart(date: string, plusDays = 0): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + plusDays * 86_400_000).toISOString();
}
