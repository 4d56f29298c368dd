import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import bcrypt from 'bcryptjs';
import { isUUID } from 'class-validator';
import { Raw, Repository } from 'typeorm';
import type { AppConfig } from '../../../../libs/config';
import { AppUserEntity, RegionEntity } from '../../../../libs/persistence';
import { APP_CONFIG } from '../config/config.module';
import { AuthException } from './auth.exception';
import type { AuthUser } from './auth-user';

/** A precomputed hash, compared against when the username is unknown, so timing does not reveal it. */
const UNKNOWN_USER_HASH = '$2b$12$wMjDf9HaQIKM2p93B.83c.hAD4dVR.V7f00kskf/8AirjQHnT6DXi';

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: string;
  user: AuthUser;
}

@Injectable()
export class AuthService {
  constructor(
    @InjectRepository(AppUserEntity) private readonly users: Repository<AppUserEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  hashPassword(password: string): Promise<string> {
    return bcrypt.hash(password, this.config.auth.passwordHashRounds);
  }

  async login(username: string, password: string): Promise<LoginResult> {
    const user = await this.users.findOneBy({ username: Raw((col) => `lower(${col}) = lower(:u)`, { u: username }) });
    const ok = await bcrypt.compare(password, user?.passwordHash ?? UNKNOWN_USER_HASH);
    if (!user || !ok || !user.active) throw AuthException.invalidCredentials();
    const authUser = await this.toAuthUser(user);
    const accessToken = await this.jwt.signAsync({ sub: user.id, role: user.role, regionId: user.regionId });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.auth.jwtTtl, user: authUser };
  }

  /** Verifies a token and loads its user fresh, so a deactivated or re-scoped user loses access at once. */
  async authenticate(token: string): Promise<AuthUser> {
    let payload: { sub?: unknown };
    try {
      payload = await this.jwt.verifyAsync(token);
    } catch (err) {
      const expired = err instanceof Error && err.name === 'TokenExpiredError';
      throw AuthException.unauthenticated(expired ? '登录已过期 token expired' : '令牌无效 invalid token');
    }
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
