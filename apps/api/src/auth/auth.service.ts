import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { hash, verify } from '@node-rs/bcrypt';
import { isUUID } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import type { AppConfig } from '../../../../libs/config';
import { isUpperRegionLevel, normalizeUsername, type RegionLevel, type UserRole } from '../../../../libs/domain';
import { AppUserEntity, RegionEntity, preparedQuery } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { scopeConditionOfRegion } from '../scope/scope-conditions';
import { APP_CONFIG } from '../config/config.module';
import { passwordProblem } from '../users/passwords';
import { AuthException } from './auth.exception';
import { actorOf, type AuthUser } from './auth-user';
import { VerifiedTokens, type TokenClaims } from './verified-tokens';

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: string;
  user: AuthUser;
}

/**
 * Sign-in and token checks. bcrypt is native (@node-rs/bcrypt) and runs on libuv's thread pool, so a
 * hash never holds the event loop (bcryptjs, in JavaScript, served about 3 sign-ins a second and made
 * every other request wait behind them).
 */
@Injectable()
export class AuthService {
  /**
   * Compared against when the username is unknown, so an unknown name costs the same bcrypt work
   * as a known one and timing does not tell which exist; made with the configured cost, as new
   * passwords are.
   */
  private readonly unknownUserHash: Promise<string>;
  private readonly tokens: VerifiedTokens;

  constructor(
    @InjectRepository(AppUserEntity) private readonly users: Repository<AppUserEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.unknownUserHash = hash(randomBytes(16).toString('hex'), config.auth.passwordHashRounds);
    this.tokens = new VerifiedTokens((token) => this.jwt.verifyAsync<TokenClaims>(token));
  }

  hashPassword(password: string): Promise<string> {
    return hash(password, this.config.auth.passwordHashRounds);
  }

  async login(username: string, password: string): Promise<LoginResult> {
    // Usernames are stored in their one form (normalizeUsername), the form the sign-in limit counts.
    const user = await this.users.findOneBy({ username: normalizeUsername(username) });
    const ok = await verify(password, user?.passwordHash ?? (await this.unknownUserHash));
    if (!user || !ok || !user.active) throw AuthException.invalidCredentials();
    return this.session(user);
  }

  /**
   * A token for the user. `sv` is their session version: signing out and a password change raise it,
   * so every token issued before is refused (authenticate).
   */
  private async session(user: AppUserEntity): Promise<LoginResult> {
    const authUser = await this.toAuthUser(user);
    const accessToken = await this.jwt.signAsync({ sub: user.id, role: user.role, regionId: user.regionId, sv: user.sessionVersion });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.auth.jwtTtl, user: authUser };
  }

  /**
   * Changes the signed-in person's own password (a one-time one included) under the password policy,
   * ends every session issued before and answers a fresh token for this one. Audited.
   */
  async changePassword(me: AuthUser, currentPassword: string, newPassword: string): Promise<LoginResult> {
    const user = await this.users.findOneByOrFail({ id: me.id });
    if (!(await verify(currentPassword, user.passwordHash))) throw AuthException.currentPasswordWrong();
    const problem = passwordProblem(newPassword, user.username);
    if (problem) throw AuthException.passwordPolicy(problem.zh, problem.en);
    if (newPassword === currentPassword) throw AuthException.passwordPolicy('新密码不能与当前密码相同', 'The new password is the current one');
    const passwordHash = await this.hashPassword(newPassword);
    const changed = await this.users.manager.transaction(async (tx) => {
      await tx.query(
        `UPDATE app_user SET password_hash = $2, must_change_password = false, session_version = session_version + 1, password_changed_at = now() WHERE id = $1`,
        [user.id, passwordHash],
      );
      const [row]: { session_version: number }[] = await tx.query(`SELECT session_version FROM app_user WHERE id = $1`, [user.id]);
      await recordAudit(tx, { actor: actorOf(me), action: 'user.password_changed', payload: { userId: user.id, username: user.username, wasOneTime: user.mustChangePassword } });
      return row.session_version;
    });
    return this.session({ ...user, passwordHash, mustChangePassword: false, sessionVersion: changed });
  }

  /** Signs out: every token of the person issued so far is refused from now on. Audited. */
  async logout(me: AuthUser): Promise<void> {
    await this.users.manager.transaction(async (tx) => {
      await tx.query(`UPDATE app_user SET session_version = session_version + 1 WHERE id = $1`, [me.id]);
      await recordAudit(tx, { actor: actorOf(me), action: 'user.signed_out', payload: { userId: me.id, username: me.username } });
    });
  }

  /** Verifies a token and loads its user fresh, so a deactivated or re-scoped user loses access at once. */
  async authenticate(token: string): Promise<AuthUser> {
    return (await this.signedIn(token, SIGNED_IN, [])).user;
  }

  /**
   * authenticate, and whether the case lies in the user's region (ScopeService's rule), in the same statement:
   * the scope guard asks it before every request about a case, an action's included.
   */
  async authenticateAbout(token: string, caseId: string): Promise<{ user: AuthUser; caseInScope: boolean }> {
    const { user, row } = await this.signedIn(token, SIGNED_IN_ABOUT_CASE, [caseId]);
    return { user, caseInScope: row.case_in_scope === true };
  }

  private async signedIn(token: string, statement: string, more: unknown[]): Promise<{ user: AuthUser; row: SignedInRow }> {
    let payload: Readonly<TokenClaims>;
    try {
      payload = await this.tokens.claims(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw AuthException.unauthenticated(expired ? '登录已过期 token expired' : '令牌无效 invalid token');
    }
    // jsonwebtoken accepts a token without `exp` as valid for ever; every token we issue has one.
    if (typeof payload.exp !== 'number') throw AuthException.unauthenticated('令牌无有效期 token without expiry');
    // A subject that is not a user id (only a token signed with our secret can carry one) finds no user,
    // rather than reaching PostgreSQL's uuid column as a malformed value.
    // The user and their region in one prepared statement: this runs before every request.
    const rows: SignedInRow[] =
      typeof payload.sub === 'string' && isUUID(payload.sub) ? await preparedQuery<SignedInRow>(this.users.manager.connection, statement, [payload.sub, ...more]) : [];
    const row = rows[0];
    if (!row || !row.active) throw AuthException.unauthenticated('用户不存在或已停用 unknown or inactive user');
    // Issued before the last sign-out or password change (tokens from before session versions count as 0).
    if ((payload.sv ?? 0) !== row.session_version) throw AuthException.unauthenticated('会话已结束，请重新登录 session ended');
    const user = authUserOf(
      { id: row.id, username: row.username, displayName: row.display_name, title: row.title, role: row.role, regionId: row.region_id, mustChangePassword: row.must_change_password },
      { level: row.level, path: row.path },
    );
    return { user, row };
  }

  async toAuthUser(user: AppUserEntity): Promise<AuthUser> {
    return authUserOf(user, await this.regions.findOneByOrFail({ id: user.regionId }));
  }
}

/** The signed-in user and their region's level and path. */
const SIGNED_IN = `SELECT u.id, u.username, u.display_name, u.title, u.role, u.region_id, u.active, u.must_change_password, u.session_version, r.level, r.path
  FROM app_user u JOIN region r ON r.id = u.region_id WHERE u.id = $1`;

/** SIGNED_IN, and whether the case $2 lies in the user's region. */
const SIGNED_IN_ABOUT_CASE = `SELECT u.id, u.username, u.display_name, u.title, u.role, u.region_id, u.active, u.must_change_password, u.session_version, r.level, r.path,
    EXISTS (SELECT 1 FROM rectification_case c WHERE c.id = $2 AND ${scopeConditionOfRegion('c', 'organization_id', 'r.level', 'u.region_id')}) AS case_in_scope
  FROM app_user u JOIN region r ON r.id = u.region_id WHERE u.id = $1`;

/** The row authenticate reads: the user and their region's level and path (and, about a case, whether it is in scope). */
interface SignedInRow {
  id: string;
  username: string;
  display_name: string;
  title: string;
  role: UserRole;
  region_id: string;
  active: boolean;
  must_change_password: boolean;
  session_version: number;
  level: RegionLevel;
  path: string;
  case_in_scope?: boolean;
}

/** The signed-in person as every endpoint sees them, from their user record and their region. */
function authUserOf(
  user: Pick<AppUserEntity, 'id' | 'username' | 'displayName' | 'title' | 'role' | 'regionId' | 'mustChangePassword'>,
  region: Pick<RegionEntity, 'level' | 'path'>,
): AuthUser {
  // path is "/<county>/<township>/<village>/": the chain above the user's region. Above the county
  // (province, city: issue 17) the user's own region stands in for the county, which no case carries,
  // so whatever a county's users filter by county finds nothing for them; ScopeService opens their counties.
  const upper = isUpperRegionLevel(region.level);
  const [countyId, townshipId = null, villageId = null] = upper ? [user.regionId] : region.path.split('/').filter(Boolean);
  return {
    id: user.id,
    username: user.username,
    name: user.displayName,
    title: user.title,
    role: user.role,
    regionId: user.regionId,
    regionLevel: region.level,
    countyId,
    townshipId,
    villageId,
    mustChangePassword: user.mustChangePassword,
  };
}
