import { z } from 'zod';

/**
 * The policy tables (政策参数表) every decision reads: versioned, effective-dated data changed by events,
 * never constants in code. Pure: no framework, no database.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
const category = z.string().regex(/^[a-z][a-z0-9_]{1,40}$/, '类别代码应为小写字母、数字和下划线');
const department = z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, '部门代码应为小写字母、数字和连字符');
const workingDays = z
  .number()
  .int('工作日数应为整数')
  .min(1, '工作日数至少为 1')
  .max(120, '工作日数不超过 120');
const yuan = z.number().min(0, '金额不能为负').max(1_000_000, '金额过大');

export const routingTableSchema = z.record(
  category,
  z.object({
    department,
    departmentName: z.string().min(1).max(40),
    /** The department node that handles it: the case's county bureau, or the city's. */
    level: z.enum(['county', 'city']),
    /** Departments not on the platform (e.g. human resources): the window records hand-over and outcome. */
    external: z.boolean(),
  }),
);

export const materialsTableSchema = z.record(category, z.array(z.string().min(1).max(100)).max(30));

const steps = z.object({ acknowledgeDays: workingDays, decideDays: workingDays });

/** Working days to acknowledge and to decide, per category (`*`: every other category); urgent ones apart. */
export const deadlinesTableSchema = z
  .record(z.union([category, z.literal('*')]), z.object({ normal: steps, urgent: steps }))
  .refine((t) => '*' in t, { message: '必须包含通用期限（类别 *）' });

const calendarYear = z.object({
  /** Days off that would otherwise be working days, with the holiday's name. */
  holidays: z.record(day, z.string().min(1).max(60)),
  /** Weekend days that are working days (调休上班), with the holiday they make up for. */
  workingWeekends: z.record(day, z.string().min(1).max(60)),
});

export const calendarTableSchema = z.object({
  years: z.record(z.string().regex(/^\d{4}$/, '年份应为四位数字'), calendarYear),
});

/** Monthly amounts in yuan per county (12-digit code): urban and rural dibao, special-hardship support. */
export const allowanceStandardsTableSchema = z.record(
  z.string().regex(/^\d{12}$/, '应为 12 位区划代码'),
  z.object({
    urbanDibaoMonthly: yuan,
    ruralDibaoMonthly: yuan,
    specialHardshipMonthly: yuan,
  }),
);

/** The township may grant temporary assistance up to N × the monthly dibao standard; above it, the county. */
export const temporaryAssistanceLimitsTableSchema = z.object({
  townshipMultipleOfMonthlyStandard: z.number().min(0).max(24),
});

const share = z
  .object({ numerator: z.number().int().min(1), denominator: z.number().int().min(1) })
  .refine((f) => f.numerator <= f.denominator, { message: '比例不能大于 1' });

/** The numbers of the dibao and special-hardship procedure (审核确认办法, 特困人员认定办法). */
export const dibaoProcedureTableSchema = z.object({
  /** 入户调查: working days from acceptance; investigators a household visit needs at least. */
  investigationWorkingDays: workingDays,
  minInvestigators: z.number().int().min(1).max(10),
  /** 乡镇审核 and 旗县区审批: working days, notice days not counted; each extendable once. */
  townshipReviewWorkingDays: workingDays,
  townshipReviewExtensionWorkingDays: workingDays,
  countyDecisionWorkingDays: workingDays,
  countyDecisionExtensionWorkingDays: workingDays,
  /** 公示: calendar days each notice runs; 异议: working days the county has to decide. */
  noticeDays: z.number().int().min(1).max(60),
  objectionWorkingDays: workingDays,
  /** 入户抽查: at least this percentage of a county's applications in a month. */
  spotCheckPercent: z.number().min(0).max(100),
  /** 民主评议: valid with this share attending, passes with this share of attendees agreeing. */
  appraisalQuorum: share,
  appraisalAgreement: share,
  rounding: z.enum(['half_up', 'up', 'down']),
  /** Monthly supplements per person for special groups, in yuan. */
  supplements: z.object({
    elderly: z.object({ minAge: z.number().int().min(0).max(120), monthly: yuan }),
    disabled: z.object({ monthly: yuan }),
    serious_illness: z.object({ monthly: yuan }),
    minor: z.object({ maxAge: z.number().int().min(0).max(25), monthly: yuan }),
  }),
  supplementStacking: z.enum(['sum', 'highest']),
});

export const POLICY_TABLES = {
  routing: { schema: routingTableSchema, name: '转办规则（类别 → 部门、层级）' },
  materials: { schema: materialsTableSchema, name: '一次性告知材料清单' },
  deadlines: { schema: deadlinesTableSchema, name: '办理时限（工作日，普通与紧急）' },
  calendar: { schema: calendarTableSchema, name: '工作日历（法定节假日与调休上班日）' },
  'allowance-standards': { schema: allowanceStandardsTableSchema, name: '保障标准（按旗县区，元/月）' },
  'temporary-assistance-limits': {
    schema: temporaryAssistanceLimitsTableSchema,
    name: '临时救助审批权限（乡镇可直接给予的倍数）',
  },
  'dibao-procedure': {
    schema: dibaoProcedureTableSchema,
    name: '低保、特困审核确认程序参数（时限、抽查比例、评议比例、补差与分类施保）',
  },
} as const;

export type PolicyTableName = keyof typeof POLICY_TABLES;
export const POLICY_TABLE_NAMES = Object.keys(POLICY_TABLES) as PolicyTableName[];

export type RoutingTable = z.infer<typeof routingTableSchema>;
export type MaterialsTable = z.infer<typeof materialsTableSchema>;
export type DeadlinesTable = z.infer<typeof deadlinesTableSchema>;
export type CalendarTable = z.infer<typeof calendarTableSchema>;
export type AllowanceStandardsTable = z.infer<typeof allowanceStandardsTableSchema>;
export type TemporaryAssistanceLimitsTable = z.infer<typeof temporaryAssistanceLimitsTableSchema>;
export type DibaoProcedureTable = z.infer<typeof dibaoProcedureTableSchema>;

export interface PolicyContent {
  routing: RoutingTable;
  materials: MaterialsTable;
  deadlines: DeadlinesTable;
  calendar: CalendarTable;
  'allowance-standards': AllowanceStandardsTable;
  'temporary-assistance-limits': TemporaryAssistanceLimitsTable;
  'dibao-procedure': DibaoProcedureTable;
}

export function isPolicyTableName(name: string): name is PolicyTableName {
  return Object.hasOwn(POLICY_TABLES, name);
}

/** One version of a table: what it said, from when, why, and who decided it (in the event's metadata). */
export interface PolicyVersion<T extends PolicyTableName = PolicyTableName> {
  table: T;
  version: number;
  /** The first day (Beijing) the version applies to. */
  effectiveFrom: string;
  content: PolicyContent[T];
  reason: string;
  /** When it was recorded (ISO-8601). */
  recordedAt: string;
  recordedBy: { id: string; role: string };
}

/** The Beijing calendar day of an instant. */
export function beijingDay(instant: Date): string {
  return new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The version in force on `day` (YYYY-MM-DD, Beijing): the one with the latest effective date on or before
 * it; of versions effective the same day, the later recorded one (a correction). Undefined before the first.
 */
export function versionInForce<T extends PolicyTableName>(
  versions: readonly PolicyVersion<T>[],
  day: string,
): PolicyVersion<T> | undefined {
  let best: PolicyVersion<T> | undefined;
  for (const v of versions) {
    if (v.effectiveFrom > day) continue;
    if (
      !best ||
      v.effectiveFrom > best.effectiveFrom ||
      (v.effectiveFrom === best.effectiveFrom && v.version > best.version)
    )
      best = v;
  }
  return best;
}
