import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Workbook } from 'exceljs';
import { randomUUID } from 'node:crypto';
import type request from 'supertest';
import { caseIdFor, ratingIdFor } from '../../libs/domain';
import { AuditEntryEntity, CountyPolicyEntity, EscalationEntity, NotificationEntity, RectificationCaseEntity, RegionEntity, StarRatingEntity, TaskEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
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
  /** What of the home township no one outside it may see in a list: ids, keys, codes, unique names. */
  const townshipSecrets: string[] = [];
  /** What of the home county no one of another county may see: the township's, and the county's own. */
  const countySecrets: string[] = [];
  let townshipId: string;
  let organizationId: string;
  /** Of those, what the home county's own lists show (so that searching for them can find anything). */
  const shownAtHome: string[] = [];

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
    townshipId = a.township.id;
    organizationId = org.id;

    // A channel, an inbox notice and an escalation of the home township, for the lists to (not) show.
    const channel = await as(h.app, home.countyAdmin).post(`/api/townships/${townshipId}/channels`).send({ kind: 'webhook', name: `渠道${randomUUID().slice(0, 8)}`, url: 'https://hooks.example.invalid/x' }).expect(201);
    const notice = { caseId, deadlineKey: `scope:${randomUUID()}`, kind: 'quarter_visit' as const, title: '调研指导提醒', organizationName: org.name };
    const notification = await h.dataSource.getRepository(NotificationEntity).save({ ...notice, key: `scope:${randomUUID()}`, userId: home.countyAdmin.id, noticeKey: notice.deadlineKey, rung: 'reminder', body: '本季度尚未开展调研指导' });
    const escalation = await h.dataSource.getRepository(EscalationEntity).save({
      ...notice,
      key: `scope:${randomUUID()}`,
      countyId,
      townshipId,
      rung: 'supervision',
      reason: '逾期未开展调研指导',
      deadline: '2026-03-31',
      daysOverdue: 1,
      recipients: { recipients: [], userIds: [home.townshipSecretary.id] },
      raisedAt: new Date(),
    });
    const taskKeys = (await h.dataSource.getRepository(TaskEntity).findBy({ caseId })).map((t) => t.key);
    shownAtHome.push(caseId, org.id, org.code, townshipId, a.township.name, channel.body.id, channel.body.name, notification.id, escalation.id);
    townshipSecrets.push(caseId, ratingId, org.id, org.code, townshipId, a.township.code, a.township.name, channel.body.id, channel.body.name, notification.id, escalation.id, ...taskKeys);
    townshipSecrets.push(...[home.townshipSecretary, home.teamLeader, home.teamMember].flatMap((u) => [u.id, u.username]));
    countySecrets.push(...townshipSecrets, countyId, a.county.code, a.county.name, ...[home.countyAdmin, home.countySecretary, home.countyLeader, home.inspector].flatMap((u) => [u.id, u.username]));

    // Another township of the same county, and another county: every role of each.
    const sameCounty = await addTownship(h.dataSource, a.county);
    const b = await personas(h.app, h.dataSource, { countyId, townshipId: sameCounty.township.id, villageId: sameCounty.village.id });
    outsiders.push(b.townshipSecretary, b.teamLeader, b.teamMember);
    const c = await createRegionWithOrganizations(h.dataSource, 1);
    const other = await personas(h.app, h.dataSource, { countyId: c.county.id, townshipId: c.township.id, villageId: c.organizations[0].regionId });
    outsiders.push(...Object.values(other));
    for (const u of Object.values(other)) otherCounty.add(u);
    // Above the county: the organization department of a province the home county does not lie in.
    const provinceId = randomUUID();
    await h.dataSource.getRepository(RegionEntity).save({ id: provinceId, code: `P${provinceId.slice(0, 8)}`, name: '外省', level: 'province', parentId: null, path: `/${provinceId}/` });
    const province = await signedInUser(h.app, h.dataSource, 'province_org_admin', provinceId, { name: '外省组织部' });
    outsiders.push(province);
    otherCounty.add(province);
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
    // The caller's own account, in no region; signing out or changing the password would also end the outsider's session for the rest.
    const ownAccount = new Set(['POST /api/auth/logout', 'POST /api/auth/password']);
    const report: string[] = [];
    for (const e of endpoints()) {
      const name = `${e.method.toUpperCase()} ${e.template}`;
      if (public_.has(name) || ownAccount.has(name)) continue;
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

  /** A response as text: spreadsheets read cell by cell. */
  async function textOf(res: request.Response): Promise<string> {
    if (!Buffer.isBuffer(res.body)) return res.text ?? '';
    if (!/spreadsheetml/.test(String(res.headers['content-type']))) return res.body.toString('utf8');
    const wb = new Workbook();
    await wb.xlsx.load(res.body as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text)))));
    return cells.join('\n');
  }

  const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  };

  it("lists, dashboards and spreadsheets never show another region's rows: no id, key, code or name of them, even when asked for them by query", async () => {
    const doc = SwaggerModule.createDocument(h.app, new DocumentBuilder().build());
    const report: string[] = [];
    const seenAtHome = new Set<string>();
    const homeQuery: Record<string, string> = { townshipId, caseId, countyId, organizationId, year: '2026', batchYear: '2026' };
    for (const [template, item] of Object.entries(doc.paths)) {
      const operation = (item as { get?: { parameters?: { name: string; in: string }[] } }).get;
      if (!operation || /\{(id|caseId|countyId|key)\}/.test(template) || template === '/api/health') continue;
      const path = template.replace('{townshipId}', townshipId).replace(/\{(batchYear|year)\}/, '2026').replace(/\{[^}]+\}/g, 'p1');
      const asked = (operation.parameters ?? []).filter((p) => p.in === 'query' && homeQuery[p.name]).map((p) => `${p.name}=${encodeURIComponent(homeQuery[p.name])}`);
      for (const url of [path, ...(asked.length ? [`${path}?${asked.join('&')}`] : [])]) {
        // The home county's own admin sees them (so the search below can find them at all).
        const own = await as(h.app, home.countyAdmin).get(url).buffer(true).parse(binary);
        if (own.status < 300) {
          const body = await textOf(own);
          for (const secret of countySecrets) if (body.includes(secret)) seenAtHome.add(secret);
        }
        for (const user of outsiders) {
          const res = await as(h.app, user).get(url).buffer(true).parse(binary);
          if (res.status >= 500) report.push(`GET ${url} as ${user.role}: ${res.status}`);
          if (res.status >= 300) continue;
          const body = await textOf(res);
          const secrets = otherCounty.has(user) ? countySecrets : townshipSecrets;
          const seen = secrets.filter((secret) => body.includes(secret));
          if (seen.length > 0) report.push(`GET ${url} as ${user.role} of ${otherCounty.has(user) ? 'another county' : 'another township'} shows ${seen.join(', ')}`);
        }
      }
    }
    expect(report).toEqual([]);
    // The case, the organization, the township, its channel, the inbox notice and the escalation do show at home.
    expect([...seenAtHome]).toEqual(expect.arrayContaining(shownAtHome));
  });
});
