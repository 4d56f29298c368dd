import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Test } from '@nestjs/testing';
import { hashSync } from '@node-rs/bcrypt';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { AppModule } from '../../apps/api/src/app.module';
import { LoginLimiter } from '../../apps/api/src/auth/login-limiter';
import { configureApp } from '../../apps/api/src/bootstrap';
import { demoAccountsRefusal, demoAccountsWithPublishedPassword } from '../../apps/api/src/demo/demo-accounts';
import { DEMO_PASSWORD } from '../../apps/api/src/demo/demo-county';
import { caseIdFor } from '../../libs/domain';
import { AppUserEntity } from '../../libs/persistence';
import { signedInUser, TEST_PASSWORD, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, testConfig, type Harness } from '../support/harness';
import { apiEndpoints, fillPath, hasErrorShape, type Endpoint } from '../support/openapi';

const PUBLIC = ['POST /api/auth/login', 'GET /api/health'];

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Every endpoint of the OpenAPI document but sign-in and health needs a valid bearer token: without
 * one, or with one that is malformed, expired, signed with another secret or unsigned, or whose user
 * does not exist or was deactivated, it answers 401 in the one error shape — before validation, scope
 * or any work.
 */
describe('every endpoint needs a valid token', () => {
  let h: Harness;
  let user: TestUser;
  let deactivated: TestUser;
  let endpoints: Endpoint[];
  const values: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness();
    const a = await createRegionWithOrganizations(h.dataSource, 1);
    user = await signedInUser(h.app, h.dataSource, 'county_org_admin', a.county.id);
    deactivated = await signedInUser(h.app, h.dataSource, 'county_org_admin', a.county.id);
    await h.dataSource.getRepository(AppUserEntity).update({ id: deactivated.id }, { active: false });
    const org = a.organizations[0];
    // Real ids of the caller's own county, so nothing but the token can be the reason for a 401.
    Object.assign(values, { caseId: caseIdFor(org.id, 2026), countyId: a.county.id, townshipId: a.township.id, key: 'task-key', batchYear: '2026', year: '2026', date: '2026-10-01' });
    values.id = values.caseId;
    endpoints = apiEndpoints(h.app);
  });
  afterAll(() => h?.close());

  /** The Authorization header of each kind of bad credential. */
  async function badCredentials(): Promise<[string, string | undefined][]> {
    const secret = h.config.auth.jwtSecret;
    const now = Math.floor(Date.now() / 1000);
    const sign = (payload: object, key = secret) => new JwtService({ secret: key }).signAsync(payload, { algorithm: 'HS256' });
    const valid = user.token;
    const [header, payload] = valid.split('.');
    return [
      ['no Authorization header', undefined],
      ['an empty bearer', 'Bearer '],
      ['another scheme', `Basic ${Buffer.from(`${user.username}:${TEST_PASSWORD}`).toString('base64')}`],
      ['the token without a scheme', valid],
      ['a malformed token', 'Bearer not-a-token'],
      ['three dots of garbage', 'Bearer a.b.c'],
      ['a token with its signature cut off', `Bearer ${header}.${payload}.`],
      ['a token with a changed payload', `Bearer ${header}.${base64url({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'county_org_admin', sub: randomUUID() })}.${valid.split('.')[2]}`],
      ['an expired token', `Bearer ${await sign({ sub: user.id, iat: now - 7200, exp: now - 3600 })}`],
      ['a token not valid yet', `Bearer ${await sign({ sub: user.id, iat: now, nbf: now + 3600, exp: now + 7200 })}`],
      ['a token signed with another secret', `Bearer ${await sign({ sub: user.id, iat: now, exp: now + 3600 }, 'another-secret-of-at-least-32-characters!!')}`],
      ['an unsigned token (alg none)', `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: user.id, iat: now, exp: now + 3600 })}.`],
      ['a token of a user who does not exist', `Bearer ${await sign({ sub: randomUUID(), iat: now, exp: now + 3600 })}`],
      ['a token whose subject is not a user id', `Bearer ${await sign({ sub: "x' OR '1'='1", iat: now, exp: now + 3600 })}`],
      ['a token without a subject', `Bearer ${await sign({ iat: now, exp: now + 3600 })}`],
      ['the token of a deactivated user', `Bearer ${deactivated.token}`],
    ];
  }

  it('lists the endpoints, public ones included', () => {
    const names = endpoints.map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining([...PUBLIC, 'POST /api/cases', 'GET /api/auth/me', 'POST /api/star-ratings/{id}/downgrade']));
    expect(endpoints.filter((e) => e.isPublic).map((e) => e.name).sort()).toEqual([...PUBLIC].sort());
  });

  it('answers 401 in the error shape on every other endpoint, whatever is wrong with the token', async () => {
    const report: string[] = [];
    const credentials = await badCredentials();
    for (const e of endpoints) {
      if (PUBLIC.includes(e.name)) continue;
      const path = fillPath(e.template, values);
      for (const [what, authorization] of credentials) {
        let req = request(h.app.getHttpServer())[e.method](path);
        if (authorization !== undefined) req = req.set('Authorization', authorization);
        const res = e.method === 'get' || e.method === 'delete' ? await req : await req.send({});
        if (res.status !== 401 || !hasErrorShape(401, res.body)) report.push(`${e.name} with ${what}: ${res.status} ${res.text.slice(0, 200)}`);
        else if (res.body.code !== 'UNAUTHENTICATED') report.push(`${e.name} with ${what}: code ${res.body.code}`);
      }
    }
    expect(report).toEqual([]);
  });

  it('the same token, valid, is accepted', async () => {
    await request(h.app.getHttpServer()).get('/api/auth/me').set('Authorization', `Bearer ${user.token}`).expect(200);
  });

  it('sign-in and health need no token, and a bad one does not get in their way', async () => {
    for (const authorization of [undefined, 'Bearer not-a-token']) {
      let health = request(h.app.getHttpServer()).get('/api/health');
      if (authorization) health = health.set('Authorization', authorization);
      expect((await health).status).toBe(200);
      let login = request(h.app.getHttpServer()).post('/api/auth/login');
      if (authorization) login = login.set('Authorization', authorization);
      const res = await login.send({ username: user.username, password: TEST_PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body.accessToken).toEqual(expect.any(String));
    }
  });
});

/**
 * The sign-in limit: failed sign-ins counted per client address and username; past the limit that
 * pair answers 429 with Retry-After — even with the right password — until the lock-out has passed.
 */
describe('sign-in limit', () => {
  const WINDOW_MS = 10 * 60 * 1000;
  let app: INestApplication;
  let ds: DataSource;
  let limiter: LoginLimiter;
  let clock: number;
  const passwordHash = hashSync(TEST_PASSWORD, 4);

  beforeAll(async () => {
    // Behind a proxy on loopback, so the tests can speak for several client addresses.
    const config = testConfig({ LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_WINDOW: '10m', TRUST_PROXY: 'loopback' });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    configureApp(app);
    await app.init();
    ds = app.get(DataSource);
    limiter = app.get(LoginLimiter);
    clock = Date.now();
    limiter.now = () => clock;
  });
  afterAll(() => app?.close());

  async function newUser(): Promise<string> {
    const region = await createRegionWithOrganizations(ds, 1);
    const username = `limit-${randomUUID().slice(0, 8)}`;
    const repo = ds.getRepository(AppUserEntity);
    await repo.save(repo.create({ username, displayName: '限流测试', title: '', role: 'county_org_admin', regionId: region.county.id, passwordHash, active: true }));
    return username;
  }

  const login = (username: string, password: string, from = '203.0.113.1') =>
    request(app.getHttpServer()).post('/api/auth/login').set('X-Forwarded-For', from).send({ username, password });

  it('answers 429 with Retry-After once the failures reach the limit, even for the right password', async () => {
    const username = await newUser();
    for (let i = 0; i < 3; i++) expect((await login(username, 'wrong-password')).status).toBe(401);
    const res = await login(username, TEST_PASSWORD);
    expect(res.status).toBe(429);
    expect(hasErrorShape(429, res.body)).toBe(true);
    expect(res.body).toMatchObject({ code: 'TOO_MANY_LOGIN_ATTEMPTS', details: { retryAfterSeconds: WINDOW_MS / 1000 } });
    expect(res.body.message).toContain('登录失败次数过多');
    expect(res.body.messageEn).toMatch(/too many failed sign-ins/i);
    expect(res.headers['retry-after']).toBe(String(WINDOW_MS / 1000));
    // The same username in other letter case is the same account.
    expect((await login(username.toUpperCase(), TEST_PASSWORD)).status).toBe(429);
    expect(res.body.accessToken).toBeUndefined();
  });

  it('leaves other usernames and other addresses alone', async () => {
    const locked = await newUser();
    const other = await newUser();
    for (let i = 0; i < 3; i++) await login(locked, 'wrong-password');
    expect((await login(locked, TEST_PASSWORD)).status).toBe(429);
    expect((await login(other, TEST_PASSWORD)).status).toBe(200);
    expect((await login(locked, TEST_PASSWORD, '198.51.100.7')).status).toBe(200);
  });

  it('lets the pair in again once the lock-out has passed', async () => {
    const username = await newUser();
    for (let i = 0; i < 3; i++) await login(username, 'wrong-password');
    clock += WINDOW_MS - 1000;
    const res = await login(username, TEST_PASSWORD);
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('1');
    clock += 1000;
    expect((await login(username, TEST_PASSWORD)).status).toBe(200);
  });

  it('forgets the failures after a successful sign-in', async () => {
    const username = await newUser();
    for (let i = 0; i < 2; i++) await login(username, 'wrong-password');
    expect((await login(username, TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await login(username, 'wrong-password')).status).toBe(401);
    expect((await login(username, TEST_PASSWORD)).status).toBe(200);
  });

  it('counts unknown usernames too, so the answers do not tell which usernames exist', async () => {
    const nobody = `nobody-${randomUUID().slice(0, 8)}`;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await login(nobody, 'whatever')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('holds against parallel guesses', async () => {
    const username = await newUser();
    const statuses = (await Promise.all(Array.from({ length: 10 }, () => login(username, 'wrong-password')))).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('does not count malformed requests, which never reach the password check', async () => {
    const username = await newUser();
    for (let i = 0; i < 5; i++) expect((await request(app.getHttpServer()).post('/api/auth/login').send({ username, password: 42 })).status).toBe(400);
    expect((await login(username, TEST_PASSWORD)).status).toBe(200);
  });
});

describe('sign-in limit without a trusted proxy (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('allows 5 failures a window and ignores X-Forwarded-For, which any client can write', async () => {
    const a = await createRegionWithOrganizations(h.dataSource, 1);
    const user = await signedInUser(h.app, h.dataSource, 'county_org_admin', a.county.id);
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const res = await request(h.app.getHttpServer()).post('/api/auth/login').set('X-Forwarded-For', `192.0.2.${i + 1}`).send({ username: user.username, password: 'wrong-password' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const res = await request(h.app.getHttpServer()).post('/api/auth/login').set('X-Forwarded-For', '192.0.2.99').send({ username: user.username, password: TEST_PASSWORD });
    expect(res.status).toBe(429);
  });
});

describe('demo accounts in production', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('finds the active accounts that still sign in with the published demo password', async () => {
    const region = await createRegionWithOrganizations(h.dataSource, 1);
    const tag = randomUUID().slice(0, 8);
    const repo = h.dataSource.getRepository(AppUserEntity);
    const user = (username: string, password: string, active = true) =>
      repo.save(repo.create({ username, displayName: '演示', title: '', role: 'county_org_admin', regionId: region.county.id, passwordHash: hashSync(password, 4), active }));
    await user(`demo_a_${tag}`, DEMO_PASSWORD);
    await user(`demo_b_${tag}`, DEMO_PASSWORD, false);
    await user(`demo_c_${tag}`, 'a password of its own 2026');
    const names = [`DEMO_A_${tag}`, `demo_b_${tag}`, `demo_c_${tag}`, `demo_d_${tag}`];
    expect(await demoAccountsWithPublishedPassword(h.dataSource, names)).toEqual([`demo_a_${tag}`]);
    expect(demoAccountsRefusal([`demo_a_${tag}`])).toContain(`UPDATE app_user SET active = false WHERE username IN ('demo_a_${tag}')`);
    expect(await demoAccountsWithPublishedPassword(h.dataSource, [])).toEqual([]);
  });
});
