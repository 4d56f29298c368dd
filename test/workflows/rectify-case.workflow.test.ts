import type { UpdateDefinition } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { caseIdFor, DEFAULT_POLICY, type CaseCommandInputs, type CaseState } from '../../libs/domain';
import { AuditEntryEntity, RectificationCaseEntity, TaskEntity } from '../../libs/persistence';
import { caseUpdates, getAcceptanceConditionsQuery, NEW_RUNS_TAKE_PATCHES, RECTIFY_CASE_WORKFLOW_TYPE, type RectifyCaseWorkflow } from '../../libs/contracts/rectify-case';
import {
  CaseDriver,
  CONTACT_LEADER,
  CONTACT_LEADER_ACTOR,
  COUNTY_ADMIN,
  COUNTY_PARTY_SECRETARY,
  FULL_TEAM,
  skipTo,
  TEAM_LEADER,
  TOWNSHIP_SECRETARY,
} from '../support/case-driver';
import { createRegionWithOrganizations } from '../support/harness';
import { changeVersionUpserts, patchIdsOf, takesPatchesOf } from '../support/history-events';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

/**
 * The "六个一" case workflow through a simulated year on the time-skipping server, with the real
 * activities writing to PostgreSQL. Every test starts its own server, so each has its own clock.
 */
describe('rectifyCase: the six-track playbook as one workflow', () => {
  let ts: TimeSkipping;
  afterEach(async () => {
    await ts?.close();
  });

  /** A fresh server and organizations; the clock is moved to a fixed day so no test depends on today. */
  async function setUp(orgCount = 1, day = '2030-03-02') {
    ts = await startTimeSkipping();
    const region = await createRegionWithOrganizations(ts.dataSource, orgCount);
    await skipTo(ts, day);
    return region.organizations;
  }

  const openTasks = (caseId: string) =>
    ts.dataSource.getRepository(TaskEntity).find({ where: { caseId, status: 'open' }, order: { key: 'ASC' } });

  it('walks the happy path: designation → rectifying → acceptance → follow-up review → closed', async () => {
    // The batch year begins: 2030 (a fixed year ahead, so the test does not depend on today's date).
    const [org] = await setUp(1, '2030-01-04');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C1', 'C4'] });

    let s = await c.state();
    expect(s.stage).toBe('designated');
    expect((await openTasks(c.caseId)).map((t) => t.kind).sort()).toEqual(['appoint_team', 'assign_contact_leader']);

    s = await c.assignLeader();
    expect(s.stage).toBe('designated');
    s = await c.appointTeam('2030-01-04');
    expect(s.stage).toBe('rectifying');
    expect(s.stageHistory.at(-1)).toMatchObject({ from: 'designated', to: 'rectifying', actor: TOWNSHIP_SECRETARY });
    // 一个关键: C1 calls for a new secretary within 3 calendar months of the team's arrival.
    expect(s.secretary).toMatchObject({ required: true, deadline: '2030-04-04', overdue: false });

    await c.skipTo('2030-01-10');
    await c.visit('2030-01-10');
    s = await c.completePlaybook('2030-01-10');
    expect(s.problems.every((p) => p.status === 'closed')).toBe(true);

    // A new quarter: its visit is owed before acceptance can count every quarter so far.
    await c.skipTo('2030-04-08');
    const conditions = await c.handle.query(getAcceptanceConditionsQuery);
    expect(conditions.filter((x) => !x.met).map((x) => x.code)).toEqual([]);
    await c.visit('2030-04-08');

    s = await c.do('requestAcceptance', { actor: TOWNSHIP_SECRETARY, summary: '六个一全部落实' });
    expect(s.stage).toBe('awaiting_acceptance');
    s = await c.do('acceptCase', { actor: COUNTY_ADMIN, opinion: '经验收，转化提升，同意销号' });
    expect(s.stage).toBe('converted');
    expect(s.followUp?.dueOn).toBe('2030-10-08');

    s = await c.do('releaseTeam', { actor: TOWNSHIP_SECRETARY, reason: '已转化，撤离' });
    expect(s.team?.releasedAt).toBeTruthy();

    await c.skipTo('2030-10-09');
    s = await c.state();
    expect(s.stage).toBe('follow_up_review');
    expect((await openTasks(c.caseId)).map((t) => t.kind)).toEqual(['follow_up_review']);

    s = await c.do('recordFollowUp', { actor: COUNTY_ADMIN, relapsed: false, findings: '班子稳定，组织生活正常' });
    expect(s.stage).toBe('closed');
    const final = await c.handle.result();
    expect(final.stage).toBe('closed');
    expect(final.stageHistory.map((h) => h.to)).toEqual(['designated', 'rectifying', 'awaiting_acceptance', 'converted', 'follow_up_review', 'closed']);
    for (const h of final.stageHistory) expect(h).toEqual(expect.objectContaining({ actor: expect.objectContaining({ id: expect.any(String) }), at: expect.any(String), reason: expect.any(String) }));

    // The read model followed every change: the row, the audit trail, no open task left.
    const row = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: c.caseId });
    expect(row.stage).toBe('closed');
    expect(row.version).toBe(final.version);
    expect(await openTasks(c.caseId)).toEqual([]);
    const audit = await ts.dataSource.getRepository(AuditEntryEntity).find({ where: { caseId: c.caseId } });
    expect(audit.length).toBe(final.nextEventSeq - 1);
    expect(new Set(audit.map((a) => a.idempotencyKey)).size).toBe(audit.length);
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['case.designated', 'leader.assigned', 'team.appointed', 'case.accepted', 'follow_up.passed']));
    await c.recordHistory('happy-path');
    await c.recordHistory('happy-path-single-sync');
    await c.recordHistory('happy-path-bounded');
    await c.recordHistory('happy-path-local-sync');
    await c.recordHistory('happy-path-all-patches');
    await c.recordHistory('happy-path-standing-timer');
    await c.recordHistory('happy-path-patches-in-input');

    // A run started under today's code names its patches in its input: no patch marker, so no upsert of
    // TemporalChangeVersion (a visibility write on the Temporal server per case), and its designation does not
    // upsert the stage its start already carries.
    const events = (await c.handle.fetchHistory()).events ?? [];
    expect(patchIdsOf(events)).toEqual([]);
    expect(changeVersionUpserts(events)).toEqual([]);
    const stageUpserts = events.flatMap((e) => {
      const stage = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.CaseStage?.data;
      return stage ? [JSON.parse(Buffer.from(stage).toString('utf8')) as string] : [];
    });
    expect(stageUpserts).toEqual(final.stageHistory.slice(1).map((h) => h.to));

    // The case's timer stands while its next wake-up stays: no timer is cancelled only to be started again
    // for the same moment, and many actions left the timer as it was.
    const ms = (t?: { seconds?: unknown; nanos?: number | null } | null) => Number(String(t?.seconds ?? 0)) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);
    const firesAt = new Map<string, number>();
    const restartedForTheSameMoment: string[] = [];
    let cancelled: number | undefined;
    for (const e of events) {
      const started = e.timerStartedEventAttributes;
      if (started) {
        const at = ms(e.eventTime) + ms(started.startToFireTimeout);
        if (cancelled !== undefined && Math.abs(at - cancelled) < 1000) restartedForTheSameMoment.push(new Date(at).toISOString());
        firesAt.set(started.timerId!, at);
        cancelled = undefined;
      }
      if (e.timerCanceledEventAttributes) cancelled = firesAt.get(e.timerCanceledEventAttributes.timerId!);
    }
    expect(restartedForTheSameMoment).toEqual([]);
    const updates = events.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes).length;
    expect(firesAt.size).toBeLessThan(updates / 2);
  });

  it('refuses each broken rule by name, before anything reaches the history', async () => {
    const [org] = await setUp();
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C2'] });
    await c.assignLeader();

    // 一支队伍: at least 3 people, led by a section-level cadre.
    expect((await c.refused('appointTeam', { actor: TOWNSHIP_SECRETARY, arrivedOn: '2030-03-02', members: FULL_TEAM.slice(0, 2) })).rule).toBe('TEAM_MIN_SIZE');
    const staffLed = FULL_TEAM.map((m, i) => ({ ...m, isLeader: i === 1 }));
    expect((await c.refused('appointTeam', { actor: TOWNSHIP_SECRETARY, arrivedOn: '2030-03-02', members: staffLed })).rule).toBe('TEAM_LEADER_SECTION_LEVEL');
    // Only the township Party committee appoints the team.
    expect((await c.refused('appointTeam', { actor: TEAM_LEADER, arrivedOn: '2030-03-02', members: FULL_TEAM })).rule).toBe('ROLE_NOT_ALLOWED');

    const before = await c.state();
    const history = await c.handle.fetchHistory();
    const updateEvents = (history.events ?? []).filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes || e.workflowExecutionUpdateRejectedEventAttributes);
    // Only the accepted leader assignment is in the history: refusals left no trace.
    expect(updateEvents).toHaveLength(1);

    let s = await c.appointTeam('2030-03-02');
    expect(s.version).toBe(before.version + 1);
    // Members may change, never below 3.
    const memberId = s.team!.members.find((m) => !m.isLeader)!.id;
    expect((await c.refused('changeTeam', { actor: TOWNSHIP_SECRETARY, removeIds: [memberId], reason: '调离' })).rule).toBe('TEAM_MIN_SIZE');
    s = await c.do('changeTeam', { actor: TOWNSHIP_SECRETARY, removeIds: [memberId], add: [{ name: '孙员', rank: 'staff', unit: '镇党建办' }], reason: '轮换' });
    expect(s.team!.members).toHaveLength(3);
    // 不转化不脱钩.
    expect((await c.refused('releaseTeam', { actor: TOWNSHIP_SECRETARY, reason: '工作需要' })).rule).toBe('TEAM_NOT_RELEASED_BEFORE_CONVERSION');

    // Problem list: confirmed by the township secretary; closed only with evidence of the fix.
    const [p1] = await c.addProblems(1);
    expect((await c.refused('confirmProblemList', { actor: TEAM_LEADER })).rule).toBe('ROLE_NOT_ALLOWED');
    expect((await c.refused('closeProblem', { actor: TEAM_LEADER, problemId: p1, fixEvidence: '有' })).rule).toBe('PROBLEM_LIST_NOT_CONFIRMED');
    await c.do('confirmProblemList', { actor: TOWNSHIP_SECRETARY });
    expect((await c.refused('closeProblem', { actor: TEAM_LEADER, problemId: p1, fixEvidence: '  ' })).rule).toBe('PROBLEM_CLOSE_NEEDS_EVIDENCE');

    // Plan: not approved before the required consultations.
    await c.planFor([p1], '2030-12-20');
    const noConsultations = await c.refused('approvePlan', { actor: TOWNSHIP_SECRETARY });
    expect(noConsultations.rule).toBe('PLAN_CONSULTATIONS_REQUIRED');
    expect(noConsultations.details.missing).toEqual(['party_members_meeting', 'villager_representatives_meeting', 'household_visits', 'heart_to_heart_talks']);
    await c.do('recordConsultation', { actor: TEAM_LEADER, kind: 'party_members_meeting', heldOn: '2030-03-02', participants: 20, summary: '党员大会' });
    expect((await c.refused('approvePlan', { actor: TOWNSHIP_SECRETARY })).details.missing).toHaveLength(3);

    // Acceptance with open problems: refused, every unmet condition listed by name.
    const refusal = await c.refused('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意' });
    expect(refusal.rule).toBe('ACCEPTANCE_CONDITIONS_UNMET');
    expect((refusal.details.unmet as { code: string }[]).map((u) => u.code)).toEqual([
      'QUARTERLY_VISITS',
      'PROBLEMS_ALL_CLOSED',
      'PLAN_APPROVED',
      'MEASURES_ALL_DONE',
      'SECRETARY_IN_PLACE',
      'COLLECTIVE_PROJECT',
      // Issue 16: the contact leader's practical things and the secretary's training, with evidence.
      'PRACTICAL_THINGS',
      'SECRETARY_TRAINING',
    ]);
    expect(refusal.message).toContain('问题全部销号');
    // Acceptance is the county organization department's.
    expect((await c.refused('acceptCase', { actor: TOWNSHIP_SECRETARY, opinion: '同意' })).rule).toBe('ACCEPTANCE_BY_COUNTY');
    // Visits are the contact leader's own.
    expect((await c.refused('recordGuidanceVisit', { actor: { id: 'someone-else', name: '别的领导', role: 'county_leader' }, visitedOn: '2030-03-02', place: '村部', summary: '调研' })).rule).toBe('VISIT_BY_CONTACT_LEADER');
    expect((await c.refused('recordGuidanceVisit', { actor: CONTACT_LEADER_ACTOR, visitedOn: '2030-12-30', place: '村部', summary: '调研' })).rule).toBe('DATE_IN_FUTURE');
  });

  it('lets the county party secretary take only one case per batch, across cases', async () => {
    const [a, b] = await setUp(2);
    const first = await CaseDriver.designate(ts, a, { batchYear: 2030 });
    const second = await CaseDriver.designate(ts, b, { batchYear: 2030 });
    await first.assignLeader(COUNTY_PARTY_SECRETARY);
    const refusal = await second.refused('assignContactLeader', { actor: COUNTY_ADMIN, leader: COUNTY_PARTY_SECRETARY });
    expect(refusal.rule).toBe('COUNTY_SECRETARY_ONE_CASE');
    expect(refusal.details.heldBy).toEqual([first.caseId]);
    expect((await second.state()).contactLeader).toBeUndefined();
    // Another county-level leader takes the second case; and when the first case changes its leader,
    // the county party secretary is free for another case.
    await second.assignLeader(CONTACT_LEADER);
    await first.do('assignContactLeader', { actor: COUNTY_ADMIN, leader: { ...CONTACT_LEADER, id: 'u-other', name: '县级领导 孙县' }, reason: '工作调整' });
    const s = await second.do('assignContactLeader', { actor: COUNTY_ADMIN, leader: COUNTY_PARTY_SECRETARY, reason: '县委书记带头挂点' });
    expect(s.contactLeader?.id).toBe(COUNTY_PARTY_SECRETARY.id);
    expect(s.previousContactLeaders.map((l) => l.id)).toEqual([CONTACT_LEADER.id]);
  });

  it('marks the secretary deadline missed when 3 months pass after the team arrives', async () => {
    const [org] = await setUp();
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C1'] });
    await c.assignLeader();
    await c.appointTeam('2030-03-02');
    expect((await c.state()).secretary.deadline).toBe('2030-06-02');

    await c.skipTo('2030-06-02', 23);
    expect((await c.state()).secretary.overdue).toBe(false);
    await c.skipTo('2030-06-03', 1);
    const s = await c.state();
    expect(s.secretary.overdue).toBe(true);
    const task = (await openTasks(c.caseId)).find((t) => t.kind === 'appoint_secretary');
    expect(task?.dueOn).toBe('2030-06-02');
    const audit = await ts.dataSource.getRepository(AuditEntryEntity).findBy({ caseId: c.caseId, action: 'deadline.secretary_missed' });
    expect(audit).toHaveLength(1);
    expect(audit[0].actorRole).toBe('system');
  });

  it('does not require a new secretary when the designation is not about the secretary', async () => {
    const [org] = await setUp();
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C3'] });
    await c.assignLeader();
    const s = await c.appointTeam('2030-03-02');
    expect(s.secretary).toMatchObject({ required: false, overdue: false });
    expect(s.secretary.deadline).toBeUndefined();
  });

  it('marks a case still unconverted at 31 December overdue for the year end', async () => {
    const [org] = await setUp();
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C6'] });
    await c.skipTo('2030-12-31', 23);
    expect((await c.state()).yearEndOverdue).toBe(false);
    await c.skipTo('2031-01-01', 1);
    const s = await c.state();
    expect(s.yearEndOverdue).toBe(true);
    const audit = await ts.dataSource.getRepository(AuditEntryEntity).findBy({ caseId: c.caseId, action: 'deadline.year_end_missed' });
    expect(audit).toHaveLength(1);
    const row = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: c.caseId });
    expect(row.yearEndOverdue).toBe(true);
  });

  it('reopens a relapsed case at the follow-up review, keeping the reason', async () => {
    const [org] = await setUp();
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C4'] });
    await c.assignLeader();
    await c.appointTeam('2030-03-02');
    await c.visit('2030-03-02');
    await c.completePlaybook('2030-03-02');
    await c.do('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意销号' });
    await c.skipTo('2030-09-03');
    expect((await c.state()).stage).toBe('follow_up_review');
    expect((await c.refused('recordFollowUp', { actor: COUNTY_ADMIN, relapsed: true, findings: ' ' })).rule).toBe('RELAPSE_NEEDS_REASON');

    const s = await c.do('recordFollowUp', { actor: COUNTY_ADMIN, relapsed: true, findings: '新班子再次内耗，组织生活停滞' });
    expect(s.stage).toBe('rectifying');
    expect(s.relapses).toEqual([expect.objectContaining({ reason: '新班子再次内耗，组织生活停滞', by: COUNTY_ADMIN })]);
    expect(s.stageHistory.at(-1)).toMatchObject({ from: 'follow_up_review', to: 'rectifying', reason: expect.stringContaining('新班子再次内耗') });
    expect(s.acceptedAt).toBeUndefined();
    // The playbook runs again: a new problem list must be confirmed before acceptance.
    const refusal = await c.refused('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意' });
    expect((refusal.details.unmet as { code: string }[]).map((u) => u.code)).toContain('PROBLEM_LIST_CONFIRMED');
    await c.recordHistory('relapse');
  });

  it("keeps the policy it started with: a county's stricter team size applies to its case", async () => {
    const [org] = await setUp();
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, policy: { version: 7, teamMinSize: 4 } });
    await c.assignLeader();
    const refusal = await c.refused('appointTeam', { actor: TOWNSHIP_SECRETARY, arrivedOn: '2030-03-02', members: FULL_TEAM });
    expect(refusal.rule).toBe('TEAM_MIN_SIZE');
    expect(refusal.message).toContain('需至少4人');
    const s = await c.appointTeam('2030-03-02', [...FULL_TEAM, { name: '吴员', rank: 'staff', unit: '镇政府' }]);
    expect(s.policy.version).toBe(7);
    const row = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: c.caseId });
    expect(row.policyVersion).toBe(7);
  });

  it('takes every patch with one marker when its input does not name them, as the API of before started cases', async () => {
    const [org] = await setUp();
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C4'], startedByOlderApi: true });
    await c.assignLeader();
    const s = await c.appointTeam('2030-03-02');
    expect(s.stage).toBe('rectifying');
    const events = (await c.handle.fetchHistory()).events ?? [];
    expect(patchIdsOf(events)).toEqual(['all-patches-v3']);
    // The marker's upsert that a run naming its patches saves the Temporal server.
    expect(changeVersionUpserts(events)).toHaveLength(1);
  });

  it('stays far below history limits through hundreds of updates, continuing as new with nothing lost', async () => {
    const [org] = await setUp();
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C4'] });
    await c.assignLeader();
    await c.appointTeam('2030-03-02');
    const [p] = await c.addProblems(1);
    await c.do('confirmProblemList', { actor: TOWNSHIP_SECRETARY });
    await c.consultAll('2030-03-02');
    const [m] = await c.planFor([p], '2030-12-31');
    await c.do('approvePlan', { actor: TOWNSHIP_SECRETARY });
    const UPDATES = 400;
    for (let i = 0; i < UPDATES; i++) {
      await c.do('updateMeasureProgress', { actor: TEAM_LEADER, measureId: m, percent: i % 99, note: `第${i + 1}次进展` });
    }
    const s = await c.state();
    const measure = s.measures.find((x) => x.id === m)!;
    expect(measure.progress.length + measure.earlierUpdates).toBe(UPDATES);
    expect(s.problems).toHaveLength(1);
    expect(s.consultations).toHaveLength(4);

    const description = await c.handle.describe();
    // At least one continue-as-new happened, and the running history is small.
    expect(description.runId).not.toBe(c.handle.firstExecutionRunId);
    expect(description.historyLength).toBeLessThan(2500);
    // The continued run takes the patches its input names, as the first did: no patch marker in it either.
    const continued = (await c.handle.fetchHistory()).events ?? [];
    expect(takesPatchesOf(continued)).toBe(NEW_RUNS_TAKE_PATCHES);
    expect(patchIdsOf(continued)).toEqual([]);
    const audit = await ts.dataSource.getRepository(AuditEntryEntity).countBy({ caseId: c.caseId, action: 'measure.progressed' });
    expect(audit).toBe(UPDATES);
    // And the case goes on working after it.
    const after = await c.do('updateMeasureProgress', { actor: TEAM_LEADER, measureId: m, percent: 100, note: '完成' });
    expect(after.measures[0].status).toBe('done');
  });

  it('runs an action that arrives with the first workflow task after the designation, never beside it', async () => {
    const [org] = await setUp(1, '2030-03-02');
    const caseId = caseIdFor(org.id, 2030);
    // A client that starts a case and acts at once, before any worker has run it: the Update lands
    // in the workflow's first task, together with the start.
    const lateQueue = `${ts.taskQueue}-late`;
    const handle = await ts.env.client.workflow.start<RectifyCaseWorkflow>(RECTIFY_CASE_WORKFLOW_TYPE, {
      taskQueue: lateQueue,
      workflowId: caseId,
      args: [{ designation: { caseId, organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId }, batchYear: 2030, reasons: ['C1'], note: '测试认定', designatedBy: COUNTY_ADMIN, designatedAt: new Date(await ts.env.currentTimeMs()).toISOString(), policy: DEFAULT_POLICY } }],
    });
    const update = caseUpdates.assignContactLeader as unknown as UpdateDefinition<CaseState, [CaseCommandInputs['assignContactLeader']], 'assignContactLeader'>;
    const updated = handle.executeUpdate(update, { args: [{ actor: COUNTY_ADMIN, leader: CONTACT_LEADER }] });
    await new Promise((r) => setTimeout(r, 1000));
    const worker = await Worker.create({
      connection: ts.env.nativeConnection,
      taskQueue: lateQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: createActivities({ dataSource: ts.dataSource, temporal: { client: ts.env.client, taskQueue: lateQueue } }),
    });
    await worker.runUntil(updated);

    const { events } = await handle.fetchHistory();
    const kinds = (events ?? []).map((e) => (e.activityTaskScheduledEventAttributes ? 'scheduled' : e.activityTaskCompletedEventAttributes ? 'completed' : e.activityTaskFailedEventAttributes ? 'failed' : null)).filter(Boolean);
    // One projection at a time: every scheduled activity completes before the next is scheduled, none fails.
    expect(kinds).not.toContain('failed');
    for (let i = 0; i + 1 < kinds.length; i += 2) expect([kinds[i], kinds[i + 1]]).toEqual(['scheduled', 'completed']);
    const row = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: caseId });
    expect(row.contactLeaderId).toBe(CONTACT_LEADER.id);
  });

  it('takes a case off the list only with a written reason, and then ends it: escalations resolved, the county party secretary freed', async () => {
    const [org] = await setUp(1, '2030-03-02');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C1'] });
    await c.assignLeader(COUNTY_PARTY_SECRETARY);
    await c.appointTeam('2030-03-02');
    // The first quarter ends without the contact leader's visit: a 督办 is raised.
    await c.skipTo('2030-04-03');
    const escalations = () => ts.dataSource.query(`SELECT deadline_key, resolved_at FROM escalation WHERE case_id = $1`, [c.caseId]) as Promise<{ deadline_key: string; resolved_at: Date | null }[]>;
    expect((await escalations()).filter((e) => e.resolved_at === null).map((e) => e.deadline_key)).toEqual(['quarter_visit:2030-Q1']);

    expect((await c.refused('removeFromList', { actor: TOWNSHIP_SECRETARY, reason: '经复核不属于软弱涣散党组织' })).rule).toBe('ROLE_NOT_ALLOWED');
    expect((await c.refused('removeFromList', { actor: COUNTY_ADMIN, reason: '误报' })).rule).toBe('REMOVAL_REASON_REQUIRED');
    const reason = '经复核，认定所依据的信访问题系误报，班子运转正常';
    const s = await c.do('removeFromList', { actor: COUNTY_ADMIN, reason });
    expect(s.stage).toBe('removed');
    expect(s.removal).toMatchObject({ by: COUNTY_ADMIN, reason, fromStage: 'rectifying' });

    // The run ends with the case off the list, nothing left open behind it.
    const final = await c.handle.result();
    expect(final.stage).toBe('removed');
    expect(final.stageHistory.map((h) => h.to)).toEqual(['designated', 'rectifying', 'removed']);
    expect(await openTasks(c.caseId)).toEqual([]);
    expect((await escalations()).every((e) => e.resolved_at !== null)).toBe(true);
    expect(await ts.dataSource.query(`SELECT case_id FROM county_secretary_case WHERE case_id = $1`, [c.caseId])).toEqual([]);
    const row = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: c.caseId });
    expect(row.stage).toBe('removed');
    const removal = await ts.dataSource.getRepository(AuditEntryEntity).findOneByOrFail({ caseId: c.caseId, action: 'case.removed' });
    expect(removal).toMatchObject({ actorId: COUNTY_ADMIN.id, actorRole: 'county_org_admin', payload: { reason, fromStage: 'rectifying' } });
    await c.recordHistory('removed-from-list');
  });
});
