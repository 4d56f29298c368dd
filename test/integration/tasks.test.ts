import { randomUUID } from 'node:crypto';
import { countySecretaryTaskKey } from '../../libs/read-model';
import request from 'supertest';
import { addDays, caseIdFor, shanghaiDateOf } from '../../libs/domain';
import { AppUserEntity, AuditEntryEntity, TaskEntity } from '../../libs/persistence';
import { executeCaseCommand } from '../../libs/temporal';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { addTownship, createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';

interface TaskItemBody {
  key: string;
  caseId: string;
  organizationName: string;
  kind: string;
  title: string;
  assigneeRole: string;
  assigneeId: string | null;
  region: { id: string; name: string | null; level: string | null };
  dueOn: string | null;
  status: 'open' | 'done';
  dueState: 'overdue' | 'due_soon' | null;
  claim: { userId: string; name: string | null; claimedAt: string | null; assignedById: string | null } | null;
}

const enc = (key: string) => encodeURIComponent(key);

describe('tasks (GET /api/tasks, claim, release, assign)', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let other: Awaited<ReturnType<typeof addTownship>>;
  let people: Personas;
  /** The township party secretary of the other township of the same county. */
  let otherSecretary: TestUser;
  /** A second township party secretary (deputy) of the first township. */
  let deputy: TestUser;
  /** Cases in the first township (orgs 0–4) and one in the other township. */
  let cases: string[];
  let otherCase: string;
  /** A 2025 case with a contact leader: its practical thing is due 2025-12-31, long past. */
  let pastCase: string;

  const taskRow = (key: string) => h.dataSource.getRepository(TaskEntity).findOneByOrFail({ key });
  /** Audit rows of this file's county only: other test files write theirs at the same time. */
  const auditCount = async () =>
    Number(
      (await h.dataSource.query(`SELECT count(*) AS n FROM audit_entry a JOIN rectification_case c ON c.id = a.case_id WHERE c.county_id = $1`, [orgs.county.id]))[0].n,
    );
  const keysOf = (body: { items: TaskItemBody[] }) => body.items.map((t) => t.key);
  const leaderInput = (leader: TestUser) => ({
    actor: { id: people.countyAdmin.id, name: people.countyAdmin.name, role: 'county_org_admin' as const },
    leader: { id: leader.id, name: leader.name, title: '副县长', isCountyPartySecretary: false },
  });
  const designate = async (organizationId: string, batchYear = 2026) => {
    await as(h.app, people.countyAdmin).post('/api/cases').send({ organizationId, batchYear, reasons: ['C1'], note: '书记长期缺职，组织生活不正常' }).expect(201);
    const caseId = caseIdFor(organizationId, batchYear);
    await eventually(async () => ((await h.dataSource.getRepository(TaskEntity).countBy({ caseId })) >= 2 ? true : undefined), 20000, `tasks of ${caseId}`);
    return caseId;
  };
  /** Runs a case action and waits until its projection has landed. */
  const assignLeader = async (caseId: string) => {
    const state = await executeCaseCommand(h.client, caseId, 'assignContactLeader', leaderInput(people.countyLeader));
    await eventually(async () => {
      const row = await h.dataSource.getRepository(TaskEntity).findOneBy({ key: `${caseId}:assign_contact_leader` });
      return row?.status === 'done' && row.caseVersion >= state.version ? row : undefined;
    }, 20000, 'the re-projection');
  };

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 6);
    other = await addTownship(h.dataSource, orgs.county);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    otherSecretary = await signedInUser(h.app, h.dataSource, 'township_party_secretary', other.township.id, { name: '另一镇党委书记' });
    deputy = await signedInUser(h.app, h.dataSource, 'township_party_secretary', orgs.township.id, { name: '镇党委副书记' });
    cases = [];
    for (const org of orgs.organizations.slice(0, 5)) cases.push(await designate(org.id));
    otherCase = await designate(other.organization.id);
    pastCase = await designate(orgs.organizations[5].id, 2025);
    await assignLeader(pastCase);
  }, 120000);
  afterAll(() => h?.close());

  describe('lists', () => {
    it("shows a township party secretary the team appointments of their township's cases, not another township's", async () => {
      const res = await as(h.app, people.townshipSecretary).get('/api/tasks').expect(200);
      const keys = keysOf(res.body);
      for (const c of cases) expect(keys).toContain(`${c}:appoint_team`);
      expect(keys).not.toContain(`${otherCase}:appoint_team`);
      expect(new Set(res.body.items.map((t: TaskItemBody) => t.kind))).toEqual(new Set(['appoint_team']));
      const item = res.body.items.find((t: TaskItemBody) => t.key === `${cases[0]}:appoint_team`);
      expect(item).toMatchObject({
        caseId: cases[0],
        organizationName: orgs.organizations[0].name,
        kind: 'appoint_team',
        assigneeRole: 'township_party_secretary',
        region: { id: orgs.township.id, name: orgs.township.name, level: 'township' },
        dueOn: null,
        status: 'open',
        claim: null,
      });
      expect(item.title).toContain('整建队伍');

      const theirs = keysOf((await as(h.app, otherSecretary).get('/api/tasks?view=mine').expect(200)).body);
      expect(theirs).toEqual([`${otherCase}:appoint_team`]);
    });

    it("shows the county organization department every case's contact-leader assignment", async () => {
      const res = await as(h.app, people.countyAdmin).get('/api/tasks?limit=100').expect(200);
      const keys = keysOf(res.body);
      for (const c of [...cases, otherCase]) expect(keys).toContain(`${c}:assign_contact_leader`);
      expect(keys).not.toContain(`${cases[0]}:appoint_team`);
      expect(res.body.items.every((t: TaskItemBody) => t.assigneeRole === 'county_org_admin')).toBe(true);
      // Without a status filter, done tasks are listed too; status=open leaves them out.
      expect(res.body.items.find((t: TaskItemBody) => t.key === `${pastCase}:assign_contact_leader`)).toMatchObject({ status: 'done', dueState: null });
      const open = await as(h.app, people.countyAdmin).get('/api/tasks?status=open&limit=100').expect(200);
      // The 2025 batch has its contact leader and no county party secretary: a task of the batch (county-secretary-task.test.ts).
      const batchTask = countySecretaryTaskKey(orgs.county.id, 2025);
      expect(keysOf(open.body).sort()).toEqual([...[...cases, otherCase].map((c) => `${c}:assign_contact_leader`), batchTask].sort());
    });

    it('gives the contact leader the tasks addressed to them by name', async () => {
      const res = await as(h.app, people.countyLeader).get('/api/tasks').expect(200);
      expect(keysOf(res.body)).toEqual(expect.arrayContaining([`${pastCase}:practical_thing`, expect.stringMatching(new RegExp(`^${pastCase}:guidance_visit:`))]));
      expect(res.body.items.every((t: TaskItemBody) => t.assigneeId === people.countyLeader.id)).toBe(true);
      // Another county-level leader does not get them.
      const someoneElse = await signedInUser(h.app, h.dataSource, 'county_leader', orgs.county.id);
      expect((await as(h.app, someoneElse).get('/api/tasks').expect(200)).body.items).toEqual([]);
    });

    it("shows a township user's region view every role's tasks of their township only", async () => {
      const res = await as(h.app, people.townshipSecretary).get('/api/tasks?view=region&limit=100').expect(200);
      const keys = keysOf(res.body);
      expect(keys).toContain(`${cases[0]}:assign_contact_leader`);
      expect(keys).toContain(`${cases[0]}:appoint_team`);
      expect(keys.some((k) => k.startsWith(otherCase))).toBe(false);
      expect(new Set(res.body.items.map((t: TaskItemBody) => t.caseId))).toEqual(new Set([...cases, pastCase]));

      const village = await as(h.app, people.teamLeader).get('/api/tasks?view=region').expect(200);
      expect(new Set(village.body.items.map((t: TaskItemBody) => t.caseId))).toEqual(new Set([cases[0]]));

      const county = await as(h.app, people.countyAdmin).get('/api/tasks?view=region&limit=100').expect(200);
      expect(keysOf(county.body)).toContain(`${otherCase}:appoint_team`);
    });

    it('filters by status (Asia/Shanghai dates) and counts the totals over the same view and filters', async () => {
      // The dev server's clock cannot be moved: place one due date two days from today on a task nobody re-projects.
      const today = shanghaiDateOf(Date.now());
      const soonKey = (await h.dataSource.getRepository(TaskEntity).findOneByOrFail({ caseId: pastCase, kind: 'guidance_visit' })).key;
      await h.dataSource.getRepository(TaskEntity).update({ key: soonKey }, { dueOn: addDays(today, 2) });

      const rows: { key: string; status: string; due_on: string | null }[] = await h.dataSource.query(
        `SELECT key, status, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM task WHERE county_id = $1`,
        [orgs.county.id],
      );
      const soon = addDays(today, 14);
      const expected = {
        open: rows.filter((r) => r.status === 'open').map((r) => r.key),
        due_soon: rows.filter((r) => r.status === 'open' && r.due_on !== null && r.due_on >= today && r.due_on <= soon).map((r) => r.key),
        overdue: rows.filter((r) => r.status === 'open' && r.due_on !== null && r.due_on < today).map((r) => r.key),
        done: rows.filter((r) => r.status === 'done').map((r) => r.key),
      };
      expect(expected.overdue).toContain(`${pastCase}:practical_thing`);
      expect(expected.due_soon).toEqual([soonKey]);
      expect(expected.done).toContain(`${pastCase}:assign_contact_leader`);
      const totals = { open: expected.open.length, dueSoon: expected.due_soon.length, overdue: expected.overdue.length, done: expected.done.length };

      for (const status of ['open', 'due_soon', 'overdue', 'done'] as const) {
        const res = await as(h.app, people.countyAdmin).get(`/api/tasks?view=region&status=${status}&limit=100`).expect(200);
        expect(keysOf(res.body).sort()).toEqual(expected[status].sort());
        expect(res.body.totals).toEqual(totals);
      }
      const overdue = await as(h.app, people.countyAdmin).get('/api/tasks?view=region&status=overdue').expect(200);
      expect(overdue.body.items[0]).toMatchObject({ key: `${pastCase}:practical_thing`, dueOn: '2025-12-31', dueState: 'overdue' });
      const dueSoon = await as(h.app, people.countyLeader).get('/api/tasks?status=due_soon').expect(200);
      expect(dueSoon.body.items).toEqual([expect.objectContaining({ key: soonKey, dueState: 'due_soon' })]);

      // Other filters narrow the totals too.
      const byCase = await as(h.app, people.countyAdmin).get(`/api/tasks?view=region&caseId=${encodeURIComponent(pastCase)}`).expect(200);
      expect(byCase.body.totals).toEqual({ open: 3, dueSoon: 1, overdue: 1, done: 1 });
      const byKind = await as(h.app, people.countyAdmin).get('/api/tasks?view=region&kind=appoint_team&limit=100').expect(200);
      expect(byKind.body.items.every((t: TaskItemBody) => t.kind === 'appoint_team')).toBe(true);
      expect(byKind.body.totals).toEqual({ open: 7, dueSoon: 0, overdue: 0, done: 0 });
      const before = await as(h.app, people.countyAdmin).get('/api/tasks?view=region&dueBefore=2026-01-01').expect(200);
      expect(keysOf(before.body)).toEqual([`${pastCase}:practical_thing`]);
    });

    it('orders soonest due first, undated last, then by key, and pages with an opaque cursor', async () => {
      const all = await as(h.app, people.countyAdmin).get('/api/tasks?view=region&limit=100').expect(200);
      expect(all.body.nextCursor).toBeNull();
      const items: TaskItemBody[] = all.body.items;
      expect(items.length).toBeGreaterThan(10);
      const dated = items.filter((t) => t.dueOn !== null);
      expect(dated.length).toBeGreaterThanOrEqual(2);
      expect(items.slice(0, dated.length)).toEqual(dated);
      expect(dated.map((t) => t.dueOn)).toEqual([...dated.map((t) => t.dueOn)].sort());

      const paged: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const url: string = `/api/tasks?view=region&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await as(h.app, people.countyAdmin).get(url).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(3);
        expect(res.body.totals).toEqual(all.body.totals);
        paged.push(...keysOf(res.body));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(paged).toEqual(keysOf(all.body));
      expect(pages).toBe(Math.ceil(items.length / 3));

      // "mine" pages the same way.
      const first = await as(h.app, people.townshipSecretary).get('/api/tasks?limit=2').expect(200);
      expect(first.body.items).toHaveLength(2);
      const second = await as(h.app, people.townshipSecretary).get(`/api/tasks?limit=2&cursor=${first.body.nextCursor}`).expect(200);
      expect(keysOf(second.body)).not.toEqual(expect.arrayContaining(keysOf(first.body)));
    });

    it.each([
      ['an unknown view', 'view=all', 'view'],
      ['an unknown status', 'status=late', 'status'],
      ['an unknown kind', 'kind=dance', 'kind'],
      ['a limit of 0', 'limit=0', 'limit'],
      ['a limit over 100', 'limit=101', 'limit'],
      ['a date that does not exist', 'dueBefore=2026-02-30', 'dueBefore'],
      ['a date in another format', 'dueBefore=2026%2F03%2F01', 'dueBefore'],
      ['an unknown parameter', 'sort=title', 'sort'],
    ])('answers 400 for %s, naming the field', async (_label, qs, field) => {
      const res = await as(h.app, people.countyAdmin).get(`/api/tasks?${qs}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      expect(res.body.message).toContain(field);
    });

    it('answers 400 for a cursor it did not issue, and 401 without a token', async () => {
      const bad = Buffer.from('{"x":1}').toString('base64url');
      const res = await as(h.app, people.countyAdmin).get(`/api/tasks?cursor=${bad}`).expect(400);
      // The document's pattern says which cursors are taken; the validation refuses the rest, naming the field.
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['cursor']);
      await request(h.app.getHttpServer()).get('/api/tasks').expect(401);
      const anon = await request(h.app.getHttpServer()).post(`/api/tasks/${enc(`${cases[0]}:appoint_team`)}/claim`).expect(401);
      expect(anon.body.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('claims', () => {
    it('lets a holder of the role in the region claim a task; a second claimer gets 409 and nothing is written', async () => {
      const key = `${cases[0]}:appoint_team`;
      const audits = await auditCount();
      const res = await as(h.app, people.townshipSecretary).post(`/api/tasks/${enc(key)}/claim`).expect(200);
      expect(res.body).toMatchObject({ key, claim: { userId: people.townshipSecretary.id, name: people.townshipSecretary.name, assignedById: null } });
      expect(await taskRow(key)).toMatchObject({ claimedById: people.townshipSecretary.id, claimedByName: people.townshipSecretary.name, assignedById: null });
      const entry = await h.dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ caseId: cases[0], action: 'task.claimed' });
      expect(entry).toMatchObject({ actorId: people.townshipSecretary.id, actorRole: 'township_party_secretary', payload: { taskKey: key, userId: people.townshipSecretary.id } });
      expect(await auditCount()).toBe(audits + 1);

      // Claiming again is a no-op.
      await as(h.app, people.townshipSecretary).post(`/api/tasks/${enc(key)}/claim`).expect(200);
      expect(await auditCount()).toBe(audits + 1);

      const before = await taskRow(key);
      const again = await as(h.app, deputy).post(`/api/tasks/${enc(key)}/claim`).expect(409);
      expect(again.body).toMatchObject({ code: 'TASK_ALREADY_CLAIMED', statusCode: 409 });
      expect(again.body.message).toContain(people.townshipSecretary.name);
      expect(await taskRow(key)).toEqual(before);
      expect(await auditCount()).toBe(audits + 1);

      // Now it is the claimer's, no longer the deputy's.
      expect(keysOf((await as(h.app, people.townshipSecretary).get('/api/tasks').expect(200)).body)).toContain(key);
      expect(keysOf((await as(h.app, deputy).get('/api/tasks').expect(200)).body)).not.toContain(key);
    });

    it('answers 403 to a role that is not the task\'s, 404 to another township, 409 for a done task, writing nothing', async () => {
      const key = `${cases[1]}:appoint_team`;
      const before = await taskRow(key);
      const audits = await auditCount();

      const team = await as(h.app, people.teamLeader).post(`/api/tasks/${enc(`${cases[0]}:appoint_team`)}/claim`).expect(403);
      expect(team.body.code).toBe('TASK_ROLE_MISMATCH');
      const admin = await as(h.app, people.countyAdmin).post(`/api/tasks/${enc(key)}/claim`).expect(403);
      expect(admin.body).toMatchObject({ code: 'TASK_ROLE_MISMATCH' });
      expect(admin.body.message).toContain('乡镇党委书记');
      const stranger = await as(h.app, otherSecretary).post(`/api/tasks/${enc(key)}/claim`).expect(404);
      expect(stranger.body.code).toBe('TASK_NOT_FOUND');
      const missing = await as(h.app, people.townshipSecretary).post(`/api/tasks/${enc(`${cases[1]}:no_such_task`)}/claim`).expect(404);
      expect(missing.body.code).toBe('TASK_NOT_FOUND');
      const done = await as(h.app, people.countyAdmin).post(`/api/tasks/${enc(`${pastCase}:assign_contact_leader`)}/claim`).expect(409);
      expect(done.body.code).toBe('TASK_NOT_OPEN');
      // A task addressed by name to the contact leader is not another leader's to claim.
      const leaderTask = `${pastCase}:practical_thing`;
      const otherLeader = await signedInUser(h.app, h.dataSource, 'county_leader', orgs.county.id);
      expect((await as(h.app, otherLeader).post(`/api/tasks/${enc(leaderTask)}/claim`).expect(403)).body.code).toBe('TASK_ADDRESSED_TO_OTHER');

      expect(await taskRow(key)).toEqual(before);
      expect(await auditCount()).toBe(audits);
    });

    it('lets exactly one of two simultaneous claimers have the task', async () => {
      const key = `${otherCase}:appoint_team`;
      const colleague = await signedInUser(h.app, h.dataSource, 'township_party_secretary', other.township.id);
      const audits = await auditCount();
      const [a, b] = await Promise.all([otherSecretary, colleague].map((u) => as(h.app, u).post(`/api/tasks/${enc(key)}/claim`)));
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      const winner = a.status === 200 ? otherSecretary : colleague;
      expect(await taskRow(key)).toMatchObject({ claimedById: winner.id });
      expect(await auditCount()).toBe(audits + 1);
    });

    it('keeps a claim when the workflow re-projects the case\'s tasks', async () => {
      const key = `${cases[2]}:appoint_team`;
      await as(h.app, people.townshipSecretary).post(`/api/tasks/${enc(key)}/claim`).expect(200);
      // Make the stored row differ from what the workflow derives, so the re-projection must rewrite it.
      await h.dataSource.getRepository(TaskEntity).update({ key }, { title: '过时的标题' });
      await assignLeader(cases[2]);
      // The assignment re-projected every task: the leader's tasks appeared, the admin's closed.
      const tasks = await h.dataSource.getRepository(TaskEntity).findBy({ caseId: cases[2] });
      expect(tasks.map((t) => `${t.kind}:${t.status}`).sort()).toEqual(
        ['appoint_team:open', 'assign_contact_leader:done', 'guidance_visit:open', 'practical_thing:open'].sort(),
      );
      const row = await taskRow(key);
      expect(row.title).toContain('整建队伍');
      expect(row).toMatchObject({ status: 'open', claimedById: people.townshipSecretary.id, claimedByName: people.townshipSecretary.name });
      const mine = await as(h.app, people.townshipSecretary).get(`/api/tasks?caseId=${encodeURIComponent(cases[2])}`).expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ key, claim: expect.objectContaining({ userId: people.townshipSecretary.id }) })]);
    });

    it('lets the claimer or an assigner release a task; others get 403', async () => {
      const key = `${cases[3]}:appoint_team`;
      await as(h.app, deputy).post(`/api/tasks/${enc(key)}/claim`).expect(200);
      const audits = await auditCount();
      const before = await taskRow(key);
      expect((await as(h.app, people.teamLeader).post(`/api/tasks/${enc(`${cases[0]}:appoint_team`)}/release`).expect(403)).body.code).toBe('TASK_RELEASE_FORBIDDEN');
      expect((await as(h.app, otherSecretary).post(`/api/tasks/${enc(key)}/release`).expect(404)).body.code).toBe('TASK_NOT_FOUND');
      expect(await taskRow(key)).toEqual(before);
      expect(await auditCount()).toBe(audits);

      const released = await as(h.app, deputy).post(`/api/tasks/${enc(key)}/release`).expect(200);
      expect(released.body.claim).toBeNull();
      expect(await taskRow(key)).toMatchObject({ claimedById: null, claimedByName: null, claimedAt: null, assignedById: null });
      const entry = await h.dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ caseId: cases[3], action: 'task.released' });
      expect(entry).toMatchObject({ actorId: deputy.id, payload: { taskKey: key, userId: deputy.id, releasedById: deputy.id } });
      expect((await as(h.app, deputy).post(`/api/tasks/${enc(key)}/release`).expect(409)).body.code).toBe('TASK_NOT_CLAIMED');

      // The township secretary, who may assign it, can take a deputy's claim back too.
      await as(h.app, deputy).post(`/api/tasks/${enc(key)}/claim`).expect(200);
      await as(h.app, people.townshipSecretary).post(`/api/tasks/${enc(key)}/release`).expect(200);
      expect((await taskRow(key)).claimedById).toBeNull();
    });
  });

  describe('assignments', () => {
    it('lets the township party secretary assign a task of their township to an active user of its role there', async () => {
      const key = `${cases[4]}:appoint_team`;
      const res = await as(h.app, people.townshipSecretary).post(`/api/tasks/${enc(key)}/assign`).send({ userId: deputy.id }).expect(200);
      expect(res.body.claim).toMatchObject({ userId: deputy.id, name: deputy.name, assignedById: people.townshipSecretary.id });
      expect(await taskRow(key)).toMatchObject({ claimedById: deputy.id, assignedById: people.townshipSecretary.id });
      const entry = await h.dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ caseId: cases[4], action: 'task.assigned' });
      expect(entry).toMatchObject({ actorId: people.townshipSecretary.id, payload: { taskKey: key, userId: deputy.id, assignedById: people.townshipSecretary.id, previousClaimedById: null } });
      expect(keysOf((await as(h.app, deputy).get('/api/tasks').expect(200)).body)).toContain(key);
      expect(keysOf((await as(h.app, people.townshipSecretary).get('/api/tasks').expect(200)).body)).not.toContain(key);

      // The county organization department may reassign it.
      const back = await as(h.app, people.countyAdmin).post(`/api/tasks/${enc(key)}/assign`).send({ userId: people.townshipSecretary.id }).expect(200);
      expect(back.body.claim).toMatchObject({ userId: people.townshipSecretary.id, assignedById: people.countyAdmin.id });
    });

    it('refuses assignees of the wrong role, region or state, and assigners without the right, writing nothing', async () => {
      const key = `${cases[1]}:appoint_team`;
      const countyKey = `${cases[1]}:assign_contact_leader`;
      const inactive = await signedInUser(h.app, h.dataSource, 'township_party_secretary', orgs.township.id);
      await h.dataSource.getRepository(AppUserEntity).update({ id: inactive.id }, { active: false });
      const before = await taskRow(key);
      const beforeCounty = await taskRow(countyKey);
      const audits = await auditCount();
      const assign = (by: TestUser, k: string, body: unknown) => as(h.app, by).post(`/api/tasks/${enc(k)}/assign`).send(body as object);

      const cases400: [TestUser, string, unknown, number, string][] = [
        [people.townshipSecretary, key, { userId: people.teamLeader.id }, 400, 'ASSIGNEE_ROLE_MISMATCH'],
        [people.countyAdmin, key, { userId: otherSecretary.id }, 400, 'ASSIGNEE_REGION_MISMATCH'],
        [people.townshipSecretary, key, { userId: otherSecretary.id }, 404, 'ASSIGNEE_NOT_FOUND'],
        [people.townshipSecretary, key, { userId: inactive.id }, 400, 'ASSIGNEE_INACTIVE'],
        [people.townshipSecretary, key, { userId: randomUUID() }, 404, 'ASSIGNEE_NOT_FOUND'],
        [people.townshipSecretary, key, { userId: 'someone' }, 400, 'VALIDATION_FAILED'],
        [people.townshipSecretary, key, {}, 400, 'VALIDATION_FAILED'],
        [people.townshipSecretary, countyKey, { userId: people.countyAdmin.id }, 403, 'TASK_ASSIGN_FORBIDDEN'],
        [people.teamLeader, key, { userId: deputy.id }, 403, 'FORBIDDEN'],
        [otherSecretary, key, { userId: deputy.id }, 404, 'TASK_NOT_FOUND'],
        [people.countyAdmin, `${pastCase}:assign_contact_leader`, { userId: people.countyAdmin.id }, 409, 'TASK_NOT_OPEN'],
      ];
      for (const [by, k, body, status, code] of cases400) {
        const res = await assign(by, k, body);
        expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
        expect(typeof res.body.message).toBe('string');
      }
      const validation = await assign(people.townshipSecretary, key, { userId: 'someone' });
      expect(validation.body.message).toContain('被分派人（userId）');

      expect(await taskRow(key)).toEqual(before);
      expect(await taskRow(countyKey)).toEqual(beforeCounty);
      expect(await auditCount()).toBe(audits);
    });
  });
});
