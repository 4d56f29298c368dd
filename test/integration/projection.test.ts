import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createCaseProjectionActivities } from '../../activities/case-projection';
import { createCountySecretaryActivities } from '../../activities/county-secretary';
import type { CaseState, CaseTask } from '../../libs/domain';
import {
  AuditEntryEntity,
  CountySecretaryCaseEntity,
  dataSourceOptions,
  RectificationCaseEntity,
  TaskEntity,
} from '../../libs/persistence';
import { buildCaseState, buildEvent, buildTask, TEST_ACTOR } from '../support/case-state';
import { createRegionWithOrganizations } from '../support/harness';

let ds: DataSource;
beforeAll(async () => {
  // Quiet: one test provokes a database error on purpose.
  ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL as string, { logging: false }));
  await ds.initialize();
});
afterAll(() => ds.destroy());

const tasksOf = (caseId: string) => ds.getRepository(TaskEntity).find({ where: { caseId }, order: { key: 'ASC' } });
const auditOf = (caseId: string) => ds.getRepository(AuditEntryEntity).find({ where: { caseId }, order: { id: 'ASC' } });
const rowOf = (caseId: string) => ds.getRepository(RectificationCaseEntity).findOneByOrFail({ id: caseId });

describe('case projection (projectCase: row, tasks, audit trail)', () => {
  const projectCase: ReturnType<typeof createCaseProjectionActivities>['projectCase'] = (...args) =>
    createCaseProjectionActivities({ dataSource: ds }).projectCase(...args);

  async function freshState(overrides: Partial<CaseState> = {}): Promise<CaseState> {
    const { organizations } = await createRegionWithOrganizations(ds, 1);
    return buildCaseState(organizations[0], overrides);
  }

  it('writes the whole state and the dashboard summary columns', async () => {
    const base = await freshState();
    const leader = { id: 'leader-1', name: '王县长', title: '副县长', isCountyPartySecretary: false, assignedAt: base.designatedAt, assignedBy: TEST_ACTOR };
    const problem = (id: string, status: 'open' | 'closed') => ({
      id,
      description: `问题${id}`,
      reasonCode: 'C4' as const,
      cureTag: '治散' as const,
      rootCause: '组织生活不正常',
      evidence: '会议记录',
      status,
      foundBy: TEST_ACTOR,
      foundAt: base.designatedAt,
    });
    const measure = (id: string, status: 'pending' | 'done') => ({
      id,
      description: `措施${id}`,
      problemIds: ['p1'],
      owner: '队长',
      dueOn: '2026-06-30',
      percent: status === 'done' ? 100 : 0,
      status,
      progress: [],
      earlierUpdates: 0,
      addedBy: TEST_ACTOR,
      addedAt: base.designatedAt,
    });
    const state: CaseState = {
      ...base,
      version: 7,
      stage: 'rectifying',
      policy: { ...base.policy, version: 2 },
      contactLeader: leader,
      team: { members: [], arrivedOn: '2026-03-02', appointedBy: TEST_ACTOR, appointedAt: base.designatedAt },
      secretary: { required: true, deadline: '2026-06-02', overdue: true, trainings: [] },
      problems: [problem('p1', 'open'), problem('p2', 'closed'), problem('p3', 'open')],
      measures: [measure('m1', 'done'), measure('m2', 'pending')],
      visits: [
        {
          id: 'v1',
          visitedOn: '2026-03-10',
          quarter: '2026-Q1',
          place: '村部',
          summary: '调研',
          problemsFound: [],
          leaderId: 'leader-1',
          recordedBy: TEST_ACTOR,
          recordedAt: base.designatedAt,
        },
      ],
      yearEndOverdue: true,
      acceptedAt: '2026-11-30T02:00:00.000Z',
    };
    await projectCase(state, [buildEvent(state, 1)], []);
    const row = await rowOf(state.caseId);
    expect(row).toMatchObject({
      version: 7,
      stage: 'rectifying',
      designatedBy: TEST_ACTOR.name,
      designatedById: TEST_ACTOR.id,
      contactLeaderId: 'leader-1',
      contactLeaderName: '王县长',
      teamArrivedOn: '2026-03-02',
      secretaryRequired: true,
      secretaryDeadline: '2026-06-02',
      secretaryOverdue: true,
      yearEndOverdue: true,
      problemsOpen: 2,
      problemsClosed: 1,
      measuresTotal: 2,
      measuresDone: 1,
      visitsCount: 1,
      projectsCount: 0,
      policyVersion: 2,
      closedAt: null,
    });
    expect(row.acceptedAt?.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    expect(row.state).toEqual(JSON.parse(JSON.stringify(state)));

    const [entry] = await auditOf(state.caseId);
    expect(entry).toMatchObject({ actor: TEST_ACTOR.name, action: 'case.designated', payload: { seq: 1 } });
    const [raw] = await ds.query(`SELECT actor_id, actor_role FROM audit_entry WHERE id = $1`, [entry.id]);
    expect(raw).toEqual({ actor_id: TEST_ACTOR.id, actor_role: TEST_ACTOR.role });
  });

  it('stores a case’s state, rewritten by every action, compressed with lz4 (cheaper to write and read than pglz)', async () => {
    const state = await freshState({ note: '书记长期缺职，组织生活不正常。'.repeat(200) });
    await projectCase(state, [buildEvent(state, 1)], []);
    const [row] = await ds.query(`SELECT pg_column_compression(state) AS method FROM rectification_case WHERE id = $1`, [state.caseId]);
    expect(row).toEqual({ method: 'lz4' });
  });

  it('is idempotent: the same call three times leaves one row, one audit entry per event, the same tasks', async () => {
    const state = await freshState({ version: 2 });
    const events = [buildEvent(state, 1), buildEvent(state, 2, 'contact_leader.assigned')];
    const tasks = [
      buildTask(state, 'p1', { dueOn: '2026-05-01' }),
      buildTask(state, 'visit', { kind: 'guidance_visit', assigneeRole: 'county_leader', regionId: state.countyId, assigneeId: 'leader-1' }),
    ];
    await projectCase(state, events, tasks);
    const rowAfterFirst = await rowOf(state.caseId);
    const tasksAfterFirst = await tasksOf(state.caseId);
    await projectCase(state, events, tasks);
    await projectCase(state, events, tasks);

    expect(await ds.getRepository(RectificationCaseEntity).countBy({ id: state.caseId })).toBe(1);
    expect(await rowOf(state.caseId)).toEqual(rowAfterFirst);
    const audit = await auditOf(state.caseId);
    expect(audit.map((a) => a.idempotencyKey)).toEqual(events.map((e) => e.key));
    expect(await tasksOf(state.caseId)).toEqual(tasksAfterFirst);
    expect(tasksAfterFirst).toEqual([
      expect.objectContaining({
        key: `${state.caseId}:p1`,
        kind: 'close_problem',
        status: 'open',
        regionId: state.townshipId,
        countyId: state.countyId,
        townshipId: state.townshipId,
        assigneeId: null,
        subjectId: 'p1',
        dueOn: '2026-05-01',
        closedAt: null,
        caseVersion: 2,
      }),
      expect.objectContaining({
        key: `${state.caseId}:visit`,
        kind: 'guidance_visit',
        assigneeRole: 'county_leader',
        regionId: state.countyId,
        assigneeId: 'leader-1',
        dueOn: null,
        status: 'open',
      }),
    ]);
  });

  it('ignores a stale snapshot: its row, its tasks and its audit events (every change carries a new version, so its events already stand)', async () => {
    const base = await freshState();
    const v2 = { ...base, version: 2, stage: 'designated' as const, nextEventSeq: 3 };
    const v3 = { ...base, version: 3, stage: 'rectifying' as const, nextEventSeq: 4 };
    await projectCase(v2, [buildEvent(v2, 2, 'team.appointed')], [buildTask(v2, 'p9'), buildTask(v2, 'p1', { title: '旧标题' })]);
    await projectCase(v3, [buildEvent(v3, 3, 'stage.changed')], [buildTask(v3, 'p1')]);
    await projectCase(v2, [buildEvent(v2, 2, 'problem.added')], [buildTask(v2, 'p9'), buildTask(v2, 'p1', { title: '旧标题' })]);

    expect(await rowOf(base.caseId)).toMatchObject({ version: 3, stage: 'rectifying' });
    const tasks = (await tasksOf(base.caseId)).filter((t) => t.status === 'open');
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ key: `${base.caseId}:p1`, title: '销号问题 p1', status: 'open', caseVersion: 3 });
    expect((await auditOf(base.caseId)).map((a) => a.action)).toEqual(['team.appointed', 'stage.changed']);
  });

  describe('a workflow task Temporal discarded after its projection ran (a stalled worker, a failed task)', () => {
    const run = 'run-1';
    const point = (historyLength: number, runId = run) => ({ runId, historyLength });

    it('is replaced by the task that replaced it, later in the history, even at the same or a lower version: row, tasks and audit events; events only it made go', async () => {
      const base = await freshState();
      const designated = { ...base, version: 1, nextEventSeq: 2 };
      await projectCase(designated, [buildEvent(designated, 1)], [], point(3));
      // The discarded task applied a change twice: two events, version 3.
      const discarded = { ...base, version: 3, stage: 'rectifying' as const, nextEventSeq: 4 };
      await projectCase(discarded, [buildEvent(discarded, 2, 'problem.added'), buildEvent(discarded, 3, 'problem.added')], [buildTask(discarded, 'p9')], point(10));
      // Entries the API writes about the case itself, under keys of its own, are no events of the workflow's.
      for (const key of [`api:${randomUUID()}`, `${base.caseId}:evidence`]) {
        await ds.query(`INSERT INTO audit_entry (idempotency_key, case_id, actor, action, occurred_at, payload) VALUES ($1, $2, '县委组织部', 'attachment.added', now(), '{}')`, [key, base.caseId]);
      }
      // Its replacement, three events on: the change once, another event under the same number, version 2.
      const kept = { ...base, version: 2, stage: 'designated' as const, nextEventSeq: 3 };
      await projectCase(kept, [buildEvent(kept, 2, 'problem_list.confirmed')], [buildTask(kept, 'p1')], point(13));

      expect(await rowOf(base.caseId)).toMatchObject({ version: 2, stage: 'designated', projectedRunId: run, projectedHistoryLength: 13 });
      expect((await tasksOf(base.caseId)).map((t) => [t.key, t.status])).toEqual([
        [`${base.caseId}:p1`, 'open'],
        [`${base.caseId}:p9`, 'done'],
      ]);
      expect((await auditOf(base.caseId)).map((a) => [a.idempotencyKey.startsWith('api:') ? 'api:…' : a.idempotencyKey, a.action])).toEqual([
        [`${base.caseId}:e1`, 'case.designated'],
        [`${base.caseId}:e2`, 'problem_list.confirmed'],
        ['api:…', 'attachment.added'],
        [`${base.caseId}:evidence`, 'attachment.added'],
      ]);
    });

    it('written late, after the task that replaced it (a worker that wakes up), changes nothing, whatever its version', async () => {
      const base = await freshState();
      const kept = { ...base, version: 2, stage: 'designated' as const, nextEventSeq: 3 };
      await projectCase(kept, [buildEvent(kept, 1), buildEvent(kept, 2, 'problem_list.confirmed')], [buildTask(kept, 'p1')], point(13));
      const late = { ...base, version: 4, stage: 'rectifying' as const, nextEventSeq: 5 };
      await projectCase(late, [buildEvent(late, 2, 'problem.added'), buildEvent(late, 3, 'problem.added'), buildEvent(late, 4, 'problem.added')], [buildTask(late, 'p9')], point(10));

      expect(await rowOf(base.caseId)).toMatchObject({ version: 2, stage: 'designated', projectedHistoryLength: 13 });
      expect((await tasksOf(base.caseId)).map((t) => [t.key, t.status])).toEqual([[`${base.caseId}:p1`, 'open']]);
      expect((await auditOf(base.caseId)).map((a) => a.action)).toEqual(['case.designated', 'problem_list.confirmed']);
    });

    it('leaves the order of one task to its versions (two changes in one task), and of two runs (continued as new) to their versions', async () => {
      const base = await freshState();
      const v2 = { ...base, version: 2, nextEventSeq: 3 };
      const v3 = { ...base, version: 3, stage: 'rectifying' as const, nextEventSeq: 4 };
      await projectCase(v3, [buildEvent(v3, 3, 'stage.changed')], [], point(20));
      await projectCase(v2, [buildEvent(v2, 2, 'team.appointed')], [], point(20));
      expect(await rowOf(base.caseId)).toMatchObject({ version: 3, stage: 'rectifying' });
      // The next run starts its history again; its versions go on.
      const v4 = { ...base, version: 4, stage: 'awaiting_acceptance' as const, nextEventSeq: 5 };
      await projectCase(v4, [buildEvent(v4, 4, 'acceptance.requested')], [], point(3, 'run-2'));
      expect(await rowOf(base.caseId)).toMatchObject({ version: 4, projectedRunId: 'run-2', projectedHistoryLength: 3 });
      await projectCase(v3, [buildEvent(v3, 3, 'stage.changed')], [], point(30));
      expect(await rowOf(base.caseId)).toMatchObject({ version: 4, stage: 'awaiting_acceptance' });
      expect((await auditOf(base.caseId)).map((a) => a.action)).toEqual(['stage.changed', 'acceptance.requested']);
    });
  });

  it('closes a task the workflow no longer lists, updates a changed one, and reopens one that comes back', async () => {
    const base = await freshState();
    const v1 = { ...base, version: 1 };
    const a = buildTask(v1, 'a');
    const b = buildTask(v1, 'b', { dueOn: '2026-04-01' });
    await projectCase(v1, [], [a, b]);
    const openedA = (await tasksOf(base.caseId))[0];

    // v2: a is done (absent); b moves its due date and gets an assignee.
    const v2 = { ...base, version: 2 };
    await projectCase(v2, [], [{ ...b, dueOn: '2026-04-15', assigneeId: 'leader-2', title: '新标题' }]);
    let [ta, tb] = await tasksOf(base.caseId);
    expect(ta).toMatchObject({ status: 'done', caseVersion: 2 });
    expect(ta.closedAt).toBeInstanceOf(Date);
    expect(tb).toMatchObject({ status: 'open', dueOn: '2026-04-15', assigneeId: 'leader-2', title: '新标题', closedAt: null, caseVersion: 2 });

    // v3: a is back (e.g. the problem was reopened); b unchanged keeps its version.
    const v3 = { ...base, version: 3 };
    await projectCase(v3, [], [a, { ...b, dueOn: '2026-04-15', assigneeId: 'leader-2', title: '新标题' }]);
    [ta, tb] = await tasksOf(base.caseId);
    expect(ta).toMatchObject({ status: 'open', closedAt: null, caseVersion: 3 });
    expect(ta.openedAt.getTime()).toBeGreaterThanOrEqual(openedA.openedAt.getTime());
    expect(tb).toMatchObject({ status: 'open', caseVersion: 2 });

    // v4: no tasks at all: everything is done.
    const v4 = { ...base, version: 4 };
    await projectCase(v4, [], []);
    expect((await tasksOf(base.caseId)).map((t) => t.status)).toEqual(['done', 'done']);
  });

  it('keeps the due days of the open tasks on the case row, as the dashboards count overdue tasks from it', async () => {
    const base = await freshState();
    const dues = async () => (await ds.query(`SELECT to_char(d, 'YYYY-MM-DD') AS d FROM rectification_case c, unnest(c.open_tasks_due) AS d WHERE c.id = $1 ORDER BY d`, [base.caseId])).map((r: { d: string }) => r.d);
    const v1 = { ...base, version: 1 };
    await projectCase(v1, [], [buildTask(v1, 'a'), buildTask(v1, 'b', { dueOn: '2026-04-15' }), buildTask(v1, 'c', { dueOn: '2026-04-01' })]);
    expect(await dues()).toEqual(['2026-04-01', '2026-04-15']);
    // c done, b moved: the row follows its tasks.
    await projectCase({ ...base, version: 2 }, [], [buildTask(v1, 'a'), buildTask(v1, 'b', { dueOn: '2026-05-01' })]);
    expect(await dues()).toEqual(['2026-05-01']);
    // A stale snapshot changes neither the tasks nor the row.
    await projectCase({ ...base, version: 1 }, [], [buildTask(v1, 'c', { dueOn: '2026-03-01' })]);
    expect(await dues()).toEqual(['2026-05-01']);
    await projectCase({ ...base, version: 3 }, [], []);
    expect(await dues()).toEqual([]);
  });

  it('leaves other cases’ tasks alone', async () => {
    const one = await freshState();
    const two = await freshState();
    await projectCase(one, [], [buildTask(one, 'x')]);
    await projectCase(two, [], [buildTask(two, 'x')]);
    await projectCase({ ...one, version: 2 }, [], []);
    expect((await tasksOf(one.caseId)).map((t) => t.status)).toEqual(['done']);
    expect((await tasksOf(two.caseId)).map((t) => t.status)).toEqual(['open']);
  });

  it('writes nothing when a task cannot be stored (one transaction)', async () => {
    const state = await freshState();
    const bad: CaseTask = buildTask(state, 'long', { title: '长'.repeat(400) });
    await expect(projectCase(state, [buildEvent(state, 1)], [bad])).rejects.toThrow();
    expect(await ds.getRepository(RectificationCaseEntity).countBy({ id: state.caseId })).toBe(0);
    expect(await auditOf(state.caseId)).toHaveLength(0);
  });
});

describe('county party secretary reservation (reserveCountySecretaryCase / releaseCountySecretaryCase)', () => {
  const activities = () => createCountySecretaryActivities({ dataSource: ds });
  let countyId: string;
  let year = 2026;
  beforeAll(async () => {
    countyId = (await createRegionWithOrganizations(ds, 0)).county.id;
  });
  // Every test its own batch year in the same county.
  beforeEach(() => {
    year += 1;
  });
  const caseId = () => `case-${year}-${randomUUID()}`;
  const holders = async (batchYear: number) =>
    (await ds.getRepository(CountySecretaryCaseEntity).find({ where: { countyId, batchYear }, order: { reservedAt: 'ASC' } })).map((r) => r.caseId);

  it('grants the first case, refuses a second, is idempotent, and frees the place on release', async () => {
    const { reserveCountySecretaryCase: reserve, releaseCountySecretaryCase: release } = activities();
    const first = caseId();
    const second = caseId();
    const args = (c: string) => ({ countyId, batchYear: year, caseId: c, leaderId: 'county-secretary-1', maxCases: 1 });

    expect(await reserve(args(first))).toEqual({ granted: true, heldBy: [first] });
    expect(await reserve(args(second))).toEqual({ granted: false, heldBy: [first] });
    expect(await reserve(args(first))).toEqual({ granted: true, heldBy: [first] });
    expect(await holders(year)).toEqual([first]);

    await release({ countyId, batchYear: year, caseId: first });
    await release({ countyId, batchYear: year, caseId: first });
    expect(await holders(year)).toEqual([]);
    expect(await reserve(args(second))).toEqual({ granted: true, heldBy: [second] });
    // Releasing a case that holds nothing changes nothing.
    await release({ countyId, batchYear: year, caseId: first });
    expect(await holders(year)).toEqual([second]);
  });

  it('counts per county and batch year', async () => {
    const { reserveCountySecretaryCase: reserve } = activities();
    const otherCounty = (await createRegionWithOrganizations(ds, 0)).county.id;
    const a = caseId();
    expect((await reserve({ countyId, batchYear: year, caseId: a, leaderId: 's', maxCases: 1 })).granted).toBe(true);
    expect((await reserve({ countyId, batchYear: year + 100, caseId: caseId(), leaderId: 's', maxCases: 1 })).granted).toBe(true);
    expect((await reserve({ countyId: otherCounty, batchYear: year, caseId: caseId(), leaderId: 's2', maxCases: 1 })).granted).toBe(true);
  });

  it('uses one cap for the batch, the seed\'s one case, whatever cap a case\'s older policy version carries', async () => {
    const { reserveCountySecretaryCase: reserve } = activities();
    const [a, b] = [caseId(), caseId()];
    // A version published before the floors said 2; another case of the batch carries 0.
    expect(await reserve({ countyId, batchYear: year, caseId: a, leaderId: 'county-secretary-1', maxCases: 0 })).toEqual({ granted: true, heldBy: [a] });
    expect(await reserve({ countyId, batchYear: year, caseId: b, leaderId: 'county-secretary-1', maxCases: 2 })).toEqual({ granted: false, heldBy: [a] });
  });

  it.each([1, 2])('grants exactly one of 10 concurrent reservations (five rounds; a case carrying maxCases=%i)', async (maxCases) => {
    const { reserveCountySecretaryCase: reserve } = activities();
    for (let round = 0; round < 5; round++) {
      const batchYear = 5000 + maxCases * 100 + round;
      const ids = Array.from({ length: 10 }, () => `case-${batchYear}-${randomUUID()}`);
      const results = await Promise.all(ids.map((id) => reserve({ countyId, batchYear, caseId: id, leaderId: 'county-secretary-1', maxCases })));
      const winners = ids.filter((_, i) => results[i].granted);
      expect(winners).toHaveLength(1);
      expect((await holders(batchYear)).sort()).toEqual([...winners].sort());
      for (const r of results.filter((x) => !x.granted)) expect([...r.heldBy].sort()).toEqual([...winners].sort());
    }
  });
});
