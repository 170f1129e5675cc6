import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DirectoryUser } from '../../domain/demo-users.js';
import type { AuthenticatedActor } from '../../tokens.js';
import { IDENTITY_ADMIN, type IdentityAdmin } from '../identity-admin.js';
import type { AssignmentRequest, CreateUserRequest } from '../user-administration.js';
import { userView, type UserView } from '../user-views.js';

/** 新建用户: the administrator chooses the initial password, which the user must change at first login. */
export class CreateUserCommand extends Command<UserView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly request: CreateUserRequest,
  ) {
    super();
  }
}

@CommandHandler(CreateUserCommand)
export class CreateUserHandler implements ICommandHandler<CreateUserCommand> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, request }: CreateUserCommand): Promise<UserView> {
    const row = await this.identity.administration.create(actor, request, {
      origin: 'admin',
      mustChangePassword: true,
      passwordField: 'initialPassword',
    });
    return userView(row, this.identity.tree());
  }
}

/** 停用: takes effect on the user's next request (their tokens are refused), not at token expiry. */
export class DisableUserCommand extends Command<UserView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly userId: string,
    readonly reason: string,
  ) {
    super();
  }
}

@CommandHandler(DisableUserCommand)
export class DisableUserHandler implements ICommandHandler<DisableUserCommand> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, userId, reason }: DisableUserCommand): Promise<UserView> {
    return userView(await this.identity.administration.disable(actor, userId, reason), this.identity.tree());
  }
}

/** 启用: a disabled user may log in again (tokens from before the disable stay refused). */
export class EnableUserCommand extends Command<UserView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly userId: string,
    readonly reason: string | null,
  ) {
    super();
  }
}

@CommandHandler(EnableUserCommand)
export class EnableUserHandler implements ICommandHandler<EnableUserCommand> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, userId, reason }: EnableUserCommand): Promise<UserView> {
    return userView(await this.identity.administration.enable(actor, userId, reason), this.identity.tree());
  }
}

/** 重置密码: a temporary password; the user's tokens stop working and the next login must change it. */
export class ResetPasswordCommand extends Command<UserView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly userId: string,
    readonly temporaryPassword: string,
  ) {
    super();
  }
}

@CommandHandler(ResetPasswordCommand)
export class ResetPasswordHandler implements ICommandHandler<ResetPasswordCommand> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, userId, temporaryPassword }: ResetPasswordCommand): Promise<UserView> {
    return userView(
      await this.identity.administration.resetPassword(actor, userId, temporaryPassword),
      this.identity.tree(),
    );
  }
}

/** 变更角色、部门、辖区: the user's tokens stop working; the next login carries the new assignment. */
export class ChangeUserRoleCommand extends Command<UserView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly userId: string,
    readonly request: AssignmentRequest,
  ) {
    super();
  }
}

@CommandHandler(ChangeUserRoleCommand)
export class ChangeUserRoleHandler implements ICommandHandler<ChangeUserRoleCommand> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, userId, request }: ChangeUserRoleCommand): Promise<UserView> {
    return userView(
      await this.identity.administration.changeRole(actor, userId, request),
      this.identity.tree(),
    );
  }
}

/** 设置工作邮箱: where overdue reminders reach the officer (null removes it). */
export class ChangeUserEmailCommand extends Command<UserView> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly userId: string,
    readonly email: string | null,
  ) {
    super();
  }
}

@CommandHandler(ChangeUserEmailCommand)
export class ChangeUserEmailHandler implements ICommandHandler<ChangeUserEmailCommand> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, userId, email }: ChangeUserEmailCommand): Promise<UserView> {
    return userView(
      await this.identity.administration.changeEmail(actor, userId, email),
      this.identity.tree(),
    );
  }
}

/** 修改密码 (one's own: old and new). Returns what a fresh token needs. */
export class ChangeOwnPasswordCommand extends Command<{ user: DirectoryUser; tokenVersion: number }> {
  constructor(
    readonly actor: AuthenticatedActor,
    readonly oldPassword: string,
    readonly newPassword: string,
  ) {
    super();
  }
}

@CommandHandler(ChangeOwnPasswordCommand)
export class ChangeOwnPasswordHandler implements ICommandHandler<ChangeOwnPasswordCommand> {
  constructor(@Inject(IDENTITY_ADMIN) private readonly identity: IdentityAdmin) {}

  async execute({ actor, oldPassword, newPassword }: ChangeOwnPasswordCommand) {
    const row = await this.identity.administration.changeOwnPassword(actor, oldPassword, newPassword);
    return {
      user: {
        id: row.id,
        username: row.username,
        name: row.name,
        role: row.role,
        department: row.department,
        jurisdiction: row.jurisdiction,
        ...(row.organisation ? { organisation: row.organisation } : {}),
      },
      tokenVersion: row.tokenVersion,
    };
  }
}

export const USER_COMMAND_HANDLERS = [
  CreateUserHandler,
  DisableUserHandler,
  EnableUserHandler,
  ResetPasswordHandler,
  ChangeUserRoleHandler,
  ChangeUserEmailHandler,
  ChangeOwnPasswordHandler,
];
