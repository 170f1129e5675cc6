/** Policy tables (configuration, injected into the decider): routing and materials per category. */
export interface Route {
  department: string;
  departmentName: string;
  /** The department node that handles it: the case's county bureau, or the city's. */
  level: 'county' | 'city';
  /** Departments not on the platform (e.g. human resources): the window records hand-over and outcome. */
  external: boolean;
}

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

export const DEPARTMENT_NAMES: Record<string, string> = {
  intake: '一门受理窗口',
  'civil-affairs': '民政部门',
  health: '卫生健康部门',
  housing: '住房和城乡建设部门',
  education: '教育部门',
  'human-resources': '人力资源和社会保障部门',
};

export const DEFAULT_ROUTING: Record<string, Route> = {
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
export const DEFAULT_MATERIALS: Record<string, string[]> = {
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
