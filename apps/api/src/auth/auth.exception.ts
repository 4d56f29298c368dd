import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum AuthErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Forbidden = 'FORBIDDEN',
}

/** Errors of sign-in and access control. */
export class AuthException extends ApiException {
  static unauthenticated(reason: string): AuthException {
    return new AuthException(HttpStatus.UNAUTHORIZED, AuthErrorCode.Unauthenticated, `请先登录（${reason}）`, `Sign in first (${reason})`);
  }

  static invalidCredentials(): AuthException {
    return new AuthException(HttpStatus.UNAUTHORIZED, AuthErrorCode.InvalidCredentials, '用户名或密码错误', 'Wrong username or password');
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
