import { randomUUID } from 'node:crypto';
import { Workbook } from 'exceljs';
import type { Rollup } from '../../apps/api/src/dashboard/rollup.service';
import { RegionEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/**
 * Issue 17 item 1: a province and a city organization department above the county see their counties,
 * read-only, as a roll-up (a row per region one level down) they drill from province to city to county to
 * township to case, with an export at each level; nothing outside their region.
 */
describe('regions above the county: the roll-up (GET /api/dashboard/rollup)', () => {
  let h: Harness;
  let province: RegionEntity;
  let city: RegionEntity;
  let inCity: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let underProvince: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let elsewhere: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;
  let provinceUser: TestUser;
  let cityUser: TestUser;
  let otherCityUser: TestUser;
  let started: HttpPlaybook;
  const year = 2026;

  const place = async (name: string, level: 'province' | 'city', parent: RegionEntity | null) => {
    const repo = h.dataSource.getRepository(RegionEntity);
    const id = randomUUID();
    return repo.save(repo.create({ id, code: `${level[0].toUpperCase()}${randomUUID().slice(0, 8)}`, name, level, parentId: parent?.id ?? null, path: `${parent ? parent.path : '/'}${id}/` }));
  };

  beforeAll(async () => {
    h = await startHarness();
    province = await place('测试省', 'province', null);
    city = await place('测试市', 'city', province);
    const otherCity = await place('另一市', 'city', province);
    inCity = await createRegionWithOrganizations(h.dataSource, 3);
    underProvince = await createRegionWithOrganizations(h.dataSource, 1);
    elsewhere = await createRegionWithOrganizations(h.dataSource, 1);
    await h.dataSource.getRepository(RegionEntity).update({ id: inCity.county.id }, { parentId: city.id });
    await h.dataSource.getRepository(RegionEntity).update({ id: underProvince.county.id }, { parentId: province.id });
    people = await personas(h.app, h.dataSource, { countyId: inCity.county.id, townshipId: inCity.township.id, villageId: inCity.organizations[0].regionId });
    provinceUser = await signedInUser(h.app, h.dataSource, 'province_org_admin', province.id, { name: '省委组织部干部' });
    cityUser = await signedInUser(h.app, h.dataSource, 'city_org_admin', city.id, { name: '市委组织部干部' });
    otherCityUser = await signedInUser(h.app, h.dataSource, 'city_org_admin', otherCity.id, { name: '另一市干部' });

    started = await HttpPlaybook.designate(h.app, h.dataSource, people, inCity.organizations[0], year);
    await started.start();
    await HttpPlaybook.designate(h.app, h.dataSource, people, inCity.organizations[1], year);
    const other = await personas(h.app, h.dataSource, { countyId: underProvince.county.id, townshipId: underProvince.township.id, villageId: underProvince.organizations[0].regionId });
    await HttpPlaybook.designate(h.app, h.dataSource, other, underProvince.organizations[0], year);
    const outside = await personas(h.app, h.dataSource, { countyId: elsewhere.county.id, townshipId: elsewhere.township.id, villageId: elsewhere.organizations[0].regionId });
    await HttpPlaybook.designate(h.app, h.dataSource, outside, elsewhere.organizations[0], year);
    await eventually(async () => {
      const [row] = await h.dataSource.query(`SELECT stage FROM rectification_case WHERE id = $1`, [started.caseId]);
      return row?.stage === 'rectifying' ? row : undefined;
    });
  });
  afterAll(() => h?.close());

  const rollup = async (user: TestUser, regionId?: string) =>
    (await as(h.app, user).get(`/api/dashboard/rollup?batchYear=${year}${regionId ? `&regionId=${regionId}` : ''}`).expect(200)).body as Rollup;

  it('shows the province its cities and the counties right under it, with the cases of each, and nothing of other provinces', async () => {
    const body = await rollup(provinceUser);
    expect(body.region).toMatchObject({ id: province.id, level: 'province', levelLabel: '省（自治区、直辖市）' });
    const byName = new Map(body.rows.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(['另一市', '测试市', underProvince.county.name].sort());
    expect(byName.get('测试市')).toMatchObject({ level: 'city', cases: 2, stages: { designated: 1, rectifying: 1 } });
    expect(byName.get(underProvince.county.name)).toMatchObject({ level: 'county', cases: 1 });
    expect(byName.get('另一市')).toMatchObject({ cases: 0 });
    expect(body.totals.cases).toBe(3);
    expect(body.totals.outlook.converted + body.totals.outlook.on_track + body.totals.outlook.at_risk + body.totals.outlook.will_miss + body.totals.outlook.would_pass_now).toBe(3);
  });

  it('drills from the province to the city, the county, the township and the case, as the province user', async () => {
    const cityView = await rollup(provinceUser, city.id);
    expect(cityView.parent).toMatchObject({ id: province.id });
    expect(cityView.rows.map((r) => [r.name, r.level, r.cases])).toEqual([[inCity.county.name, 'county', 2]]);
    const countyView = await rollup(provinceUser, inCity.county.id);
    expect(countyView.rows.map((r) => [r.name, r.level, r.cases])).toEqual([[inCity.township.name, 'township', 2]]);

    const county = (await as(h.app, provinceUser).get(`/api/dashboard/overview?batchYear=${year}&countyId=${inCity.county.id}`).expect(200)).body;
    expect(county.scope).toMatchObject({ level: 'county', regionId: inCity.county.id });
    expect(county.total).toBe(2);
    const township = (await as(h.app, provinceUser).get(`/api/dashboard/overview?batchYear=${year}&townshipId=${inCity.township.id}`).expect(200)).body;
    expect(township.townships[0].matrix.map((m: { caseId: string }) => m.caseId)).toContain(started.caseId);
    const theCase = (await as(h.app, provinceUser).get(`/api/cases/${started.caseId}`).expect(200)).body;
    expect(JSON.stringify(theCase)).toContain(inCity.organizations[0].name);
  });

  it('shows the city only its own counties, and 404 for the province, another city or a county outside', async () => {
    const body = await rollup(cityUser);
    expect(body.rows.map((r) => r.name)).toEqual([inCity.county.name]);
    expect(body.totals.cases).toBe(2);
    for (const id of [province.id, underProvince.county.id, elsewhere.county.id]) {
      const res = await as(h.app, cityUser).get(`/api/dashboard/rollup?regionId=${id}`).expect(404);
      expect(res.body.code).toBe('REGION_NOT_FOUND');
    }
    expect((await rollup(otherCityUser)).totals.cases).toBe(0);
    await as(h.app, otherCityUser).get(`/api/cases/${started.caseId}`).expect(404);
    await as(h.app, otherCityUser).get(`/api/dashboard/overview?countyId=${inCity.county.id}`).expect(404);
    await as(h.app, provinceUser).get(`/api/dashboard/overview?countyId=${elsewhere.county.id}`).expect(404);
  });

  it("gives a county's organization department the roll-up of its townships, and no other county's", async () => {
    const body = await rollup(people.countyAdmin);
    expect(body.region.id).toBe(inCity.county.id);
    expect(body.rows.map((r) => [r.name, r.cases])).toEqual([[inCity.township.name, 2]]);
    await as(h.app, people.countyAdmin).get(`/api/dashboard/rollup?regionId=${city.id}`).expect(404);
  });

  it('keeps the levels above the county read-only on cases', async () => {
    const res = await as(h.app, provinceUser).post(`/api/cases/${started.caseId}/problems`).send({ problems: [{ description: '问题', reasonCode: 'C4', cureTag: '治散', rootCause: '根源', evidence: '佐证' }] });
    expect([403, 404]).toContain(res.status);
  });

  it('exports the roll-up at each level as Excel, a row per region and the total', async () => {
    const res = await as(h.app, provinceUser)
      .get(`/api/dashboard/rollup/export.xlsx?batchYear=${year}&regionId=${city.id}`)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(1).getCell(1).value).toBe('区划');
    expect(sheet.getRow(2).getCell(1).value).toBe(inCity.county.name);
    expect(sheet.getRow(2).getCell(3).value).toBe(2);
    expect(String(sheet.getRow(3).getCell(1).value)).toContain('合计');
  });
});
