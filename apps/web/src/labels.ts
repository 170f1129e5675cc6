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

/**
 * A choice the form requires, checked by a validator rather than `required`: antd would set aria-required
 * on a select's or checkbox group's wrapper, which axe refuses (aria-allowed-attr).
 */
export const chosen = (message: string) => async (_: unknown, v: unknown) => {
  if (!v || (Array.isArray(v) && v.length === 0)) throw new Error(message);
};

/** The departments a 一事一议 item can involve and a decision can be owned by. */
export const COORDINATION_DEPARTMENTS = ['civil-affairs', 'health', 'housing', 'education'];

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

export const ROLE_NAMES: Record<string, string> = {
  township_officer: '乡镇（街道）窗口经办人员',
  village_verifier: '村（居）委会核查人员',
  county_civil_affairs: '旗县区民政局',
  health_officer: '卫生健康部门',
  housing_officer: '住房部门',
  education_officer: '教育部门',
  social_worker: '社会工作者/志愿者/社会组织',
  government_liaison: '同级政府联络人',
  auditor: '责任追究调查人员',
  joint_meeting_viewer: '联席会议成员',
  admin: '系统管理员',
  system: '系统（自动）',
};

/** Departments as the ledger names an event's source or an actor's department. */
export const LEDGER_DEPARTMENT_NAMES: Record<string, string> = {
  ...DEPARTMENT_NAMES,
  government: '同级政府',
  oversight: '监督（联席会议、责任追究）',
  platform: '平台运维',
  system: '系统',
};

/**
 * Ledger event names by the type's suffix (`health.ReferralAccepted` → 部门受理). The suffix is enough: the
 * department is shown beside it. Unknown types show as recorded.
 */
export const EVENT_NAMES: Record<string, string> = {
  // intake (一门受理)
  CaseOpened: '登记求助',
  CaseAccepted: '受理',
  AcceptanceNoticeIssued: '出具受理通知书',
  QueryCodeReissued: '重新生成查询码',
  OneTimeNotificationIssued: '出具一次性告知书',
  ReferralIssued: '转办',
  ReferralRerouted: '改派',
  ReferralRevoked: '撤回',
  ReferralTransferred: '移交',
  ReferralStatusRecorded: '登记转办状态',
  ExternalHandoverRecorded: '转交平台外部门',
  ExternalOutcomeRecorded: '登记平台外部门办理结果',
  CaseReportedToGovernment: '上报政府',
  GovernmentResponseRecorded: '政府处理',
  // the departments' referral lifecycle
  ReferralReceived: '部门接收',
  ReferralAcknowledged: '签收',
  ReferralAccepted: '部门受理',
  ReferralDeclined: '不予受理',
  ReferralReopened: '重新办理',
  ReferralProgressNoted: '登记办理进展',
  ReferralDeadlinesRecomputed: '重新计算办理期限',
  ReferralCompleted: '办结',
  ReferralOverdue: '逾期',
  // 临时救助
  TemporaryAssistanceApplied: '临时救助申请',
  TemporaryAssistanceGrantedByTownship: '乡镇批准临时救助',
  TemporaryAssistanceRefusedByTownship: '乡镇不予临时救助',
  TemporaryAssistanceSubmittedToCounty: '报旗县区审批临时救助',
  TemporaryAssistanceApprovedByCounty: '旗县区批准临时救助',
  TemporaryAssistanceRefusedByCounty: '旗县区不予临时救助',
  TemporaryAssistancePaid: '临时救助金发放',
  TemporaryAssistanceWithdrawn: '临时救助申请撤回',
  TemporaryAssistanceMaterialSupplied: '补交材料',
  TemporaryAssistanceObligationWaived: '免除补充材料义务',
  TemporaryAssistanceObligationOverdue: '补充材料逾期',
  // 最低生活保障
  DibaoApplicationReceived: '低保申请接收',
  DibaoApplicationWithdrawn: '低保申请撤回',
  DibaoCaseRegistered: '低保登记',
  DibaoCaseAccepted: '低保受理',
  DibaoTownshipReviewBegun: '乡镇开始审核',
  DibaoInvestigationStarted: '开始入户调查',
  DibaoInvestigationRecorded: '登记入户调查',
  DibaoVerificationRecorded: '登记家庭经济状况核对',
  DibaoAppraisalHeld: '民主评议',
  DibaoAppraisalSkipped: '免予民主评议',
  DibaoNoticePosted: '张榜公示',
  DibaoObjectionFiled: '公示异议',
  DibaoObjectionDecided: '异议处理',
  DibaoTownshipReviewed: '乡镇审核',
  DibaoSubmittedToCounty: '报旗县区审批',
  DibaoCountyReviewed: '旗县区审核',
  DibaoDecisionMade: '低保审批决定',
  DibaoDeadlineExtended: '延长办理期限',
  DibaoDeadlinesRecounted: '重新计算办理期限',
  DibaoStepOverdue: '低保环节逾期',
  DibaoAllowanceChanged: '低保金调整',
  DibaoAssistanceSuspended: '停发低保金',
  DibaoRecheckRecorded: '登记复核',
  DibaoSpotCheckDrawn: '抽查',
  DibaoSpotCheckSampled: '抽中抽查',
  DibaoSpotCheckRecorded: '登记抽查结果',
  DibaoStaffRelativeFlagged: '标记经办人员近亲属',
  DibaoStaffRelativeFilingRecorded: '登记近亲属备案',
  RecipientCategoryChanged: '救助对象类别变更',
  // 家庭经济状况核查、协调
  VerificationRequested: '请求核查',
  VerificationOpened: '开始核查',
  VerificationAnswered: '核查答复',
  VerificationAnswerRecorded: '登记核查答复',
  VerificationAnswerOverdue: '核查答复逾期',
  CoordinationItemOpened: '提交协调事项',
  CoordinationMeetingRecorded: '登记协调会议',
  CoordinationDecisionDone: '协调决定落实',
  CoordinationDecisionOverdue: '协调决定逾期',
  CoordinationFollowUpNoted: '登记协调跟进',
  CoordinationItemClosed: '协调事项办结',
  SocialServiceAssigned: '指派社会服务',
  SocialServiceVisitRecorded: '登记服务走访',
  SocialServiceClosed: '社会服务结束',
  // 卫生健康、住房、教育
  MedicalCategoryRecorded: '登记医疗救助对象类别',
  MedicalClaimAssessed: '医疗救助核算',
  DiseaseEmergencyReported: '疾病应急救助申报',
  DiseaseEmergencyPatientIdentified: '确认疾病应急救助对象',
  DiseaseEmergencyReviewed: '疾病应急救助审核',
  DiseaseEmergencyPaid: '疾病应急救助支付',
  DiseaseEmergencyRefused: '疾病应急救助不予支付',
  RecipientCategoryRecorded: '登记救助对象类别',
  HouseAppraised: '房屋鉴定',
  RenovationApproved: '批准危房改造',
  RenovationRefused: '不予危房改造',
  RenovationStarted: '危房改造开工',
  RenovationCompleted: '危房改造竣工',
  RenovationAccepted: '危房改造验收合格',
  RenovationAcceptanceFailed: '危房改造验收不合格',
  RenovationSubsidyPaid: '危房改造补助发放',
  RentalSubsidyGranted: '批准租赁补贴',
  RentalSubsidyReviewed: '租赁补贴复核',
  RentalSubsidyPaid: '租赁补贴发放',
  RentalSubsidyStopped: '停发租赁补贴',
  PublicRentalApplicationQueued: '公租房轮候',
  PublicRentalApplicationRemoved: '退出公租房轮候',
  PublicRentalUnitAllocated: '配租公租房',
  PublicRentalCategoryChanged: '公租房保障类别变更',
  StudentEnrolled: '学生入学登记',
  StudentLeftSchool: '学生离校',
  AidGranted: '批准教育资助',
  AidDisbursed: '教育资助发放',
};

/** `health.ReferralAccepted` → 部门受理. */
export function eventName(type: string): string {
  return EVENT_NAMES[type.slice(type.indexOf('.') + 1)] ?? type;
}

/** A division code as a name: 巴彦淖尔市 and its counties by name, anything below as “county · code”. */
export function jurisdictionName(code: string | null | undefined): string {
  if (!code) return '—';
  if (code === '150800000000') return '巴彦淖尔市';
  if (COUNTY_NAMES[code]) return COUNTY_NAMES[code];
  const county = COUNTY_NAMES[`${code.slice(0, 6)}000000`];
  return county ? `${county}（${code}）` : code;
}

/** An instant as the Beijing wall time the server reads zoneless times in: `2026-11-28 06:41:05(.123)`. */
export function beijingWallTime(at: Date, milliseconds = false): string {
  return new Date(at.getTime() + 8 * 3600_000)
    .toISOString()
    .slice(0, milliseconds ? 23 : 19)
    .replace('T', ' ');
}

const beijingSeconds = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/** An instant in Beijing time to the second, `2026/11/28 06:41:05`. */
export function beijingTimeSeconds(at: string | null | undefined): string {
  if (!at) return '—';
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? at : beijingSeconds.format(d);
}

export const OBLIGATION_STATUS_NAMES: Record<string, string> = {
  open: '待补充',
  fulfilled: '已补充',
  waived: '已免除',
  overdue: '逾期未补充',
};

/** A referral's outcome as a department completes it. */
export const OUTCOME_NAMES: Record<string, string> = {
  granted: '给予救助',
  not_eligible: '不符合条件',
  returned: '退回',
};

/**
 * The township's name in a village's full name (`巴彦淖尔市临河区双河镇进步村` → 双河镇): no endpoint names
 * divisions below the county to non-admins, but a case's village name carries its township's.
 */
export function townshipOf(villageFullName: string, countyCode: string): string | null {
  const county = COUNTY_NAMES[countyCode];
  const i = county ? villageFullName.indexOf(county) : -1;
  const rest = i >= 0 ? villageFullName.slice(i + county!.length) : villageFullName;
  return /^(.+?(?:镇|乡|街道|苏木|办事处))/.exec(rest)?.[1] ?? null;
}
