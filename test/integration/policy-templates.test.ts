import { randomUUID } from 'node:crypto';
import { caseIdFor, DEFAULT_POLICY } from '../../libs/domain';
import { CountyPolicyEntity, PolicyTemplateEntity, RegionEntity } from '../../libs/persistence';
import { as, signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';

/**
 * Issue 17: a province or city organization department issues a policy template (政策模板) that its
 * counties inherit and may only tighten (GET/POST /api/regions/:regionId/policy-template).
 */
describe('province and city policy templates (GET/POST /api/regions/:regionId/policy-template)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const place = async (name: string, level: 'province' | 'city', parent: RegionEntity | null) => {
    const repo = h.dataSource.getRepository(RegionEntity);
    const id = randomUUID();
    return repo.save(repo.create({ id, code: `${level[0].toUpperCase()}${randomUUID().slice(0, 8)}`, name, level, parentId: parent?.id ?? null, path: `${parent ? parent.path : '/'}${id}/` }));
  };
  const county = async (parent: RegionEntity) => {
    const made = await createRegionWithOrganizations(h.dataSource, 1);
    await h.dataSource.getRepository(RegionEntity).update({ id: made.county.id }, { parentId: parent.id });
    const admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', made.county.id, { name: '县委组织部干部' });
    return { id: made.county.id, organization: made.organizations[0], admin };
  };

  /** A province (省) with two cities (市) under it, a county in the first city and one right under the province (省直管县). */
  const tree = async () => {
    const tag = randomUUID().slice(0, 4);
    const province = await place(`云岭省${tag}`, 'province', null);
    const city = await place(`青川市${tag}`, 'city', province);
    const otherCity = await place(`白石市${tag}`, 'city', province);
    return {
      province,
      city,
      otherCity,
      inCity: await county(city),
      underProvince: await county(province),
      inOtherCity: await county(otherCity),
      provinceUser: await signedInUser(h.app, h.dataSource, 'province_org_admin', province.id, { name: '冯处长' }),
      cityUser: await signedInUser(h.app, h.dataSource, 'city_org_admin', city.id, { name: '韩科长' }),
      otherCityUser: await signedInUser(h.app, h.dataSource, 'city_org_admin', otherCity.id, { name: '白科长' }),
    };
  };
  const template = (user: TestUser, regionId: string) => as(h.app, user).post(`/api/regions/${regionId}/policy-template`);
  const countyPolicy = (user: TestUser, countyId: string) => as(h.app, user).get(`/api/counties/${countyId}/policy`);
  const publish = (user: TestUser, countyId: string) => as(h.app, user).post(`/api/counties/${countyId}/policy`);
  const countyVersions = async (countyId: string) => (await h.dataSource.getRepository(CountyPolicyEntity).findBy({ countyId })).map((r) => r.version);

  it('gives a county that has published nothing its province’s template, and a case designated there runs under it', async () => {
    const t = await tree();
    const res = await template(t.provinceUser, t.province.id).send({ teamMinSize: 5, visitsPerQuarter: 2, note: '全省要求' }).expect(201);
    expect(res.body).toMatchObject({ regionId: t.province.id, level: 'province', version: 1, policy: { ...DEFAULT_POLICY, version: 1, teamMinSize: 5, visitsPerQuarter: 2 }, note: '全省要求', publishedBy: { id: t.provinceUser.id, name: '冯处长' } });
    expect((await as(h.app, t.provinceUser).get(`/api/regions/${t.province.id}/policy-template`).expect(200)).body).toMatchObject({ version: 1, policy: { teamMinSize: 5 } });

    const view = (await countyPolicy(t.underProvince.admin, t.underProvince.id).expect(200)).body;
    expect(view).toMatchObject({
      countyId: t.underProvince.id,
      version: 0,
      policy: { version: 0, teamMinSize: 5, visitsPerQuarter: 2, secretaryDeadlineMonths: 3 },
      template: { regionId: t.province.id, regionName: t.province.name, level: 'province', version: 1 },
      looserThanTemplate: [],
    });

    const org = t.underProvince.organization;
    await as(h.app, t.underProvince.admin).post('/api/cases').send({ organizationId: org.id, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    const live = await eventually(async () => (await as(h.app, t.underProvince.admin).get(`/api/cases/${caseIdFor(org.id, 2026)}`).expect(200)).body.live);
    expect(live.policy).toMatchObject({ version: 0, teamMinSize: 5, visitsPerQuarter: 2 });
  });

  it('refuses a county loosening the template with 422 naming the field and the template’s region, and accepts tightening', async () => {
    const t = await tree();
    await template(t.provinceUser, t.province.id).send({ teamMinSize: 5, escalationDaysOverdue: { interview: 20 } }).expect(201);
    const loose = await publish(t.underProvince.admin, t.underProvince.id).send({ teamMinSize: 4, escalationDaysOverdue: { interview: 25 } }).expect(422);
    expect(loose.body).toMatchObject({ statusCode: 422, code: 'POLICY_LOOSER_THAN_TEMPLATE' });
    expect(loose.body.message).toContain(`整建队伍最少人数（teamMinSize）不得少于上级模板（${t.province.name}政策模板）`);
    expect(loose.body.message).toContain('约谈的逾期天数（escalationDaysOverdue.interview）');
    expect(loose.body.details.fields).toEqual([
      expect.objectContaining({ field: 'teamMinSize', regionId: t.province.id, regionName: t.province.name }),
      expect.objectContaining({ field: 'escalationDaysOverdue.interview', regionId: t.province.id }),
    ]);
    expect(await countyVersions(t.underProvince.id)).toEqual([]);
    // The seed floors still come first: below 3 is the seeds' refusal, not the template's.
    await publish(t.underProvince.admin, t.underProvince.id).send({ teamMinSize: 2 }).expect(400);

    const tight = await publish(t.underProvince.admin, t.underProvince.id).send({ teamMinSize: 6 }).expect(201);
    // The first version is built on the template: its other numbers come along.
    expect(tight.body).toMatchObject({ version: 1, policy: { teamMinSize: 6, escalationDaysOverdue: { interview: 20 } }, looserThanTemplate: [] });
  });

  it('lets a city’s template override its province’s for the city’s counties, tightening it only', async () => {
    const t = await tree();
    await template(t.provinceUser, t.province.id).send({ teamMinSize: 5, visitsPerQuarter: 2 }).expect(201);
    const loose = await template(t.cityUser, t.city.id).send({ visitsPerQuarter: 1 }).expect(422);
    expect(loose.body.message).toContain(`${t.province.name}政策模板`);
    expect(loose.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['visitsPerQuarter']);

    const city = await template(t.cityUser, t.city.id).send({ teamMinSize: 7 }).expect(201);
    expect(city.body).toMatchObject({ level: 'city', version: 1, policy: { teamMinSize: 7, visitsPerQuarter: 2 }, template: { regionId: t.province.id } });

    expect((await countyPolicy(t.inCity.admin, t.inCity.id).expect(200)).body).toMatchObject({
      version: 0,
      policy: { teamMinSize: 7, visitsPerQuarter: 2 },
      template: { regionId: t.city.id, regionName: t.city.name, level: 'city', levelLabel: '市（州）' },
    });
    // A county of another city, and one right under the province, keep the province's.
    for (const c of [t.inOtherCity, t.underProvince]) {
      expect((await countyPolicy(c.admin, c.id).expect(200)).body).toMatchObject({ policy: { teamMinSize: 5 }, template: { regionId: t.province.id } });
    }
    const refused = await publish(t.inCity.admin, t.inCity.id).send({ teamMinSize: 6 }).expect(422);
    expect(refused.body.details.fields).toEqual([expect.objectContaining({ field: 'teamMinSize', regionId: t.city.id, regionName: t.city.name })]);
    // A case designated in the city's county runs under the city's template, the nearer one (its id given in capitals).
    const org = t.inCity.organization;
    const designated = await as(h.app, t.inCity.admin).post('/api/cases').send({ organizationId: org.id.toUpperCase(), batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    expect(designated.body.id).toBe(caseIdFor(org.id, 2026));
    expect(designated.body.live.policy).toMatchObject({ version: 0, teamMinSize: 7, visitsPerQuarter: 2 });
  });

  it('lets no one publish a template but the region’s own organization department', async () => {
    const t = await tree();
    for (const regionId of [t.province.id, t.otherCity.id]) {
      const res = await template(t.cityUser, regionId).send({ teamMinSize: 5 }).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404, message: expect.stringContaining('不在您的辖区内') });
    }
    await as(h.app, t.cityUser).get(`/api/regions/${t.province.id}/policy-template`).expect(404);
    // The province sees its cities' templates, but the city's own organization department publishes it.
    await as(h.app, t.provinceUser).get(`/api/regions/${t.city.id}/policy-template`).expect(200);
    expect((await template(t.provinceUser, t.city.id).send({ teamMinSize: 5 }).expect(403)).body.code).toBe('POLICY_TEMPLATE_NOT_OWN_REGION');
    // A county is not a province or city; a county's organization department publishes no template.
    expect((await as(h.app, t.provinceUser).get(`/api/regions/${t.underProvince.id}/policy-template`).expect(404)).body.code).toBe('POLICY_TEMPLATE_REGION_NOT_FOUND');
    await template(t.inCity.admin, t.city.id).send({ teamMinSize: 5 }).expect(403);
    await as(h.app, t.inCity.admin).get(`/api/regions/${t.city.id}/policy-template`).expect(404);
    expect(await h.dataSource.getRepository(PolicyTemplateEntity).countBy([{ regionId: t.province.id }, { regionId: t.city.id }, { regionId: t.otherCity.id }])).toBe(0);
  });

  it('keeps a county’s earlier policy when a template comes later, shows where it is looser, and makes its next version comply', async () => {
    const t = await tree();
    await publish(t.inOtherCity.admin, t.inOtherCity.id).send({ teamMinSize: 4, secretaryDeadlineMonths: 2 }).expect(201);
    await template(t.otherCityUser, t.otherCity.id).send({ teamMinSize: 5, visitsPerQuarter: 2 }).expect(201);

    const view = (await countyPolicy(t.inOtherCity.admin, t.inOtherCity.id).expect(200)).body;
    expect(view).toMatchObject({ version: 1, policy: { teamMinSize: 4, visitsPerQuarter: 1, secretaryDeadlineMonths: 2 }, template: { regionId: t.otherCity.id, version: 1 } });
    expect(view.looserThanTemplate).toEqual([
      expect.objectContaining({ field: 'teamMinSize', regionName: t.otherCity.name, zh: expect.stringContaining('整建队伍最少人数') }),
      expect.objectContaining({ field: 'visitsPerQuarter', regionName: t.otherCity.name }),
    ]);
    // The city above reads it too (read-only).
    expect((await countyPolicy(t.otherCityUser, t.inOtherCity.id).expect(200)).body.looserThanTemplate).toHaveLength(2);

    const half = await publish(t.inOtherCity.admin, t.inOtherCity.id).send({ teamMinSize: 5 }).expect(422);
    expect(half.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['visitsPerQuarter']);
    const ok = await publish(t.inOtherCity.admin, t.inOtherCity.id).send({ teamMinSize: 5, visitsPerQuarter: 3 }).expect(201);
    // Its own tighter number (2 months) stays.
    expect(ok.body).toMatchObject({ version: 2, policy: { teamMinSize: 5, visitsPerQuarter: 3, secretaryDeadlineMonths: 2 }, looserThanTemplate: [] });
  });

  it('writes an audit row for each template published, none for a refused one', async () => {
    const t = await tree();
    await template(t.provinceUser, t.province.id).send({ teamMinSize: 5 }).expect(201);
    await template(t.provinceUser, t.province.id).send({ teamMinSize: 2 }).expect(400);
    await template(t.provinceUser, t.province.id).send({ secretaryDeadlineMonths: 2 }).expect(201);
    const rows: { actor_id: string; actor: string; action: string; payload: { version: number; regionName: string } }[] = await h.dataSource.query(
      `SELECT actor_id, actor, action, payload FROM audit_entry WHERE action = 'policy_template.published' AND payload->>'regionId' = $1 ORDER BY occurred_at, id`,
      [t.province.id],
    );
    expect(rows.map((r) => [r.actor_id, r.actor, r.payload.version, r.payload.regionName])).toEqual([
      [t.provinceUser.id, '冯处长', 1, t.province.name],
      [t.provinceUser.id, '冯处长', 2, t.province.name],
    ]);
  });
});
