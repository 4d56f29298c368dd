import { Logger, type INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { static as serveStatic } from 'express';
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';

/**
 * The county dashboard (apps/web, built by `npm run build:web` into dist/web) served by the API:
 * its files at /, and index.html for every other GET outside /api so the browser's routes
 * (/cases/…, /tasks) load the app. Nothing under /api (including /api/docs) is ever shadowed, nor are
 * the paths monitoring tools probe (/metrics, /healthz, …): a scraper or a load balancer given the
 * dashboard's 200 would believe a metric or a health check it never got.
 */

/** The built dashboard: WEB_DIST_DIR, else dist/web of the repository (from apps/… or dist/apps/…). */
export function resolveWebDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WEB_DIST_DIR) return resolve(env.WEB_DIST_DIR);
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    const parent = dirname(dir);
    if (parent === dir) return resolve('dist', 'web');
    dir = parent;
  }
}

export function isApiPath(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * First segments that belong to machines, not to the dashboard's routes (apps/web/src/router.ts): they
 * go on to the API's routes and so answer 404 in the error shape unless a route serves them.
 */
const MACHINE_SEGMENTS = new Set(['metrics', 'healthz', 'health', 'livez', 'readyz', 'ready', 'live', 'ping', 'status', 'server-status', 'actuator', 'debug', 'internal', '.well-known', 'api-docs', 'swagger', 'graphql']);

export function isMachinePath(path: string): boolean {
  const first = path.split('/')[1] ?? '';
  return isApiPath(path) || MACHINE_SEGMENTS.has(first.toLowerCase());
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>工作台尚未构建</title>
<body style="font-family:sans-serif;padding:40px"><h1>工作台尚未构建</h1>
<p>请先运行 <code>npm run build:web</code>（<code>npm start</code> 会自动构建），然后刷新本页。接口文档见 <a href="/api/docs">/api/docs</a>。</p>
<p>The dashboard is not built yet: run <code>npm run build:web</code> and reload.</p></body></html>`;

export function serveWebApp(app: INestApplication, webDir: string = resolveWebDir()): void {
  const logger = new Logger('WebApp');
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) logger.warn(`dashboard not built (${index} missing): run npm run build:web`);

  // Hashed bundles never change; index.html must be revalidated so a new build is picked up.
  const files = serveStatic(webDir, {
    index: false,
    fallthrough: true,
    setHeaders(res, path) {
      res.setHeader('Cache-Control', path.includes(`${join(webDir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });

  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isMachinePath(req.path)) return next();
    files(req, res, () => {
      // A missing file (/assets/x.js, /favicon.ico) is a 404, not the app.
      if (extname(req.path) !== '') return next();
      res.setHeader('Cache-Control', 'no-cache');
      if (!existsSync(index)) {
        res.status(503).type('html').send(NOT_BUILT_PAGE);
        return;
      }
      res.sendFile(index);
    });
  });
}
