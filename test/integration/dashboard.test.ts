import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { addDays, caseIdFor, dueStatus, quarterEnd, quarterKey, quarterLabel, quarterOf, type EscalationRung } from '../../libs/domain';
import { EscalationEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { addTownship, createRegionWithOrganizations, moveFirstOpenTaskDue, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

/** An escalation row as raiseNotices writes it. */
async function insertEscalation(ds: DataSource, c: { id: string; countyId: string; townshipId: string; name: string }, rung: EscalationRung, resolved = false) {
  const repo = ds.getRepository(EscalationEntity);
  await repo.save(
    repo.create({
      key: `${c.id}:secretary:${rung}:${randomUUID().slice(0, 8)}`,
      caseId: c.id,
      countyId: c.countyId,
      townshipId: c.townshipId,
      organizationName: c.name,
      deadlineKey: 'secretary',
      kind: 'secretary',
      rung,
      title: `为${c.name}选配合格的党支部书记`,
      reason: '选配党支部书记已逾期15天，予以通报',
      deadline: addDays(todayInShanghai(), -15),
      daysOverdue: 15,
      recipients: { recipients: [], userIds: [] },
      raisedAt: new Date(),
      resolvedAt: resolved ? new Date() : null,
    }),
  );
}

interface Overview {
  batchYear: number;
  scope: { level: string; regionId: string; name: string };
  total: number;
  stages: Record<string, number>;
  converted: number;
  forecast: { yearEnd: string; converted: number; onTrack: number; atRisk: number; overdue: number; expectedByYearEnd: number };
  outlook: { yearEnd: string; counts: Record<string, number>; expectedByYearEnd: number };
  overdue: { tasks: number; secretary: number; yearEnd: number; measures: number };
  openEscalations: Record<string, number>;
  townships: {
    townshipId: string;
    name: string;
    cases: number;
    converted: number;
    openEscalations: number;
    overdueTasks: number;
    matrix: { caseId: string; organizationName: string; stage: string; tracks: Record<string, string>; outlook: string }[];
  }[];
  visitCompliance: { leaderId: string; leaderName: string; cases: number; quarters: { quarter: string; required: number; visited: number; status: string }[] }[];
}

describe('dashboard (GET /api/dashboard/overview)', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof addTownship>>;
  let people: Personas;
  let otherSecretary: TestUser;
  /** An administrator of another county. */
  let strangerAdmin: TestUser;
  let strangerTownshipId: string;
  const year = Number(todayInShanghai().slice(0, 4));
  let converted: HttpPlaybook;
  let lateSecretary: HttpPlaybook;
  let designated: HttpPlaybook;
  let otherCase: HttpPlaybook;

  const overview = async (user: TestUser, query = `batchYear=${year}`) => (await as(h.app, user).get(`/api/dashboard/overview?${query}`).expect(200)).body as Overview;

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 4);
    other = await addTownship(h.dataSource, orgs.county);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    otherSecretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', other.township.id, { name: '另一镇党委书记' });
    const stranger = await createRegionWithOrganizations(h.dataSource, 1);
    strangerAdmin = await signedInUser(h.app, h.dataSource, 'county_org_admin', stranger.county.id, { name: '外县组织部' });
    strangerTownshipId = stranger.township.id;

    // 石桥村 of this test: converted.
    converted = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], year);
    await converted.start();
    await converted.completePlaybook();
    await converted.requestAcceptance();
    await converted.accept();
    // Rectifying, its secretary deadline missed (simulated: the server's clock is real).
    lateSecretary = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[1], year, ['C1', 'C4']);
    await lateSecretary.start();
    designated = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[2], year);
    // Last year's batch: never counted in this year's.
    await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[3], year - 1);
    otherCase = await HttpPlaybook.designate(h.app, h.dataSource, people, other.organization, year);

    await h.dataSource.query(
      `UPDATE rectification_case SET secretary_overdue = true, state = jsonb_set(state, '{secretary,overdue}', 'true') WHERE id = $1`,
      [lateSecretary.caseId],
    );
    // One open task of the late case past its due date.
    await moveFirstOpenTaskDue(h.dataSource, lateSecretary.caseId, addDays(todayInShanghai(), -1));
    const late = { id: lateSecretary.caseId, countyId: orgs.county.id, townshipId: orgs.township.id, name: orgs.organizations[1].name };
    await insertEscalation(h.dataSource, late, 'supervision', true);
    await insertEscalation(h.dataSource, late, 'public_notice');
    await insertEscalation(h.dataSource, { ...late, id: caseIdFor(orgs.organizations[3].id, year - 1), name: orgs.organizations[3].name }, 'interview');
  }, 240000);
  afterAll(() => h?.close());

  it("counts the county's cases of the batch by stage, with the forecast, overdue work and open escalations", async () => {
    const body = await overview(people.countyAdmin);
    expect(body).toMatchObject({
      batchYear: year,
      scope: { level: 'county', regionId: orgs.county.id, name: orgs.county.name },
      total: 4,
      stages: { designated: 2, rectifying: 1, awaiting_acceptance: 0, converted: 1, follow_up_review: 0, closed: 0, removed: 0 },
      converted: 1,
      forecast: { yearEnd: `${year}-12-31`, converted: 1 },
      overdue: { tasks: 1, secretary: 1, yearEnd: 0, measures: 0 },
      openEscalations: { supervision: 0, public_notice: 1, interview: 0 },
      removed: { count: 0, items: [] },
    });
  });

  it('gives the same year-end outlook as the batch page for the same cases, and never calls a case with nothing done on track when its days are too few', async () => {
    const body = await overview(people.countyAdmin);
    const batch = (await as(h.app, people.countyAdmin).get(`/api/batches/${year}`).expect(200)).body as {
      totals: { outlook: Record<string, number>; expectedByYearEnd: number };
      cases: { caseId: string; outlook: { status: string; daysLeft: number; daysNeeded: number } }[];
    };
    const fromOverview = Object.fromEntries(body.townships.flatMap((t) => t.matrix.map((m) => [m.caseId, m.outlook])));
    const fromBatch = Object.fromEntries(batch.cases.map((c) => [c.caseId, c.outlook.status]));
    expect(fromOverview).toEqual(fromBatch);
    expect(body.outlook.counts).toEqual(batch.totals.outlook);
    expect(body.outlook.expectedByYearEnd).toBe(batch.totals.expectedByYearEnd);
    const f = body.forecast;
    expect(f.converted + f.onTrack + f.atRisk + f.overdue).toBe(body.total);
    expect(f.expectedByYearEnd).toBe(body.outlook.expectedByYearEnd);

    // Nothing done: all nine conditions left need the whole course (90 days, the policy's three months).
    const fresh = batch.cases.find((c) => c.caseId === designated.caseId)!.outlook;
    expect(fresh.daysNeeded).toBe(90);
    expect(fresh.status).toBe(fresh.daysLeft * 2 < 90 ? 'will_miss' : fresh.daysLeft < 90 ? 'at_risk' : 'on_track');
    // The missed secretary deadline is an overdue track: at risk at best.
    expect(['at_risk', 'will_miss']).toContain(fromBatch[lateSecretary.caseId]);
    expect(fromBatch[converted.caseId]).toBe('converted');
  });

  it('lists every township of the county with its cases and the six-track matrix', async () => {
    const body = await overview(people.countyAdmin);
    expect(body.townships.map((t) => t.townshipId).sort()).toEqual([orgs.township.id, other.township.id].sort());
    const mine = body.townships.find((t) => t.townshipId === orgs.township.id)!;
    expect(mine).toMatchObject({ name: orgs.township.name, cases: 3, converted: 1, openEscalations: 1, overdueTasks: 1 });
    expect(mine.matrix.map((m) => m.caseId).sort()).toEqual([converted.caseId, lateSecretary.caseId, designated.caseId].sort());
    const row = (id: string) => mine.matrix.find((m) => m.caseId === id)!;
    expect(row(converted.caseId)).toEqual({
      caseId: converted.caseId,
      organizationName: orgs.organizations[0].name,
      stage: 'converted',
      tracks: { leader: 'done', team: 'done', problems: 'done', plan: 'done', secretary: 'done', project: 'done' },
      outlook: 'converted',
      extended: [],
    });
    // Leader assigned this quarter, no visit yet: due soon only in the quarter's last 14 days.
    const today = todayInShanghai();
    expect(row(lateSecretary.caseId)).toMatchObject({
      stage: 'rectifying',
      tracks: { leader: dueStatus(quarterEnd(quarterOf(today)), today), team: 'done', problems: 'open', plan: 'open', secretary: 'overdue', project: 'open' },
    });
    expect(row(designated.caseId)).toMatchObject({
      stage: 'designated',
      tracks: { leader: 'open', team: 'open', problems: 'open', plan: 'open', secretary: 'open', project: 'open' },
    });
    const theirs = body.townships.find((t) => t.townshipId === other.township.id)!;
    expect(theirs).toMatchObject({ name: other.township.name, cases: 1, converted: 0, openEscalations: 0, overdueTasks: 0 });
    expect(theirs.matrix.map((m) => m.caseId)).toEqual([otherCase.caseId]);
  });

  it("reports each contact leader's visits of the quarters owed", async () => {
    const body = await overview(people.countyAdmin);
    const today = todayInShanghai();
    // The converted case was accepted in the quarter its leader was assigned: it owes nothing more.
    expect(body.visitCompliance).toEqual([
      {
        leaderId: people.countyLeader.id,
        leaderName: people.countyLeader.name,
        cases: 2,
        quarters: [
          { quarter: quarterKey(quarterOf(today)), quarterLabel: quarterLabel(quarterKey(quarterOf(today))), required: 1, visited: 0, status: dueStatus(quarterEnd(quarterOf(today)), today) },
        ],
      },
    ]);
  });

  it('answers the current Shanghai year by default, and each batch on its own', async () => {
    expect((await overview(people.countyAdmin, '')).batchYear).toBe(year);
    const last = await overview(people.countyAdmin, `batchYear=${year - 1}`);
    expect(last).toMatchObject({ batchYear: year - 1, total: 1, stages: { designated: 1 }, overdue: { secretary: 0, yearEnd: 1 } });
    // The inserted 约谈, and whatever the workflow raised itself for the year end it found passed.
    const open: { rung: string; n: number }[] = await h.dataSource.query(
      `SELECT rung, count(*)::int AS n FROM escalation WHERE case_id = $1 AND resolved_at IS NULL GROUP BY rung`,
      [caseIdFor(orgs.organizations[3].id, year - 1)],
    );
    expect(last.openEscalations).toEqual({ supervision: 0, public_notice: 0, interview: 0, ...Object.fromEntries(open.map((r) => [r.rung, r.n])) });
    expect(last.openEscalations.interview).toBeGreaterThanOrEqual(1);
    expect(last.forecast).toMatchObject({ yearEnd: `${year - 1}-12-31`, overdue: 1, expectedByYearEnd: 0 });
    expect((await overview(people.countyAdmin, 'batchYear=2001')).total).toBe(0);
  });

  it('drills down to one township of the county', async () => {
    const body = await overview(people.countyAdmin, `batchYear=${year}&townshipId=${orgs.township.id}`);
    expect(body).toMatchObject({ scope: { level: 'township', regionId: orgs.township.id, name: orgs.township.name }, total: 3, converted: 1 });
    expect(body.townships.map((t) => t.townshipId)).toEqual([orgs.township.id]);
  });

  it('shows a township party secretary their township only, and 404 for another', async () => {
    const body = await overview(people.townshipSecretary);
    expect(body).toMatchObject({ scope: { level: 'township', regionId: orgs.township.id }, total: 3, openEscalations: { public_notice: 1 } });
    expect(body.townships.map((t) => t.townshipId)).toEqual([orgs.township.id]);
    expect(body.visitCompliance.map((l) => l.leaderId)).toEqual([people.countyLeader.id]);

    const res = await as(h.app, people.townshipSecretary).get(`/api/dashboard/overview?townshipId=${other.township.id}`).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'TOWNSHIP_NOT_FOUND' });
    expect(res.body.message).toContain('乡镇');

    const theirs = await overview(otherSecretary);
    expect(theirs).toMatchObject({ total: 1, stages: { designated: 1 }, overdue: { tasks: 0, secretary: 0 } });
    expect(theirs.townships.map((t) => t.matrix.map((m) => m.caseId))).toEqual([[otherCase.caseId]]);
  });

  it("shows the village team their own case, and another county's administrator nothing of it", async () => {
    const team = await overview(people.teamLeader);
    expect(team).toMatchObject({ scope: { level: 'village', regionId: orgs.organizations[0].regionId }, total: 1, converted: 1 });
    expect(team.townships.map((t) => [t.townshipId, t.matrix.map((m) => m.caseId)])).toEqual([[orgs.township.id, [converted.caseId]]]);

    const stranger = await overview(strangerAdmin);
    expect(stranger).toMatchObject({ total: 0, converted: 0, openEscalations: { supervision: 0, public_notice: 0, interview: 0 } });
    const res = await as(h.app, strangerAdmin).get(`/api/dashboard/overview?townshipId=${orgs.township.id}`).expect(404);
    expect(res.body.code).toBe('TOWNSHIP_NOT_FOUND');
    // A county administrator's own township of another county, or a village id, is no township of theirs.
    await as(h.app, people.countyAdmin).get(`/api/dashboard/overview?townshipId=${strangerTownshipId}`).expect(404);
    await as(h.app, people.countyAdmin).get(`/api/dashboard/overview?townshipId=${orgs.organizations[0].regionId}`).expect(404);
  });

  it('refuses a malformed query naming the field, and answers 401 without a token', async () => {
    for (const q of ['batchYear=1999', 'batchYear=2101', 'batchYear=abc', 'townshipId=not-a-uuid', 'other=1']) {
      const res = await as(h.app, people.countyAdmin).get(`/api/dashboard/overview?${q}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const bad = await as(h.app, people.countyAdmin).get('/api/dashboard/overview?batchYear=1999').expect(400);
    expect(bad.body.message).toContain('整顿批次年度（batchYear）');
    const res = await request(h.app.getHttpServer()).get('/api/dashboard/overview').expect(401);
    expect(res.body.statusCode).toBe(401);
  });
});
