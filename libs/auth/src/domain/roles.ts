export const ROLES = [
  'township_officer',
  'village_verifier',
  'county_civil_affairs',
  'health_officer',
  'housing_officer',
  'education_officer',
  'social_worker',
  'government_liaison',
  'auditor',
  'joint_meeting_viewer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES_ZH: Record<Role, string> = {
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
};

/** The department whose referrals a role handles. */
export const DEPARTMENT_OF_ROLE: Partial<Record<Role, string>> = {
  township_officer: 'intake',
  village_verifier: 'intake',
  county_civil_affairs: 'civil-affairs',
  health_officer: 'health',
  housing_officer: 'housing',
  education_officer: 'education',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
