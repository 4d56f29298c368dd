import { CallHandler, ExecutionContext, HttpStatus, Inject, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { Response } from 'express';
import { defer, finalize, type Observable } from 'rxjs';
import type { AppConfig } from '../../../../libs/config';
import type { AuthUser } from '../auth/auth-user';
import { APP_CONFIG } from '../config/config.module';
import { ApiException, CommonErrorCode } from './api.exception';

/** Seconds a refused client is told to wait: a dashboard or export takes about this long under load. */
const RETRY_AFTER_SECONDS = 2;

/**
 * Heavy reads in flight per user id, shared by every controller that carries the limit, so one
 * user's dashboards, exports and batch views count together. Entries leave when they reach zero.
 */
const inFlight = new Map<string, number>();

/**
 * At most `API_HEAVY_READS_PER_USER` heavy reads of one user at a time: one inspector's 200
 * simultaneous exports would otherwise queue everyone else behind them on the database. Beyond the
 * limit the request answers 429 with Retry-After before any work; other users are not affected.
 */
@Injectable()
export class PerUserConcurrencyInterceptor implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const user = ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) return next.handle();
    const limit = this.config.api.heavyReadsPerUser;
    return defer(() => {
      const running = inFlight.get(user.id) ?? 0;
      if (running >= limit) {
        ctx.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        throw new ApiException(
          HttpStatus.TOO_MANY_REQUESTS,
          CommonErrorCode.TooManyConcurrentRequests,
          `您同时进行的统计、导出请求过多（最多${limit}个），请等当前请求完成后重试`,
          `Too many dashboards, exports or batch views in flight for you (at most ${limit}); retry when one has finished`,
          { limit, retryAfterSeconds: RETRY_AFTER_SECONDS },
        );
      }
      inFlight.set(user.id, running + 1);
      return next.handle().pipe(
        finalize(() => {
          const left = (inFlight.get(user.id) ?? 1) - 1;
          if (left > 0) inFlight.set(user.id, left);
          else inFlight.delete(user.id);
        }),
      );
    });
  }
}

/** The limit on a controller: `@PerUserConcurrencyLimit()`. */
export const PerUserConcurrencyLimit = (): ClassDecorator & MethodDecorator => UseInterceptors(PerUserConcurrencyInterceptor);
