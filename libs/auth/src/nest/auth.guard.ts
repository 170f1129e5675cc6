import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROLE_NAMES_ZH, type Role } from '../domain/roles.js';
import {
  TokenService,
  UnauthenticatedError,
  type AuthenticatedActor,
  type VerifiedToken,
} from '../tokens.js';
import { IS_PUBLIC } from '@platform/config';
import { ALLOWED_BEFORE_PASSWORD_CHANGE, PERMISSION, REQUIRED_ROLES } from './auth.decorators.js';
import { UserDirectory } from './user-directory.js';
import { identityProviderActorProblem } from './identity-provider-sign-in.js';

/**
 * Every route needs a valid bearer token unless marked @Public(); @Roles() routes also need one of
 * the roles. Each service verifies tokens itself: no trust in gateway headers. A token this platform
 * issued (local login) also needs its user to be still active and the token to be of the user's current
 * token version (a disable, role change or password reset ends older tokens); what the guard knows of a
 * user is at most 2 s old (UserDirectory.tokenStatus). Identity-provider tokens are checked as before.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
    @Inject(UserDirectory) private readonly directory: UserDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<{
      headers: Record<string, string | undefined>;
      actor?: AuthenticatedActor;
      token?: Omit<VerifiedToken, 'actor'>;
    }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '请先登录（缺少 Bearer 令牌）' });
    }
    let verified: VerifiedToken;
    try {
      verified = await this.tokens.verifyToken(match[1]!);
    } catch (e) {
      if (e instanceof UnauthenticatedError) {
        throw new UnauthorizedException({ code: e.code, message: e.reason });
      }
      throw e;
    }
    const { actor, ...token } = verified;
    if (token.local) {
      let status = await this.directory.tokenStatus(actor.id);
      if (status && token.tokenVersion > status.tokenVersion) {
        // Issued after this process last looked (a new login on another service, just after a change
        // of role or password): the cached version is stale, not the token. Look again once.
        this.directory.forget(actor.id);
        status = await this.directory.tokenStatus(actor.id);
      }
      if (!status) {
        throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '账号不存在，请重新登录' });
      }
      if (!status.active) {
        throw new UnauthorizedException({ code: 'ACCOUNT_DISABLED', message: '账号已停用，请联系管理员' });
      }
      if (status.tokenVersion !== token.tokenVersion) {
        throw new UnauthorizedException({
          code: 'TOKEN_REVOKED',
          message: '登录凭证已失效（密码、角色或辖区已变更），请重新登录',
        });
      }
      if (
        token.passwordChangeOnly &&
        !this.reflector.getAllAndOverride<boolean>(ALLOWED_BEFORE_PASSWORD_CHANGE, targets)
      ) {
        throw new ForbiddenException({
          code: 'PASSWORD_CHANGE_REQUIRED',
          message: '请先修改密码（POST /auth/password，填写原密码和新密码）后再使用其他功能',
        });
      }
    } else {
      const problem = identityProviderActorProblem(actor, this.directory.jurisdictions);
      if (problem) {
        throw new ForbiddenException({
          code: 'IDP_IDENTITY_REFUSED',
          message: `统一身份认证令牌中的身份不能在本平台使用：${problem}`,
        });
      }
    }
    req.actor = actor;
    req.token = token;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(actor.role)) {
      const permission = this.reflector.getAllAndOverride<string>(PERMISSION, targets);
      throw new ForbiddenException({
        code: 'MISSING_PERMISSION',
        permission,
        requiredRoles: roles,
        message: `无权执行此操作（${permission}）：需要以下角色之一：${roles.map((r) => ROLE_NAMES_ZH[r]).join('、')}`,
      });
    }
    return true;
  }
}
