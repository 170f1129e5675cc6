import { DomainError } from '@platform/contracts';
import type { JurisdictionLevel } from './jurisdiction.js';
import type { Role } from './roles.js';
import { assertAssignmentAllowed } from './user-rules.js';

/**
 * A local user account (stream `user-<id>`). Pure: ids, time, the number of other active city
 * administrators and the level of the jurisdiction come in with the command. Events carry no password
 * and no password hash: a reset records who reset it and that a change is required.
 */
export interface ActorRef {
  id: string;
  role: string;
}

/** What a user does and where: role, department, jurisdiction (and its level), organisation. */
export interface Assignment {
  role: Role;
  department: string;
  jurisdiction: string;
  jurisdictionLevel: JurisdictionLevel;
  organisation: string | null;
}

/** How the account came to be: the admin API, the admin:create CLI, the demo seed, or a row older than events. */
export type UserOrigin = 'admin' | 'cli' | 'demo' | 'existing';

export type UserCommand =
  | {
      type: 'CreateUser';
      userId: string;
      username: string;
      name: string;
      assignment: Assignment;
      mustChangePassword: boolean;
      origin: UserOrigin;
      /** Where overdue reminders reach the officer (optional). */
      email?: string | null;
      by: ActorRef;
      now: string;
    }
  | { type: 'ChangeEmail'; email: string | null; by: ActorRef; now: string }
  | {
      type: 'DisableUser';
      reason: string;
      by: ActorRef;
      now: string;
      /** Active administrators at the city level other than this user, counted under the admins lock. */
      otherActiveCityAdmins: number;
    }
  | { type: 'EnableUser'; reason: string | null; by: ActorRef; now: string }
  | { type: 'ResetPassword'; by: ActorRef; now: string }
  | { type: 'ChangePassword'; by: ActorRef; now: string }
  | {
      type: 'ChangeRole';
      assignment: Assignment;
      reason: string | null;
      by: ActorRef;
      now: string;
      otherActiveCityAdmins: number;
    };

export type UserEvent =
  | {
      type: 'identity.UserCreated';
      data: {
        userId: string;
        username: string;
        name: string;
        role: Role;
        department: string;
        jurisdiction: string;
        jurisdictionLevel: JurisdictionLevel;
        organisation: string | null;
        mustChangePassword: boolean;
        origin: UserOrigin;
        /** Absent in accounts created before officers had an email address. */
        email?: string | null;
        at: string;
      };
    }
  | {
      type: 'identity.UserEmailChanged';
      data: { userId: string; from: string | null; to: string | null; at: string };
    }
  | { type: 'identity.UserDisabled'; data: { userId: string; reason: string; at: string } }
  | { type: 'identity.UserEnabled'; data: { userId: string; reason: string | null; at: string } }
  | {
      type: 'identity.PasswordReset';
      data: { userId: string; resetBy: string; mustChangePassword: true; at: string };
    }
  | { type: 'identity.PasswordChanged'; data: { userId: string; at: string } }
  | {
      type: 'identity.UserRoleChanged';
      data: { userId: string; from: Assignment; to: Assignment; reason: string | null; at: string };
    };

export type UserState =
  | { status: 'none' }
  | {
      status: 'active' | 'disabled';
      userId: string;
      username: string;
      name: string;
      assignment: Assignment;
      mustChangePassword: boolean;
      email: string | null;
    };

export type ExistingUser = Exclude<UserState, { status: 'none' }>;

/** An administrator at the city level: the platform must keep at least one active. */
export function isCityAdmin(a: Pick<Assignment, 'role' | 'jurisdictionLevel'>): boolean {
  return a.role === 'admin' && a.jurisdictionLevel === 'city';
}

function existing(state: UserState): ExistingUser {
  if (state.status === 'none') throw new DomainError('USER_NOT_FOUND', '用户不存在', 404);
  return state;
}

function sameAssignment(a: Assignment, b: Assignment): boolean {
  return (
    a.role === b.role &&
    a.department === b.department &&
    a.jurisdiction === b.jurisdiction &&
    (a.organisation ?? null) === (b.organisation ?? null)
  );
}

const lastCityAdmin = () =>
  new DomainError(
    'LAST_CITY_ADMIN',
    '不能这样做：这是最后一个在用的市级系统管理员，请先为市级再设一名管理员',
    409,
  );

function decide(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'CreateUser': {
      if (state.status !== 'none') {
        throw new DomainError('USER_EXISTS', `用户 ${command.userId} 已存在`, 409);
      }
      const a = command.assignment;
      assertAssignmentAllowed(a.role, a.department, a.jurisdictionLevel);
      return [
        {
          type: 'identity.UserCreated',
          data: {
            userId: command.userId,
            username: command.username,
            name: command.name,
            role: a.role,
            department: a.department,
            jurisdiction: a.jurisdiction,
            jurisdictionLevel: a.jurisdictionLevel,
            organisation: a.organisation ?? null,
            mustChangePassword: command.mustChangePassword,
            origin: command.origin,
            ...(command.email ? { email: command.email } : {}),
            at: command.now,
          },
        },
      ];
    }
    case 'ChangeEmail': {
      const user = existing(state);
      if ((command.email ?? null) === user.email) return [];
      return [
        {
          type: 'identity.UserEmailChanged',
          data: { userId: user.userId, from: user.email, to: command.email ?? null, at: command.now },
        },
      ];
    }
    case 'DisableUser': {
      const user = existing(state);
      if (user.status === 'disabled') throw new DomainError('USER_ALREADY_DISABLED', '该用户已停用', 409);
      if (command.by.id === user.userId) {
        throw new DomainError('CANNOT_DISABLE_SELF', '不能停用自己的账号', 409);
      }
      if (isCityAdmin(user.assignment) && command.otherActiveCityAdmins < 1) throw lastCityAdmin();
      return [
        {
          type: 'identity.UserDisabled',
          data: { userId: user.userId, reason: command.reason, at: command.now },
        },
      ];
    }
    case 'EnableUser': {
      const user = existing(state);
      if (user.status === 'active') throw new DomainError('USER_ALREADY_ACTIVE', '该用户已是启用状态', 409);
      return [
        {
          type: 'identity.UserEnabled',
          data: { userId: user.userId, reason: command.reason, at: command.now },
        },
      ];
    }
    case 'ResetPassword': {
      const user = existing(state);
      if (command.by.id === user.userId) {
        throw new DomainError(
          'CANNOT_RESET_OWN_PASSWORD',
          '不能重置自己的密码：请用“修改密码”（POST /auth/password）',
          409,
        );
      }
      return [
        {
          type: 'identity.PasswordReset',
          data: { userId: user.userId, resetBy: command.by.id, mustChangePassword: true, at: command.now },
        },
      ];
    }
    case 'ChangePassword': {
      const user = existing(state);
      if (command.by.id !== user.userId) {
        throw new DomainError('NOT_OWN_ACCOUNT', '只能修改自己的密码；他人的密码请由管理员重置', 403);
      }
      if (user.status === 'disabled') throw new DomainError('USER_DISABLED', '账号已停用', 403);
      return [{ type: 'identity.PasswordChanged', data: { userId: user.userId, at: command.now } }];
    }
    case 'ChangeRole': {
      const user = existing(state);
      if (command.by.id === user.userId) {
        throw new DomainError('CANNOT_CHANGE_OWN_ROLE', '不能修改自己的角色或辖区，请由其他管理员办理', 409);
      }
      const to = { ...command.assignment, organisation: command.assignment.organisation ?? null };
      assertAssignmentAllowed(to.role, to.department, to.jurisdictionLevel);
      if (sameAssignment(user.assignment, to)) return [];
      if (
        user.status === 'active' &&
        isCityAdmin(user.assignment) &&
        !isCityAdmin(to) &&
        command.otherActiveCityAdmins < 1
      ) {
        throw lastCityAdmin();
      }
      return [
        {
          type: 'identity.UserRoleChanged',
          data: { userId: user.userId, from: user.assignment, to, reason: command.reason, at: command.now },
        },
      ];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'identity.UserCreated': {
      const d = event.data;
      return {
        status: 'active',
        userId: d.userId,
        username: d.username,
        name: d.name,
        assignment: {
          role: d.role,
          department: d.department,
          jurisdiction: d.jurisdiction,
          jurisdictionLevel: d.jurisdictionLevel,
          organisation: d.organisation,
        },
        mustChangePassword: d.mustChangePassword,
        email: d.email ?? null,
      };
    }
    case 'identity.UserEmailChanged':
      return state.status === 'none' ? state : { ...state, email: event.data.to };
    case 'identity.UserDisabled':
      return state.status === 'none' ? state : { ...state, status: 'disabled' };
    case 'identity.UserEnabled':
      return state.status === 'none' ? state : { ...state, status: 'active' };
    case 'identity.PasswordReset':
      return state.status === 'none' ? state : { ...state, mustChangePassword: true };
    case 'identity.PasswordChanged':
      return state.status === 'none' ? state : { ...state, mustChangePassword: false };
    case 'identity.UserRoleChanged':
      return state.status === 'none' ? state : { ...state, assignment: event.data.to };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const userDecider = {
  decide,
  evolve,
  initialState: (): UserState => ({ status: 'none' }),
};

export const USER_EVENT_TYPES: ReadonlyArray<UserEvent['type']> = [
  'identity.UserCreated',
  'identity.UserDisabled',
  'identity.UserEnabled',
  'identity.PasswordReset',
  'identity.PasswordChanged',
  'identity.UserRoleChanged',
  'identity.UserEmailChanged',
];
