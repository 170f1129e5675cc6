/** A routing rule as the decider plans with it (a row of the `routing` policy table, `@platform/policy`). */
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
