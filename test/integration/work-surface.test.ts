import { Workbook } from 'exceljs';
import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { addDays, quarterKey, quarterLabel, quarterOf } from '../../libs/domain';
import type { MyCasesPage } from '../../libs/http';
import { EscalationEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { addTownship, createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

interface Task {
  key: string;
  caseId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  kind: string;
  kindLabel: string;
  title: string;
  dueOn: string | null;
  caseNextStep: string;
  claim: { userId: string } | null;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const RAW_KEY = /case-\d{4}-|[a-z]+_[a-z_]+|[a-z]+\.[a-z_]+/;

async function sheet(res: Response): Promise<Record<string, unknown>[]> {
  const wb = new Workbook();
  await wb.xlsx.load(res.body as Parameters<typeof wb.xlsx.load>[0]);
  const ws = wb.worksheets[0];
  const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  for (let i = 2; i <= ws.rowCount; i++) {
    const values = (ws.getRow(i).values as unknown[]).slice(1);
    out.push(Object.fromEntries(headers.map((h, j) => [h, values[j] ?? null])));
  }
  return out;
}

const binary = (r: import('supertest').Test) =>
  r.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });

describe('finding work: task search, filters, sort, bulk and export; the 督办台账; audit sentences', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof addTownship>>;
  let people: Personas;
  let otherSecretary: TestUser;
  const year = Number(todayInShanghai().slice(0, 4));
  let mine: HttpPlaybook[];
  let theirs: HttpPlaybook;

  const tasks = async (user: TestUser, query: string) => (await as(h.app, user).get(`/api/tasks?${query}`).expect(200)).body as { items: Task[] };

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    other = await addTownship(h.dataSource, orgs.county);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    otherSecretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', other.township.id, { name: '另一镇党委书记' });
    mine = await Promise.all([0, 1].map((i) => HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[i], year)));
    theirs = await HttpPlaybook.designate(h.app, h.dataSource, people, other.organization, year);
    await mine[0].start();
  }, 240000);
  afterAll(() => h?.close());

  it('searches by organization name, filters by township and kind, sorts, and says each case\'s next step in words', async () => {
    const all = await tasks(people.countyAdmin, 'view=region&limit=100');
    expect(all.items.length).toBeGreaterThan(2);
    for (const t of all.items) {
      expect(t.kindLabel).not.toMatch(RAW_KEY);
      expect(t.caseNextStep).toMatch(/[\u4e00-\u9fa5]/);
      expect(t.townshipName).toBe(t.townshipId === other.township.id ? other.township.name : orgs.township.name);
    }
    const name = orgs.organizations[1].name;
    const found = await tasks(people.countyAdmin, `view=region&limit=100&q=${encodeURIComponent(name)}`);
    expect(found.items.length).toBeGreaterThan(0);
    expect(found.items.every((t) => t.organizationName === name)).toBe(true);
    // A LIKE wildcard is a character like any other: it matches no name.
    expect((await tasks(people.countyAdmin, 'view=region&q=%25')).items).toEqual([]);

    const township = await tasks(people.countyAdmin, `view=region&limit=100&townshipId=${other.township.id}`);
    expect(township.items.length).toBeGreaterThan(0);
    expect(township.items.every((t) => t.caseId === theirs.caseId)).toBe(true);

    const byOrg = await tasks(people.countyAdmin, 'view=region&limit=100&sort=organization');
    const names = byOrg.items.map((t) => t.organizationName);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const late = await tasks(people.countyAdmin, 'view=region&limit=100&sort=-due');
    const dues = late.items.map((t) => t.dueOn).filter((d): d is string => !!d);
    expect(dues).toEqual([...dues].sort().reverse());
    await as(h.app, people.countyAdmin).get('/api/tasks?sort=random').expect(400);
  });

  it('exports the tasks as shown: the same rows, in the same order, for the same filters', async () => {
    const query = `view=region&limit=100&townshipId=${orgs.township.id}&sort=organization`;
    const shown = await tasks(people.countyAdmin, query);
    const res = await binary(as(h.app, people.countyAdmin).get(`/api/tasks/export.xlsx?${query}`)).expect(200);
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('待办.xlsx'));
    const rows = await sheet(res);
    expect(rows.map((r) => [r['基层党组织'], r['待办事项'], r['待办类型']])).toEqual(shown.items.map((t) => [t.organizationName, t.title, t.kindLabel]));
  });

  it('bulk-assigns per key: a township secretary cannot reach another township\'s task, and the others are assigned and audited', async () => {
    const own = (await tasks(people.townshipSecretary, 'view=region&status=open&limit=100')).items.filter((t) => t.kind === 'appoint_team' && !t.claim);
    const foreign = (await tasks(people.countyAdmin, `view=region&status=open&limit=100&townshipId=${other.township.id}`)).items.find((t) => t.kind === 'appoint_team')!;
    expect(own.length).toBeGreaterThan(0);
    const res = await as(h.app, people.townshipSecretary)
      .post('/api/tasks/bulk')
      .send({ action: 'assign', userId: people.townshipSecretary.id, keys: [...own.map((t) => t.key), foreign.key] })
      .expect(200);
    expect(res.body.done).toBe(own.length);
    expect(res.body.failed).toBe(1);
    const failed = res.body.results.find((r: { key: string }) => r.key === foreign.key);
    expect(failed).toMatchObject({ ok: false, error: { statusCode: 404, code: 'TASK_NOT_FOUND' } });
    // Nothing was written to the other township's task.
    const after = (await tasks(people.countyAdmin, `view=region&limit=100&townshipId=${other.township.id}`)).items.find((t) => t.key === foreign.key)!;
    expect(after.claim).toBeNull();
    for (const t of own) {
      const trail = (await as(h.app, people.countyAdmin).get(`/api/cases/${t.caseId}/audit?action=task.assigned`).expect(200)).body.items as { payload: { taskKey: string } }[];
      expect(trail.some((e) => e.payload.taskKey === t.key)).toBe(true);
    }
    // Assigning needs the assignee; a team leader may not bulk at all.
    await as(h.app, people.townshipSecretary).post('/api/tasks/bulk').send({ action: 'assign', keys: [own[0].key] }).expect(400);
    await as(h.app, people.teamLeader).post('/api/tasks/bulk').send({ action: 'claim', keys: [own[0].key] }).expect(403);
    await as(h.app, otherSecretary).post('/api/tasks/bulk').send({ action: 'claim', keys: [own[0].key] }).expect(200)
      .then((r) => expect(r.body.results[0]).toMatchObject({ ok: false, error: { statusCode: 404 } }));
  });

  it('filters the 督办台账 by township and exports it with who signed for each and their answer', async () => {
    const repo = h.dataSource.getRepository(EscalationEntity);
    const today = todayInShanghai();
    const raise = (c: HttpPlaybook, townshipId: string, name: string, userIds: string[]) =>
      repo.save(
        repo.create({
          key: `${c.caseId}:measure:supervision:${randomUUID().slice(0, 8)}`,
          caseId: c.caseId,
          countyId: orgs.county.id,
          townshipId,
          organizationName: name,
          deadlineKey: 'measure:m1',
          kind: 'measure',
          rung: 'supervision',
          title: '落实整改措施',
          reason: '整改措施已逾期2天，予以督办',
          deadline: addDays(today, -2),
          daysOverdue: 2,
          recipients: { recipients: [], userIds },
          raisedAt: new Date(),
          resolvedAt: null,
        }),
      );
    const ours = await raise(mine[0], orgs.township.id, orgs.organizations[0].name, [people.townshipSecretary.id]);
    await raise(theirs, other.township.id, other.organization.name, [otherSecretary.id]);

    const answer = '已召开专题会，责任人本周内完成整改';
    await as(h.app, people.townshipSecretary).post(`/api/escalations/${ours.id}/acknowledge`).send({ note: answer }).expect(200);
    const list = (await as(h.app, people.countyAdmin).get(`/api/escalations?townshipId=${orgs.township.id}`).expect(200)).body;
    expect(list.items.map((e: { id: string }) => e.id)).toEqual([ours.id]);
    expect(list.items[0]).toMatchObject({
      townshipName: orgs.township.name,
      organizationName: orgs.organizations[0].name,
      rungLabel: '督办',
      status: 'acknowledged',
      statusLabel: '已签收',
      acknowledgedBy: people.townshipSecretary.name,
      note: answer,
    });
    const res = await binary(as(h.app, people.countyAdmin).get(`/api/escalations/export.xlsx?townshipId=${orgs.township.id}`)).expect(200);
    const rows = await sheet(res);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ '乡镇（街道）': orgs.township.name, 基层党组织: orgs.organizations[0].name, 问责层级: '督办', 状态: '已签收', 签收人: people.townshipSecretary.name, '签收答复（正在做什么）': answer });
    await as(h.app, people.countyAdmin).get('/api/escalations?townshipId=not-a-uuid').expect(400);
  });

  it('tells the audit trail in sentences that name who, what and which case, without ids or codes', async () => {
    const trail = (await as(h.app, people.countyAdmin).get(`/api/cases/${mine[0].caseId}/audit?limit=100`).expect(200)).body.items as {
      action: string;
      sentence: string;
      actionLabel: string;
      actor: { name: string };
    }[];
    expect(trail.length).toBeGreaterThan(2);
    for (const e of trail) {
      expect(e.sentence).not.toMatch(UUID);
      expect(e.sentence).not.toMatch(RAW_KEY);
      expect(e.sentence).toContain(e.actor.name);
      expect(e.sentence).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 /);
      expect(e.actionLabel).not.toMatch(RAW_KEY);
    }
    const team = trail.find((e) => e.action === 'team.appointed')!;
    expect(team.sentence).toContain(`为 ${orgs.organizations[0].name} 选派了整建队伍（3 人`);
    expect(team.sentence).toContain('（乡镇党委书记）');
  });

  it('lists a contact leader\'s own cases (我联系的案件) with this quarter\'s visit in words, and the visit once recorded', async () => {
    const mineOf = async (user: TestUser) => (await as(h.app, user).get('/api/cases/mine').expect(200)).body as MyCasesPage;
    const visitsThisQuarter = async () => (await mine[0].get()).live.visits.filter((v) => v.quarter === quarterKey(quarterOf(todayInShanghai()))).length;
    const before = (await mineOf(people.countyLeader)).items;
    // Only the case this leader contacts: the other one has no contact leader yet.
    expect(before.map((i) => i.caseId)).toEqual([mine[0].caseId]);
    expect(before[0]).toMatchObject({ organizationName: orgs.organizations[0].name, townshipName: orgs.township.name, stage: 'rectifying' });
    expect(before[0].quarterVisit.label).toBe(quarterLabel(quarterKey(quarterOf(todayInShanghai()))));
    expect(before[0].quarterVisit.visited).toBe((await visitsThisQuarter()) > 0);
    expect(before[0].nextStep).toMatch(/[\u4e00-\u9fa5]/);

    await mine[0].visit(todayInShanghai());
    const after = (await mineOf(people.countyLeader)).items[0];
    expect(after.quarterVisit).toMatchObject({ visited: true, lastVisitOn: todayInShanghai() });
    // Nobody else's list shows it.
    expect((await mineOf(people.countyAdmin)).items).toEqual([]);
  });
});
