import compression from 'compression';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { ANSWER_GZIP_LEVEL } from './json-answers';

/**
 * The browser-facing headers of every answer (helmet): a Content-Security-Policy that lets the built
 * dashboard and Swagger UI run from this origin only — scripts from 'self' and nothing inline;
 * inline styles allowed because Element Plus, ECharts and Swagger UI set style attributes; images
 * also from data: and blob: (the favicon, ECharts' exports, Swagger's icons) — no framing by
 * anyone (frame-ancestors 'none' and X-Frame-Options DENY), nosniff, no referrer, and HSTS only in
 * production (a development server on http://localhost must not pin HTTPS for the host).
 */
export function securityHeaders(production: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: production ? { maxAge: 31536000, includeSubDomains: true } : false,
    // The dashboard loads nothing from other origins; these only get in the way of downloads.
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * gzip for the dashboard's files and the answers gzipJsonInOneGo leaves (compression skips small and binary
 * bodies), at the same level as those.
 */
export function compressAnswers(): RequestHandler {
  return compression({ level: ANSWER_GZIP_LEVEL });
}
