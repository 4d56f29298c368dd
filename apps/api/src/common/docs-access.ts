import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AuthService } from '../auth/auth.service';
import { AuthErrorCode } from '../auth/auth.exception';
import { ApiErrorBody } from './api.exception';

/** The bearer token of a request, if it carries one. */
export function bearerToken(req: Pick<Request, 'headers'>): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** Whether the request carries a valid sign-in token (an expired or forged one is not). */
export async function isSignedIn(auth: AuthService, req: Pick<Request, 'headers'>): Promise<boolean> {
  const token = bearerToken(req);
  if (!token) return false;
  try {
    await auth.authenticate(token);
    return true;
  } catch {
    return false;
  }
}

/**
 * In production the API's description (/api/docs, /api/docs-json) is for signed-in users only: it
 * maps every endpoint and rule for whoever asks. Anonymous requests answer 401 in the error shape.
 */
export function requireSignIn(auth: AuthService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    isSignedIn(auth, req).then(
      (ok) => {
        if (ok) return next();
        const body: ApiErrorBody = {
          statusCode: 401,
          code: AuthErrorCode.Unauthenticated,
          message: '请先登录：接口文档仅对已登录用户开放（请求头 Authorization: Bearer <令牌>）',
          messageEn: 'Sign in first: the API documentation needs a valid bearer token in production',
        };
        res.status(401).json(body);
      },
      next,
    );
  };
}
