import compression from 'compression';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { constants } from 'node:zlib';

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
 * gzip for JSON answers and the dashboard's files alike (compression skips small and binary bodies), at
 * zlib's fastest level: an action's answer (the case, some 10 kB of JSON) comes out a few percent larger
 * than at the default level 6 and costs the API's one thread about half the CPU — gzip was an eighth of
 * its time in the bench's playbook.
 */
export function compressAnswers(): RequestHandler {
  return compression({ level: constants.Z_BEST_SPEED });
}
