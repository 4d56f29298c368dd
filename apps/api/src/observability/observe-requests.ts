import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../../../libs/observability';
import { API_LOGGER } from './observability.module';
import { ApiMetrics } from './api-metrics';

/** A request id a client or proxy may hand us (X-Request-Id); anything else is replaced by a fresh one. */
const GIVEN_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

const HEALTH_ROUTE = '/api/health';

type ObservedRequest = Request & { user?: { id?: string }; route?: { path?: string } };

/**
 * The matched route's pattern (/api/cases/:id), never the URL: metric labels stay few, and ids or
 * search words stay out of them. Unrouted answers are "unmatched" (under /api) or "web" (the dashboard's files).
 */
export function routeOf(req: ObservedRequest): string {
  const pattern = req.route?.path;
  if (typeof pattern === 'string') return `${req.baseUrl ?? ''}${pattern}`;
  const path = (req.originalUrl ?? req.url).split('?')[0];
  return path === '/api' || path.startsWith('/api/') ? 'unmatched' : 'web';
}

/** The case a request is about, when its route names one (/api/cases/:id…). */
function caseIdOf(req: ObservedRequest, route: string): string | undefined {
  const m = /^\/api\/cases\/:([A-Za-z]+)/.exec(route);
  const id = m ? req.params?.[m[1]] : undefined;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The first middleware of every request (configureApp): gives it a request id (X-Request-Id, echoed
 * in the answer), writes one access-log line when it is answered (request id, user id when signed in,
 * route, case id, status, duration; never headers or bodies), and records its duration in the
 * request histogram.
 */
export function observeRequests(app: INestApplication): RequestHandler {
  const logger = app.get<Logger>(API_LOGGER);
  const metrics = app.get(ApiMetrics);
  /**
   * Requests inside pino-http's own set-up, which asks customProps on arrival too: then the guard has named no
   * user and the router no route yet, and the line would carry "route":"unmatched" beside the real route.
   */
  const arriving = new WeakSet<Request>();
  const accessLog = pinoHttp<ObservedRequest, Response>({
    logger,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId', responseTime: 'durationMs' },
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && GIVEN_REQUEST_ID.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // Asked when the answer is written, by when the guard has named the user and the router the route (on
    // arrival nothing: pino-http binds no properties when it gets none).
    customProps: (req) => {
      if (arriving.has(req)) return undefined as unknown as Record<string, never>;
      const route = routeOf(req);
      return { userId: req.user?.id, route, caseId: caseIdOf(req, route) };
    },
    serializers: {
      req: (req: { method?: string; url?: string }) => ({ method: req.method, url: req.url }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    // A healthy health probe (every 15 s from Docker) only at debug: it would bury the lines that matter.
    customLogLevel: (req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : routeOf(req) === HEALTH_ROUTE ? 'debug' : 'info',
    customSuccessMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeOf(req)} ${res.statusCode}`,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      metrics.observeRequest(req.method, routeOf(req as ObservedRequest), res.statusCode, Number(process.hrtime.bigint() - started) / 1e9);
    });
    arriving.add(req);
    accessLog(req as ObservedRequest, res, (err?: unknown) => {
      arriving.delete(req);
      next(err);
    });
  };
}
