import { Body, Controller, Get, HttpCode, Ip, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { AllowsOneTimePassword, CurrentUser, Public } from './auth.decorators';
import { AuthErrorCode, AuthException } from './auth.exception';
import { AuthService, LoginResult } from './auth.service';
import type { AuthUser } from './auth-user';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { LoginLimiter } from './login-limiter';
import { PasswordCheckGate, SIGN_IN_BUSY_RETRY_AFTER_SECONDS } from './password-check-gate';

@ApiTags('登录 auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly limiter: LoginLimiter,
    private readonly gate: PasswordCheckGate,
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
  async login(@Body() dto: LoginDto, @Ip() ip: string, @Res({ passthrough: true }) res: Response): Promise<LoginResult> {
    // req.ip: X-Forwarded-For counts only when TRUST_PROXY names the proxy, so a client cannot write its way out of the count.
    const retryAfter = this.limiter.begin(ip, dto.username);
    if (retryAfter > 0) {
      res.setHeader('Retry-After', String(retryAfter));
      throw AuthException.tooManyLoginAttempts(retryAfter);
    }
    try {
      const result = await this.gate.run(() => this.auth.login(dto.username, dto.password));
      this.limiter.succeeded(ip, dto.username);
      return result;
    } catch (err) {
      if (!(err instanceof AuthException && err.code === AuthErrorCode.InvalidCredentials)) this.limiter.abandoned(ip, dto.username);
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

  @Post('password')
  @HttpCode(200)
  @ApiBearerAuth()
  @AllowsOneTimePassword()
  @ApiOperation({
    summary: '修改本人密码（一次性密码首次登录必须先改）/ change my own password (required first with a one-time password)',
    description:
      '新密码至少 10 个字符、不能与用户名或当前密码相同。成功后此前签发的所有令牌失效，答复新的令牌 { accessToken, tokenType, expiresIn, user }。 / ' +
      'Every token issued before is refused afterwards; the answer carries a new one.',
  })
  @ApiOkResponse({ description: '{ accessToken, tokenType, expiresIn, user }' })
  @ApiBadRequestResponse({ description: '当前密码不正确（CURRENT_PASSWORD_WRONG）或新密码不符合要求（PASSWORD_POLICY）' })
  @ApiTooManyRequestsResponse({ description: '当前密码错误次数过多（TOO_MANY_LOGIN_ATTEMPTS），Retry-After 秒后再试' })
  async changePassword(@CurrentUser() user: AuthUser, @Body() dto: ChangePasswordDto, @Ip() ip: string, @Res({ passthrough: true }) res: Response): Promise<LoginResult> {
    // A stolen token must not buy unlimited guesses of the password: wrong current passwords count as failed sign-ins.
    const retryAfter = this.limiter.begin(ip, user.username);
    if (retryAfter > 0) {
      res.setHeader('Retry-After', String(retryAfter));
      throw AuthException.tooManyLoginAttempts(retryAfter);
    }
    try {
      const result = await this.gate.run(() => this.auth.changePassword(user, dto.currentPassword, dto.newPassword));
      this.limiter.succeeded(ip, user.username);
      return result;
    } catch (err) {
      if (!(err instanceof AuthException && err.code === AuthErrorCode.CurrentPasswordWrong)) this.limiter.abandoned(ip, user.username);
      if (err instanceof AuthException && err.code === AuthErrorCode.SignInBusy) res.setHeader('Retry-After', String(SIGN_IN_BUSY_RETRY_AFTER_SECONDS));
      throw err;
    }
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @AllowsOneTimePassword()
  @ApiOperation({ summary: '退出登录：本人此前签发的所有令牌失效 / sign out: every token issued to me so far is refused' })
  @ApiNoContentResponse({ description: '已退出 / signed out' })
  logout(@CurrentUser() user: AuthUser): Promise<void> {
    return this.auth.logout(user);
  }
}
