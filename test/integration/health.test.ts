import request from 'supertest';
import { freePortSync } from '../support/ports';
import { startHarness, testConfig, type Harness } from '../support/harness';

describe('GET /api/health', () => {
  it('reports PostgreSQL and Temporal up, with 200', async () => {
    const h: Harness = await startHarness();
    try {
      const res = await request(h.app.getHttpServer()).get('/api/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', postgres: { status: 'up' }, temporal: { status: 'up' } });
      expect(res.body.postgres.detail).toMatch(/PostgreSQL \d+/);
    } finally {
      await h.close();
    }
  });

  it('reports Temporal down, PostgreSQL still up, with 503, when Temporal cannot be reached', async () => {
    // The API starts with a lazy Temporal connection, so it can say which part is down.
    const { Test } = await import('@nestjs/testing');
    const { AppModule } = await import('../../apps/api/src/app.module');
    const { configureApp } = await import('../../apps/api/src/bootstrap');
    const config = testConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${freePortSync()}` });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    configureApp(app);
    await app.init();
    try {
      const res = await request(app.getHttpServer()).get('/api/health').expect(503);
      expect(res.body.status).toBe('degraded');
      expect(res.body.postgres.status).toBe('up');
      expect(res.body.temporal.status).toBe('down');
      expect(res.body.temporal.error).toBeTruthy();
    } finally {
      await app.close();
    }
  });
});
