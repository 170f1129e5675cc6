import { DomainError } from '@platform/contracts';
import { versionInForce, workingDaysDeadline, type PolicyVersion } from '@platform/policy';

/**
 * 临时救助: an application for a household in sudden or temporary hardship. The township (乡镇（街道）)
 * grants within its limit — a multiple of the county's monthly dibao standard for the area, both read
 * from the policy tables in force on the decision day; above it the township submits the application to
 * the county civil-affairs department with its opinion, and a county officer other than the one who
 * recorded or submitted it approves an amount or refuses. Pure: time, ids and the tables' histories come
 * in with the command. Amounts are yuan at the edges and compared in fen, so 0.1 + 0.2 never decides.
 *
 * 救急难绿色通道（先行救助、后补材料）: an urgent application may be granted by the township (within its limit)
 * or approved by the county (above it) before its materials are complete. The decision records which of the
 * required materials (the `materials` table's `temporary` list) are missing; each becomes an obligation
 * (补充材料义务) due the `urgent-assistance` table's working days after the decision. A material supplied
 * fulfils its obligation; the county may waive one with a reason; the deadline watch marks an obligation
 * still open after its deadline overdue, once.
 */

export const HARDSHIP_KINDS = [
  'sudden_accident',
  'serious_illness',
  'disaster',
  'basic_living',
  'other',
] as const;
export type HardshipKind = (typeof HARDSHIP_KINDS)[number];

export const HARDSHIP_KIND_NAMES: Record<HardshipKind, string> = {
  sudden_accident: '突发意外事件',
  serious_illness: '重大疾病',
  disaster: '自然灾害',
  basic_living: '基本生活暂时出现严重困难',
  other: '其他特殊困难',
};

export const AREAS = ['urban', 'rural'] as const;
export type Area = (typeof AREAS)[number];
export const AREA_NAMES: Record<Area, string> = { urban: '城市', rural: '农村' };

export const PAYMENT_METHODS = ['cash', 'bank_transfer'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const PAYMENT_METHOD_NAMES: Record<PaymentMethod, string> = {
  cash: '现金',
  bank_transfer: '银行转账',
};

export const URGENCIES = ['normal', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const URGENCY_NAMES: Record<Urgency, string> = { normal: '普通', urgent: '紧急（救急难）' };

/** A household of more than this is almost certainly a data-entry slip. */
export const MAX_MEMBERS = 20;
/** No single temporary grant comes near this (yuan); larger figures are typing errors. */
export const MAX_AMOUNT = 1_000_000;

export interface Officer {
  id: string;
  name: string;
  role: string;
}

export interface Member {
  name: string;
  idNumber: string;
}

/** Where the household lives: the village, and the township and county above it (from the tree). */
export interface Place {
  villageCode: string;
  townshipCode: string;
  countyCode: string;
  /** The county's name, for messages (e.g. 临河区). */
  countyName: string;
}

/** The township's limit on one day, and the table versions it was read from (recorded in events). */
export interface TownshipLimit {
  /** The decision day (YYYY-MM-DD, Beijing). */
  day: string;
  multiple: number;
  /** The county's monthly dibao standard for the area, yuan per person. */
  standardMonthly: number;
  /** multiple × standard, yuan (to the fen). */
  limit: number;
  limitsVersion: number;
  standardsVersion: number;
}

/** The two tables' histories, as the handler hands them over; the decider picks the versions in force. */
export interface PolicyHistories {
  limits: readonly PolicyVersion<'temporary-assistance-limits'>[];
  standards: readonly PolicyVersion<'allowance-standards'>[];
}

/** The tables of the green channel, as histories: the decider picks the versions in force that day. */
export interface GreenChannelPolicy {
  materials: readonly PolicyVersion<'materials'>[];
  urgent: readonly PolicyVersion<'urgent-assistance'>[];
  calendar: readonly PolicyVersion<'calendar'>[];
}

/** An obligation as the decision opened it. */
export interface OpenedObligation {
  obligationNo: number;
  material: string;
  /** End of the n-th working day after the decision (ISO-8601). */
  dueAt: string;
  /** Years counted without a calendar (weekends only). */
  provisionalYears: string[];
}

/** What an urgent decision before complete materials records: the missing materials and the rules used. */
export interface GreenChannel {
  requiredMaterials: string[];
  obligationWorkingDays: number;
  policy: { materials: number; 'urgent-assistance': number; calendar: number };
  obligations: OpenedObligation[];
}

export type ObligationStatus = 'open' | 'fulfilled' | 'waived' | 'overdue';
export const OBLIGATION_STATUS_NAMES: Record<ObligationStatus, string> = {
  open: '待补充',
  fulfilled: '已补充',
  waived: '已免除',
  overdue: '逾期未补充',
};

export interface Obligation extends OpenedObligation {
  status: ObligationStatus;
  fulfilled: { by: Officer; at: string; late: boolean } | null;
  waived: { by: Officer; at: string; reason: string } | null;
  /** When the deadline watch found it still open after its deadline (kept after a late supply). */
  overdueAt: string | null;
}

/** The intake referral an application was opened from (救急难 one-door intake): the case it reports back to. */
export interface ReferralLink {
  caseId: string;
  referralId: string;
  caseNumber: string | null;
}

/** The referral's working-day deadlines (policy table `deadlines`, category `temporary`, the case's urgency). */
export interface ReferralDeadlines {
  acknowledgeBy: string;
  decideBy: string;
  /** The table versions applied, e.g. `{ deadlines: 2, calendar: 5 }`. */
  policy: Record<string, number>;
  /** Years counted without a calendar (weekends only). */
  provisionalYears: string[];
}

/** The people of a referral: the applicant first, then the members (each once); none without consent. */
export function membersOf(r: { applicant: Member | null; members?: readonly Member[] | null }): Member[] {
  const people = [...(r.applicant ? [r.applicant] : []), ...(r.members ?? [])];
  const seen = new Set<string>();
  const members: Member[] = [];
  for (const p of people) {
    const idNumber = p.idNumber.trim().toUpperCase();
    if (seen.has(idNumber)) continue;
    seen.add(idNumber);
    members.push({ name: p.name, idNumber });
  }
  return members;
}

export type TemporaryAssistanceCommand =
  | {
      /**
       * Intake referred a `temporary` need of an accepted case to civil affairs: it becomes an application
       * (id derived from the referral, so a redelivered referral changes nothing), recorded by the system,
       * and the referral is received with its deadlines.
       */
      type: 'ReceiveReferral';
      applicationId: string;
      referral: ReferralLink;
      members: Member[];
      hardship: { kind: HardshipKind; description: string };
      requestedAmount: number;
      area: Area;
      place: Place;
      urgency: Urgency;
      deadlines: ReferralDeadlines;
      actor: Officer;
      now: string;
    }
  | {
      /** Intake revoked the referral: an undecided application is withdrawn; a decided one keeps its record. */
      type: 'WithdrawApplication';
      reason: string;
      now: string;
    }
  | {
      type: 'RecordApplication';
      applicationId: string;
      members: Member[];
      hardship: { kind: HardshipKind; description: string };
      requestedAmount: number;
      area: Area;
      place: Place;
      /** 'urgent': the green channel (救急难); absent: normal. */
      urgency?: Urgency;
      actor: Officer;
      now: string;
    }
  | {
      type: 'GrantByTownship';
      amount: number;
      opinion: string;
      policy: PolicyHistories;
      /** Required materials still missing (urgent applications only); each becomes an obligation. */
      missingMaterials?: string[];
      green?: GreenChannelPolicy;
      actor: Officer;
      now: string;
    }
  | { type: 'RefuseByTownship'; reasons: string; actor: Officer; now: string }
  | {
      type: 'SubmitToCounty';
      proposedAmount: number;
      opinion: string;
      policy: PolicyHistories;
      actor: Officer;
      now: string;
    }
  | {
      type: 'ApproveByCounty';
      amount: number;
      opinion: string;
      missingMaterials?: string[];
      green?: GreenChannelPolicy;
      actor: Officer;
      now: string;
    }
  | { type: 'RefuseByCounty'; reasons: string; actor: Officer; now: string }
  | { type: 'RecordPayment'; paidOn: string; method: PaymentMethod; actor: Officer; now: string }
  | { type: 'SupplyMaterial'; obligationNo: number; actor: Officer; now: string }
  | { type: 'WaiveObligation'; obligationNo: number; reason: string; actor: Officer; now: string }
  | { type: 'MarkObligationsOverdue'; now: string };

export interface Application {
  applicationId: string;
  members: Member[];
  hardship: { kind: HardshipKind; description: string };
  requestedAmount: number;
  area: Area;
  place: Place;
  /** Absent on applications recorded before the green channel: normal. */
  urgency?: Urgency;
  /** Present when opened from an intake referral: the case (and referral) it reports back to. */
  referral?: ReferralLink;
}

export type ReferralDeadline = 'acknowledge' | 'decide';

/** The referral ids every referral lifecycle event carries (the application's id is the referral's). */
type ReferralIds = { caseId: string; referralId: string };

export type TemporaryAssistanceEvent =
  | {
      /** The standard referral lifecycle (contract `civil-affairs.ReferralReceived`), for intake's case view. */
      type: 'civil-affairs.ReferralReceived';
      data: ReferralIds & {
        acknowledgeBy: string;
        decideBy: string;
        policy: Record<string, number>;
        deadlinesProvisional: string[];
        receivedAt: string;
        at: string;
      };
    }
  | { type: 'civil-affairs.ReferralAccepted'; data: ReferralIds & { officerId: string; at: string } }
  | {
      /** A referral deadline passed with the application still undecided (contract `ReferralOverdue`). */
      type: 'civil-affairs.ReferralOverdue';
      data: ReferralIds & {
        deadline: ReferralDeadline;
        dueAt: string;
        heldBy: string | null;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.ReferralCompleted';
      data: ReferralIds & {
        outcome: 'granted' | 'not_eligible';
        amount: number | null;
        service: string | null;
        reason: string | null;
        officerId: string;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceWithdrawn';
      data: { applicationId: string; caseId: string; referralId: string; reason: string; at: string };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceApplied';
      data: Application & { recordedBy: Officer; at: string };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceGrantedByTownship';
      data: {
        applicationId: string;
        amount: number;
        opinion: string;
        limit: TownshipLimit;
        /** Present when granted before the materials were complete (绿色通道). */
        greenChannel?: GreenChannel;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceRefusedByTownship';
      data: { applicationId: string; reasons: string; by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceSubmittedToCounty';
      data: {
        applicationId: string;
        proposedAmount: number;
        opinion: string;
        limit: TownshipLimit;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceApprovedByCounty';
      data: {
        applicationId: string;
        amount: number;
        opinion: string;
        greenChannel?: GreenChannel;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceRefusedByCounty';
      data: { applicationId: string; reasons: string; by: Officer; at: string };
    }
  | {
      type: 'civil-affairs.TemporaryAssistancePaid';
      data: {
        applicationId: string;
        amount: number;
        paidOn: string;
        method: PaymentMethod;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceMaterialSupplied';
      data: {
        applicationId: string;
        obligationNo: number;
        material: string;
        /** Supplied after its deadline. */
        late: boolean;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceObligationWaived';
      data: {
        applicationId: string;
        obligationNo: number;
        material: string;
        reason: string;
        by: Officer;
        at: string;
      };
    }
  | {
      type: 'civil-affairs.TemporaryAssistanceObligationOverdue';
      data: {
        applicationId: string;
        obligationNo: number;
        material: string;
        dueAt: string;
        /** Who decided before the materials were complete. */
        decidedLevel: 'township' | 'county';
        villageCode: string;
        townshipCode: string;
        countyCode: string;
        at: string;
      };
    };

export type Status =
  'none' | 'recorded' | 'submitted' | 'granted' | 'approved' | 'refused' | 'paid' | 'withdrawn';

export const STATUS_NAMES: Record<Status, string> = {
  none: '不存在',
  recorded: '已受理，待乡镇审批',
  submitted: '已报旗县区民政部门，待审批',
  granted: '乡镇已批准，待发放',
  approved: '旗县区已批准，待发放',
  refused: '不予救助',
  paid: '已发放',
  withdrawn: '已撤回（转办撤回）',
};

export interface Decision {
  level: 'township' | 'county';
  outcome: 'granted' | 'refused';
  /** Yuan granted; null when refused. */
  amount: number | null;
  /** The opinion on a grant, the reasons of a refusal. */
  text: string;
  /** The township's limit the decision was made under (township decisions only). */
  limit: TownshipLimit | null;
  by: Officer;
  at: string;
}

export interface TemporaryAssistanceState {
  status: Status;
  application: Application | null;
  recordedBy: Officer | null;
  recordedAt: string | null;
  submission: {
    proposedAmount: number;
    opinion: string;
    limit: TownshipLimit;
    by: Officer;
    at: string;
  } | null;
  decision: Decision | null;
  payment: { amount: number; paidOn: string; method: PaymentMethod; by: Officer; at: string } | null;
  /** The green channel of the decision (missing materials, rules), null when decided on complete materials. */
  greenChannel: Omit<GreenChannel, 'obligations'> | null;
  obligations: Obligation[];
  /** The referral's deadlines, when opened from one; which of them the watch found missed. */
  referralDeadlines: { acknowledgeBy: string; decideBy: string } | null;
  referralOverdue: ReferralDeadline[];
  updatedAt: string | null;
}

export const initialTemporaryAssistanceState = (): TemporaryAssistanceState => ({
  status: 'none',
  application: null,
  recordedBy: null,
  recordedAt: null,
  submission: null,
  decision: null,
  payment: null,
  greenChannel: null,
  obligations: [],
  referralDeadlines: null,
  referralOverdue: [],
  updatedAt: null,
});

function err(
  code: string,
  message: string,
  status: 403 | 404 | 409 | 422 = 422,
  details: Record<string, unknown> = {},
): never {
  throw new DomainError(code, message, status, details);
}

const fen = (yuan: number) => Math.round(yuan * 100);
/** Yuan as officers read them: 2070, 2070.5 → 2070.50. */
export const yuanText = (yuan: number) => (Number.isInteger(yuan) ? String(yuan) : yuan.toFixed(2));

/** The Beijing calendar day of an instant. */
export function beijingDay(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

function required(value: string, field: string, label: string): string {
  const v = value?.trim() ?? '';
  if (!v) err('FIELD_REQUIRED', `${field}：${label}不能为空`, 422, { field });
  return v;
}

/** A positive amount in whole fen, at most MAX_AMOUNT: 422 naming the field otherwise. */
function amountOf(value: number, field: string, label: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    err('INVALID_AMOUNT', `${field}：${label}应为大于 0 的金额（元）`, 422, { field });
  }
  if (Math.abs(value * 100 - fen(value)) > 1e-6) {
    err('INVALID_AMOUNT', `${field}：${label}最多保留两位小数（精确到分）`, 422, { field });
  }
  if (value > MAX_AMOUNT)
    err('INVALID_AMOUNT', `${field}：${label}不能超过 ${MAX_AMOUNT} 元`, 422, { field });
  return fen(value) / 100;
}

/**
 * The township's limit on `day` for a county and area: the `temporary-assistance-limits` multiple times
 * the county's dibao standard, each from its version in force that day. 422 naming the table when either
 * has none (an administrator must record the county's standards first).
 */
export function townshipLimitOn(
  policy: PolicyHistories,
  day: string,
  place: Place,
  area: Area,
): TownshipLimit {
  const limits = versionInForce(policy.limits, day);
  if (!limits) {
    err('POLICY_MISSING', `temporary-assistance-limits：${day} 没有生效的临时救助审批权限`, 422, {
      table: 'temporary-assistance-limits',
    });
  }
  const standards = versionInForce(policy.standards, day);
  const row = standards?.content[place.countyCode];
  if (!standards || !row) {
    err(
      'POLICY_MISSING',
      `allowance-standards：${place.countyName} ${day} 没有生效的保障标准，请先由管理员录入`,
      422,
      { table: 'allowance-standards', countyCode: place.countyCode },
    );
  }
  const standardMonthly = area === 'urban' ? row.urbanDibaoMonthly : row.ruralDibaoMonthly;
  const multiple = limits.content.townshipMultipleOfMonthlyStandard;
  return {
    day,
    multiple,
    standardMonthly,
    limit: Math.round(multiple * fen(standardMonthly)) / 100,
    limitsVersion: limits.version,
    standardsVersion: standards.version,
  };
}

const limitText = (l: TownshipLimit) =>
  `${yuanText(l.multiple)} × ${yuanText(l.standardMonthly)} = ${yuanText(l.limit)} 元`;

function assertExists(state: TemporaryAssistanceState): Application {
  if (state.status === 'none') err('APPLICATION_NOT_FOUND', '临时救助申请不存在', 404);
  return state.application!;
}

/** 409 naming where the application stands, when a step comes at the wrong moment. */
function wrongStatus(state: TemporaryAssistanceState, action: string): never {
  return err('WRONG_STATUS', `该申请当前状态为「${STATUS_NAMES[state.status]}」，不能${action}`, 409, {
    status: state.status,
  });
}

/** No self-approval: the county officer who decides did not record or submit the application. */
function assertNotOwnCase(state: TemporaryAssistanceState, actor: Officer): void {
  if (state.recordedBy?.id === actor.id || state.submission?.by.id === actor.id) {
    err('SELF_APPROVAL', '不得审批本人受理或上报的临时救助申请，请由旗县区民政部门其他工作人员审批', 403, {
      rule: 'no_self_approval',
    });
  }
}

/** A repeat of the decision already taken (a retried request) changes nothing. */
function sameDecision(
  state: TemporaryAssistanceState,
  level: Decision['level'],
  outcome: Decision['outcome'],
  amount: number | null,
  actor: Officer,
): boolean {
  const d = state.decision;
  return (
    !!d &&
    d.level === level &&
    d.outcome === outcome &&
    d.amount === amount &&
    d.by.id === actor.id &&
    (state.status === 'granted' || state.status === 'approved' || state.status === 'refused')
  );
}

function assertAtMostRequested(amount: number, app: Application, field: string): void {
  if (fen(amount) > fen(app.requestedAmount)) {
    err('ABOVE_REQUESTED', `${field}：给予金额不能超过申请金额（${yuanText(app.requestedAmount)} 元）`, 422, {
      field,
    });
  }
}

/**
 * The green channel of a decision: null when no material is missing. 422 when the application is not
 * urgent, when a material is not one the `materials` table requires for temporary assistance or is named
 * twice, or when a table has no version in force. Each missing material is due the `urgent-assistance`
 * table's working days after the decision, counted on the calendar in force that day.
 */
function greenChannelOf(
  app: Application,
  missing: readonly string[] | undefined,
  green: GreenChannelPolicy | undefined,
  now: string,
): GreenChannel | null {
  if (missing === undefined || missing === null) return null;
  if (!Array.isArray(missing)) {
    err('INVALID_MATERIALS', 'missingMaterials：缺少的材料应为材料名称的列表', 422, {
      field: 'missingMaterials',
    });
  }
  if (missing.length === 0) return null;
  if (app.urgency !== 'urgent') {
    err(
      'MATERIALS_INCOMPLETE',
      'missingMaterials：普通申请须材料齐全后方可审批，只有紧急（救急难）申请可以先行救助、后补材料',
      422,
      { field: 'missingMaterials', rule: 'green_channel_urgent_only' },
    );
  }
  if (!green) throw new Error('the green channel needs its policy tables');
  const day = beijingDay(now);
  const missingTable = (table: string, what: string): never =>
    err('POLICY_MISSING', `${table}：${day} 没有生效的${what}`, 422, { table });
  const materials = versionInForce(green.materials, day) ?? missingTable('materials', '材料清单');
  const urgent = versionInForce(green.urgent, day) ?? missingTable('urgent-assistance', '救急难绿色通道参数');
  const calendar = versionInForce(green.calendar, day) ?? missingTable('calendar', '工作日历');
  const required = [...(materials.content.temporary ?? [])];
  const seen = new Set<string>();
  const names = missing.map((m, i) => {
    const field = `missingMaterials[${i}]`;
    const name = typeof m === 'string' ? m.trim() : '';
    if (!required.includes(name)) {
      err(
        'UNKNOWN_MATERIAL',
        `${field}：「${name}」不是临时救助须提交的材料（${required.join('、')}）`,
        422,
        { field },
      );
    }
    if (seen.has(name)) err('DUPLICATE_MATERIAL', `${field}：「${name}」重复列出`, 422, { field });
    seen.add(name);
    return name;
  });
  const n = urgent.content.obligationWorkingDays;
  const deadline = workingDaysDeadline(new Date(now), n, calendar.content);
  return {
    requiredMaterials: required,
    obligationWorkingDays: n,
    policy: { materials: materials.version, 'urgent-assistance': urgent.version, calendar: calendar.version },
    obligations: names.map((material, i) => ({
      obligationNo: i + 1,
      material,
      dueAt: deadline.due.toISOString(),
      provisionalYears: deadline.provisionalYears,
    })),
  };
}

function obligationOf(state: TemporaryAssistanceState, obligationNo: number): Obligation {
  const o = state.obligations.find((x) => x.obligationNo === obligationNo);
  if (!o) {
    err('OBLIGATION_NOT_FOUND', `该申请没有第 ${obligationNo} 项补充材料义务`, 404, { obligationNo });
  }
  return o;
}

const opened = (gc: GreenChannel | undefined): Obligation[] =>
  (gc?.obligations ?? []).map((o) => ({
    ...o,
    status: 'open',
    fulfilled: null,
    waived: null,
    overdueAt: null,
  }));

const withoutObligations = (gc: GreenChannel | undefined) => {
  if (!gc) return null;
  const { obligations: _, ...rest } = gc;
  return rest;
};

function updateObligation(
  state: TemporaryAssistanceState,
  obligationNo: number,
  change: (o: Obligation) => Obligation,
): Obligation[] {
  return state.obligations.map((o) => (o.obligationNo === obligationNo ? change(o) : o));
}

type ApplicationInput = Pick<
  Extract<TemporaryAssistanceCommand, { type: 'RecordApplication' }>,
  'applicationId' | 'members' | 'hardship' | 'requestedAmount' | 'area' | 'place' | 'urgency'
>;

/** The application a window's record or a referral opens: 422 naming the field when one is invalid. */
function applicationOf(command: ApplicationInput): Application {
  if (!Array.isArray(command.members) || command.members.length === 0) {
    err('NO_MEMBERS', 'members：至少登记一名家庭成员（第一名为申请人）', 422, { field: 'members' });
  }
  if (command.members.length > MAX_MEMBERS) {
    err('TOO_MANY_MEMBERS', `members：家庭成员最多登记 ${MAX_MEMBERS} 人`, 422, { field: 'members' });
  }
  const seen = new Map<string, number>();
  const members = command.members.map((m, i) => {
    const member = {
      name: required(m.name, `members[${i}].name`, '姓名'),
      idNumber: required(m.idNumber, `members[${i}].idNumber`, '身份证号码').toUpperCase(),
    };
    const before = seen.get(member.idNumber);
    if (before !== undefined) {
      err(
        'DUPLICATE_ID_NUMBER',
        `members[${i}].idNumber：与 members[${before}]（${command.members[before]!.name}）的身份证号码相同`,
        422,
        { field: `members[${i}].idNumber` },
      );
    }
    seen.set(member.idNumber, i);
    return member;
  });
  if (!(HARDSHIP_KINDS as readonly string[]).includes(command.hardship?.kind)) {
    err(
      'UNKNOWN_HARDSHIP_KIND',
      `hardship.kind：困难类型应为 ${HARDSHIP_KINDS.map((k) => `${k}（${HARDSHIP_KIND_NAMES[k]}）`).join('、')} 之一`,
      422,
      { field: 'hardship.kind' },
    );
  }
  if (!(AREAS as readonly string[]).includes(command.area)) {
    err('UNKNOWN_AREA', 'area：户籍类别应为 urban（城市）或 rural（农村）', 422, { field: 'area' });
  }
  const urgency = command.urgency ?? 'normal';
  if (!(URGENCIES as readonly string[]).includes(urgency)) {
    err('UNKNOWN_URGENCY', 'urgency：紧急程度应为 normal（普通）或 urgent（紧急，救急难）', 422, {
      field: 'urgency',
    });
  }
  const application: Application = {
    applicationId: command.applicationId,
    members,
    hardship: {
      kind: command.hardship.kind,
      description: required(command.hardship.description, 'hardship.description', '困难情况说明'),
    },
    requestedAmount: amountOf(command.requestedAmount, 'requestedAmount', '申请金额'),
    area: command.area,
    place: command.place,
    urgency,
  };
  return application;
}

/**
 * The referral's deadlines missed and not yet marked: to acknowledge while the township has taken no step
 * (neither decided nor submitted to the county), to decide while undecided. None when not from a referral.
 */
function referralDeadlinesDue(
  state: TemporaryAssistanceState,
  now: number,
): Array<{ deadline: ReferralDeadline; dueAt: string }> {
  const d = state.referralDeadlines;
  if (!d || !state.application?.referral) return [];
  const open: Array<{ deadline: ReferralDeadline; dueAt: string; while: Status[] }> = [
    { deadline: 'acknowledge', dueAt: d.acknowledgeBy, while: ['recorded'] },
    { deadline: 'decide', dueAt: d.decideBy, while: ['recorded', 'submitted'] },
  ];
  return open
    .filter(
      (x) =>
        x.while.includes(state.status) &&
        !state.referralOverdue.includes(x.deadline) &&
        Date.parse(x.dueAt) < now,
    )
    .map(({ deadline, dueAt }) => ({ deadline, dueAt }));
}

/** The next referral deadline the watch must look at (null when none is left to miss): for the read model. */
export function nextReferralDeadline(state: TemporaryAssistanceState): string | null {
  const d = state.referralDeadlines;
  if (!d || !state.application?.referral) return null;
  const pending = [
    ...(state.status === 'recorded' && !state.referralOverdue.includes('acknowledge')
      ? [d.acknowledgeBy]
      : []),
    ...((state.status === 'recorded' || state.status === 'submitted') &&
    !state.referralOverdue.includes('decide')
      ? [d.decideBy]
      : []),
  ];
  return pending.length ? pending.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b)) : null;
}

/** What the window reads of a grant: the amount, who granted it, and any materials still owed. */
function grantService(amount: number, level: Decision['level'], gc: GreenChannel | null): string {
  const by = level === 'township' ? '乡镇（街道）审批' : '旗县区民政部门审批';
  const owed = gc?.obligations.length
    ? `；先行救助，待补充材料：${gc.obligations.map((o) => o.material).join('、')}`
    : '';
  return `临时救助 ${yuanText(amount)} 元（${by}${owed}）`;
}

/** The referral lifecycle intake follows, for an application opened from a referral (none otherwise). */
function referralLifecycle(
  app: Application,
  step: { accepted?: boolean; completed?: { amount: number; service: string } | { reason: string } },
  officer: Officer,
  at: string,
): TemporaryAssistanceEvent[] {
  if (!app.referral) return [];
  const ids = { caseId: app.referral.caseId, referralId: app.referral.referralId };
  const events: TemporaryAssistanceEvent[] = [];
  if (step.accepted) {
    events.push({ type: 'civil-affairs.ReferralAccepted', data: { ...ids, officerId: officer.id, at } });
  }
  const c = step.completed;
  if (c) {
    events.push({
      type: 'civil-affairs.ReferralCompleted',
      data:
        'amount' in c
          ? {
              ...ids,
              outcome: 'granted',
              amount: c.amount,
              service: c.service,
              reason: null,
              officerId: officer.id,
              at,
            }
          : {
              ...ids,
              outcome: 'not_eligible',
              amount: null,
              service: null,
              reason: c.reason,
              officerId: officer.id,
              at,
            },
    });
  }
  return events;
}

export function decideTemporaryAssistance(
  command: TemporaryAssistanceCommand,
  state: TemporaryAssistanceState,
): TemporaryAssistanceEvent[] {
  switch (command.type) {
    case 'RecordApplication': {
      if (state.status !== 'none') err('APPLICATION_EXISTS', '临时救助申请已存在', 409);
      const application = applicationOf(command);
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceApplied',
          data: { ...application, recordedBy: command.actor, at: command.now },
        },
      ];
    }
    case 'ReceiveReferral': {
      // Redelivery of the referral: already an application.
      if (state.status !== 'none') return [];
      const application: Application = { ...applicationOf(command), referral: command.referral };
      const { deadlines, referral, now } = command;
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceApplied',
          data: { ...application, recordedBy: command.actor, at: now },
        },
        {
          type: 'civil-affairs.ReferralReceived',
          data: {
            caseId: referral.caseId,
            referralId: referral.referralId,
            acknowledgeBy: deadlines.acknowledgeBy,
            decideBy: deadlines.decideBy,
            policy: deadlines.policy,
            deadlinesProvisional: [...new Set(deadlines.provisionalYears)].sort(),
            receivedAt: now,
            at: now,
          },
        },
      ];
    }
    case 'WithdrawApplication': {
      // Not an application (the referral stayed on the desk), already withdrawn, or decided: nothing.
      if (state.status !== 'recorded' && state.status !== 'submitted') return [];
      const app = state.application!;
      if (!app.referral) return [];
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceWithdrawn',
          data: {
            applicationId: app.applicationId,
            caseId: app.referral.caseId,
            referralId: app.referral.referralId,
            reason: command.reason?.trim() || '转办已撤回',
            at: command.now,
          },
        },
      ];
    }
    case 'GrantByTownship': {
      const app = assertExists(state);
      const amount = amountOf(command.amount, 'amount', '给予金额');
      if (sameDecision(state, 'township', 'granted', amount, command.actor)) return [];
      if (state.status !== 'recorded') wrongStatus(state, '由乡镇审批');
      assertAtMostRequested(amount, app, 'amount');
      const limit = townshipLimitOn(command.policy, beijingDay(command.now), app.place, app.area);
      if (fen(amount) > fen(limit.limit)) {
        err(
          'ABOVE_TOWNSHIP_LIMIT',
          `amount：超出乡镇审批权限（${limitText(limit)}），须报旗县区民政部门审批`,
          422,
          { field: 'amount', limit },
        );
      }
      const greenChannel = greenChannelOf(app, command.missingMaterials, command.green, command.now);
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceGrantedByTownship',
          data: {
            applicationId: app.applicationId,
            amount,
            opinion: command.opinion?.trim() ?? '',
            limit,
            ...(greenChannel ? { greenChannel } : {}),
            by: command.actor,
            at: command.now,
          },
        },
        ...referralLifecycle(
          app,
          { accepted: true, completed: { amount, service: grantService(amount, 'township', greenChannel) } },
          command.actor,
          command.now,
        ),
      ];
    }
    case 'RefuseByTownship': {
      const app = assertExists(state);
      if (sameDecision(state, 'township', 'refused', null, command.actor)) return [];
      if (state.status !== 'recorded') wrongStatus(state, '由乡镇作出不予救助决定');
      const reasons = required(command.reasons, 'reasons', '不予救助的理由');
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceRefusedByTownship',
          data: { applicationId: app.applicationId, reasons, by: command.actor, at: command.now },
        },
        ...referralLifecycle(app, { completed: { reason: reasons } }, command.actor, command.now),
      ];
    }
    case 'SubmitToCounty': {
      const app = assertExists(state);
      const proposedAmount = amountOf(command.proposedAmount, 'proposedAmount', '建议金额');
      if (
        state.status === 'submitted' &&
        state.submission!.by.id === command.actor.id &&
        fen(state.submission!.proposedAmount) === fen(proposedAmount)
      ) {
        return [];
      }
      if (state.status !== 'recorded') wrongStatus(state, '报旗县区民政部门审批');
      assertAtMostRequested(proposedAmount, app, 'proposedAmount');
      const opinion = required(command.opinion, 'opinion', '乡镇审核意见');
      const limit = townshipLimitOn(command.policy, beijingDay(command.now), app.place, app.area);
      // Within the limit the township decides itself: the county is for what exceeds its authority.
      if (fen(proposedAmount) <= fen(limit.limit)) {
        err(
          'WITHIN_TOWNSHIP_LIMIT',
          `proposedAmount：建议金额 ${yuanText(proposedAmount)} 元未超出乡镇审批权限（${limitText(limit)}），由乡镇直接审批`,
          422,
          { field: 'proposedAmount', limit },
        );
      }
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceSubmittedToCounty',
          data: {
            applicationId: app.applicationId,
            proposedAmount,
            opinion,
            limit,
            by: command.actor,
            at: command.now,
          },
        },
        ...referralLifecycle(app, { accepted: true }, command.actor, command.now),
      ];
    }
    case 'ApproveByCounty': {
      const app = assertExists(state);
      const amount = amountOf(command.amount, 'amount', '批准金额');
      if (sameDecision(state, 'county', 'granted', amount, command.actor)) return [];
      if (state.status !== 'submitted') wrongStatus(state, '由旗县区民政部门审批');
      assertNotOwnCase(state, command.actor);
      assertAtMostRequested(amount, app, 'amount');
      const greenChannel = greenChannelOf(app, command.missingMaterials, command.green, command.now);
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceApprovedByCounty',
          data: {
            applicationId: app.applicationId,
            amount,
            opinion: command.opinion?.trim() ?? '',
            ...(greenChannel ? { greenChannel } : {}),
            by: command.actor,
            at: command.now,
          },
        },
        ...referralLifecycle(
          app,
          { completed: { amount, service: grantService(amount, 'county', greenChannel) } },
          command.actor,
          command.now,
        ),
      ];
    }
    case 'RefuseByCounty': {
      const app = assertExists(state);
      if (sameDecision(state, 'county', 'refused', null, command.actor)) return [];
      if (state.status !== 'submitted') wrongStatus(state, '由旗县区民政部门作出不予救助决定');
      assertNotOwnCase(state, command.actor);
      const reasons = required(command.reasons, 'reasons', '不予救助的理由');
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceRefusedByCounty',
          data: { applicationId: app.applicationId, reasons, by: command.actor, at: command.now },
        },
        ...referralLifecycle(app, { completed: { reason: reasons } }, command.actor, command.now),
      ];
    }
    case 'RecordPayment': {
      const app = assertExists(state);
      const p = state.payment;
      if (p && p.paidOn === command.paidOn && p.method === command.method) return [];
      if (state.status !== 'granted' && state.status !== 'approved') wrongStatus(state, '登记发放');
      if (!isCalendarDay(command.paidOn)) {
        err('INVALID_DATE', 'paidOn：发放日期应为有效日期（YYYY-MM-DD）', 422, { field: 'paidOn' });
      }
      if (command.paidOn > beijingDay(command.now)) {
        err('PAID_IN_FUTURE', 'paidOn：发放日期不能晚于今天', 422, { field: 'paidOn' });
      }
      const decidedOn = beijingDay(state.decision!.at);
      if (command.paidOn < decidedOn) {
        err('PAID_BEFORE_DECISION', `paidOn：发放日期不能早于审批日期（${decidedOn}）`, 422, {
          field: 'paidOn',
        });
      }
      if (!(PAYMENT_METHODS as readonly string[]).includes(command.method)) {
        err('UNKNOWN_PAYMENT_METHOD', 'method：发放方式应为 cash（现金）或 bank_transfer（银行转账）', 422, {
          field: 'method',
        });
      }
      return [
        {
          type: 'civil-affairs.TemporaryAssistancePaid',
          data: {
            applicationId: app.applicationId,
            amount: state.decision!.amount!,
            paidOn: command.paidOn,
            method: command.method,
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    case 'SupplyMaterial': {
      const app = assertExists(state);
      const o = obligationOf(state, command.obligationNo);
      if (o.status === 'fulfilled') return [];
      if (o.status === 'waived') {
        err('OBLIGATION_WAIVED', `「${o.material}」的补充义务已由旗县区民政部门免除，无需补充`, 409, {
          obligationNo: o.obligationNo,
        });
      }
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceMaterialSupplied',
          data: {
            applicationId: app.applicationId,
            obligationNo: o.obligationNo,
            material: o.material,
            late: Date.parse(command.now) > Date.parse(o.dueAt),
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    case 'WaiveObligation': {
      const app = assertExists(state);
      if (command.actor.role !== 'county_civil_affairs') {
        err('COUNTY_ONLY', '只有旗县区民政部门可以免除补充材料义务', 403, { rule: 'waive_county_only' });
      }
      const o = obligationOf(state, command.obligationNo);
      if (o.status === 'waived') return [];
      if (o.status === 'fulfilled') {
        err('OBLIGATION_FULFILLED', `「${o.material}」已经补充，不能再免除`, 409, {
          obligationNo: o.obligationNo,
        });
      }
      const reason = required(command.reason, 'reason', '免除理由');
      return [
        {
          type: 'civil-affairs.TemporaryAssistanceObligationWaived',
          data: {
            applicationId: app.applicationId,
            obligationNo: o.obligationNo,
            material: o.material,
            reason,
            by: command.actor,
            at: command.now,
          },
        },
      ];
    }
    case 'MarkObligationsOverdue': {
      if (state.status === 'none') return [];
      const app = state.application!;
      const now = Date.parse(command.now);
      const referral: TemporaryAssistanceEvent[] = referralDeadlinesDue(state, now).map(
        ({ deadline, dueAt }) => ({
          type: 'civil-affairs.ReferralOverdue',
          data: {
            caseId: app.referral!.caseId,
            referralId: app.referral!.referralId,
            deadline,
            dueAt,
            heldBy: null,
            at: command.now,
          },
        }),
      );
      return [
        ...referral,
        ...state.obligations
          .filter((o) => o.status === 'open' && Date.parse(o.dueAt) < now)
          .map((o) => ({
            type: 'civil-affairs.TemporaryAssistanceObligationOverdue' as const,
            data: {
              applicationId: app.applicationId,
              obligationNo: o.obligationNo,
              material: o.material,
              dueAt: o.dueAt,
              decidedLevel: state.decision!.level,
              villageCode: app.place.villageCode,
              townshipCode: app.place.townshipCode,
              countyCode: app.place.countyCode,
              at: command.now,
            },
          })),
      ];
    }
    default: {
      const never: never = command;
      throw new Error(`unknown command ${JSON.stringify(never)}`);
    }
  }
}

export function evolveTemporaryAssistance(
  state: TemporaryAssistanceState,
  event: TemporaryAssistanceEvent,
): TemporaryAssistanceState {
  switch (event.type) {
    case 'civil-affairs.ReferralReceived':
      return {
        ...state,
        referralDeadlines: { acknowledgeBy: event.data.acknowledgeBy, decideBy: event.data.decideBy },
      };
    case 'civil-affairs.ReferralOverdue':
      return { ...state, referralOverdue: [...state.referralOverdue, event.data.deadline] };
    case 'civil-affairs.ReferralAccepted':
    case 'civil-affairs.ReferralCompleted':
      // The referral lifecycle mirrors the application's own events, which carry the state.
      return state;
    case 'civil-affairs.TemporaryAssistanceWithdrawn':
      return { ...state, status: 'withdrawn', updatedAt: event.data.at };
    case 'civil-affairs.TemporaryAssistanceApplied': {
      const { recordedBy, at, ...application } = event.data;
      return { ...state, status: 'recorded', application, recordedBy, recordedAt: at, updatedAt: at };
    }
    case 'civil-affairs.TemporaryAssistanceGrantedByTownship':
      return {
        ...state,
        status: 'granted',
        decision: {
          level: 'township',
          outcome: 'granted',
          amount: event.data.amount,
          text: event.data.opinion,
          limit: event.data.limit,
          by: event.data.by,
          at: event.data.at,
        },
        greenChannel: withoutObligations(event.data.greenChannel),
        obligations: opened(event.data.greenChannel),
        updatedAt: event.data.at,
      };
    case 'civil-affairs.TemporaryAssistanceRefusedByTownship':
    case 'civil-affairs.TemporaryAssistanceRefusedByCounty':
      return {
        ...state,
        status: 'refused',
        decision: {
          level: event.type === 'civil-affairs.TemporaryAssistanceRefusedByTownship' ? 'township' : 'county',
          outcome: 'refused',
          amount: null,
          text: event.data.reasons,
          limit: null,
          by: event.data.by,
          at: event.data.at,
        },
        updatedAt: event.data.at,
      };
    case 'civil-affairs.TemporaryAssistanceSubmittedToCounty': {
      const { applicationId: _, ...submission } = event.data;
      return { ...state, status: 'submitted', submission, updatedAt: event.data.at };
    }
    case 'civil-affairs.TemporaryAssistanceApprovedByCounty':
      return {
        ...state,
        status: 'approved',
        decision: {
          level: 'county',
          outcome: 'granted',
          amount: event.data.amount,
          text: event.data.opinion,
          limit: null,
          by: event.data.by,
          at: event.data.at,
        },
        greenChannel: withoutObligations(event.data.greenChannel),
        obligations: opened(event.data.greenChannel),
        updatedAt: event.data.at,
      };
    case 'civil-affairs.TemporaryAssistancePaid': {
      const { applicationId: _, ...payment } = event.data;
      return { ...state, status: 'paid', payment, updatedAt: event.data.at };
    }
    case 'civil-affairs.TemporaryAssistanceMaterialSupplied': {
      const { by, at, late } = event.data;
      return {
        ...state,
        obligations: updateObligation(state, event.data.obligationNo, (o) => ({
          ...o,
          status: 'fulfilled',
          fulfilled: { by, at, late },
        })),
        updatedAt: at,
      };
    }
    case 'civil-affairs.TemporaryAssistanceObligationWaived': {
      const { by, at, reason } = event.data;
      return {
        ...state,
        obligations: updateObligation(state, event.data.obligationNo, (o) => ({
          ...o,
          status: 'waived',
          waived: { by, at, reason },
        })),
        updatedAt: at,
      };
    }
    case 'civil-affairs.TemporaryAssistanceObligationOverdue':
      return {
        ...state,
        obligations: updateObligation(state, event.data.obligationNo, (o) => ({
          ...o,
          status: 'overdue',
          overdueAt: event.data.at,
        })),
        updatedAt: event.data.at,
      };
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

export const temporaryAssistanceDecider = {
  decide: decideTemporaryAssistance,
  evolve: evolveTemporaryAssistance,
  initialState: initialTemporaryAssistanceState,
};
