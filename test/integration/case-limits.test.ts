import { temporal } from '@temporalio/proto';
import { CASE_LIMITS, jsonBytes, type CaseState } from '../../libs/domain';
import type { OrganizationEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas } from '../support/auth';
import { createRegionWithOrganizations, eventually, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/**
 * Bounded cases (issue 15): a case driven to its engineering limits (libs/domain/case/limits.ts) —
 * a count at its cap, every text at its longest — keeps every payload it hands Temporal under
 * 256 kB; one more record is refused naming the limit, and the county can still take it off the list.
 */
describe('a case driven to its limits', () => {
  let h: Harness;
  let people: Personas;
  let play: HttpPlaybook;
  let secondOrganization: OrganizationEntity;
  const KB256 = 256 * 1024;
  const LONG = '村'.repeat(CASE_LIMITS.textMaxLength);
  const LONG_OWNER = '张'.repeat(100);
  const future = `${new Date().getFullYear() + 1}-06-30`;

  beforeAll(async () => {
    h = await startHarness();
    const orgs = await createRegionWithOrganizations(h.dataSource, 2);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], 2026);
    secondOrganization = orgs.organizations[1];
    await play.assignLeader();
    await play.appointTeam();
  }, 120000);
  afterAll(() => h?.close());

  const post = (user: { token: string }, path: string, body: object) => as(h.app, user).post(`/api/cases/${play.caseId}${path}`).send(body);
  const longProblem = { description: LONG, reasonCode: 'C4', cureTag: '治散', rootCause: LONG, evidence: LONG };

  it('takes records up to a count and refuses the next one with 409 naming the limit', async () => {
    const project = { name: '村集体光伏项目', kind: '光伏', supportFunds: 1, startOn: '2026-01-10', expectedYearlyIncome: 1 };
    for (let i = 0; i < CASE_LIMITS.counts.projects; i++) await play.act(people.teamLeader, '/projects', project, 201);
    const before = await play.footprint();
    const res = await post(people.teamLeader, '/projects', project).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, code: 'CASE_LIMIT_REACHED', details: { limit: 'projects', max: CASE_LIMITS.counts.projects } });
    expect(res.body.message).toContain(`集体经济项目最多${CASE_LIMITS.counts.projects}个`);
    expect(await play.footprint()).toEqual(before);
  });

  it('fills the case with the longest texts until 413 names the size limit; every payload stays under 256 kB and the county can still remove it', async () => {
    // Measures carry notices (their plan is part of the state); problems carry the most text.
    const first = await play.act(people.teamLeader, '/problems', longProblem, 201);
    const problemId = first.problems[0].id;
    let refused: { status: number; body: Record<string, unknown> } | undefined;
    for (let i = 0; i < 200 && !refused; i++) {
      const res = i % 2 ? await post(people.teamLeader, '/problems', longProblem) : await post(people.teamLeader, '/measures', { description: LONG, problemIds: [problemId], owner: LONG_OWNER, dueOn: future });
      if (res.status !== 201) refused = res;
    }
    expect(refused).toBeDefined();
    expect(refused!.status).toBe(413);
    expect(refused!.body).toMatchObject({ statusCode: 413, code: 'CASE_STATE_TOO_LARGE', details: { limit: 'stateBytes', max: CASE_LIMITS.stateBytes } });
    expect(refused!.body.message).toContain('上限');

    const before = await play.footprint();
    await post(people.teamLeader, '/problems', longProblem).expect(413);
    expect(await play.footprint()).toEqual(before);
    const live = (await play.get()).live as CaseState;

    const removed = await play.act(people.countyAdmin, '/remove-from-list', { reason: LONG });
    expect(removed.stage).toBe('removed');

    // Every payload the case handed Temporal: workflow input, Update arguments and results, activity
    // inputs and results; and what continue-as-new would carry (the whole state).
    const { events } = await h.client.workflow.getHandle(play.caseId).fetchHistory();
    const sizes: { what: string; bytes: number }[] = [];
    const add = (what: string, payloads: temporal.api.common.v1.IPayloads | null | undefined) => {
      const bytes = (payloads?.payloads ?? []).reduce((n, p) => n + (p.data?.length ?? 0), 0);
      if (bytes) sizes.push({ what, bytes });
    };
    for (const e of events ?? []) {
      add('workflow input', e.workflowExecutionStartedEventAttributes?.input);
      add(`activity input ${e.activityTaskScheduledEventAttributes?.activityType?.name}`, e.activityTaskScheduledEventAttributes?.input);
      add('activity result', e.activityTaskCompletedEventAttributes?.result);
      add('update argument', e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args);
      add('update result', e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success);
    }
    sizes.push({ what: 'continue-as-new input (the state at its limit)', bytes: jsonBytes({ continued: live }) });
    sizes.push({ what: 'continue-as-new input (the removed state)', bytes: jsonBytes({ continued: removed }) });
    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    const byKind = new Map<string, number>();
    for (const s of sizes) byKind.set(s.what, Math.max(byKind.get(s.what) ?? 0, s.bytes));
    console.log(`largest payloads of a case at its limits (bytes):\n${[...byKind].map(([k, v]) => `  ${k}: ${v}`).join('\n')}`);
    expect(largest.bytes).toBeLessThan(KB256);
  });

  it('judges an action again under the lock when another changed the case after it was validated', async () => {
    // One contact-leader change short of the limit: the county party secretary's assignment (X) waits in its
    // reservation while a second assignment (B) is validated against the case without X's change; B, run
    // after X, would pass the limit and is refused.
    const second = await HttpPlaybook.designate(h.app, h.dataSource, people, secondOrganization, 2026);
    const otherLeader = await signedInUser(h.app, h.dataSource, 'county_leader', people.countyAdmin.regionId, { name: '另一位县级领导', title: '县委常委' });
    const leaders = [people.countyLeader, otherLeader];
    await second.assignLeader(leaders[0]);
    const max = CASE_LIMITS.counts.contactLeaderChanges;
    for (let i = 1; i < max; i++) await second.act(people.countyAdmin, '/contact-leader', { leaderUserId: leaders[i % 2].id, reason: `第${i}次调整` });
    // The case's leader is now leaders[(max - 1) % 2]; B names the other one.
    const next = leaders[max % 2];

    // The reservation takes this advisory lock (lockCountyBatch): held here, X waits inside it.
    const holder = h.dataSource.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT pg_advisory_xact_lock(hashtext('county_secretary_case:' || $1::text), $2::int)`, [people.countyAdmin.regionId, 2026]);
      const x = as(h.app, people.countyAdmin).post(`/api/cases/${second.caseId}/contact-leader`).send({ leaderUserId: people.countySecretary.id, reason: '县委书记挂点' }).then((r) => r);
      await eventually(async () => ((await h.dataSource.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))[0].n > 0 ? true : undefined), 15000, 'the reservation waiting');
      const b = as(h.app, people.countyAdmin).post(`/api/cases/${second.caseId}/contact-leader`).send({ leaderUserId: next.id, reason: '并发调整' }).then((r) => r);
      // B passed its validator (the case then had max − 1 changes) and waits for the lock X holds.
      await eventually(async () => {
        const { events } = await h.client.workflow.getHandle(second.caseId).fetchHistory();
        const accepted = (events ?? []).flatMap((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? []);
        return accepted.some((p) => Buffer.from(p.data ?? []).toString('utf8').includes('并发调整')) ? true : undefined;
      }, 15000, 'the second assignment accepted');
      await holder.commitTransaction();
      expect((await x).status).toBe(200);
      const refused = await b;
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'CASE_LIMIT_REACHED', details: { limit: 'contactLeaderChanges', max } });
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
    const live = (await second.get()).live as CaseState;
    expect(live.previousContactLeaders).toHaveLength(max);
    expect(live.contactLeader).toMatchObject({ id: people.countySecretary.id });
  });
});
