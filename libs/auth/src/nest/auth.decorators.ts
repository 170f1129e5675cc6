import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '../domain/roles.js';
import type { AuthenticatedActor, VerifiedToken } from '../tokens.js';

export const REQUIRED_ROLES = 'auth:roles';
export const PERMISSION = 'auth:permission';
export const ALLOWED_BEFORE_PASSWORD_CHANGE = 'auth:allowed-before-password-change';

/**
 * The few routes a user who must change their password may call with the token login gave them
 * (`POST /auth/password`, `GET /auth/me`); every other route answers 403 PASSWORD_CHANGE_REQUIRED.
 */
export const AllowedBeforePasswordChange = () => SetMetadata(ALLOWED_BEFORE_PASSWORD_CHANGE, true);

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

/** What the request's token says beyond the actor (local or IdP, version, password-change-only). */
export const CurrentToken = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Omit<VerifiedToken, 'actor'> => {
    const req = ctx.switchToHttp().getRequest<{ token?: Omit<VerifiedToken, 'actor'> }>();
    return req.token ?? { local: false, tokenVersion: 0, passwordChangeOnly: false };
  },
);
