import type { Rollup } from '../../apps/api/src/dashboard/rollup.service';
import { RegionEntity } from '../../libs/persistence';
import { firstSignIn, printedPassword, runAdminCli } from '../support/admin-cli';
import { as } from '../support/auth';
import { startHarness, testConfig, type Harness } from '../support/harness';

const postgres = require('../../scripts/lib/postgres');

/**
 * Issue 17: a real province sets itself up without SQL. The command creates the province and its first
 * account; over HTTP the province's organization department creates a city, its department's account,
 * and places a county (made on its own by create-county) under the city; the city's department then
 * sees that county in its region tree and roll-up. Codes are checked against levels and parents.
 * The database is this file's own, so the statistical codes (98…, which no real province uses) are fixed.
 */
describe('regions above the county: a province, its city and a county placed under it', () => {
  const name = `rectification_regions_above_${Date.now()}`;
  const adminUrl = process.env.DATABASE_URL as string;
  const url = postgres.withDatabase(adminUrl, name);
  let h: Harness;
  let provinceUser: { token: string };
  let countyUser: { token: string };
  let cityUser: { token: string };
  let province: RegionEntity;
  let county: RegionEntity;
  let city: { id: string; code: string; name: string };
  const audit = (action: string) => h.dataSource.query(`SELECT actor, payload FROM audit_entry WHERE action = $1 ORDER BY id`, [action]);

  beforeAll(async () => {
    await postgres.ensureDatabase(adminUrl, name);
    const made = await runAdminCli(url, ['create-region', '--level', 'province', '--name', '测试省', '--code', '980000000000', '--admin-username', 'sheng_zzb', '--admin-name', '冯处长']);
    expect(made).toMatchObject({ status: 0, err: '' });
    expect(made.out).toContain('已创建省（自治区、直辖市）：测试省（980000000000）');
    // Two counties of its code made on their own, and one of another province.
    const own = await runAdminCli(url, ['create-county', '--name', '乙县', '--code', '980102000000', '--admin-username', 'yi_zzb', '--admin-name', '王组织']);
    expect(own.status).toBe(0);
    expect((await runAdminCli(url, ['create-county', '--name', '外省县', '--code', '970101000000', '--admin-username', 'wai_zzb', '--admin-name', '外组织'])).status).toBe(0);

    h = await startHarness(testConfig({ DATABASE_URL: url }));
    provinceUser = await firstSignIn(h.app, 'sheng_zzb', printedPassword(made.out));
    countyUser = await firstSignIn(h.app, 'yi_zzb', printedPassword(own.out));
    province = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '980000000000' });
    county = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '980102000000' });
  });
  afterAll(async () => {
    await h?.close();
    await postgres.dropDatabase(adminUrl, name);
  });

  it('the province creates a city of its own code over HTTP, audited; wrong codes and other roles are refused', async () => {
    const created = await as(h.app, provinceUser).post('/api/regions/cities').send({ code: '980100000000', name: '甲市' }).expect(201);
    expect(created.body).toMatchObject({ code: '980100000000', name: '甲市', level: 'city', parentId: province.id });
    city = created.body;
    const [entry] = await audit('city.created');
    expect(entry.actor).toBe('冯处长');
    expect(entry.payload).toMatchObject({ code: '980100000000', name: '甲市', parentName: '测试省' });

    const refused = async (code: string) => (await as(h.app, provinceUser).post('/api/regions/cities').send({ code, name: '错市' }).expect(400)).body;
    expect(await refused('980000000000')).toMatchObject({ code: 'REGION_CODE_INVALID', message: expect.stringContaining('不是市（州）代码') });
    expect((await refused('980102000000')).message).toContain('而是县（区）代码');
    expect((await refused('970100000000')).message).toContain('不在上级区划');
    expect((await as(h.app, provinceUser).post('/api/regions/cities').send({ code: '9801', name: '短' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await as(h.app, provinceUser).post('/api/regions/cities').send({ code: '980100000000', name: '重复' }).expect(409)).body.code).toBe('REGION_CODE_TAKEN');
    await as(h.app, countyUser).post('/api/regions/cities').send({ code: '980200000000', name: '丙市' }).expect(403);
    expect(await h.dataSource.getRepository(RegionEntity).countBy({ level: 'city' })).toBe(1);
  });

  it("the province makes its own and its city's department accounts, the city its own; nothing above or below their level", async () => {
    const user = (body: object, who = provinceUser) => as(h.app, who).post('/api/users').send(body);
    const cityAdmin = await user({ username: 'shi_zzb', name: '韩科长', role: 'city_org_admin', regionId: city.id }).expect(201);
    expect(cityAdmin.body.user).toMatchObject({ role: 'city_org_admin', regionName: '甲市', oneTimeCredential: true });
    cityUser = await firstSignIn(h.app, 'shi_zzb', cityAdmin.body.oneTimePassword);
    await user({ username: 'sheng_zzb2', name: '省干部', role: 'province_org_admin', regionId: province.id }).expect(201);

    expect((await user({ username: 'x1', name: '某', role: 'county_org_admin', regionId: city.id }).expect(400)).body.code).toBe('ROLE_REGION_MISMATCH');
    expect((await user({ username: 'x2', name: '某', role: 'county_org_admin', regionId: county.id }).expect(404)).body.code).toBe('REGION_NOT_FOUND');
    expect((await user({ username: 'x3', name: '某', role: 'province_org_admin', regionId: province.id }, cityUser).expect(404)).body.code).toBe('REGION_NOT_FOUND');
    expect((await user({ username: 'x4', name: '某', role: 'city_org_admin', regionId: city.id }, countyUser).expect(404)).body.code).toBe('REGION_NOT_FOUND');
    await user({ username: 'shi_zzb2', name: '市干部', role: 'city_org_admin', regionId: city.id }, cityUser).expect(201);

    const listed = (await as(h.app, provinceUser).get('/api/users').expect(200)).body.items.map((u: { username: string }) => u.username).sort();
    expect(listed).toEqual(['sheng_zzb', 'sheng_zzb2', 'shi_zzb', 'shi_zzb2']);
    expect((await as(h.app, cityUser).get('/api/users').expect(200)).body.items.map((u: { username: string }) => u.username).sort()).toEqual(['shi_zzb', 'shi_zzb2']);
  });

  it('places a county of its code under the city once; the city then sees it in its tree and roll-up', async () => {
    const before = (await as(h.app, cityUser).get('/api/dashboard/rollup').expect(200)).body as Rollup;
    expect(before.rows).toEqual([]);
    const unplaced = (await as(h.app, provinceUser).get('/api/regions/unplaced-counties').expect(200)).body.items;
    expect(unplaced).toEqual([{ id: county.id, code: '980102000000', name: '乙县' }]);

    const placed = await as(h.app, provinceUser).post(`/api/regions/${city.id}/counties`).send({ code: '980102000000' }).expect(200);
    expect(placed.body).toMatchObject({ id: county.id, level: 'county', parentId: city.id });
    await as(h.app, provinceUser).post(`/api/regions/${city.id}/counties`).send({ code: '980102000000' }).expect(200);
    const entries = await audit('county.attached');
    expect(entries).toHaveLength(1);
    expect(entries[0].payload).toMatchObject({ countyId: county.id, countyName: '乙县', parentName: '甲市' });
    expect((await as(h.app, provinceUser).get('/api/regions/unplaced-counties').expect(200)).body.items).toEqual([]);

    const rollup = (await as(h.app, cityUser).get('/api/dashboard/rollup').expect(200)).body as Rollup;
    expect(rollup.region).toMatchObject({ id: city.id, level: 'city' });
    expect(rollup.rows).toEqual([expect.objectContaining({ regionId: county.id, name: '乙县', level: 'county', cases: 0 })]);
    const cityTree = (await as(h.app, cityUser).get('/api/regions').expect(200)).body.root;
    expect(cityTree).toMatchObject({ id: city.id, level: 'city', users: 2, children: [{ id: county.id, name: '乙县', level: 'county', children: [] }] });
    const provinceTree = (await as(h.app, provinceUser).get('/api/regions').expect(200)).body.root;
    expect(provinceTree).toMatchObject({ id: province.id, children: [{ id: city.id, children: [{ id: county.id }] }] });
    // The county's own people see their county as before.
    expect((await as(h.app, countyUser).get('/api/regions').expect(200)).body.root).toMatchObject({ id: county.id, parentId: city.id });
  });

  it('refuses counties outside the city, unknown ones, another holder, and targets that are not the province or its city', async () => {
    const place = (target: string, code: string) => as(h.app, provinceUser).post(`/api/regions/${target}/counties`).send({ code });
    expect((await place(city.id, '970101000000').expect(400)).body).toMatchObject({ code: 'REGION_CODE_INVALID', message: expect.stringContaining('不在上级区划') });
    expect((await place(city.id, '980100000000').expect(400)).body.message).toContain('不是县（区）代码');
    expect((await place(city.id, '980103000000').expect(404)).body.message).toContain('尚未建立');
    expect((await place(county.id, '980102000000').expect(400)).body.code).toBe('REGION_NOT_A_PARENT');
    const foreign = await h.dataSource.getRepository(RegionEntity).findOneByOrFail({ code: '970101000000' });
    await place(foreign.id, '970101000000').expect(404);
    await as(h.app, cityUser).post(`/api/regions/${city.id}/counties`).send({ code: '980102000000' }).expect(403);

    // A county right under the province (省直管县) moves into the city; one held by another region is refused.
    const direct = await runAdminCli(url, ['create-county', '--name', '丁县', '--code', '980104000000', '--parent-code', '980000000000', '--admin-username', 'ding_zzb', '--admin-name', '丁组织']);
    expect(direct.status).toBe(0);
    expect((await place(city.id, '980104000000').expect(200)).body.parentId).toBe(city.id);
    const [moved] = (await audit('county.attached')).slice(-1);
    expect(moved.payload).toMatchObject({ countyName: '丁县', beforeName: '测试省' });
    expect((await runAdminCli(url, ['create-county', '--name', '戊县', '--code', '980105000000', '--admin-username', 'wu_zzb', '--admin-name', '戊组织'])).status).toBe(0);
    await h.dataSource.query(`UPDATE region SET parent_id = $1 WHERE code = '980105000000'`, [foreign.id]);
    expect((await place(city.id, '980105000000').expect(409)).body).toMatchObject({ code: 'COUNTY_ATTACHED_ELSEWHERE', message: expect.stringContaining('已属于外省县') });
  });
});
