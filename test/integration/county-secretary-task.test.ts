import { countySecretaryTaskDueOn, countySecretaryTaskKey, raiseCountySecretaryTask } from '../../libs/read-model';
import type { AuditPage, TaskPage } from '../../libs/http';
import { as, personas, signedInUser, type Personas, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook, todayInShanghai } from '../support/http-playbook';

/**
 * Issue 16, the county party secretary's half of seed 000 §四(一) (县委书记带头联系一个): a batch whose
 * cases all have their contact leader, none of them the county party secretary, raises one task to the
 * county organization department; the secretary taking a case closes it, for good.
 */
describe('a batch without the county party secretary', () => {
  let h: Harness;
  let people: Personas;
  let secondLeader: TestUser;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  const year = Number(todayInShanghai().slice(0, 4));

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    secondLeader = await signedInUser(h.app, h.dataSource, 'county_leader', orgs.county.id, { name: '县级领导乙', title: '县委常委' });
  }, 120000);
  afterAll(() => h?.close());

  const key = () => countySecretaryTaskKey(orgs.county.id, year);
  const taskRows = (): Promise<{ status: string; title: string; case_id: string | null; batch_year: number; assignee_role: string; region_id: string; due_on: string }[]> =>
    h.dataSource.query(`SELECT status, title, case_id, batch_year, assignee_role, region_id, to_char(due_on, 'YYYY-MM-DD') AS due_on FROM task WHERE key = $1`, [key()]);
  const auditCount = async (action: string): Promise<number> =>
    Number((await h.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE action = $1 AND idempotency_key LIKE $2`, [action, `${key()}%`]))[0].n);
  const tasksOf = async (user: TestUser, status: 'open' | 'done'): Promise<TaskPage> =>
    (await as(h.app, user).get(`/api/tasks?view=region&status=${status}&limit=100`).expect(200)).body as TaskPage;

  it('raises the task once when the last contact leader is set without the secretary, shows it to the county in Chinese, and closes it when the secretary takes a case', async () => {
    const a = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], year);
    const b = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[1], year);
    await a.assignLeader(people.countyLeader);
    // One case of the batch still has no contact leader: nothing to say yet.
    expect(await taskRows()).toEqual([]);

    await b.assignLeader(secondLeader);
    expect(await taskRows()).toEqual([
      {
        status: 'open',
        title: `县委书记尚未联系${year}年度整顿批次任何案件：请安排县委书记带头联系一个整顿对象`,
        case_id: null,
        batch_year: year,
        assignee_role: 'county_org_admin',
        region_id: orgs.county.id,
        due_on: countySecretaryTaskDueOn(Date.now()),
      },
    ]);
    expect(await auditCount('county_secretary_task.raised')).toBe(1);

    // A retried check and a later change of a case of the batch raise nothing twice.
    expect(await h.dataSource.transaction((tx) => raiseCountySecretaryTask(tx, orgs.county.id, year))).toBe(false);
    await a.appointTeam();
    expect(await taskRows()).toHaveLength(1);
    expect(await auditCount('county_secretary_task.raised')).toBe(1);

    // The county organization department's task list shows it in words: the batch, not an id.
    const open = await tasksOf(people.countyAdmin, 'open');
    const item = open.items.find((t) => t.key === key());
    expect(item).toMatchObject({
      caseId: null,
      batchYear: year,
      organizationName: `${year}年度整顿批次`,
      kindLabel: '确定联系领导',
      title: expect.stringContaining('县委书记尚未联系'),
      townshipName: '',
      caseNextStep: '',
      region: expect.objectContaining({ name: orgs.county.name, level: 'county' }),
    });
    expect(JSON.stringify([item!.organizationName, item!.title, item!.kindLabel])).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}/);
    // Its own "mine" view too (addressed to the county organization department), and nobody's below the county.
    expect((await as(h.app, people.countyAdmin).get('/api/tasks?limit=100').expect(200)).body.items.map((t: { key: string }) => t.key)).toContain(key());
    expect((await tasksOf(people.townshipSecretary, 'open')).items.map((t) => t.key)).not.toContain(key());
    // The county organization department may claim it like any task of its own.
    const claimed = await as(h.app, people.countyAdmin).post(`/api/tasks/${encodeURIComponent(key())}/claim`).expect(200);
    expect(claimed.body.claim).toMatchObject({ userId: people.countyAdmin.id });
    await as(h.app, people.townshipSecretary).post(`/api/tasks/${encodeURIComponent(key())}/claim`).expect(404);

    // The county party secretary takes case B: the task is done, and the case's trail says why.
    await b.act(people.countyAdmin, '/contact-leader', { leaderUserId: people.countySecretary.id, reason: '县委书记带头联系一个整顿对象' });
    expect((await taskRows())[0].status).toBe('done');
    expect((await tasksOf(people.countyAdmin, 'open')).items.map((t) => t.key)).not.toContain(key());
    expect((await tasksOf(people.countyAdmin, 'done')).items.map((t) => t.key)).toContain(key());
    const trail = (await as(h.app, people.countyAdmin).get(`/api/cases/${b.caseId}/audit?limit=50`).expect(200)).body as AuditPage;
    const closed = trail.items.find((e) => e.action === 'county_secretary_task.closed');
    expect(closed?.actionLabel).toBe('县委书记联系案件，待办办结');
    expect(closed?.sentence).toContain(`县委书记 ${people.countySecretary.name} 联系本案件，待办「县委书记尚未联系本批次任何案件」办结`);

    // Never reopened for this batch: the secretary handing the case back leaves it closed.
    await b.act(people.countyAdmin, '/contact-leader', { leaderUserId: secondLeader.id, reason: '县委书记改为联系其他批次对象' });
    expect(await taskRows()).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(await auditCount('county_secretary_task.raised')).toBe(1);
    expect(await auditCount('county_secretary_task.closed')).toBe(1);
  });

  it('raises the task when the batch\'s last case without a contact leader is taken off the list', async () => {
    const other = await createRegionWithOrganizations(h.dataSource, 2);
    const them = await personas(h.app, h.dataSource, { countyId: other.county.id, townshipId: other.township.id, villageId: other.organizations[0].regionId });
    const otherKey = countySecretaryTaskKey(other.county.id, year);
    const raised = async () => (await h.dataSource.query(`SELECT status FROM task WHERE key = $1`, [otherKey])) as { status: string }[];
    const a = await HttpPlaybook.designate(h.app, h.dataSource, them, other.organizations[0], year);
    const b = await HttpPlaybook.designate(h.app, h.dataSource, them, other.organizations[1], year);
    await a.assignLeader(them.countyLeader);
    await a.appointTeam();
    expect(await raised()).toEqual([]);

    await b.act(them.countyAdmin, '/remove-from-list', { reason: '经县委组织部复核，该党支部班子健全、组织生活正常，不属于软弱涣散党组织，予以移出' });
    expect(await raised()).toEqual([{ status: 'open' }]);
  });
});

