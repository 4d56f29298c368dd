import request from 'supertest';
import { as, personas, signedInUser, type Personas } from '../support/auth';
import { randomUUID } from 'node:crypto';
import { caseIdFor, DEFAULT_POLICY } from '../../libs/domain';
import { designateRectifyCase } from '../../libs/temporal';
import { AuditEntryEntity, RectificationCaseEntity } from '../../libs/persistence';
import { updateOutcomesOf } from '../support/history-events';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';

/** The first slice, through every layer: HTTP → Temporal workflow → activity → PostgreSQL → query. */
describe('designating a case (POST /api/cases, GET /api/cases/:id)', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 4);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  });
  afterAll(() => h?.close());

  /** As the county organization department, who designates. */
  const http = () => as(h.app, people.countyAdmin);
  const caseRows = (organizationId: string) => h.dataSource.getRepository(RectificationCaseEntity).findBy({ organizationId });
  const workflowsFor = async (caseId: string) => {
    const found: string[] = [];
    for await (const wf of h.client.workflow.list({ query: `WorkflowId = '${caseId}'` })) found.push(wf.workflowId);
    return found;
  };

  it('starts the case workflow, whose activity writes the row, and returns row and live state', async () => {
    const org = orgs.organizations[0];
    const res = await http()
      .post('/api/cases')
      .send({ organizationId: org.id, batchYear: 2026, reasons: ['C4', 'C1'], note: '书记缺职一年，组织生活停滞' })
      .expect(201);
    const caseId = caseIdFor(org.id, 2026);
    expect(res.body.id).toBe(caseId);
    // Read-your-write: the answer waits for the designation's projection (Update-with-Start), so the row is there.
    expect(res.body.record).toMatchObject({ id: caseId, stage: 'designated', organizationId: org.id });
    expect(res.body.live).toMatchObject({ caseId, stage: 'designated', reasons: ['C1', 'C4'] });

    const row = await eventually(() => h.dataSource.getRepository(RectificationCaseEntity).findOneBy({ id: caseId }), 15000, 'case row');
    expect(row).toMatchObject({
      organizationId: org.id,
      organizationName: org.name,
      townshipId: orgs.township.id,
      countyId: orgs.county.id,
      batchYear: 2026,
      reasons: ['C1', 'C4'],
      stage: 'designated',
      designatedBy: people.countyAdmin.name,
    });

    const got = await http().get(`/api/cases/${caseId}`).expect(200);
    expect(got.body.record).toMatchObject({ id: caseId, stage: 'designated', batchYear: 2026 });
    expect(got.body.live).toMatchObject({
      caseId,
      stage: 'designated',
      reasons: ['C1', 'C4'],
      note: '书记缺职一年，组织生活停滞',
      stageHistory: [{ from: null, to: 'designated', actor: { id: people.countyAdmin.id, name: people.countyAdmin.name, role: 'county_org_admin' } }],
    });

    const audit = await h.dataSource.getRepository(AuditEntryEntity).findBy({ caseId });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: people.countyAdmin.name, actorId: people.countyAdmin.id, actorRole: 'county_org_admin', action: 'case.designated' });
  });

  it('answers a designation, an action and the case page without the notice plan, which stays in the workflow', async () => {
    const org = orgs.organizations[3];
    const designated = await http().post('/api/cases').send({ organizationId: org.id, batchYear: 2026, reasons: ['C4'], note: '组织生活不正常，党员作用发挥差' }).expect(201);
    const caseId = designated.body.id as string;
    // The workflow planned the reminders of the open deadlines (the team's stationing, the year end…).
    const full = await h.client.workflow.getHandle(caseId).query<{ notices?: { planned: unknown[]; raisedByRung: Record<string, number> } }>('getCaseState');
    expect(full.notices?.planned.length).toBeGreaterThan(0);

    const assigned = await http().post(`/api/cases/${caseId}/contact-leader`).send({ leaderUserId: people.countyLeader.id }).expect(200);
    const got = await http().get(`/api/cases/${caseId}`).expect(200);
    for (const state of [designated.body.live, assigned.body.state, got.body.live]) {
      expect(state).toMatchObject({ caseId, noticesRaisedByRung: expect.any(Object) });
      expect(state).not.toHaveProperty('notices');
    }
    expect(assigned.body.state.contactLeader).toMatchObject({ id: people.countyLeader.id });
  });

  describe('the designation is answered from the read model', () => {
    /** The outcomes of the case's Updates as its history records them, oldest first. */
    const updateOutcomes = async (caseId: string): Promise<string[]> => updateOutcomesOf((await h.client.workflow.getHandle(caseId).fetchHistory()).events ?? []);

    it("so the case's state does not go into its history: the designation's Update answers only the version it made", async () => {
      const org = orgs.organizations[1];
      const res = await http().post('/api/cases').send({ organizationId: org.id, batchYear: 2033, reasons: ['C2'], note: '班子不团结，长期内耗' }).expect(201);
      const [outcome] = await updateOutcomes(res.body.id as string);
      expect(JSON.parse(outcome)).toEqual(expect.objectContaining({ brief: true, version: res.body.record.version }));
      expect(outcome.length).toBeLessThan(200);
      // The live state is the row's, with the notices raised so far (which the row does not keep).
      const { noticesRaisedByRung, ...live } = res.body.live as Record<string, unknown>;
      expect(noticesRaisedByRung).toEqual(expect.any(Object));
      expect(live).toEqual(res.body.record.state);
      expect(live).toMatchObject({ caseId: res.body.id, stage: 'designated', reasons: ['C2'], version: res.body.record.version });
    });

    it("and from the workflow when the row is behind the designation (the read model being rebuilt, say)", async () => {
      const org = orgs.organizations[1];
      const caseId = caseIdFor(org.id, 2034);
      // The case's row goes in a version behind the one the designation made.
      const trigger = `behind_${caseId.replace(/[^a-z0-9]/gi, '_')}`;
      await h.dataSource.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.version := NEW.version - 1; RETURN NEW; END $$`);
      await h.dataSource.query(`CREATE TRIGGER ${trigger} BEFORE INSERT ON rectification_case FOR EACH ROW WHEN (NEW.id = '${caseId}') EXECUTE FUNCTION ${trigger}()`);
      try {
        const res = await http().post('/api/cases').send({ organizationId: org.id, batchYear: 2034, reasons: ['C5'], note: '软弱涣散，群众意见大' }).expect(201);
        expect(res.body.record.version).toBe(res.body.live.version - 1);
        expect(res.body.live).toMatchObject({ caseId, stage: 'designated', reasons: ['C5'], stageHistory: [expect.objectContaining({ to: 'designated' })] });
      } finally {
        await h.dataSource.query(`DROP TRIGGER ${trigger} ON rectification_case`);
        await h.dataSource.query(`DROP FUNCTION ${trigger}()`);
        await h.client.workflow.getHandle(caseId).terminate('test: its row was held behind');
      }
    });
  });

  it('registers the case in Temporal with its county, township, batch year and stage searchable', async () => {
    const org = orgs.organizations[1];
    await http().post('/api/cases').send({ organizationId: org.id, batchYear: 2027, reasons: ['C3'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    const caseId = caseIdFor(org.id, 2027);
    const query = `CountyId = '${orgs.county.id}' AND TownshipId = '${orgs.township.id}' AND BatchYear = 2027 AND CaseStage = 'designated'`;
    const ids = await eventually(async () => {
      const found: string[] = [];
      for await (const wf of h.client.workflow.list({ query })) found.push(wf.workflowId);
      return found.includes(caseId) ? found : undefined;
    }, 20000, 'visibility of the case');
    expect(ids).toEqual([caseId]);
  });

  it('answers 409 to a second designation of the same organization and year, and starts nothing', async () => {
    const org = orgs.organizations[2];
    const caseId = caseIdFor(org.id, 2026);
    await http().post('/api/cases').send({ organizationId: org.id, batchYear: 2026, reasons: ['C2'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    const first = await http().get(`/api/cases/${caseId}`).expect(200);

    const again = await http().post('/api/cases').send({ organizationId: org.id, batchYear: 2026, reasons: ['C5'], note: '书记长期缺职，组织生活不正常' }).expect(409);
    expect(again.body).toMatchObject({ code: 'CASE_ALREADY_DESIGNATED', statusCode: 409 });
    expect(again.body.message).toContain('不能重复认定');

    const after = await http().get(`/api/cases/${caseId}`).expect(200);
    expect(after.body.live.reasons).toEqual(['C2']);
    expect(after.body.live.designatedAt).toBe(first.body.live.designatedAt);
    expect(await caseRows(org.id)).toHaveLength(1);
    expect(await workflowsFor(caseId)).toEqual([caseId]);
  });

  it('answers 409 even before the first projection lands (the workflow id itself collides)', async () => {
    const org = orgs.organizations[3];
    const body = { organizationId: org.id, batchYear: 2030, reasons: ['C6'], note: '书记长期缺职，组织生活不正常' };
    const [a, b] = await Promise.all([http().post('/api/cases').send(body), http().post('/api/cases').send(body)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const caseId = caseIdFor(org.id, 2030);
    await eventually(() => h.dataSource.getRepository(RectificationCaseEntity).findOneBy({ id: caseId }), 15000, 'case row');
    expect(await workflowsFor(caseId)).toEqual([caseId]);
  });

  it('designates all the same when no worker projects it in time: the answer comes after the wait, the case workflow running', async () => {
    const org = orgs.organizations[3];
    const caseId = caseIdFor(org.id, 2032);
    // A task queue no worker polls: the workers lagging or down.
    const live = await designateRectifyCase(
      h.client,
      `no-worker-${randomUUID()}`,
      {
        caseId,
        organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId },
        batchYear: 2032,
        reasons: ['C1'],
        note: '书记长期缺职，组织生活不正常',
        designatedBy: { id: people.countyAdmin.id, name: people.countyAdmin.name, role: 'county_org_admin' },
        designatedAt: new Date().toISOString(),
        policy: DEFAULT_POLICY,
      },
      1500,
    );
    expect(live).toBeUndefined();
    const run = await h.client.workflow.getHandle(caseId).describe();
    expect(run.status.name).toBe('RUNNING');
    // Not projected (no worker has run it), yet running: a worker taking the queue projects it.
    expect(await h.dataSource.getRepository(RectificationCaseEntity).findOneBy({ id: caseId })).toBeNull();
    await h.client.workflow.getHandle(caseId).terminate('test: no worker polls its task queue');
  });

  it('answers 404 for an unknown organization, writing and starting nothing', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await http().post('/api/cases').send({ organizationId: missing, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(404);
    expect(res.body).toMatchObject({ code: 'ORGANIZATION_NOT_FOUND' });
    expect(res.body.message).toContain('organizationId');
    expect(await caseRows(missing)).toHaveLength(0);
    expect(await workflowsFor(caseIdFor(missing, 2026))).toEqual([]);
  });

  it.each([
    ['a missing organizationId', { batchYear: 2026, reasons: ['C1'] }, 'organizationId'],
    ['a batch year that is not a year', { batchYear: 'next', reasons: ['C1'] }, 'batchYear'],
    ['a batch year out of range', { batchYear: 1999, reasons: ['C1'] }, 'batchYear'],
    ['an unknown reason code', { batchYear: 2026, reasons: ['C9'] }, 'reasons'],
    ['no reason at all', { batchYear: 2026, reasons: [] }, 'reasons'],
    ['a repeated reason', { batchYear: 2026, reasons: ['C1', 'C1'] }, 'reasons'],
    ['an unknown field', { batchYear: 2026, reasons: ['C1'], stage: 'converted' }, 'stage'],
    ['an over-long note', { batchYear: 2026, reasons: ['C1'], note: '长'.repeat(2001) }, 'note'],
  ])('answers 400 for %s, naming the field, writing nothing', async (_label, partial, field) => {
    const org = orgs.organizations[0];
    const body = { organizationId: org.id, note: '书记长期缺职，组织生活不正常', ...partial };
    if (field === 'organizationId') delete (body as { organizationId?: string }).organizationId;
    // This file's organizations only: other test files designate cases at the same time.
    const countMine = () => h.dataSource.getRepository(RectificationCaseEntity).countBy({ townshipId: orgs.township.id });
    const before = await countMine();
    const res = await http().post('/api/cases').send(body).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(`${res.body.message} ${res.body.messageEn}`).toContain(field);
    expect(await countMine()).toBe(before);
  });

  it("gives each new case the county's current policy, while running cases keep theirs", async () => {
    const fresh = await createRegionWithOrganizations(h.dataSource, 2);
    const [a, b] = fresh.organizations;
    const admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', fresh.county.id);
    const http = () => as(h.app, admin);
    await http().post('/api/cases').send({ organizationId: a.id, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    await http().post(`/api/counties/${fresh.county.id}/policy`).send({ teamMinSize: 4, note: '本县要求整建队伍不少于4人' }).expect(201);
    await http().post('/api/cases').send({ organizationId: b.id, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);

    const first = await http().get(`/api/cases/${caseIdFor(a.id, 2026)}`).expect(200);
    const second = await http().get(`/api/cases/${caseIdFor(b.id, 2026)}`).expect(200);
    expect(first.body.live.policy).toMatchObject({ version: 0, teamMinSize: 3 });
    expect(second.body.live.policy).toMatchObject({ version: 1, teamMinSize: 4 });
  });

  it('answers 401 without a valid token, 403 to a role that may not designate, and 404 for an organization of another county', async () => {
    const org = orgs.organizations[0];
    const body = { organizationId: org.id, batchYear: 2031, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' };
    const anonymous = await request(h.app.getHttpServer()).post('/api/cases').send(body).expect(401);
    expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    await request(h.app.getHttpServer()).post('/api/cases').set('Authorization', 'Bearer not.a.token').send(body).expect(401);
    const township = await as(h.app, people.townshipSecretary).post('/api/cases').send(body).expect(403);
    expect(township.body.code).toBe('FORBIDDEN');
    const elsewhere = await createRegionWithOrganizations(h.dataSource, 1);
    const otherAdmin = await signedInUser(h.app, h.dataSource, 'county_org_admin', elsewhere.county.id);
    const res = await as(h.app, otherAdmin).post('/api/cases').send(body).expect(404);
    expect(res.body.code).toBe('ORGANIZATION_NOT_FOUND');
    expect(await caseRows(org.id)).toEqual(expect.not.arrayContaining([expect.objectContaining({ batchYear: 2031 })]));
    expect(await workflowsFor(caseIdFor(org.id, 2031))).toEqual([]);
  });

  it('shows a case only inside its region: another township answers 404', async () => {
    const org = orgs.organizations[0];
    const caseId = caseIdFor(org.id, 2026);
    await as(h.app, people.townshipSecretary).get(`/api/cases/${caseId}`).expect(200);
    await as(h.app, people.teamLeader).get(`/api/cases/${caseId}`).expect(200);
    const otherTownship = await createRegionWithOrganizations(h.dataSource, 1);
    const stranger = await signedInUser(h.app, h.dataSource, 'township_party_secretary', otherTownship.township.id);
    expect((await as(h.app, stranger).get(`/api/cases/${caseId}`).expect(404)).body.code).toBe('CASE_NOT_FOUND');
    expect((await as(h.app, stranger).get('/api/cases').expect(200)).body.items).toEqual([]);
    // A team member of another village of the same township does not see it either.
    const neighbour = await signedInUser(h.app, h.dataSource, 'team_member', orgs.organizations[1].regionId);
    await as(h.app, neighbour).get(`/api/cases/${caseId}`).expect(404);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await http().post('/api/cases').set('content-type', 'application/json').send('{"organizationId": ').expect(400);
    expect(res.body.code).toBe('MALFORMED_JSON');
  });

  it('answers 404 for a case that does not exist', async () => {
    const res = await http().get('/api/cases/case-2026-00000000-0000-4000-8000-000000000000').expect(404);
    expect(res.body).toMatchObject({ code: 'CASE_NOT_FOUND' });
  });
});
