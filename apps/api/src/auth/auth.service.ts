import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import { hash, verify } from '@node-rs/bcrypt';
import { isUUID } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import type { AppConfig } from '../../../../libs/config';
import { normalizeUsername } from '../../../../libs/domain';
import { AppUserEntity, RegionEntity } from '../../../../libs/persistence';
import { APP_CONFIG } from '../config/config.module';
import { AuthException } from './auth.exception';
import type { AuthUser } from './auth-user';

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

  constructor(
    @InjectRepository(AppUserEntity) private readonly users: Repository<AppUserEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.unknownUserHash = hash(randomBytes(16).toString('hex'), config.auth.passwordHashRounds);
  }

  hashPassword(password: string): Promise<string> {
    return hash(password, this.config.auth.passwordHashRounds);
  }

  async login(username: string, password: string): Promise<LoginResult> {
    // Usernames are stored in their one form (normalizeUsername), the form the sign-in limit counts.
    const user = await this.users.findOneBy({ username: normalizeUsername(username) });
    const ok = await verify(password, user?.passwordHash ?? (await this.unknownUserHash));
    if (!user || !ok || !user.active) throw AuthException.invalidCredentials();
    const authUser = await this.toAuthUser(user);
    const accessToken = await this.jwt.signAsync({ sub: user.id, role: user.role, regionId: user.regionId });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.auth.jwtTtl, user: authUser };
  }

  /** Verifies a token and loads its user fresh, so a deactivated or re-scoped user loses access at once. */
  async authenticate(token: string): Promise<AuthUser> {
    let payload: { sub?: unknown; exp?: unknown };
    try {
      payload = await this.jwt.verifyAsync(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw AuthException.unauthenticated(expired ? '登录已过期 token expired' : '令牌无效 invalid token');
    }
    // jsonwebtoken accepts a token without `exp` as valid for ever; every token we issue has one.
    if (typeof payload.exp !== 'number') throw AuthException.unauthenticated('令牌无有效期 token without expiry');
    // A subject that is not a user id (only a token signed with our secret can carry one) finds no user,
    // rather than reaching PostgreSQL's uuid column as a malformed value.
    const user = typeof payload.sub === 'string' && isUUID(payload.sub) ? await this.users.findOneBy({ id: payload.sub }) : null;
    if (!user || !user.active) throw AuthException.unauthenticated('用户不存在或已停用 unknown or inactive user');
    return this.toAuthUser(user);
  }

  async toAuthUser(user: AppUserEntity): Promise<AuthUser> {
    const region = await this.regions.findOneByOrFail({ id: user.regionId });
    // path is "/<county>/<township>/<village>/": the chain above the user's region.
    const [countyId, townshipId = null, villageId = null] = region.path.split('/').filter(Boolean);
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
    };
  }
}
