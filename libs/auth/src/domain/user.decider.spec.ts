import { DomainError } from '@platform/contracts';
import { deciderSpec } from '@platform/testing';
import {
  userDecider,
  type Assignment,
  type UserCommand,
  type UserEvent,
  type UserState,
} from './user.decider.js';

const spec = deciderSpec<UserCommand, UserEvent, UserState>(userDecider);
const now = '2026-11-27T02:00:00.000Z';
const cityAdmin = { id: 'u-admin', role: 'admin' };
const window: Assignment = {
  role: 'township_officer',
  department: 'intake',
  jurisdiction: '150821100000',
  jurisdictionLevel: 'township',
  organisation: null,
};
const cityAdminAssignment: Assignment = {
  role: 'admin',
  department: 'platform',
  jurisdiction: '150800000000',
  jurisdictionLevel: 'city',
  organisation: null,
};

const create = (overrides: Partial<Extract<UserCommand, { type: 'CreateUser' }>> = {}): UserCommand => ({
  type: 'CreateUser',
  userId: 'u-1',
  username: 'wuyuan.window2',
  name: '王建华',
  assignment: window,
  mustChangePassword: true,
  origin: 'admin',
  by: cityAdmin,
  now,
  ...overrides,
});

const created = (assignment: Assignment = window, userId = 'u-1'): UserEvent => ({
  type: 'identity.UserCreated',
  data: {
    userId,
    username: userId === 'u-1' ? 'wuyuan.window2' : userId,
    name: '王建华',
    role: assignment.role,
    department: assignment.department,
    jurisdiction: assignment.jurisdiction,
    jurisdictionLevel: assignment.jurisdictionLevel,
    organisation: assignment.organisation,
    mustChangePassword: true,
    origin: 'admin',
    at: now,
  },
});

const disabled: UserEvent = {
  type: 'identity.UserDisabled',
  data: { userId: 'u-1', reason: '调离', at: now },
};

const code = (c: string) => expect.objectContaining({ code: c });

describe('user decider', () => {
  describe('creating', () => {
    it('records the account, its assignment and that the password must be changed, and no password', () => {
      spec.given([]).when(create()).then([created()]);
      const [event] = userDecider.decide(create(), userDecider.initialState());
      expect(JSON.stringify(event)).not.toMatch(/"(password|passwordHash|password_hash)"/i);
    });

    it('refuses an id that exists', () => {
      spec
        .given([created()])
        .when(create())
        .thenThrows(/已存在/);
    });

    it('refuses a role at a level where it does not sit, and a department that is not the role’s', () => {
      spec
        .given([])
        .when(
          create({ assignment: { ...window, jurisdiction: '150821000000', jurisdictionLevel: 'county' } }),
        )
        .thenThrows(/只能设在苏木乡镇（街道）一级/);
      spec
        .given([])
        .when(create({ assignment: { ...window, department: 'health' } }))
        .thenThrows(/属于一门受理/);
      expect(() =>
        userDecider.decide(create({ assignment: { ...window, department: 'nowhere' } }), { status: 'none' }),
      ).toThrow(code('UNKNOWN_DEPARTMENT'));
    });
  });

  describe('work email', () => {
    const change = (email: string | null): UserCommand => ({
      type: 'ChangeEmail',
      email,
      by: cityAdmin,
      now,
    });
    it('records an address given at creation, and each change with the old and the new', () => {
      spec
        .given([])
        .when(create({ email: 'wang@mzj.example.gov.cn' }))
        .thenState((state) => expect(state).toMatchObject({ email: 'wang@mzj.example.gov.cn' }));
      spec
        .given([created()])
        .when(change('wang@mzj.example.gov.cn'))
        .then([
          {
            type: 'identity.UserEmailChanged',
            data: { userId: 'u-1', from: null, to: 'wang@mzj.example.gov.cn', at: now },
          },
        ]);
      spec
        .given([
          created(),
          {
            type: 'identity.UserEmailChanged',
            data: { userId: 'u-1', from: null, to: 'wang@mzj.example.gov.cn', at: now },
          },
        ])
        .when(change(null))
        .then([
          {
            type: 'identity.UserEmailChanged',
            data: { userId: 'u-1', from: 'wang@mzj.example.gov.cn', to: null, at: now },
          },
        ]);
    });

    it('records nothing when the address is the same, and refuses an unknown user', () => {
      spec.given([created()]).when(change(null)).then([]);
      expect(() => userDecider.decide(change('a@b.cn'), { status: 'none' })).toThrow(code('USER_NOT_FOUND'));
    });
  });

  describe('disabling and enabling', () => {
    const disable = (
      overrides: Partial<Extract<UserCommand, { type: 'DisableUser' }>> = {},
    ): UserCommand => ({
      type: 'DisableUser',
      reason: '调离',
      by: cityAdmin,
      now,
      otherActiveCityAdmins: 1,
      ...overrides,
    });

    it('disables an active user with the reason', () => {
      spec.given([created()]).when(disable()).then([disabled]);
      spec
        .given([created()])
        .when(disable())
        .thenState((s) => expect(s.status).toBe('disabled'));
    });

    it('refuses an unknown user (404), a disabled one, and the actor themselves (409)', () => {
      expect(() => userDecider.decide(disable(), { status: 'none' })).toThrow(code('USER_NOT_FOUND'));
      spec
        .given([created(), disabled])
        .when(disable())
        .thenThrows(/已停用/);
      spec
        .given([created()])
        .when(disable({ by: { id: 'u-1', role: 'admin' } }))
        .thenThrows(/不能停用自己/);
    });

    it('never disables the last active city administrator', () => {
      const admin = created(cityAdminAssignment);
      spec
        .given([admin])
        .when(disable({ otherActiveCityAdmins: 0 }))
        .thenThrows(/最后一个/);
      spec
        .given([admin])
        .when(disable({ otherActiveCityAdmins: 1 }))
        .thenState((s) => expect(s.status).toBe('disabled'));
      // A county administrator is not one of the city's.
      spec
        .given([
          created({ ...cityAdminAssignment, jurisdiction: '150802000000', jurisdictionLevel: 'county' }),
        ])
        .when(disable({ otherActiveCityAdmins: 0 }))
        .thenState((s) => expect(s.status).toBe('disabled'));
    });

    it('enables a disabled user, and only a disabled one', () => {
      spec
        .given([created(), disabled])
        .when({ type: 'EnableUser', reason: '返岗', by: cityAdmin, now })
        .then([{ type: 'identity.UserEnabled', data: { userId: 'u-1', reason: '返岗', at: now } }]);
      spec
        .given([created()])
        .when({ type: 'EnableUser', reason: null, by: cityAdmin, now })
        .thenThrows(/已是启用状态/);
    });
  });

  describe('passwords', () => {
    it('records a reset with who reset it and that a change is required, never the password', () => {
      spec
        .given([created()])
        .when({ type: 'ResetPassword', by: cityAdmin, now })
        .then([
          {
            type: 'identity.PasswordReset',
            data: { userId: 'u-1', resetBy: 'u-admin', mustChangePassword: true, at: now },
          },
        ]);
    });

    it('lets nobody reset their own password through the administration', () => {
      spec
        .given([created(cityAdminAssignment, 'u-admin')])
        .when({ type: 'ResetPassword', by: cityAdmin, now })
        .thenThrows(/不能重置自己的密码/);
    });

    it('lets a user change their own password, which clears the forced change', () => {
      const self = { id: 'u-1', role: 'township_officer' };
      spec
        .given([created()])
        .when({ type: 'ChangePassword', by: self, now })
        .then([{ type: 'identity.PasswordChanged', data: { userId: 'u-1', at: now } }]);
      spec
        .given([created()])
        .when({ type: 'ChangePassword', by: self, now })
        .thenState((s) => expect(s.status !== 'none' && s.mustChangePassword).toBe(false));
      spec
        .given([created()])
        .when({ type: 'ChangePassword', by: cityAdmin, now })
        .thenThrows(/只能修改自己的密码/);
      spec
        .given([created(), disabled])
        .when({ type: 'ChangePassword', by: self, now })
        .thenThrows(/已停用/);
    });
  });

  describe('changing role and jurisdiction', () => {
    const change = (
      assignment: Assignment,
      overrides: Partial<Extract<UserCommand, { type: 'ChangeRole' }>> = {},
    ): UserCommand => ({
      type: 'ChangeRole',
      assignment,
      reason: '岗位调整',
      by: cityAdmin,
      now,
      otherActiveCityAdmins: 1,
      ...overrides,
    });
    const civil: Assignment = {
      role: 'county_civil_affairs',
      department: 'civil-affairs',
      jurisdiction: '150821000000',
      jurisdictionLevel: 'county',
      organisation: null,
    };

    it('records the old and the new assignment', () => {
      spec
        .given([created()])
        .when(change(civil))
        .then([
          {
            type: 'identity.UserRoleChanged',
            data: { userId: 'u-1', from: window, to: civil, reason: '岗位调整', at: now },
          },
        ]);
    });

    it('changes nothing when nothing differs', () => {
      spec.given([created()]).when(change(window)).then([]);
    });

    it('refuses a role at a wrong level, one’s own role, and demoting the last city administrator', () => {
      spec
        .given([created()])
        .when(change({ ...civil, jurisdiction: '150821100000', jurisdictionLevel: 'township' }))
        .thenThrows(DomainError);
      spec
        .given([created(cityAdminAssignment, 'u-admin')])
        .when(change(civil))
        .thenThrows(/不能修改自己的角色/);
      spec
        .given([created(cityAdminAssignment, 'u-2')])
        .when(change(civil, { otherActiveCityAdmins: 0 }))
        .thenThrows(/最后一个/);
    });
  });
});
