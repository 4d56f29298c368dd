import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { USER_ROLE_LABELS, type UserRole } from '../../../../libs/domain';
import { ALLOWED_ROLES, ALLOWS_ONE_TIME_PASSWORD, IS_PUBLIC } from './auth.decorators';
import { AuthException } from './auth.exception';
import { AuthService } from './auth.service';
import { SCOPED_BY, type ScopedBy } from '../scope/scoped.decorator';
import { ScopeService } from '../scope/scope.service';
import type { AuthUser } from './auth-user';
import { CaseException } from '../cases/case.exception';

/**
 * Global guard: every endpoint needs a valid bearer token unless marked @Public() (and, for a person
 * still holding a one-time password, @AllowsOneTimePassword()); @Roles() narrows
 * it to some roles (403 for the others); @Scoped() checks the named case, county or task lies in the
 * user's region (404 otherwise).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly scope: ScopeService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: AuthUser }>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw AuthException.unauthenticated('缺少令牌 missing bearer token');
    const scoped = this.reflector.getAllAndOverride<ScopedBy | undefined>(SCOPED_BY, targets);
    const scopedId = scoped ? ((req as unknown as { params: Record<string, string> }).params[scoped.param] ?? '') : '';
    // About a case, the user and the case's scope are read in one statement (an action's first round trip).
    let caseInScope: boolean | undefined;
    if (scoped?.resource === 'case') ({ user: req.user, caseInScope } = await this.auth.authenticateAbout(match[1], scopedId));
    else req.user = await this.auth.authenticate(match[1]);
    // A one-time password (new account, reset) is good only for choosing one's own.
    if (req.user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOWS_ONE_TIME_PASSWORD, targets)) throw AuthException.passwordChangeRequired();
    const roles = this.reflector.getAllAndOverride<UserRole[] | undefined>(ALLOWED_ROLES, targets);
    if (roles && !roles.includes(req.user.role)) {
      throw AuthException.forbidden(USER_ROLE_LABELS[req.user.role], roles.map((r) => USER_ROLE_LABELS[r]));
    }
    // A route about one case, county or task outside the user's region answers 404 here, before
    // validation or any work, so an out-of-scope request learns nothing.
    if (scoped?.resource === 'case') {
      if (!caseInScope) throw CaseException.notFound(scopedId);
    } else if (scoped) await this.scope.assertInScope(req.user, scoped.resource, scopedId);
    return true;
  }
}
