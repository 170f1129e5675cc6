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
import { TokenService, UnauthenticatedError, type AuthenticatedActor } from '../tokens.js';
import { IS_PUBLIC } from '@platform/config';
import { PERMISSION, REQUIRED_ROLES } from './auth.decorators.js';

/**
 * Every route needs a valid bearer token unless marked @Public(); @Roles() routes also need one of
 * the roles. Each service verifies tokens itself: no trust in gateway headers.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, string | undefined>; actor?: AuthenticatedActor }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) {
      throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: '请先登录（缺少 Bearer 令牌）' });
    }
    try {
      req.actor = await this.tokens.verify(match[1]!);
    } catch (e) {
      if (e instanceof UnauthenticatedError) {
        throw new UnauthorizedException({ code: 'UNAUTHENTICATED', message: e.reason });
      }
      throw e;
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !roles.includes(req.actor.role)) {
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
