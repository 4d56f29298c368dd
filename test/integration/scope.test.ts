import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { caseIdFor, ratingIdFor } from '../../libs/domain';
import { AuditEntryEntity, CountyPolicyEntity, RectificationCaseEntity, StarRatingEntity, TaskEntity } from '../../libs/persistence';
import { as, personas, type Personas, type TestUser } from '../support/auth';
import { addTownship, createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';

/**
 * Every endpoint of the API, taken from its own OpenAPI document (so a new endpoint is covered the day
 * it is added), called by people of another township and of another county about a case, county or
 * task that is not theirs: each answers 403 (role) or 404 (scope), never 2xx, and nothing changes.
 */
describe('region scope on every endpoint', () => {
  let h: Harness;
  let home: Personas;
  let caseId: string;
  let countyId: string;
  let taskKey: string;
  let ratingId: string;
  const outsiders: TestUser[] = [];
  /** Outsiders of another county: for county-level resources, same-county users are insiders. */
  const otherCounty = new Set<TestUser>();

  beforeAll(async () => {
    h = await startHarness();
    const a = await createRegionWithOrganizations(h.dataSource, 1);
    countyId = a.county.id;
    home = await personas(h.app, h.dataSource, { countyId, townshipId: a.township.id, villageId: a.organizations[0].regionId });
    const org = a.organizations[0];
    caseId = caseIdFor(org.id, 2026);
    await as(h.app, home.countyAdmin).post('/api/cases').send({ organizationId: org.id, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    taskKey = await eventually(async () => (await h.dataSource.getRepository(TaskEntity).findOneBy({ caseId }))?.key, 15000, 'a task');
    ratingId = ratingIdFor(org.id, 2026);
    await as(h.app, home.countyAdmin).post('/api/star-ratings').send({ organizationId: org.id, year: 2026 }).expect(201);

    // Another township of the same county, and another county: every role of each.
    const sameCounty = await addTownship(h.dataSource, a.county);
    const b = await personas(h.app, h.dataSource, { countyId, townshipId: sameCounty.township.id, villageId: sameCounty.village.id });
    outsiders.push(b.townshipSecretary, b.teamLeader, b.teamMember);
    const c = await createRegionWithOrganizations(h.dataSource, 1);
    const other = await personas(h.app, h.dataSource, { countyId: c.county.id, townshipId: c.township.id, villageId: c.organizations[0].regionId });
    outsiders.push(...Object.values(other));
    for (const u of Object.values(other)) otherCounty.add(u);
  });
  afterAll(() => h?.close());

  async function snapshot() {
    const row = await h.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: caseId });
    return {
      version: row.version,
      // This case's and this county's entries only: other test files write theirs at the same time.
      audit: await h.dataSource.getRepository(AuditEntryEntity).countBy({ caseId }),
      countyAudit: Number((await h.dataSource.query(`SELECT count(*) AS n FROM audit_entry WHERE payload->>'countyId' = $1`, [countyId]))[0].n),
      tasks: JSON.stringify(await h.dataSource.getRepository(TaskEntity).find({ where: { caseId }, order: { key: 'ASC' } })),
      policies: await h.dataSource.getRepository(CountyPolicyEntity).countBy({ countyId }),
      rating: (await h.dataSource.getRepository(StarRatingEntity).findOneByOrFail({ id: ratingId })).version,
      ratingAudit: Number((await h.dataSource.query(`SELECT count(*) AS n FROM audit_entry WHERE payload->>'ratingId' = $1`, [ratingId]))[0].n),
    };
  }

  function endpoints(): { method: string; path: string; template: string }[] {
    const doc = SwaggerModule.createDocument(h.app, new DocumentBuilder().build());
    const out: { method: string; path: string; template: string }[] = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
        if (!(item as Record<string, unknown>)[method]) continue;
        const path = template
          .replace('{id}', encodeURIComponent(template.startsWith('/api/star-ratings/') ? ratingId : caseId))
          .replace('{caseId}', encodeURIComponent(caseId))
          .replace('{countyId}', countyId)
          .replace('{key}', encodeURIComponent(taskKey))
          .replace(/\{[^}]+\}/g, 'p1');
        out.push({ method, path, template });
      }
    }
    return out;
  }

  it('covers the API: the OpenAPI document lists the endpoints', () => {
    const templates = endpoints().map((e) => `${e.method.toUpperCase()} ${e.template}`);
    expect(templates).toEqual(expect.arrayContaining(['POST /api/cases', 'GET /api/cases/{id}', 'GET /api/counties/{countyId}/policy']));
  });

  it("refuses outsiders everywhere — 403 or 404 on another's case, county or task; lists without it — and changes nothing", async () => {
    const before = await snapshot();
    const public_ = new Set(['POST /api/auth/login', 'GET /api/health']);
    const report: string[] = [];
    for (const e of endpoints()) {
      const name = `${e.method.toUpperCase()} ${e.template}`;
      if (public_.has(name)) continue;
      const aboutOne = /\{(id|caseId|countyId|key)\}/.test(e.template);
      const statuses: number[] = [];
      const callers = e.template.includes('{countyId}') ? outsiders.filter((u) => otherCounty.has(u)) : outsiders;
      for (const user of callers) {
        const res = await (as(h.app, user) as unknown as Record<string, (p: string) => { send: (b: unknown) => Promise<{ status: number; text: string }> }>)[e.method](e.path).send({});
        statuses.push(res.status);
        if (aboutOne) {
          if (![403, 404].includes(res.status)) report.push(`${name} as ${user.role}: ${res.status}`);
        } else {
          if (res.status >= 500) report.push(`${name} as ${user.role}: ${res.status}`);
          if (res.status < 300 && res.text.includes(caseId)) report.push(`${name} as ${user.role} shows the other township's case`);
        }
      }
      // Someone allowed by role still meets the region check: at least one 404 per endpoint about one thing.
      if (aboutOne && !statuses.includes(404) && !(e.method === 'get' && statuses.every((s) => s === 403))) {
        report.push(`${name}: no outsider got 404 (${statuses.join(',')})`);
      }
    }
    expect(report).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});
