import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum AuthErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Forbidden = 'FORBIDDEN',
  TooManyLoginAttempts = 'TOO_MANY_LOGIN_ATTEMPTS',
}

/** Errors of sign-in and access control. */
export class AuthException extends ApiException {
  static unauthenticated(reason: string): AuthException {
    return new AuthException(HttpStatus.UNAUTHORIZED, AuthErrorCode.Unauthenticated, `请先登录（${reason}）`, `Sign in first (${reason})`);
  }

  static invalidCredentials(): AuthException {
    return new AuthException(HttpStatus.UNAUTHORIZED, AuthErrorCode.InvalidCredentials, '用户名或密码错误', 'Wrong username or password');
  }

  /** 429: the sign-in limit of this username from this address is reached (sent with Retry-After). */
  static tooManyLoginAttempts(retryAfterSeconds: number): AuthException {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    return new AuthException(
      HttpStatus.TOO_MANY_REQUESTS,
      AuthErrorCode.TooManyLoginAttempts,
      `登录失败次数过多，请${minutes}分钟后再试`,
      `Too many failed sign-ins; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
      { retryAfterSeconds },
    );
  }

  static forbidden(roleLabel: string, allowed: string[]): AuthException {
    return new AuthException(
      HttpStatus.FORBIDDEN,
      AuthErrorCode.Forbidden,
      `${roleLabel}无权进行此项操作（限：${allowed.join('、')}）`,
      `Your role may not do this (allowed: ${allowed.join(', ')})`,
      { allowed },
    );
  }
}
