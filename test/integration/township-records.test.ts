import { Workbook } from 'exceljs';
import request from 'supertest';
import { addDays, type EscalationRung } from '../../libs/domain';
import type { LeagueTable, TownshipRecord, TownshipRecordList } from '../../libs/http';
import { AuditEntryEntity, EscalationEntity, type OrganizationEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { addTownship, createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe("the township's record and the county league table (issue 18 item 5)", () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let second: Awaited<ReturnType<typeof addTownship>>;
  let empty: Awaited<ReturnType<typeof addTownship>>;
  let people: Personas;
  let secondSecretary: TestUser;
  let stranger: TestUser;
  const year = Number(todayInShanghai().slice(0, 4));
  const today = todayInShanghai();
  let firstTownshipCases: HttpPlaybook[];

  const escalate = async (caseId: string, org: OrganizationEntity, rung: EscalationRung) => {
    const repo = h.dataSource.getRepository(EscalationEntity);
    await repo.save(
      repo.create({
        key: `${caseId}:secretary:${rung}:record`,
        caseId,
        countyId: org.countyId,
        townshipId: org.townshipId,
        organizationName: org.name,
        deadlineKey: 'secretary',
        kind: 'secretary',
        rung,
        title: `为${org.name}选配合格的党支部书记`,
        reason: '选配党支部书记已逾期',
        deadline: addDays(today, -15),
        daysOverdue: 15,
        recipients: { recipients: [], userIds: [] },
        raisedAt: new Date(),
      }),
    );
  };

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    second = await addTownship(h.dataSource, orgs.county);
    empty = await addTownship(h.dataSource, orgs.county);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    secondSecretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', second.township.id, { name: '二镇书记' });
    const strangerCounty = await createRegionWithOrganizations(h.dataSource, 1);
    stranger = await signedInUser(h.app, h.dataSource, 'county_org_admin', strangerCounty.county.id, { name: '外县组织部' });

    // The first township: one case converted on time (1 visit), one rectifying (1 visit) with a 督办.
    const converted = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], year);
    await converted.start();
    await converted.completePlaybook();
    await converted.requestAcceptance();
    await converted.accept();
    const rectifying = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[1], year, ['C1']);
    await rectifying.start();
    await rectifying.visit();
    await escalate(rectifying.caseId, orgs.organizations[1], 'supervision');
    firstTownshipCases = [converted, rectifying];
    // The second township: one case, not started, climbed to 约谈.
    const late = await HttpPlaybook.designate(h.app, h.dataSource, people, second.organization, year);
    for (const rung of ['supervision', 'public_notice', 'interview'] as const) await escalate(late.caseId, second.organization, rung);
  }, 300000);
  afterAll(() => h?.close());

  const records = async (user: TestUser, query = `year=${year}`) => (await as(h.app, user).get(`/api/township-records?${query}`).expect(200)).body as TownshipRecordList;
  const league = async (user: TestUser) => (await as(h.app, user).get(`/api/township-records/league?year=${year}`).expect(200)).body as LeagueTable;

  it('counts each township from the cases behind it: cases, conversions on time, escalations by rung, visits, 组织处理', async () => {
    const list = await records(people.countyAdmin);
    const byId = new Map(list.items.map((t) => [t.townshipId, t]));
    expect(list.items.map((t) => t.townshipId)).toEqual(expect.arrayContaining([orgs.township.id, second.township.id, empty.township.id]));
    expect(byId.get(orgs.township.id)).toEqual<TownshipRecord>({
      townshipId: orgs.township.id,
      townshipName: orgs.township.name,
      year,
      cases: 2,
      removed: 0,
      converted: 1,
      convertedOnTime: 1,
      onTimeRate: 0.5,
      escalations: { supervision: 1, public_notice: 0, interview: 0, total: 1 },
      visits: 2,
      organizationalHandling: { awaitingDecision: 0, decided: 0 },
    });
    expect(byId.get(second.township.id)).toMatchObject({ cases: 1, converted: 0, convertedOnTime: 0, onTimeRate: 0, escalations: { supervision: 1, public_notice: 1, interview: 1, total: 3 }, visits: 0 });
    expect(byId.get(empty.township.id)).toMatchObject({ cases: 0, onTimeRate: null, escalations: { total: 0 } });
    // The visits are those the case records hold.
    const held = await Promise.all(firstTownshipCases.map(async (c) => (await c.get()).live.visits.length));
    expect(held.reduce((a, b) => a + b, 0)).toBe(byId.get(orgs.township.id)!.visits);

    // Another year has nothing; a township sees its own record only; an outsider's township is 404.
    expect((await records(people.countyAdmin, 'year=2000')).items.every((t) => t.cases === 0)).toBe(true);
    expect((await records(people.townshipSecretary)).items.map((t) => t.townshipId)).toEqual([orgs.township.id]);
    await as(h.app, stranger).get(`/api/township-records?townshipId=${orgs.township.id}`).expect(404);
    await as(h.app, people.teamLeader).get('/api/township-records').expect(403);
  });

  it('exports the record for 述职评议 as .xlsx', async () => {
    const res = await as(h.app, people.countyAdmin).get(`/api/township-records/export.xlsx?year=${year}&townshipId=${orgs.township.id}`).buffer(true).parse(binary).expect(200);
    const wb = new Workbook();
    await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
    const ws = wb.worksheets[0];
    const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
    const row = Object.fromEntries(headers.map((name, i) => [name, ws.getRow(2).getCell(i + 1).value]));
    expect(ws.rowCount).toBe(2);
    expect(row).toMatchObject({ '乡镇（街道）': orgs.township.name, 整顿对象数: 2, 已转化: 1, 按期转化: 1, 按期转化率: '50%', 被督办: 1, 被通报: 0, 被约谈: 0, 联系领导调研指导次数: 2 });
  });

  it('ranks the townships by results, and shows a township only what the county published', async () => {
    const county = await league(people.countyAdmin);
    expect(county.orderedBy).toContain('不按登录、点击');
    expect(county.published).toBe(false);
    const ranked = county.rows.filter((r) => [orgs.township.id, second.township.id, empty.township.id].includes(r.townshipId));
    expect(ranked.map((r) => [r.townshipId, r.rank])).toEqual([
      [orgs.township.id, 1],
      [second.township.id, 2],
      [empty.township.id, 3],
    ]);
    expect(ranked[0].values).toMatchObject({ cases: 2, convertedOnTime: 1, onTimeRate: 0.5, escalations: 1, visits: 2 });

    // Unpublished: a township sees no row.
    const hidden = await league(secondSecretary);
    expect(hidden).toMatchObject({ published: false, rows: [], columns: [] });

    await as(h.app, people.townshipSecretary).put('/api/township-records/league/publication').send({ year, published: true, columns: ['onTimeRate'] }).expect(403);
    const set = await as(h.app, people.countyAdmin).put('/api/township-records/league/publication').send({ year, published: true, columns: ['onTimeRate', 'convertedOnTime'] }).expect(200);
    expect((set.body as LeagueTable).publishedColumns).toEqual(['convertedOnTime', 'onTimeRate']);
    const shown = await league(secondSecretary);
    expect(shown.published).toBe(true);
    expect(shown.columns).toEqual(['convertedOnTime', 'onTimeRate']);
    expect(shown.rows.map((r) => r.townshipName)).toEqual([orgs.township.name, second.township.name, empty.township.name]);
    for (const r of shown.rows) expect(Object.keys(r.values).sort()).toEqual(['convertedOnTime', 'onTimeRate']);
    const audit = await h.dataSource.getRepository(AuditEntryEntity).findBy({ action: 'league_table.updated', actorId: people.countyAdmin.id });
    expect(audit.map((a) => a.payload)).toEqual([expect.objectContaining({ year, published: true, columns: ['convertedOnTime', 'onTimeRate'] })]);

    // Withdrawn again: hidden again. Another county's league shows none of these townships.
    await as(h.app, people.countyAdmin).put('/api/township-records/league/publication').send({ year, published: false, columns: [] }).expect(200);
    expect((await league(secondSecretary)).rows).toEqual([]);
    expect(JSON.stringify(await league(stranger))).not.toContain(orgs.township.id);
  });
});
