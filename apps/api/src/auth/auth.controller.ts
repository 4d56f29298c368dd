import { Body, Controller, Get, HttpCode, Inject, Ip, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../config/config.module';
import { CurrentUser, Public } from './auth.decorators';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthService, LoginResult } from './auth.service';
import type { AuthUser } from './auth-user';
import { LoginDto } from './dto/login.dto';
import { LoginLimiter, signInAddress } from './login-limiter';
import { PasswordCheckGate, SIGN_IN_BUSY_RETRY_AFTER_SECONDS } from './password-check-gate';

@ApiTags('登录 auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly limiter: LoginLimiter,
    private readonly gate: PasswordCheckGate,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录，获取令牌 / sign in for a bearer token' })
  @ApiUnauthorizedResponse({ description: '用户名或密码错误 / wrong username or password' })
  @ApiTooManyRequestsResponse({
    description:
      '该用户名在此地址、或此地址（不论用户名）登录失败次数过多（TOO_MANY_LOGIN_ATTEMPTS），或同时登录的请求过多（SIGN_IN_BUSY），Retry-After 秒后再试 / ' +
      'too many failed sign-ins of this username from this address or from this address at all (TOO_MANY_LOGIN_ATTEMPTS), or too many sign-ins at once (SIGN_IN_BUSY); Retry-After',
  })
  async login(@Body() dto: LoginDto, @Ip() ip: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<LoginResult> {
    const address = signInAddress(ip, req.headers['x-forwarded-for'], this.config.api.trustProxy !== false);
    const retryAfter = this.limiter.begin(ip, dto.username, address);
    if (retryAfter > 0) {
      res.setHeader('Retry-After', String(retryAfter));
      throw AuthException.tooManyLoginAttempts(retryAfter);
    }
    try {
      const result = await this.gate.run(() => this.auth.login(dto.username, dto.password));
      this.limiter.succeeded(ip, dto.username, address);
      return result;
    } catch (err) {
      if (!(err instanceof AuthException && err.code === AuthErrorCode.InvalidCredentials)) this.limiter.abandoned(ip, dto.username, address);
      if (err instanceof AuthException && err.code === AuthErrorCode.SignInBusy) res.setHeader('Retry-After', String(SIGN_IN_BUSY_RETRY_AFTER_SECONDS));
      throw err;
    }
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前用户 / the signed-in user' })
  me(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }
}
