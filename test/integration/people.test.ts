import { Workbook } from 'exceljs';
import request from 'supertest';
import { caseIdFor } from '../../libs/domain';
import { AppUserEntity, TaskEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas } from '../support/auth';
import { addTownship, createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';

/** Collects a binary response body. */
function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

/** People (issue 14): accounts created, imported, edited, moved and deactivated by their managers, every change audited. */
describe('people: /api/users', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof addTownship>>;
  let people: Personas;
  const villageId = () => orgs.organizations[0].regionId;
  const audit = async (action: string, userId: string) =>
    (await h.dataSource.query(`SELECT actor_id, payload FROM audit_entry WHERE action = $1 AND payload->>'userId' = $2 ORDER BY id`, [action, userId])) as {
      actor_id: string;
      payload: Record<string, unknown>;
    }[];
  const login = (username: string, password: string) => request(h.app.getHttpServer()).post('/api/auth/login').send({ username, password });
  const workbook = async (rows: (string | number)[][]) => {
    const wb = new Workbook();
    const ws = wb.addWorksheet('人员');
    for (const r of rows) ws.addRow(r);
    return Buffer.from(await wb.xlsx.writeBuffer());
  };
  const upload = (who: { token: string }, file: Buffer, name = 'people.xlsx', mode?: string) =>
    as(h.app, who)
      .post(`/api/users/import${mode ? `?mode=${mode}` : ''}`)
      .attach('file', file, name);

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    other = await addTownship(h.dataSource, orgs.county);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: villageId() });
  }, 60000);
  afterAll(() => h?.close());

  it('the county organization department creates an account with a one-time password, sees its username, and the creation is audited', async () => {
    const tag = Date.now().toString(36);
    const res = await as(h.app, people.countyAdmin)
      .post('/api/users')
      .send({ username: `ＺＨＡＮＧ_${tag}`, name: '张书记', role: 'township_party_secretary', regionId: orgs.township.id, phone: '13800138000', cadreRank: 'section' })
      .expect(201);
    expect(res.body.oneTimePassword).toMatch(/^[A-Za-z0-9]{14}$/);
    // One form of the username: full-width and capitals fold (libs/domain/username.ts).
    expect(res.body.user).toMatchObject({ username: `zhang_${tag}`, role: 'township_party_secretary', phone: '13800138000', cadreRank: 'section', active: true, oneTimeCredential: true });
    const listed = await as(h.app, people.countyAdmin).get(`/api/users?q=zhang_${tag}`).expect(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: res.body.user.id, username: `zhang_${tag}`, regionName: orgs.township.name })]);
    expect(JSON.stringify(listed.body)).not.toMatch(/hash/i);
    // An inspector picks people but does not see their usernames.
    const inspected = await as(h.app, people.inspector).get(`/api/users?q=张书记`).expect(200);
    expect(inspected.body.items[0]).not.toHaveProperty('username');
    expect(await audit('user.created', res.body.user.id)).toEqual([expect.objectContaining({ actor_id: people.countyAdmin.id })]);
    expect((await login(`Zhang_${tag}`, res.body.oneTimePassword).expect(200)).body.user.id).toBe(res.body.user.id);

    const badPhone = await as(h.app, people.countyAdmin).post('/api/users').send({ username: `phone_${tag}`, name: '号码', role: 'county_leader', regionId: orgs.county.id, phone: '138 0013' }).expect(400);
    expect(badPhone.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('手机号（phone）') });
    const spaced = await as(h.app, people.countyAdmin).post('/api/users').send({ username: 'zhang san', name: '空格', role: 'county_leader', regionId: orgs.county.id }).expect(400);
    expect(spaced.body.message).toContain('用户名（username）');
    const again = await as(h.app, people.countyAdmin).post('/api/users').send({ username: `zhang_${tag}`, name: '重名', role: 'county_leader', regionId: orgs.county.id }).expect(409);
    expect(again.body).toMatchObject({ code: 'USERNAME_TAKEN', message: expect.stringContaining('用户名') });
  });

  it('nobody grants a role above their own or outside their region', async () => {
    const tag = Date.now().toString(36);
    const secretary = as(h.app, people.townshipSecretary);
    const up = await secretary.post('/api/users').send({ username: `boss_${tag}`, name: '越权', role: 'county_org_admin', regionId: orgs.county.id }).expect(403);
    expect(up.body).toMatchObject({ code: 'USER_GRANT_FORBIDDEN', message: expect.stringContaining('乡镇党委书记只能管理本乡镇') });
    const peer = await secretary.post('/api/users').send({ username: `peer_${tag}`, name: '同级', role: 'township_party_secretary', regionId: orgs.township.id }).expect(403);
    expect(peer.body.code).toBe('USER_GRANT_FORBIDDEN');
    const elsewhere = await secretary.post('/api/users').send({ username: `far_${tag}`, name: '外乡镇', role: 'team_member', regionId: other.village.id }).expect(403);
    expect(elsewhere.body.message).toContain('本乡镇（街道）');
    expect(await h.dataSource.getRepository(AppUserEntity).countBy({ username: `far_${tag}` })).toBe(0);

    // Their own township's team: allowed, and they may edit it but not promote it.
    const member = await secretary.post('/api/users').send({ username: `team_${tag}`, name: '队员甲', role: 'team_member', regionId: villageId(), cadreRank: 'staff' }).expect(201);
    await secretary.patch(`/api/users/${member.body.user.id}`).send({ role: 'team_leader', cadreRank: 'section' }).expect(200);
    const promote = await secretary.patch(`/api/users/${member.body.user.id}`).send({ role: 'township_party_secretary', regionId: orgs.township.id }).expect(403);
    expect(promote.body.code).toBe('USER_GRANT_FORBIDDEN');
    // Moving their member to another township's village is outside their region.
    await secretary.patch(`/api/users/${member.body.user.id}`).send({ regionId: other.village.id }).expect(403);
    // A county leader is no one a township manages: not even found.
    expect((await secretary.patch(`/api/users/${people.countyLeader.id}`).send({ name: 'x' }).expect(404)).body.code).toBe('USER_NOT_FOUND');
    // Other roles manage nobody.
    expect((await as(h.app, people.teamLeader).post('/api/users').send({ username: `x_${tag}`, name: 'x', role: 'team_member', regionId: villageId() }).expect(403)).body.code).toBe('FORBIDDEN');

    const mismatch = await as(h.app, people.countyAdmin).post('/api/users').send({ username: `lvl_${tag}`, name: '层级', role: 'team_leader', regionId: orgs.township.id }).expect(400);
    expect(mismatch.body).toMatchObject({ code: 'ROLE_REGION_MISMATCH', message: expect.stringContaining('村（社区）') });
  });

  it('a move takes effect at once and hands the claimed open tasks back to the pool, audited as a handover', async () => {
    const deputy = await signedInUser(h.app, h.dataSource, 'township_party_secretary', orgs.township.id, { name: '镇党委副书记' });
    const organizationId = orgs.organizations[1].id;
    await as(h.app, people.countyAdmin).post('/api/cases').send({ organizationId, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    const caseId = caseIdFor(organizationId, 2026);
    const key = `${caseId}:appoint_team`;
    await eventually(() => h.dataSource.getRepository(TaskEntity).findOneBy({ key }), 20000, 'the appoint_team task');
    await as(h.app, deputy).post(`/api/tasks/${encodeURIComponent(key)}/claim`).expect(200);
    expect((await h.dataSource.getRepository(TaskEntity).findOneByOrFail({ key })).claimedById).toBe(deputy.id);

    const moved = await as(h.app, people.countyAdmin).patch(`/api/users/${deputy.id}`).send({ regionId: other.township.id }).expect(200);
    expect(moved.body).toMatchObject({ regionId: other.township.id, releasedTasks: 1 });
    const task = await h.dataSource.getRepository(TaskEntity).findOneByOrFail({ key });
    expect({ claimedById: task.claimedById, claimedByName: task.claimedByName }).toEqual({ claimedById: null, claimedByName: null });
    const released = await h.dataSource.query(`SELECT actor_id, payload FROM audit_entry WHERE action = 'task.released' AND case_id = $1`, [caseId]);
    expect(released).toEqual([expect.objectContaining({ actor_id: people.countyAdmin.id, payload: expect.objectContaining({ taskKey: key, userId: deputy.id, handover: 'moved' }) })]);
    expect(await audit('user.moved', deputy.id)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ fromRegion: orgs.township.name, toRegion: other.township.name }) })]);
    // At once: the same token now sees the other township's tasks, not this one.
    const theirs = await as(h.app, deputy).get('/api/tasks?limit=100').expect(200);
    expect(theirs.body.items.map((t: { key: string }) => t.key)).not.toContain(key);
    await as(h.app, people.townshipSecretary).post(`/api/tasks/${encodeURIComponent(key)}/claim`).expect(200);
  });

  it('imports people from a file: all rows valid or nothing written, each bad row named with its line and field', async () => {
    const tag = Date.now().toString(36);
    const header = ['姓名', '用户名', '手机号', '角色', '所在区划代码', '职务', '职级'];
    const village = await h.dataSource.query(`SELECT code FROM region WHERE id = $1`, [villageId()]);
    const bad = await workbook([
      header,
      ['王队长', `wang_${tag}`, '13900000000', '整建队伍队长', village[0].code, '县农业局副局长', '科级'],
      ['', `nobody_${tag}`, '', '整建队伍队员', village[0].code, '', ''],
      ['李四', `wang_${tag}`, 'abc', '皇帝', 'NO-SUCH', '', '大官'],
    ]);
    const refused = await upload(people.countyAdmin, bad).expect(400);
    expect(refused.body.code).toBe('IMPORT_INVALID');
    expect(refused.body.details.rejected).toEqual(
      expect.arrayContaining([
        { line: 3, field: '姓名', reason: '姓名不能为空' },
        { line: 4, field: '用户名', reason: `用户名 wang_${tag} 与第 2 行重复` },
        expect.objectContaining({ line: 4, field: '手机号' }),
        expect.objectContaining({ line: 4, field: '角色', reason: expect.stringContaining('角色“皇帝”不存在') }),
        expect.objectContaining({ line: 4, field: '所在区划代码' }),
        expect.objectContaining({ line: 4, field: '职级' }),
      ]),
    );
    expect(await h.dataSource.getRepository(AppUserEntity).countBy({ username: `wang_${tag}` })).toBe(0);

    // A township secretary's file may hold only their township's team.
    const outside = await upload(people.townshipSecretary, await workbook([header, ['赵县长', `zhao_${tag}`, '', '县级领导', orgs.county.code, '', '']])).expect(400);
    expect(outside.body.details.rejected).toEqual([expect.objectContaining({ line: 2, field: '角色', reason: expect.stringContaining('乡镇党委书记只能管理') })]);

    const good = await workbook([
      ['name', 'username', 'phone', 'role', 'regionCode', 'title', 'cadreRank'],
      ['王队长', `wang_${tag}`, '13900000000', 'team_leader', village[0].code, '县农业局副局长', '是'],
      ['陈队员', `chen_${tag}`, '', '整建队伍队员', village[0].code, '', '否'],
    ]);
    const res = await upload(people.townshipSecretary, good).expect(201);
    expect(res.body).toMatchObject({ mode: 'all', rows: 2, imported: 2, rejected: [] });
    const wang = res.body.created.find((c: { username: string }) => c.username === `wang_${tag}`);
    const row = await h.dataSource.getRepository(AppUserEntity).findOneByOrFail({ username: `wang_${tag}` });
    expect({ role: row.role, cadreRank: row.cadreRank, mustChangePassword: row.mustChangePassword }).toEqual({ role: 'team_leader', cadreRank: 'section', mustChangePassword: true });
    await login(`wang_${tag}`, wang.oneTimePassword).expect(200);
    const [entry] = await h.dataSource.query(`SELECT actor_id, payload FROM audit_entry WHERE action = 'user.imported' AND payload->'usernames' ? $1`, [`wang_${tag}`]);
    expect(entry).toMatchObject({ actor_id: people.townshipSecretary.id, payload: { imported: 2 } });

    const template = await as(h.app, people.countyAdmin).get('/api/users/import/template.xlsx').buffer(true).parse(binary).expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(template.body as Parameters<typeof wb.xlsx.load>[0]);
    expect(wb.worksheets[0].getRow(1).values).toEqual([undefined, ...header]);
  });

  it('deactivates and reactivates, but never the last active county organization department account', async () => {
    const only = await as(h.app, people.countyAdmin).patch(`/api/users/${people.countyAdmin.id}`).send({ active: false }).expect(409);
    expect(only.body).toMatchObject({ code: 'LAST_COUNTY_ADMIN', message: expect.stringContaining('最后一名') });
    await as(h.app, people.countyAdmin).patch(`/api/users/${people.countyAdmin.id}`).send({ role: 'county_leader' }).expect(409);
    expect((await h.dataSource.getRepository(AppUserEntity).findOneByOrFail({ id: people.countyAdmin.id })).active).toBe(true);

    const second = await signedInUser(h.app, h.dataSource, 'county_org_admin', orgs.county.id, { name: '组织部干部乙' });
    await as(h.app, second).patch(`/api/users/${people.countyAdmin.id}`).send({ active: false }).expect(200);
    // Deactivated: the token stops working at once.
    await as(h.app, people.countyAdmin).get('/api/users').expect(401);
    expect((await as(h.app, second).patch(`/api/users/${second.id}`).send({ active: false }).expect(409)).body.code).toBe('LAST_COUNTY_ADMIN');
    const listed = await as(h.app, second).get('/api/users?includeInactive=true&roles=county_org_admin').expect(200);
    expect(listed.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ id: people.countyAdmin.id, active: false })]));
    await as(h.app, second).patch(`/api/users/${people.countyAdmin.id}`).send({ active: true }).expect(200);
    expect((await audit('user.deactivated', people.countyAdmin.id)).map((a) => a.actor_id)).toEqual([second.id]);
    expect((await audit('user.reactivated', people.countyAdmin.id)).map((a) => a.actor_id)).toEqual([second.id]);
  });
});
