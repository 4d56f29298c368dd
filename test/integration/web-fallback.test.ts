import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startHarness, type Harness } from '../support/harness';

/**
 * The dashboard's index.html answers the browser's routes (/cases/…) but never a path a machine asks
 * for: a Prometheus scrape of /metrics or a load balancer's /healthz given the dashboard's 200 would
 * record a metric or a health it never got (apps/api/src/web/web-app.ts).
 */
describe('dashboard fallback', () => {
  let h: Harness;
  const webDir = mkdtempSync(join(tmpdir(), 'web-fallback-'));
  const INDEX = '<!doctype html><html><body><div id="app">dashboard-index</div></body></html>';

  beforeAll(async () => {
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), INDEX);
    process.env.WEB_DIST_DIR = webDir;
    h = await startHarness();
  });
  afterAll(async () => {
    delete process.env.WEB_DIST_DIR;
    await h?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('serves index.html for the browser\'s routes', async () => {
    for (const path of ['/', '/cases/00000000-0000-4000-8000-000000000000', '/star-ratings/2026', '/no-such-page']) {
      const res = await request(h.app.getHttpServer()).get(path).expect(200);
      expect(res.text).toContain('dashboard-index');
    }
  });

  it.each(['/metrics', '/healthz', '/readyz', '/livez', '/health', '/actuator/health', '/.well-known/security.txt', '/METRICS', '/metrics/', '/api/whatever', '/api/metrics', '/api'])(
    '%s answers 404 in the error shape, not the dashboard',
    async (path) => {
      const res = await request(h.app.getHttpServer()).get(path).set('Accept', 'text/html,*/*');
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('dashboard-index');
      expect(res.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', message: expect.any(String), messageEn: expect.any(String) });
    },
  );
});
