import request from 'supertest';
import { addDays, caseIdFor, shanghaiDateOf } from '../../libs/domain';
import { TaskEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';

interface AuditItemBody {
  id: string;
  occurredAt: string;
  action: string;
  payload: Record<string, unknown>;
  caseId: string | null;
  organizationName: string | null;
  actor: { id: string | null; name: string; role: string | null };
}

describe('audit trail (GET /api/cases/:id/audit, GET /api/audit)', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;
  /** A township party secretary of another county. */
  let stranger: TestUser;
  let strangerCase: string;
  let caseA: string;
  let caseB: string;

  const designate = async (by: TestUser, organizationId: string) => {
    await as(h.app, by).post('/api/cases').send({ organizationId, batchYear: 2026, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    const caseId = caseIdFor(organizationId, 2026);
    await eventually(async () => ((await h.dataSource.getRepository(TaskEntity).countBy({ caseId })) >= 2 ? true : undefined), 20000, `tasks of ${caseId}`);
    return caseId;
  };
  const claim = (by: TestUser, key: string) => as(h.app, by).post(`/api/tasks/${encodeURIComponent(key)}/claim`).expect(200);
  const actions = (body: { items: AuditItemBody[] }) => body.items.map((e) => e.action);

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    caseA = await designate(people.countyAdmin, orgs.organizations[0].id);
    caseB = await designate(people.countyAdmin, orgs.organizations[1].id);
    await claim(people.townshipSecretary, `${caseA}:appoint_team`);
    await claim(people.countyAdmin, `${caseA}:assign_contact_leader`);
    await claim(people.townshipSecretary, `${caseB}:appoint_team`);

    const elsewhere = await createRegionWithOrganizations(h.dataSource, 1);
    const strangerAdmin = await signedInUser(h.app, h.dataSource, 'county_org_admin', elsewhere.county.id);
    stranger = await signedInUser(h.app, h.dataSource, 'township_party_secretary', elsewhere.township.id);
    strangerCase = await designate(strangerAdmin, elsewhere.organizations[0].id);
    await claim(stranger, `${strangerCase}:appoint_team`);
  }, 120000);
  afterAll(() => h?.close());

  describe('per case', () => {
    it('shows who did what and when, newest first: the designation, then the claims', async () => {
      const res = await as(h.app, people.townshipSecretary).get(`/api/cases/${caseA}/audit`).expect(200);
      expect(actions(res.body)).toEqual(['task.claimed', 'task.claimed', 'case.designated']);
      expect(res.body.nextCursor).toBeNull();
      const [adminClaim, secretaryClaim, designation] = res.body.items as AuditItemBody[];
      expect(designation).toMatchObject({
        caseId: caseA,
        organizationName: orgs.organizations[0].name,
        actor: { id: people.countyAdmin.id, name: people.countyAdmin.name, role: 'county_org_admin' },
      });
      expect(secretaryClaim).toMatchObject({
        action: 'task.claimed',
        caseId: caseA,
        actor: { id: people.townshipSecretary.id, name: people.townshipSecretary.name, role: 'township_party_secretary' },
        payload: { taskKey: `${caseA}:appoint_team`, userId: people.townshipSecretary.id },
      });
      expect(adminClaim.payload).toMatchObject({ taskKey: `${caseA}:assign_contact_leader` });
      const times = (res.body.items as AuditItemBody[]).map((e) => Date.parse(e.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      // The team of the case's village sees it too.
      await as(h.app, people.teamLeader).get(`/api/cases/${caseA}/audit`).expect(200);
    });

    it('pages with a cursor and filters by action and by Shanghai dates', async () => {
      const all = (await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit`).expect(200)).body.items as AuditItemBody[];
      const first = await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?limit=2`).expect(200);
      expect(first.body.items).toHaveLength(2);
      const second = await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(second.body.nextCursor).toBeNull();
      expect([...first.body.items, ...second.body.items].map((e: AuditItemBody) => e.id)).toEqual(all.map((e) => e.id));

      const claims = await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?action=task.claimed`).expect(200);
      expect(actions(claims.body)).toEqual(['task.claimed', 'task.claimed']);

      const day = shanghaiDateOf(Date.parse(all[all.length - 1].occurredAt));
      const lastDay = shanghaiDateOf(Date.parse(all[0].occurredAt));
      expect((await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?from=${day}&to=${lastDay}`).expect(200)).body.items).toHaveLength(all.length);
      expect((await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?from=${addDays(lastDay, 1)}`).expect(200)).body.items).toEqual([]);
      expect((await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?to=${addDays(day, -1)}`).expect(200)).body.items).toEqual([]);
    });

    it('answers 404 for a case outside the scope, 400 for malformed queries, 401 without a token', async () => {
      const res = await as(h.app, stranger).get(`/api/cases/${caseA}/audit`).expect(404);
      expect(res.body.code).toBe('CASE_NOT_FOUND');
      await as(h.app, people.countyAdmin).get(`/api/cases/${strangerCase}/audit`).expect(404);
      const neighbour = await signedInUser(h.app, h.dataSource, 'team_member', orgs.organizations[1].regionId);
      await as(h.app, neighbour).get(`/api/cases/${caseA}/audit`).expect(404);

      for (const [qs, field] of [
        ['from=2026-13-01', 'from'],
        ['to=yesterday', 'to'],
        ['limit=500', 'limit'],
        ['action=DROP%20TABLE', 'action'],
        ['actorId=x', 'actorId'],
      ]) {
        const bad = await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?${qs}`).expect(400);
        expect(bad.body.code).toBe('VALIDATION_FAILED');
        expect(bad.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      }
      const range = await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?from=2026-05-02&to=2026-05-01`).expect(400);
      expect(range.body).toMatchObject({ code: 'INVALID_DATE_RANGE' });
      const cursor = await as(h.app, people.countyAdmin).get(`/api/cases/${caseA}/audit?cursor=abc`).expect(400);
      expect(cursor.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['cursor']);
      const anonymous = await request(h.app.getHttpServer()).get(`/api/cases/${caseA}/audit`).expect(401);
      expect(anonymous.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('per person', () => {
    it("shows the county organization department the entries of a person of the county, and everyone's by default", async () => {
      const res = await as(h.app, people.countyAdmin).get(`/api/audit?actorId=${people.townshipSecretary.id}`).expect(200);
      expect(res.body.items.map((e: AuditItemBody) => e.payload.taskKey).sort()).toEqual([`${caseA}:appoint_team`, `${caseB}:appoint_team`].sort());
      expect(res.body.items.every((e: AuditItemBody) => e.actor.id === people.townshipSecretary.id)).toBe(true);
      expect(res.body.items[0]).toMatchObject({ action: 'task.claimed', caseId: caseB, organizationName: orgs.organizations[1].name });

      const everyone = await as(h.app, people.countyAdmin).get('/api/audit?limit=100').expect(200);
      const actors = new Set(everyone.body.items.map((e: AuditItemBody) => e.actor.id));
      expect(actors).toEqual(new Set([people.countyAdmin.id, people.townshipSecretary.id]));
      expect(everyone.body.items.filter((e: AuditItemBody) => e.action === 'case.designated').map((e: AuditItemBody) => e.caseId).sort()).toEqual([caseA, caseB].sort());

      // An inspector of the county reads them too, page by page.
      const page = await as(h.app, people.inspector).get(`/api/audit?actorId=${people.townshipSecretary.id}&limit=1`).expect(200);
      expect(page.body.items).toHaveLength(1);
      const rest = await as(h.app, people.inspector).get(`/api/audit?actorId=${people.townshipSecretary.id}&limit=1&cursor=${page.body.nextCursor}`).expect(200);
      expect([...page.body.items, ...rest.body.items].map((e: AuditItemBody) => e.id)).toEqual(res.body.items.map((e: AuditItemBody) => e.id));
      expect(rest.body.nextCursor).toBeNull();

      const designations = await as(h.app, people.countyAdmin).get(`/api/audit?actorId=${people.countyAdmin.id}&action=case.designated`).expect(200);
      expect(actions(designations.body)).toEqual(['case.designated', 'case.designated']);
    });

    it('lets anyone list their own entries, answers 403 for somebody else\'s and 404 for a person outside the region', async () => {
      const own = await as(h.app, people.townshipSecretary).get('/api/audit').expect(200);
      expect(own.body.items).toHaveLength(2);
      expect(own.body.items.every((e: AuditItemBody) => e.actor.id === people.townshipSecretary.id)).toBe(true);
      await as(h.app, people.townshipSecretary).get(`/api/audit?actorId=${people.townshipSecretary.id}`).expect(200);
      expect((await as(h.app, people.teamLeader).get('/api/audit').expect(200)).body.items).toEqual([]);

      const forbidden = await as(h.app, people.townshipSecretary).get(`/api/audit?actorId=${people.countyAdmin.id}`).expect(403);
      expect(forbidden.body).toMatchObject({ code: 'AUDIT_FORBIDDEN', statusCode: 403 });
      expect(forbidden.body.message).toContain('本人');
      await as(h.app, people.countyLeader).get(`/api/audit?actorId=${people.townshipSecretary.id}`).expect(403);

      const outside = await as(h.app, people.countyAdmin).get(`/api/audit?actorId=${stranger.id}`).expect(404);
      expect(outside.body.code).toBe('ACTOR_NOT_FOUND');
      // …and the county's full list holds nothing of the other county.
      const everyone = await as(h.app, people.countyAdmin).get('/api/audit?limit=100').expect(200);
      expect(everyone.body.items.some((e: AuditItemBody) => e.caseId === strangerCase)).toBe(false);
      // A township inspector sees people of the township, not the county's.
      const townshipInspector = await signedInUser(h.app, h.dataSource, 'inspector', orgs.township.id);
      await as(h.app, townshipInspector).get(`/api/audit?actorId=${people.townshipSecretary.id}`).expect(200);
      await as(h.app, townshipInspector).get(`/api/audit?actorId=${people.countyAdmin.id}`).expect(404);

      await request(h.app.getHttpServer()).get('/api/audit').expect(401);
      const unknown = await as(h.app, people.countyAdmin).get('/api/audit?actor=someone').expect(400);
      expect(unknown.body.details.fields.map((f: { field: string }) => f.field)).toContain('actor');
    });
  });
});
