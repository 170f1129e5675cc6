import { DomainError } from '@platform/contracts';
import type { JurisdictionLevel, JurisdictionTree } from './jurisdiction.js';
import { DEPARTMENT_OF_ROLE, ROLE_NAMES_ZH, type Role } from './roles.js';

export const LEVEL_NAMES_ZH: Record<JurisdictionLevel, string> = {
  city: '市',
  county: '旗县区',
  township: '苏木乡镇（街道）',
  village: '嘎查村（社区）',
};

/** The departments a user may belong to, with their Chinese names. */
export const DEPARTMENT_NAMES_ZH: Record<string, string> = {
  intake: '一门受理（乡镇、街道窗口）',
  'civil-affairs': '民政部门',
  health: '卫生健康部门',
  housing: '住房部门',
  education: '教育部门',
  government: '同级政府',
  oversight: '监督（联席会议、责任追究）',
  platform: '平台运维',
};

/** The department a role belongs to when the request names none. */
export const DEFAULT_DEPARTMENT_OF_ROLE: Record<Role, string> = {
  township_officer: 'intake',
  village_verifier: 'intake',
  county_civil_affairs: 'civil-affairs',
  health_officer: 'health',
  housing_officer: 'housing',
  education_officer: 'education',
  social_worker: 'intake',
  government_liaison: 'government',
  auditor: 'oversight',
  joint_meeting_viewer: 'oversight',
  admin: 'platform',
};

/** At which levels of the tree each role may sit (a window is a township's, a verifier a village's). */
export const ROLE_LEVELS: Record<Role, JurisdictionLevel[]> = {
  township_officer: ['township'],
  village_verifier: ['village'],
  county_civil_affairs: ['county'],
  health_officer: ['city', 'county'],
  housing_officer: ['city', 'county'],
  education_officer: ['city', 'county'],
  social_worker: ['county', 'township', 'village'],
  government_liaison: ['city', 'county', 'township'],
  auditor: ['city', 'county'],
  joint_meeting_viewer: ['city', 'county'],
  admin: ['city', 'county'],
};

/** 422 unless the role may sit at that level and belongs to that department. */
export function assertAssignmentAllowed(
  role: Role,
  department: string,
  level: JurisdictionLevel,
  field = 'jurisdiction',
): void {
  if (!ROLE_LEVELS[role].includes(level)) {
    throw new DomainError(
      'ROLE_LEVEL_MISMATCH',
      `${field}：角色“${ROLE_NAMES_ZH[role]}”只能设在${ROLE_LEVELS[role].map((l) => LEVEL_NAMES_ZH[l]).join('或')}一级，不能设在${LEVEL_NAMES_ZH[level]}一级`,
      422,
      { field },
    );
  }
  if (!(department in DEPARTMENT_NAMES_ZH)) {
    throw new DomainError(
      'UNKNOWN_DEPARTMENT',
      `department：未知部门“${department}”，应为 ${Object.keys(DEPARTMENT_NAMES_ZH).join('、')} 之一`,
      422,
      { field: 'department' },
    );
  }
  const owner = DEPARTMENT_OF_ROLE[role];
  if (owner && owner !== department) {
    throw new DomainError(
      'DEPARTMENT_MISMATCH',
      `department：角色“${ROLE_NAMES_ZH[role]}”属于${DEPARTMENT_NAMES_ZH[owner]}，不能设为${DEPARTMENT_NAMES_ZH[department]}`,
      422,
      { field: 'department' },
    );
  }
}

/**
 * An administrator manages the users of their own jurisdiction only: a city administrator everyone, a
 * county administrator the users inside their county (and can therefore neither create a city-level user
 * nor an administrator above their own level). 403 naming both places otherwise.
 */
export function assertAdminMayManage(
  tree: JurisdictionTree,
  actor: { role: string; jurisdiction: string },
  jurisdiction: string,
  permission: string,
): void {
  if (actor.role !== 'admin') {
    throw new DomainError('MISSING_PERMISSION', `无权执行此操作（${permission}）：需要系统管理员角色`, 403, {
      permission,
    });
  }
  if (!tree.contains(actor.jurisdiction, jurisdiction)) {
    throw new DomainError(
      'OUT_OF_JURISDICTION',
      `无权执行此操作（${permission}）：${tree.fullName(jurisdiction) || jurisdiction} 不在您的辖区（${tree.fullName(actor.jurisdiction) || actor.jurisdiction}）内`,
      403,
      { permission },
    );
  }
}

/** The node of `code`, or 422 naming the field when the tree does not know it. */
export function knownJurisdiction(tree: JurisdictionTree, code: string, field = 'jurisdiction') {
  const node = tree.get(code);
  if (!node) {
    throw new DomainError('UNKNOWN_JURISDICTION', `${field}：${code} 不是已登记的区划代码`, 422, { field });
  }
  return node;
}
