import request from 'supertest';
import { AppUserEntity } from '../../libs/persistence';
import { as, personas, signedInUser, TEST_PASSWORD, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';

/** Passwords and sessions (issue 14): one's own change, one-time passwords, policy, sign-out. */
describe('passwords and sessions', () => {
  let h: Harness;
  let people: Personas;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  const server = () => h.app.getHttpServer();
  const login = (username: string, password: string) => request(server()).post('/api/auth/login').send({ username, password });
  const bearer = (token: string) => ({ token });
  const audit = async (action: string, userId: string) =>
    (await h.dataSource.query(`SELECT actor_id FROM audit_entry WHERE action = $1 AND payload->>'userId' = $2`, [action, userId])) as { actor_id: string }[];

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  }, 60000);
  afterAll(() => h?.close());

  it('a password change ends the tokens issued before and answers a working new one, audited', async () => {
    const me = await signedInUser(h.app, h.dataSource, 'county_leader', orgs.county.id);
    const other = await login(me.username, TEST_PASSWORD).expect(200); // a second device
    const changed = await as(h.app, me).post('/api/auth/password').send({ currentPassword: TEST_PASSWORD, newPassword: 'Qinghe-county-2027' }).expect(200);
    for (const old of [me.token, other.body.accessToken]) {
      const res = await as(h.app, bearer(old)).get('/api/auth/me').expect(401);
      expect(res.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('会话已结束') });
    }
    await as(h.app, bearer(changed.body.accessToken)).get('/api/auth/me').expect(200);
    await login(me.username, TEST_PASSWORD).expect(401);
    await login(me.username, 'Qinghe-county-2027').expect(200);
    expect(await audit('user.password_changed', me.id)).toEqual([{ actor_id: me.id }]);
  });

  it('signing out ends the token', async () => {
    const me = await signedInUser(h.app, h.dataSource, 'county_leader', orgs.county.id);
    await as(h.app, me).post('/api/auth/logout').expect(204);
    await as(h.app, me).get('/api/auth/me').expect(401);
    expect(await audit('user.signed_out', me.id)).toHaveLength(1);
    // Signing in again works.
    await login(me.username, TEST_PASSWORD).expect(200);
  });

  it('a one-time password is good only for changing it', async () => {
    const created = await as(h.app, people.countyAdmin).post('/api/users').send({ username: `otp-${Date.now()}`, name: '新干部', role: 'county_leader', regionId: orgs.county.id }).expect(201);
    const username = created.body.user.username;
    const first = await login(username, created.body.oneTimePassword).expect(200);
    expect(first.body.user.mustChangePassword).toBe(true);
    const otp = bearer(first.body.accessToken);
    for (const [method, path] of [
      ['get', '/api/auth/me'],
      ['get', '/api/cases'],
      ['get', '/api/regions'],
      ['get', '/api/calendar/2026'],
    ] as const) {
      const res = await as(h.app, otp)[method](path).expect(403);
      expect(res.body).toMatchObject({ code: 'PASSWORD_CHANGE_REQUIRED', message: expect.stringContaining('一次性密码') });
    }
    // The policy: ten characters, not the username, not the one-time password itself.
    const short = await as(h.app, otp).post('/api/auth/password').send({ currentPassword: created.body.oneTimePassword, newPassword: 'Short-1' }).expect(400);
    expect(short.body).toMatchObject({ code: 'PASSWORD_POLICY', message: expect.stringContaining('至少 10 个字符') });
    const same = await as(h.app, otp).post('/api/auth/password').send({ currentPassword: created.body.oneTimePassword, newPassword: username.toUpperCase() }).expect(400);
    expect(same.body.message).toContain('不能与用户名相同');
    const wrong = await as(h.app, otp).post('/api/auth/password').send({ currentPassword: 'not-the-password', newPassword: 'Qinghe-county-2027' }).expect(400);
    expect(wrong.body.code).toBe('CURRENT_PASSWORD_WRONG');
    expect((await h.dataSource.getRepository(AppUserEntity).findOneByOrFail({ username })).mustChangePassword).toBe(true);

    const changed = await as(h.app, otp).post('/api/auth/password').send({ currentPassword: created.body.oneTimePassword, newPassword: 'Qinghe-county-2027' }).expect(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    await as(h.app, bearer(changed.body.accessToken)).get('/api/cases').expect(200);
    await as(h.app, otp).post('/api/auth/password').send({ currentPassword: 'Qinghe-county-2027', newPassword: 'Another-pass-2027' }).expect(401);
  });

  it("a manager's reset gives a one-time password and ends the person's sessions", async () => {
    const member = await signedInUser(h.app, h.dataSource, 'team_member', orgs.organizations[0].regionId);
    const reset = await as(h.app, people.townshipSecretary).post(`/api/users/${member.id}/password-reset`).expect(201);
    await as(h.app, member).get('/api/tasks').expect(401);
    await login(member.username, TEST_PASSWORD).expect(401);
    const otp = await login(member.username, reset.body.oneTimePassword).expect(200);
    expect((await as(h.app, bearer(otp.body.accessToken)).get('/api/tasks').expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect(await audit('user.password_reset', member.id)).toEqual([{ actor_id: people.townshipSecretary.id }]);
  });
});
