import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { USER_ROLE_LABELS, type UserRole } from '../../../../libs/domain';
import { ALLOWED_ROLES, IS_PUBLIC } from './auth.decorators';
import { AuthException } from './auth.exception';
import { AuthService } from './auth.service';
import type { AuthUser } from './auth-user';

/**
 * Global guard: every endpoint needs a valid bearer token unless marked @Public(); @Roles() narrows
 * it to some roles (403 for the others).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw AuthException.unauthenticated('缺少令牌 missing bearer token');
    req.user = await this.auth.authenticate(match[1]);
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(req.user.role)) {
      throw AuthException.forbidden(USER_ROLE_LABELS[req.user.role], roles.map((r) => USER_ROLE_LABELS[r]));
    }
    return true;
  }
}
