import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import type { AppConfig } from '../../libs/config';
import { dataSourceOptions } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas } from '../support/auth';
import { createRegionWithOrganizations, eventually, noteApiSessions, startHarness, testConfig, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/**
 * What the HTTP layer does for every endpoint (apps/api/src/bootstrap.ts, apps/api/src/common):
 * browser security headers, compression, 405 with Allow, no body where none is taken, the per-user
 * limit on heavy reads, Idempotency-Key bound to its request, and what production hides.
 */
describe('HTTP hardening', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;

  const webDir = mkdtempSync(join(tmpdir(), 'hardening-web-'));

  beforeAll(async () => {
    // A built dashboard of its own (index.html and a bundle), served as main.ts serves dist/web.
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index-test.js"></script></head><body><div id="app"></div></body></html>');
    writeFileSync(join(webDir, 'assets', 'index-test.js'), `export const words = ${JSON.stringify(Array.from({ length: 500 }, (_, i) => `整顿-${i}`))};\n`);
    process.env.WEB_DIST_DIR = webDir;
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  });
  /**
   * The read model (rectification_case) under an exclusive lock in a transaction of a pool of its own, so
   * requests reading it stay in flight until `runner.commitTransaction()`; `unlock` releases whatever is left.
   */
  async function lockReadModel() {
    const blocker = new DataSource(dataSourceOptions(h.config.databaseUrl));
    await blocker.initialize();
    const runner = blocker.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    await runner.query('LOCK TABLE rectification_case IN ACCESS EXCLUSIVE MODE');
    const unlock = async () => {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
      await blocker.destroy();
    };
    return { blocker, runner, unlock };
  }

  /**
   * This file's API's statements waiting for the read model's lock (not another test file's), asked on the
   * blocker's own pool: the API's connections may all be taken by the held requests, and a question asked
   * through them would queue behind the lock for good.
   */
  function apiStatementsWaitingOnLock(blocker: DataSource) {
    const sessions = noteApiSessions(h.app);
    return {
      count: async () =>
        Number(
          (await blocker.query(`SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'rectification_case'::regclass AND pid = ANY($1::int[])`, [sessions.pids()]))[0].n,
        ),
      stop: sessions.stop,
    };
  }

  afterAll(async () => {
    delete process.env.WEB_DIST_DIR;
    await h?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('sends the security headers: a CSP with scripts from self only and no framing, nosniff, no referrer, no X-Powered-By, no HSTS outside production', async () => {
    for (const path of ['/', '/api/health', '/api/docs']) {
      const res = await request(h.app.getHttpServer()).get(path);
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toMatch(/(^|;)\s*script-src 'self'(;|$)/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).toMatch(/default-src 'self'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('gzips JSON answers and the dashboard\'s files for a client that accepts gzip', async () => {
    const json = await as(h.app, people.countyAdmin).get('/api/docs-json').set('Accept-Encoding', 'gzip').expect(200);
    expect(json.headers['content-encoding']).toBe('gzip');
    expect(json.body.openapi).toMatch(/^3\./);
    // The web app's first load: its bundle.
    const bundle = await request(h.app.getHttpServer()).get('/assets/index-test.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(bundle.headers['content-encoding']).toBe('gzip');
    expect(bundle.text).toContain('整顿-499');
  });

  it('sends an action\'s answer gzipped in one piece with its length, the same case as uncompressed', async () => {
    const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[1], 2032);
    const zipped = await as(h.app, people.countyAdmin).post(`/api/cases/${play.caseId}/contact-leader`).set('Accept-Encoding', 'gzip').send({ leaderUserId: people.countyLeader.id }).expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    // Not streamed in chunks: the client knows the answer's size before it arrives.
    expect(zipped.headers['transfer-encoding']).toBeUndefined();
    expect(Number(zipped.headers['content-length'])).toBeGreaterThan(0);
    expect(zipped.body).toMatchObject({ id: play.caseId, state: { contactLeader: { id: people.countyLeader.id } } });
    const plain = await as(h.app, people.countyAdmin).get(`/api/cases/${play.caseId}`).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.live).toMatchObject({ version: zipped.body.state.version, contactLeader: zipped.body.state.contactLeader, stage: zipped.body.state.stage });
  });

  it('sends the dashboard serialized once for all who share its read: JSON, gzipped when accepted, the same figures either way, 304 when unchanged', async () => {
    const plain = await as(h.app, people.countyAdmin).get('/api/dashboard/overview').set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.text.length).toBeGreaterThan(1024);
    const zipped = await as(h.app, people.countyAdmin).get('/api/dashboard/overview').set('Accept-Encoding', 'gzip').expect(200);
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body).toEqual(plain.body);
    expect(plain.body).toMatchObject({ scope: { level: 'county', regionId: orgs.county.id }, total: expect.any(Number), townships: expect.any(Array) });
    await as(h.app, people.countyAdmin).get('/api/dashboard/overview').set('Accept-Encoding', 'identity').set('If-None-Match', plain.headers.etag).expect(304);
    // Each form has its own ETag, Express's own of its bytes, and a browser holding the gzipped one gets 304 too.
    const etagOf = (h.app.getHttpAdapter().getInstance() as { get(setting: 'etag fn'): (body: Buffer) => string }).get('etag fn');
    expect(plain.headers.etag).toBe(etagOf(Buffer.from(plain.text, 'utf8')));
    expect(zipped.headers.etag).toMatch(/^W\/"/);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    await as(h.app, people.countyAdmin).get('/api/dashboard/overview').set('Accept-Encoding', 'gzip').set('If-None-Match', zipped.headers.etag).expect(304);
    const rollup = await as(h.app, people.countyAdmin).get('/api/dashboard/rollup').set('Accept-Encoding', 'identity').expect(200);
    expect(rollup.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(rollup.body.rows.map((r: { name: string }) => r.name)).toContain(orgs.township.name);
  });

  it('answers 405 with Allow for an undeclared method on a declared path, and 404 in the error shape for an unknown path', async () => {
    const res = await as(h.app, people.countyAdmin).delete('/api/dashboard/overview').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.body).toMatchObject({ statusCode: 405, code: 'METHOD_NOT_ALLOWED' });
    expect(res.body.message).toMatch(/DELETE/);
    const withParam = await as(h.app, people.countyAdmin).put(`/api/cases/${orgs.organizations[0].id}/visits`).expect(405);
    expect(withParam.headers.allow).toBe('POST');
    const unknown = await as(h.app, people.countyAdmin).delete('/api/no-such-thing').expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
  });

  it('refuses a body on an endpoint that takes none (400), and accepts none or an empty object', async () => {
    // Sign-in is judged first: signed out, the body is not what the answer is about.
    const signedOut = await request(h.app.getHttpServer()).post('/api/notifications/read-all').send({ everything: true }).expect(401);
    expect(signedOut.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
    const res = await as(h.app, people.countyAdmin).post('/api/notifications/read-all').send({ everything: true }).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(res.body.details.fields[0].field).toBe('body');
    await as(h.app, people.countyAdmin).post('/api/notifications/read-all').expect((r) => expect(r.status).toBeLessThan(300));
    await as(h.app, people.countyAdmin).post('/api/notifications/read-all').send({}).expect((r) => expect(r.status).toBeLessThan(300));
  });

  it('refuses an Idempotency-Key sent again with another request (422) and leaves the case as the first request made it', async () => {
    const play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], 2031);
    await play.start();
    const problem = { description: '问题：党员大会长期不开', reasonCode: 'C4', cureTag: '治散', rootCause: '书记缺位', evidence: '会议记录空白' };
    const send = (body: object) => as(h.app, people.teamLeader).post(`/api/cases/${play.caseId}/problems`).set('Idempotency-Key', 'hardening-0001').send(body);
    const first = await send(problem).expect(201);
    // The same request again: the first answer (the action ran once).
    expect((await send({ ...problem }).expect(201)).body.state.version).toBe(first.body.state.version);
    const other = await send({ ...problem, description: '问题：另一项问题' }).expect(422);
    expect(other.body).toMatchObject({ statusCode: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(other.body.message).toContain('Idempotency-Key');
    const live = (await play.get()).live;
    expect(live.problems).toHaveLength(1);
    expect(live.problems[0].description).toBe(problem.description);
  });

  it('runs an overview\'s statements side by side, yet overviews held up by a locked read model leave the pool to everyone else', async () => {
    const readers = await Promise.all([1, 2, 3].map(() => signedInUser(h.app, h.dataSource, 'county_org_admin', orgs.county.id)));
    const { blocker, runner, unlock } = await lockReadModel();
    const waiting = apiStatementsWaitingOnLock(blocker);
    try {
      // Three overviews that share no read (other years), four statements each: twelve, more than the pool's ten.
      const held = readers.map((u, i) => as(h.app, u).get(`/api/dashboard/overview?batchYear=${2040 + i}`).then((r) => r.status));
      // Side by side: the first overview's four statements all wait on the lock at once.
      await eventually(async () => ((await waiting.count()) >= 4 ? true : undefined), 15000, 'statements waiting on the lock');
      // Everyone else is still served: sign-in and a request of another person take a connection of their own.
      await as(h.app, people.townshipSecretary).get('/api/auth/me').expect(200);
      await request(h.app.getHttpServer()).post('/api/auth/login').send({ username: 'nobody-here', password: 'wrong-password-1' }).expect(401);
      // And the dashboards never held more than their share.
      expect(await waiting.count()).toBe(4);
      await runner.commitTransaction();
      expect(await Promise.all(held)).toEqual([200, 200, 200]);
    } finally {
      waiting.stop();
      await unlock();
    }
  });

  it('limits one user\'s dashboards and exports in flight (429 with Retry-After) while another user is served', async () => {
    const inspector = people.countyAdmin;
    const other = await signedInUser(h.app, h.dataSource, 'county_org_admin', orgs.county.id);
    // Hold the read model under a lock, so the first requests stay in flight until it is released.
    const { blocker, runner, unlock } = await lockReadModel();
    const waiting = apiStatementsWaitingOnLock(blocker);
    try {
      const limit = h.config.api.heavyReadsPerUser;
      const held = Array.from({ length: limit }, (_, i) =>
        as(h.app, inspector).get(i % 2 === 0 ? '/api/dashboard/overview' : '/api/exports/ledger.xlsx').then((r) => r.status),
      );
      // Another batch year: the same year's overview of the same department would share the inspector's read
      // (SharedReads) and wait for it in the API rather than on the lock.
      const otherUser = as(h.app, other).get(`/api/dashboard/overview?batchYear=${new Date().getFullYear() - 1}`).then((r) => r.status);
      // Wait until all of them wait on the lock.
      await eventually(async () => ((await waiting.count()) >= limit + 1 ? true : undefined), 15000, 'requests waiting on the lock');
      const refused = await as(h.app, inspector).get('/api/exports/problems.xlsx').expect(429);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.body).toMatchObject({ statusCode: 429, code: 'TOO_MANY_CONCURRENT_REQUESTS' });
      await runner.commitTransaction();
      expect(await Promise.all(held)).toEqual(Array(limit).fill(200));
      expect(await otherUser).toBe(200);
      // Once they are answered the inspector is served again.
      await as(h.app, inspector).get('/api/dashboard/overview').expect(200);
    } finally {
      waiting.stop();
      await unlock();
    }
  });
});

describe('HTTP hardening in production', () => {
  let app: INestApplication;
  let ds: DataSource;

  beforeAll(async () => {
    // A production configuration with a secret of its own. (The test database's well-known password
    // would be refused by loadConfig in production, so the environment is set on the loaded config.)
    const config: AppConfig = { ...testConfig({ JWT_SECRET: randomBytes(32).toString('hex') }), nodeEnv: 'production' };
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    configureApp(app);
    await app.init();
    ds = new DataSource(dataSourceOptions(config.databaseUrl));
    await ds.initialize();
  });
  afterAll(async () => {
    await app?.close();
    await ds?.destroy();
  });

  it('keeps /api/docs and /api/docs-json for signed-in users, and tells anonymous health only up or down', async () => {
    const server = app.getHttpServer();
    for (const path of ['/api/docs', '/api/docs-json']) {
      const res = await request(server).get(path).expect(401);
      expect(res.body).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED' });
      await request(server).get(path).set('Authorization', 'Bearer forged.token.here').expect(401);
    }
    const anonymous = await request(server).get('/api/health');
    expect(anonymous.body).toEqual({ status: 'up' });

    const { county } = await createRegionWithOrganizations(ds, 1);
    const admin = await signedInUser(app, ds, 'county_org_admin', county.id);
    expect((await as(app, admin).get('/api/docs-json').expect(200)).body.openapi).toMatch(/^3\./);
    await as(app, admin).get('/api/docs').expect(200);
    const detailed = await as(app, admin).get('/api/health').expect(200);
    expect(detailed.body).toMatchObject({ status: 'ok', postgres: { status: 'up' }, temporal: { status: 'up' } });
    // HSTS in production.
    expect(anonymous.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });
});
