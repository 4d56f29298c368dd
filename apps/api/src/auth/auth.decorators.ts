import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { UserRole } from '../../../../libs/domain';
import type { AuthUser } from './auth-user';

export const IS_PUBLIC = 'auth:isPublic';
export const ALLOWED_ROLES = 'auth:roles';
export const ALLOWS_ONE_TIME_PASSWORD = 'auth:allowsOneTimePassword';

/** An endpoint anyone may call without a token (health, sign-in, API docs). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * An endpoint a person signed in with a one-time password may call (changing it, signing out); every
 * other endpoint answers them 403 PASSWORD_CHANGE_REQUIRED.
 */
export const AllowsOneTimePassword = () => SetMetadata(ALLOWS_ONE_TIME_PASSWORD, true);

/** Only these roles may call the endpoint; others get 403. */
export const Roles = (...roles: UserRole[]) => SetMetadata(ALLOWED_ROLES, roles);

/** The signed-in user of the request. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  return ctx.switchToHttp().getRequest<{ user: AuthUser }>().user;
});
