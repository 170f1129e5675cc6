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
  /**
   * 审核确认权限下放: counties (12-digit codes) that delegated the final decision to their townships; there
   * the procedure ends at the township with one notice. Absent in versions recorded before the switch.
   */
  townshipConfirmationCounties: z
    .array(z.string().regex(/^\d{6}000000$/, '应为旗县区的 12 位区划代码'))
    .max(500)
    .optional(),
});

const percent = z.number().int('比例应为整数百分比').min(0, '比例不能为负').max(100, '比例不超过 100%');
const monthDay = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, '日期格式应为 MM-DD')
  // A day every year has (checked against a common year): not 02-30, nor 02-29.
  .refine(
    (v) => {
      const d = new Date(`2001-${v}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(5, 10) === v;
    },
    {
      message: '应为每年都有的日期（不能是 2 月 29 日）',
    },
  );

/** A category's row of `medical-assistance`: the ratio, the annual deductible (0: none) and the annual cap. */
const medicalCategoryRow = z.object({
  /** Share of the in-policy out-of-pocket cost assistance pays, after the deductible (整数百分比). */
  ratioPercent: percent,
  /** 年度起付线: in-policy out-of-pocket the person bears each calendar year before assistance (0: none). */
  annualDeductibleYuan: yuan,
  /** 年度救助限额: the most assistance one person receives in a calendar year (Beijing). */
  annualCapYuan: yuan,
});

/**
 * 医疗救助: per category of the person on the date of service. The categories are fixed by the policy
 * (特困人员, 低保对象, 低保边缘家庭成员, 防止返贫监测对象, 因病致贫重病患者); `other` is everyone else and may pay 0.
 */
export const medicalAssistanceTableSchema = z.object({
  categories: z.object({
    special_hardship: medicalCategoryRow,
    dibao: medicalCategoryRow,
    low_income_margin: medicalCategoryRow,
    poverty_monitoring: medicalCategoryRow,
    impoverished_by_illness: medicalCategoryRow,
    other: medicalCategoryRow,
  }),
});

/** 疾病应急救助: what the fund pays a hospital for one patient's emergency treatment at most. */
export const diseaseEmergencyTableSchema = z.object({
  capPerCaseYuan: yuan,
});

const categories = z
  .array(category)
  .max(20)
  .refine((a) => new Set(a).size === a.length, { message: '类别不能重复' });

/** 住房救助: rural dangerous-house renovation, public rental housing priority, rental subsidy. */
export const housingAssistanceTableSchema = z.object({
  renovation: z.object({
    /** 农村危房改造 subsidy per household by appraisal grade: C 修缮加固, D 拆除重建 (A/B are not dangerous). */
    subsidyByGradeYuan: z.object({ C: yuan, D: yuan }),
    /** Household categories the renovation subsidy is for. */
    eligibleCategories: categories.refine((a) => a.length > 0, { message: '至少列出一个类别' }),
  }),
  publicRental: z.object({
    /** 公租房轮候: households of these categories come first, then everyone by application date. */
    priorityCategories: categories,
  }),
  rentalSubsidy: z.object({
    /** 租赁补贴, yuan a month: entry n is for households of n+1 members; the last for all larger ones. */
    monthlyYuanByHouseholdSize: z.array(yuan).min(1, '至少一档').max(10),
    /** 定期复核: months between reviews; a household not reviewed in time is paid no further. */
    reviewIntervalMonths: z.number().int('月数应为整数').min(1).max(36),
    eligibleCategories: categories.refine((a) => a.length > 0, { message: '至少列出一个类别' }),
  }),
});

const schoolTerm = z.object({
  term: z.enum(['autumn', 'spring']),
  /** The first day of the term (MM-DD), in the school year's first calendar year (+0) or the next (+1). */
  startsOn: monthDay,
  yearOffset: z.union([z.literal(0), z.literal(1)]),
});

/**
 * 教育救助: amounts per school year and stage, paid in equal parts per term of the schedule. Which programme
 * serves which stage is the policy's structure (in the education domain), the amounts are this table.
 */
export const educationAssistanceTableSchema = z.object({
  terms: z
    .array(schoolTerm)
    .min(1, '至少一个学期')
    .max(2)
    .refine((t) => new Set(t.map((x) => x.term)).size === t.length, { message: '学期不能重复' })
    .refine(
      (t) =>
        t.every(
          (x, i) =>
            i === 0 || `${x.yearOffset}-${x.startsOn}` > `${t[i - 1]!.yearOffset}-${t[i - 1]!.startsOn}`,
        ),
      { message: '学期应按开始日期先后排列' },
    ),
  /** 学前教育资助（保育教育费减免）. */
  preschoolFeeReduction: z.object({ preschool: yuan }),
  /** 义务教育家庭经济困难寄宿生生活补助: boarders only. */
  boardingLivingAllowance: z.object({ primary: yuan, junior_secondary: yuan }),
  /** 免学费: senior high and secondary vocational. */
  tuitionWaiver: z.object({ senior_secondary: yuan, secondary_vocational: yuan }),
  /** 国家助学金: senior high and secondary vocational. */
  nationalGrant: z.object({ senior_secondary: yuan, secondary_vocational: yuan }),
  /** 大学新生入学资助: once, by where the university is (inside or outside the region). */
  universityEntranceAid: z.object({ withinRegion: yuan, outsideRegion: yuan }),
});

/** 家庭经济状况核对: working days each department has to answer a verification request. */
export const householdVerificationTableSchema = z.object({ answerWorkingDays: workingDays });

/**
 * 救急难（绿色通道，先行救助、后补材料）: working days after an urgent grant by which each missing material is
 * to be supplied (补充材料义务); the hours within which an urgent report is to be answered; and the working
 * days within which an urgent application is to be decided.
 */
export const urgentAssistanceTableSchema = z.object({
  obligationWorkingDays: workingDays,
  responseHours: z.number().int('小时数应为整数').min(1, '小时数至少为 1').max(168, '小时数不超过 168'),
  decideWorkingDays: workingDays,
});

/**
 * 报告制度: when a need is also reported to the same-level government, besides going to its department —
 * a requested amount above the threshold (yuan; 0: never), or a household flagged at risk of extreme
 * behaviour. A need no department owns is always reported.
 */
export const escalationTableSchema = z.object({
  requestedAmountAboveYuan: yuan,
  riskOfExtremeBehaviour: z.boolean(),
});

/**
 * 救急难值班表: per county (12-digit code), whom the hotline, the windows and the reporters call about an
 * urgent case — name, phone, and what they cover.
 */
export const onCallTableSchema = z.record(
  z.string().regex(/^\d{12}$/, '应为 12 位区划代码'),
  z
    .array(
      z.object({
        name: z.string().min(1, '值班人员姓名不能为空').max(50),
        phone: z.string().regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, '值班电话应为11位手机号或区号-座机号'),
        duty: z.string().max(100).optional(),
      }),
    )
    .max(20, '每个旗县区的值班人员不超过 20 人'),
);

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
  'medical-assistance': {
    schema: medicalAssistanceTableSchema,
    name: '医疗救助（按对象类别的救助比例、年度起付线、年度救助限额）',
  },
  'disease-emergency': { schema: diseaseEmergencyTableSchema, name: '疾病应急救助（每例支付限额）' },
  'housing-assistance': {
    schema: housingAssistanceTableSchema,
    name: '住房救助（危房改造补助、公租房轮候优先类别、租赁补贴标准与复核周期）',
  },
  'education-assistance': {
    schema: educationAssistanceTableSchema,
    name: '教育救助（各学段资助标准与学期安排）',
  },
  'household-verification': {
    schema: householdVerificationTableSchema,
    name: '家庭经济状况核对（各部门回复时限，工作日）',
  },
  'urgent-assistance': {
    schema: urgentAssistanceTableSchema,
    name: '救急难绿色通道（补充材料时限、响应时限、审批时限）',
  },
  escalation: { schema: escalationTableSchema, name: '上报同级政府规则（金额标准、极端行为风险）' },
  'on-call': { schema: onCallTableSchema, name: '救急难值班表（按旗县区）' },
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
export type MedicalAssistanceTable = z.infer<typeof medicalAssistanceTableSchema>;
export type DiseaseEmergencyTable = z.infer<typeof diseaseEmergencyTableSchema>;
export type HousingAssistanceTable = z.infer<typeof housingAssistanceTableSchema>;
export type EducationAssistanceTable = z.infer<typeof educationAssistanceTableSchema>;
export type HouseholdVerificationTable = z.infer<typeof householdVerificationTableSchema>;
export type UrgentAssistanceTable = z.infer<typeof urgentAssistanceTableSchema>;
export type EscalationTable = z.infer<typeof escalationTableSchema>;
export type OnCallTable = z.infer<typeof onCallTableSchema>;

export interface PolicyContent {
  routing: RoutingTable;
  materials: MaterialsTable;
  deadlines: DeadlinesTable;
  calendar: CalendarTable;
  'allowance-standards': AllowanceStandardsTable;
  'temporary-assistance-limits': TemporaryAssistanceLimitsTable;
  'dibao-procedure': DibaoProcedureTable;
  'medical-assistance': MedicalAssistanceTable;
  'disease-emergency': DiseaseEmergencyTable;
  'housing-assistance': HousingAssistanceTable;
  'education-assistance': EducationAssistanceTable;
  'household-verification': HouseholdVerificationTable;
  'urgent-assistance': UrgentAssistanceTable;
  escalation: EscalationTable;
  'on-call': OnCallTable;
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
