import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request } from 'express';
import { ApiException, CommonErrorCode } from './api.exception';

/** Parameters that read the body: @Body(), @RawBody(), uploaded files, or the request itself. */
const BODY_READERS = new Set([RouteParamtypes.BODY, RouteParamtypes.RAW_BODY, RouteParamtypes.FILE, RouteParamtypes.FILES, RouteParamtypes.REQUEST].map(String));

/** Whether a handler takes a body. */
function takesBody(ctx: ExecutionContext): boolean {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctx.getClass(), ctx.getHandler().name) ?? {}) as Record<string, unknown>;
  return Object.keys(args).some((key) => BODY_READERS.has(key.split(':')[0]));
}

/** A body with content: anything but nothing at all or an empty JSON object. */
function hasContent(req: Request): boolean {
  const body: unknown = req.body;
  if (body === undefined || body === null) return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (typeof body === 'object' && !Array.isArray(body) && !Buffer.isBuffer(body)) return Object.keys(body).length > 0;
  return true;
}

/**
 * Global: an endpoint that takes no body (read-all, claim, release…) refuses one with 400, as the
 * validation pipe refuses unknown fields of the others, instead of ignoring whatever was sent.
 * An empty JSON object is no content and passes.
 *
 * A guard registered after the sign-in guard (AuthGuard, an APP_GUARD): it judges after sign-in, roles and
 * scope and before the pipes, as an interceptor would, while a request with no interceptor skips Nest's
 * interceptor chain (rxjs observables and AsyncResource.bind, for which Node 20 builds deprecation wrappers).
 */
@Injectable()
export class RefuseUnexpectedBody implements CanActivate {
  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() === 'http' && !takesBody(ctx) && hasContent(ctx.switchToHttp().getRequest<Request>())) {
      throw new ApiException(HttpStatus.BAD_REQUEST, CommonErrorCode.ValidationFailed, '请求参数有误：此操作不接受请求体', 'Invalid request: this endpoint takes no body', {
        fields: [{ field: 'body', label: '请求体（body）', problems: [{ constraint: 'noBody', zh: '此操作不接受请求体', en: 'this endpoint takes no body' }] }],
      });
    }
    return true;
  }
}
