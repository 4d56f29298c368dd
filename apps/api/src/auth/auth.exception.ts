import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum AuthErrorCode {
  Unauthenticated = 'UNAUTHENTICATED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  Forbidden = 'FORBIDDEN',
  TooManyLoginAttempts = 'TOO_MANY_LOGIN_ATTEMPTS',
  /** More sign-ins being checked at once than the API takes on (429, with Retry-After). */
  SignInBusy = 'SIGN_IN_BUSY',
  /** Signed in with a one-time password: only changing it (and signing out) is allowed (403). */
  PasswordChangeRequired = 'PASSWORD_CHANGE_REQUIRED',
  /** The current password given to change it is wrong (400). */
  CurrentPasswordWrong = 'CURRENT_PASSWORD_WRONG',
  /** The new password breaks the password policy (400). */
  PasswordPolicy = 'PASSWORD_POLICY',
}

/** Errors of sign-in and access control. */
export class AuthException extends ApiException {
  static unauthenticated(reason: string): AuthException {
    return new AuthException(HttpStatus.UNAUTHORIZED, AuthErrorCode.Unauthenticated, `请先登录（${reason}）`, `Sign in first (${reason})`);
  }

  static invalidCredentials(): AuthException {
    return new AuthException(HttpStatus.UNAUTHORIZED, AuthErrorCode.InvalidCredentials, '用户名或密码错误', 'Wrong username or password');
  }

  /** 429: the sign-in limit of this username, or of this address, is reached (sent with Retry-After). */
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

  /** 429: too many sign-ins are being checked right now, whoever sends them (sent with Retry-After). */
  static signInBusy(retryAfterSeconds: number): AuthException {
    return new AuthException(
      HttpStatus.TOO_MANY_REQUESTS,
      AuthErrorCode.SignInBusy,
      `同时登录的请求过多，请${retryAfterSeconds}秒后再试`,
      `Too many sign-ins at once; try again in ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
      { retryAfterSeconds },
    );
  }

  static passwordChangeRequired(): AuthException {
    return new AuthException(
      HttpStatus.FORBIDDEN,
      AuthErrorCode.PasswordChangeRequired,
      '您正在使用一次性密码，请先修改密码（POST /api/auth/password）',
      'You signed in with a one-time password: change it first (POST /api/auth/password)',
    );
  }

  static currentPasswordWrong(): AuthException {
    return new AuthException(HttpStatus.BAD_REQUEST, AuthErrorCode.CurrentPasswordWrong, '当前密码（currentPassword）不正确', 'The current password is wrong');
  }

  static passwordPolicy(zh: string, en: string): AuthException {
    return new AuthException(HttpStatus.BAD_REQUEST, AuthErrorCode.PasswordPolicy, `新密码（newPassword）不符合要求：${zh}`, en);
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
