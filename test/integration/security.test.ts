import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { caseIdFor } from '../../libs/domain';
import { AppUserEntity } from '../../libs/persistence';
import { signedInUser, TEST_PASSWORD, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
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
