import type { JurisdictionTree } from '../domain/jurisdiction.js';
import { ROLE_NAMES_ZH, isRole } from '../domain/roles.js';
import { DEPARTMENT_NAMES_ZH, LEVEL_NAMES_ZH } from '../domain/user-rules.js';
import type { Assignment } from '../domain/user.decider.js';
import type { UserRow } from '../identity/user-rows.js';

/** A user as an administrator reads them: names beside every code, never a password or its hash. */
export interface UserView {
  id: string;
  username: string;
  name: string;
  role: string;
  roleName: string;
  department: string;
  departmentName: string;
  jurisdiction: string;
  jurisdictionName: string;
  jurisdictionLevel: string | null;
  organisation: string | null;
  /** Work email for overdue reminders (administrators only see user views). */
  email: string | null;
  active: boolean;
  statusName: string;
  mustChangePassword: boolean;
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UserHistoryItem {
  type: string;
  /** What happened, in Chinese, with names. */
  summary: string;
  reason: string | null;
  at: string;
  by: { id: string; name: string; role: string; roleName: string };
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export function userView(row: UserRow, tree: JurisdictionTree): UserView {
  const node = tree.get(row.jurisdiction);
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role,
    roleName: ROLE_NAMES_ZH[row.role] ?? row.role,
    department: row.department,
    departmentName: DEPARTMENT_NAMES_ZH[row.department] ?? row.department,
    jurisdiction: row.jurisdiction,
    jurisdictionName: tree.fullName(row.jurisdiction) || row.jurisdiction,
    jurisdictionLevel: node ? LEVEL_NAMES_ZH[node.level] : null,
    organisation: row.organisation,
    email: row.email,
    active: row.active,
    statusName: row.active ? '在用' : '已停用',
    mustChangePassword: row.mustChangePassword,
    disabledReason: row.disabledReason,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function assignmentText(a: Assignment, tree: JurisdictionTree): string {
  return `${ROLE_NAMES_ZH[a.role] ?? a.role}（${tree.fullName(a.jurisdiction) || a.jurisdiction}${a.organisation ? `，${a.organisation}` : ''}）`;
}

/** One event of a user's stream as a line of their history. */
export function historySummary(
  type: string,
  data: Record<string, unknown>,
  tree: JurisdictionTree,
): { summary: string; reason: string | null } {
  const reason = typeof data.reason === 'string' ? data.reason : null;
  switch (type) {
    case 'identity.UserCreated': {
      const origin: Record<string, string> = {
        admin: '由管理员创建',
        cli: '由命令行 admin:create 创建',
        demo: '演示用户',
        existing: '记录用户事件之前已存在',
      };
      return {
        summary: `创建账号 ${String(data.username)}：${assignmentText(data as unknown as Assignment, tree)}，${origin[String(data.origin)] ?? ''}${data.mustChangePassword ? '，首次登录须修改密码' : ''}`,
        reason,
      };
    }
    case 'identity.UserDisabled':
      return { summary: '停用账号（已签发的登录凭证随即失效）', reason };
    case 'identity.UserEnabled':
      return { summary: '启用账号', reason };
    case 'identity.PasswordReset':
      return { summary: '重置密码（下次登录须修改密码）', reason };
    case 'identity.PasswordChanged':
      return { summary: '本人修改密码', reason };
    case 'identity.UserEmailChanged':
      return {
        summary: data.to
          ? `设置工作邮箱：${String(data.to)}${data.from ? `（原为 ${String(data.from)}）` : ''}`
          : `删除工作邮箱${data.from ? `（原为 ${String(data.from)}）` : ''}，不再收到逾期提醒`,
        reason,
      };
    case 'identity.UserRoleChanged':
      return {
        summary: `变更角色或辖区：${assignmentText(data.from as Assignment, tree)} → ${assignmentText(data.to as Assignment, tree)}`,
        reason,
      };
    default:
      return { summary: type, reason };
  }
}

export function roleNameOf(role: string): string {
  return isRole(role) ? ROLE_NAMES_ZH[role] : role;
}
