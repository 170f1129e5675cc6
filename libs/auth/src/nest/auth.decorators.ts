import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../domain/roles.js';
import type { AuthenticatedActor } from '../tokens.js';

export const REQUIRED_ROLES = 'auth:roles';
export const PERMISSION = 'auth:permission';

export { IS_PUBLIC, Public } from '@platform/config';

/** Only these roles; anyone else gets 403 naming the permission. */
export const Roles =
  (permission: string, ...roles: Role[]) =>
  (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    SetMetadata(REQUIRED_ROLES, roles)(target, key!, descriptor!);
    SetMetadata(PERMISSION, permission)(target, key!, descriptor!);
  };

export const CurrentActor = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): AuthenticatedActor => {
    const req = ctx.switchToHttp().getRequest<{ actor?: AuthenticatedActor }>();
    return req.actor!;
  },
);
