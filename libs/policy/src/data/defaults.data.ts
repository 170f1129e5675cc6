import type {
  AllowanceStandardsTable,
  DibaoProcedureTable,
  DeadlinesTable,
  DiseaseEmergencyTable,
  EducationAssistanceTable,
  HouseholdVerificationTable,
  HousingAssistanceTable,
  MedicalAssistanceTable,
  MaterialsTable,
  RoutingTable,
  TemporaryAssistanceLimitsTable,
  UrgentAssistanceTable,
  EscalationTable,
  OnCallTable,
} from '../domain/policy-tables.js';

/**
 * The first version of each policy table on a new database (effective from 2020-01-01, recorded by the
 * system with the reason "平台初始数据"). From then on administrators change them through
 * /admin/policy: these values are a starting point, not where the platform reads policy from.
 */

export const INITIAL_ROUTING: RoutingTable = {
  medical: { department: 'health', departmentName: '卫生健康部门', level: 'county', external: false },
  disease_emergency: { department: 'health', departmentName: '卫生健康部门', level: 'city', external: false },
  housing: { department: 'housing', departmentName: '住房和城乡建设部门', level: 'county', external: false },
  education: { department: 'education', departmentName: '教育部门', level: 'county', external: false },
  dibao: { department: 'civil-affairs', departmentName: '民政部门', level: 'county', external: false },
  temporary: { department: 'civil-affairs', departmentName: '民政部门', level: 'county', external: false },
  special_hardship: {
    department: 'civil-affairs',
    departmentName: '民政部门',
    level: 'county',
    external: false,
  },
  vagrant: { department: 'civil-affairs', departmentName: '民政部门', level: 'county', external: false },
  disaster_victim: {
    department: 'civil-affairs',
    departmentName: '民政部门',
    level: 'county',
    external: false,
  },
  employment: {
    department: 'human-resources',
    departmentName: '人力资源和社会保障部门',
    level: 'county',
    external: true,
  },
};

/** One-time notification (一次性告知书): everything the applicant must bring, per category. */
export const INITIAL_MATERIALS: MaterialsTable = {
  dibao: ['户口簿', '家庭成员身份证', '家庭收入及财产状况申报表', '家庭经济状况核对授权书'],
  special_hardship: ['户口簿', '身份证', '无劳动能力或残疾证明', '收入及财产状况申报表'],
  temporary: ['身份证', '突发事件或困难情况说明', '相关费用票据'],
  medical: ['身份证', '医疗费用票据', '出院小结或诊断证明', '医保结算单'],
  disease_emergency: ['身份证（无法提供的可由医疗机构说明）', '急救病历', '费用清单'],
  education: ['户口簿', '学生证或录取通知书', '家庭经济困难证明'],
  housing: ['户口簿', '身份证', '现住房情况说明', '住房困难证明材料'],
  employment: ['身份证', '就业失业登记证', '劳动能力情况说明'],
  disaster_victim: ['身份证', '受灾情况说明', '财产损失清单'],
  vagrant: ['本人陈述（可由救助站代为记录）'],
  other: ['身份证', '困难情况说明'],
};

const normalAndUrgent = (acknowledgeDays: number, decideDays: number) => ({
  normal: { acknowledgeDays, decideDays },
  // Urgent needs (急难): acknowledged the next working day and decided within three.
  urgent: { acknowledgeDays: 1, decideDays: Math.min(decideDays, 3) },
});

/** Working days to acknowledge and to decide a referral. */
export const INITIAL_DEADLINES: DeadlinesTable = {
  medical: normalAndUrgent(1, 5),
  disease_emergency: normalAndUrgent(1, 2),
  housing: normalAndUrgent(2, 15),
  education: normalAndUrgent(2, 10),
  dibao: normalAndUrgent(2, 20),
  special_hardship: normalAndUrgent(2, 20),
  temporary: normalAndUrgent(1, 5),
  disaster_victim: normalAndUrgent(1, 5),
  vagrant: normalAndUrgent(1, 3),
  '*': normalAndUrgent(2, 10),
};

/**
 * No standards are shipped: each county's dibao and special-hardship standards are set by its government
 * every year, and a decision that needs one refuses until an administrator has recorded it.
 */
export const INITIAL_ALLOWANCE_STANDARDS: AllowanceStandardsTable = {};

/** The policy's default: the township grants up to three months of the dibao standard itself. */
export const INITIAL_TEMPORARY_ASSISTANCE_LIMITS: TemporaryAssistanceLimitsTable = {
  townshipMultipleOfMonthlyStandard: 3,
};

/**
 * The procedure's numbers from the measures (入户调查 10, 乡镇审核 15+15, 公示 7 天, 审批 10+10, 异议 20 working
 * days; 30% spot checks; 2/3 quorum and agreement). The supplements for special groups are set by each
 * city: these amounts are placeholders for an administrator to replace.
 */
export const INITIAL_DIBAO_PROCEDURE: DibaoProcedureTable = {
  investigationWorkingDays: 10,
  minInvestigators: 2,
  townshipReviewWorkingDays: 15,
  townshipReviewExtensionWorkingDays: 15,
  countyDecisionWorkingDays: 10,
  countyDecisionExtensionWorkingDays: 10,
  noticeDays: 7,
  objectionWorkingDays: 20,
  spotCheckPercent: 30,
  appraisalQuorum: { numerator: 2, denominator: 3 },
  appraisalAgreement: { numerator: 2, denominator: 3 },
  rounding: 'half_up',
  supplements: {
    elderly: { minAge: 60, monthly: 50 },
    disabled: { monthly: 80 },
    serious_illness: { monthly: 100 },
    minor: { maxAge: 17, monthly: 50 },
  },
  supplementStacking: 'sum',
  townshipConfirmationCounties: [],
};

/*
 * The departments' own tables. Defaults for the Bayannur (巴彦淖尔) / Inner Mongolia context, to be set by
 * the administration: they follow the national and regional schemes' usual shape, not a city document.
 */

/**
 * 医疗救助 (国办发〔2021〕42号 and the region's rules): special-hardship persons in full and without a
 * deductible, dibao 70% without one, the low-income margin and monitored households 60% and seriously ill
 * persons impoverished by illness 50% after a deductible; everyone else nothing unless the city decides so.
 */
export const INITIAL_MEDICAL_ASSISTANCE: MedicalAssistanceTable = {
  categories: {
    special_hardship: { ratioPercent: 100, annualDeductibleYuan: 0, annualCapYuan: 100_000 },
    dibao: { ratioPercent: 70, annualDeductibleYuan: 0, annualCapYuan: 60_000 },
    low_income_margin: { ratioPercent: 60, annualDeductibleYuan: 2_000, annualCapYuan: 50_000 },
    poverty_monitoring: { ratioPercent: 60, annualDeductibleYuan: 2_000, annualCapYuan: 50_000 },
    impoverished_by_illness: { ratioPercent: 50, annualDeductibleYuan: 6_000, annualCapYuan: 40_000 },
    other: { ratioPercent: 0, annualDeductibleYuan: 0, annualCapYuan: 0 },
  },
};

/** 疾病应急救助: the fund pays a hospital up to this for one patient's emergency treatment. */
export const INITIAL_DISEASE_EMERGENCY: DiseaseEmergencyTable = {
  capPerCaseYuan: 30_000,
};

/**
 * 住房救助: renovation 15 000 yuan for a C-grade house (修缮加固), 40 000 for a D-grade one (拆除重建);
 * public rental priority for dibao and special-hardship households; rental subsidy by household size,
 * reviewed every year.
 */
export const INITIAL_HOUSING_ASSISTANCE: HousingAssistanceTable = {
  renovation: {
    subsidyByGradeYuan: { C: 15_000, D: 40_000 },
    eligibleCategories: ['special_hardship', 'dibao', 'low_income_margin', 'poverty_monitoring'],
  },
  publicRental: { priorityCategories: ['special_hardship', 'dibao'] },
  rentalSubsidy: {
    monthlyYuanByHouseholdSize: [200, 300, 400, 500],
    reviewIntervalMonths: 12,
    eligibleCategories: ['special_hardship', 'dibao', 'low_income_margin'],
  },
};

/**
 * 教育救助, yuan per student and school year: preschool 1 000; boarders 1 000 (primary) and 1 250 (junior
 * secondary); the national grant 2 300; tuition waived 1 000 (senior high) and 2 000 (vocational); university
 * entrance aid 500 inside the region, 1 000 outside. Terms: autumn from 1 September, spring from 1 March.
 */
export const INITIAL_EDUCATION_ASSISTANCE: EducationAssistanceTable = {
  terms: [
    { term: 'autumn', startsOn: '09-01', yearOffset: 0 },
    { term: 'spring', startsOn: '03-01', yearOffset: 1 },
  ],
  preschoolFeeReduction: { preschool: 1_000 },
  boardingLivingAllowance: { primary: 1_000, junior_secondary: 1_250 },
  tuitionWaiver: { senior_secondary: 1_000, secondary_vocational: 2_000 },
  nationalGrant: { senior_secondary: 2_300, secondary_vocational: 2_300 },
  universityEntranceAid: { withinRegion: 500, outsideRegion: 1_000 },
};

/** 家庭经济状况核对: each department answers within 5 working days (a default for the administration to set). */
export const INITIAL_HOUSEHOLD_VERIFICATION: HouseholdVerificationTable = { answerWorkingDays: 5 };

/**
 * 救急难绿色通道: missing materials supplied within 10 working days of an urgent grant, urgent reports answered
 * within 24 hours, urgent applications decided within 3 working days (defaults for the administration to set).
 */
export const INITIAL_URGENT_ASSISTANCE: UrgentAssistanceTable = {
  obligationWorkingDays: 10,
  responseHours: 24,
  decideWorkingDays: 3,
};

/**
 * 报告制度: a need asking for more than 20 000 yuan, or from a household flagged at risk of extreme behaviour,
 * is also reported to the same-level government (defaults for the administration to set).
 */
export const INITIAL_ESCALATION: EscalationTable = {
  requestedAmountAboveYuan: 20_000,
  riskOfExtremeBehaviour: true,
};

/** 救急难值班表: empty until each county's civil-affairs bureau has its duty roster loaded (no invented numbers). */
export const INITIAL_ON_CALL: OnCallTable = {};
