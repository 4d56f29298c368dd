import { Test } from '@nestjs/testing';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApp } from '../../apps/api/src/bootstrap';
import { TemporalClientService } from '../../apps/api/src/temporal/temporal.module';
import { addDays } from '../../libs/domain';
import { AppUserEntity, AuditEntryEntity } from '../../libs/persistence';
import { as, personas, signedInUser, type Personas } from '../support/auth';
import { updateOutcomesOf } from '../support/history-events';
import { createRegionWithOrganizations, startHarness, testConfig, type Harness } from '../support/harness';
import { HTTP_TEAM, HttpPlaybook, todayInShanghai } from '../support/http-playbook';

/**
 * The playbook over HTTP: every action is a POST under /api/cases/:id that runs the case workflow's
 * Update and answers with the new state (or the rule that refused it), and the acting user's next
 * GET already shows the change.
 */
describe('case actions (POST /api/cases/:id/…)', () => {
  let h: Harness;
  let orgs: Awaited<ReturnType<typeof createRegionWithOrganizations>>;
  let people: Personas;
  /** Each test designates its own case of the first organization (whose village the team personas belong to). */
  let nextBatchYear = 2026;

  beforeAll(async () => {
    h = await startHarness();
    orgs = await createRegionWithOrganizations(h.dataSource, 2);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
  });
  afterAll(() => h?.close());

  const designate = () => HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], nextBatchYear++);

  /** A case in rectifying: contact leader and team in place, two problems on a confirmed list. */
  const rectifyingWithProblems = async () => {
    const play = await designate();
    await play.start();
    const problems = await play.addProblems(2);
    await play.confirmProblemList();
    return { play, problems };
  };

  /** Asserts the case is exactly as it was: same version in GET (row and live state) and the same audit rows. */
  const expectUnchanged = async (play: HttpPlaybook, before: Awaited<ReturnType<HttpPlaybook['footprint']>>) => {
    expect(await play.footprint()).toEqual(before);
  };

  it('drives a case from designation to conversion over HTTP alone, each step by the persona whose job it is', async () => {
    const today = todayInShanghai();
    const play = await designate();
    play.readBack = true;

    // 一把手分包: the county organization department names the contact leader by user id.
    let state = await play.assignLeader(people.countyLeader);
    expect(state.contactLeader).toMatchObject({ id: people.countyLeader.id, name: '县级领导', title: '副县长', isCountyPartySecretary: false });
    expect(state.contactLeader!.assignedBy).toEqual({ id: people.countyAdmin.id, name: people.countyAdmin.name, role: 'county_org_admin' });
    expect(state.stage).toBe('designated');

    // 一支队伍: the township secretary appoints the team; with both people tracks in place the case starts.
    state = await play.appointTeam(today);
    expect(state.stage).toBe('rectifying');
    expect(state.team!.members).toHaveLength(3);
    expect(state.secretary.deadline).toBeDefined();

    // The contact leader visits and records it.
    state = await play.visit(today, people.countyLeader);
    expect(state.visits).toHaveLength(1);
    expect(state.visits[0]).toMatchObject({ visitedOn: today, leaderId: people.countyLeader.id });

    // 一张问题清单: found by team leader and member, confirmed by the township secretary (empty body).
    const [p1] = await play.addProblems(1, people.teamLeader);
    const [p2] = await play.addProblems(1, people.teamMember);
    const confirm = await as(h.app, people.townshipSecretary).post(`/api/cases/${play.caseId}/problem-list/confirm`).expect(200);
    expect(confirm.body.state.problemListConfirmedBy.id).toBe(people.townshipSecretary.id);
    // 督导把关: the list waits for the county organization department's inspector, who passes it.
    expect(confirm.body.state.inspections).toEqual([expect.objectContaining({ step: 'problem_list', status: 'pending' })]);
    state = await play.passInspections(confirm.body.state);
    expect(state.inspections![0]).toMatchObject({ status: 'passed', decidedBy: { id: people.inspector.id } });

    // 一套整顿方案: consultations, measures, the township's approval, then the ledger.
    await play.consultAll(today, people.teamMember);
    const [m1, m2] = await play.planFor([p1, p2], '2030-06-30', people.teamLeader);
    state = await play.approvePlan();
    expect(state.planApprovedBy!.id).toBe(people.townshipSecretary.id);
    state = await play.progress(m1, 40, people.teamMember);
    expect(state.measures.find((m) => m.id === m1)).toMatchObject({ percent: 40, status: 'in_progress' });
    await play.progress(m1, 100, people.teamLeader);
    state = await play.progress(m2, 100, people.teamMember);
    expect(state.measures.every((m) => m.status === 'done')).toBe(true);
    await play.closeProblem(p1, people.teamLeader);
    state = await play.closeProblem(p2, people.teamLeader);
    expect(state.problems.every((p) => p.status === 'closed')).toBe(true);

    // 一个关键: the secretary, and their training.
    state = await play.appointSecretary(today);
    expect(state.secretary.appointment).toMatchObject({ name: '周新书', source: 'from_village', appointedOn: today });
    state = await play.act(people.countyAdmin, '/trainings', { secretaryName: '周新书', session: '2026年软弱涣散党组织书记专题培训班', attendedOn: today, evidence: '培训签到表、结业证书' }, 201);
    expect(state.secretary.trainings).toHaveLength(1);

    // 一个项目 and the contact leader's practical thing.
    state = await play.addProject(today, people.teamLeader);
    expect(state.projects[0]).toMatchObject({ name: '村集体光伏电站', supportFunds: 500000, expectedYearlyIncome: 60000 });
    state = await play.practicalThing(today, people.countyLeader);
    expect(state.practicalThings).toHaveLength(1);

    // 验收销号: the request passed by the inspector, the form scored by the county, then acceptance.
    state = await play.requestAcceptance();
    expect(state.stage).toBe('awaiting_acceptance');
    state = await play.score();
    expect(state.acceptanceScorings).toEqual([expect.objectContaining({ total: 100, max: 100, passed: true, vetoed: false })]);
    state = await play.accept();
    expect(state.stage).toBe('converted');
    expect(state.acceptedBy!.id).toBe(people.countyAdmin.id);

    const got = await play.get(people.townshipSecretary);
    expect(got.live.stage).toBe('converted');
    expect(got.record).toMatchObject({
      id: play.caseId,
      stage: 'converted',
      version: state.version,
      contactLeaderId: people.countyLeader.id,
      contactLeaderName: '县级领导',
      teamArrivedOn: today,
      problemsOpen: 0,
      problemsClosed: 2,
      measuresTotal: 2,
      measuresDone: 2,
      visitsCount: 1,
      projectsCount: 1,
    });
    expect(got.record.acceptedAt).not.toBeNull();

    // The follow-up review (回头看) is due only months after conversion.
    const early = await play.post(people.countyAdmin, '/follow-up', { relapsed: false, findings: '未反弹' }, 409);
    expect(early.body.code).toBe('FOLLOW_UP_NOT_DUE');

    // 不转化不脱钩: converted, the team may now go.
    state = await play.act(people.townshipSecretary, '/team/release', { reason: '已验收转化，工作队撤离' });
    expect(state.team!.releasedAt).toBeDefined();

    // Every change is in the audit trail, by the person who made it.
    const audit = await h.dataSource.getRepository(AuditEntryEntity).find({ where: { caseId: play.caseId }, order: { id: 'ASC' } });
    const by = (action: string) => audit.filter((a) => a.action === action).map((a) => a.actorId);
    expect(by('leader.assigned')).toEqual([people.countyAdmin.id]);
    expect(by('team.appointed')).toEqual([people.townshipSecretary.id]);
    expect(by('visit.recorded')).toEqual([people.countyLeader.id]);
    expect(by('problem.added')).toEqual([people.teamLeader.id, people.teamMember.id]);
    expect(by('problem_list.confirmed')).toEqual([people.townshipSecretary.id]);
    expect(by('consultation.recorded')).toHaveLength(4);
    expect(by('measure.added')).toEqual([people.teamLeader.id, people.teamLeader.id]);
    expect(by('plan.approved')).toEqual([people.townshipSecretary.id]);
    expect(by('measure.progressed')).toEqual([people.teamMember.id, people.teamLeader.id, people.teamMember.id]);
    expect(by('problem.closed')).toEqual([people.teamLeader.id, people.teamLeader.id]);
    expect(by('secretary.appointed')).toEqual([people.townshipSecretary.id]);
    expect(by('project.added')).toEqual([people.teamLeader.id]);
    expect(by('practical_thing.recorded')).toEqual([people.countyLeader.id]);
    expect(by('acceptance.requested')).toEqual([people.townshipSecretary.id]);
    expect(by('inspection.passed')).toEqual([people.inspector.id, people.inspector.id, people.inspector.id]);
    expect(by('acceptance.scored')).toEqual([people.countyAdmin.id]);
    expect(by('case.accepted')).toEqual([people.countyAdmin.id]);
    expect(by('team.released')).toEqual([people.townshipSecretary.id]);
    expect(audit.filter((a) => a.action === 'stage.changed').map((a) => (a.payload as { to: string }).to)).toEqual(['rectifying', 'awaiting_acceptance', 'converted']);
  });

  it('changes the team, and a refused acceptance sends the case back to rectifying until it is accepted', async () => {
    const play = await designate();
    play.readBack = true;
    let state = await play.start();
    const [leader, second, third] = state.team!.members;
    state = await play.act(people.townshipSecretary, '/team/changes', { add: [{ name: '孙员', rank: 'staff', unit: '县司法局' }], reason: '加强力量' }, 201);
    expect(state.team!.members).toHaveLength(4);
    const added = state.team!.members.find((m) => m.name === '孙员')!;
    state = await play.act(people.townshipSecretary, '/team/changes', { removeIds: [second.id], newLeaderId: leader.id, reason: '刘员调回原单位' }, 201);
    expect(state.team!.members.map((m) => m.id)).toEqual([leader.id, third.id, added.id]);
    expect(state.teamChanges).toHaveLength(2);

    const invalidChange = await play.post(people.townshipSecretary, '/team/changes', { removeIds: [added.id], reason: '再调走一人' }, 409);
    expect(invalidChange.body.code).toBe('TEAM_MIN_SIZE');

    await play.completePlaybook();
    state = await play.requestAcceptance();
    expect(state.stage).toBe('awaiting_acceptance');
    state = await play.act(people.countyAdmin, '/acceptance/refuse', { reason: '群众满意度测评未开展' });
    expect(state.stage).toBe('rectifying');
    expect(state.acceptanceRefusals).toMatchObject([{ reason: '群众满意度测评未开展', by: { id: people.countyAdmin.id } }]);
    const refusedAgain = await play.post(people.countyAdmin, '/acceptance/refuse', { reason: '再次不予验收' }, 409);
    expect(refusedAgain.body.code).toBe('STAGE_DOES_NOT_ALLOW');

    await play.requestAcceptance();
    state = await play.accept();
    expect(state.stage).toBe('converted');
  });

  describe('refusals by the playbook’s rules answer 4xx naming the rule, and change nothing', () => {
    it('a team of two: 409 TEAM_MIN_SIZE', async () => {
      const play = await designate();
      await play.assignLeader();
      const before = await play.footprint();
      const res = await play.post(people.townshipSecretary, '/team', { arrivedOn: todayInShanghai(), members: HTTP_TEAM.slice(0, 2) }, 409);
      expect(res.body).toMatchObject({ statusCode: 409, code: 'TEAM_MIN_SIZE', details: { rule: 'TEAM_MIN_SIZE', min: 3, size: 2, source: 'seed 000 §四(二)' } });
      expect(res.body.message).toContain('整建队伍不少于规定人数');
      expect(res.body.message).toContain('现为2人');
      expect(res.body.messageEn).toContain('at least');
      await expectUnchanged(play, before);
    });

    it('acceptance with open problems: 409 ACCEPTANCE_CONDITIONS_UNMET listing every unmet condition', async () => {
      const { play } = await rectifyingWithProblems();
      const before = await play.footprint();
      const requested = await play.post(people.townshipSecretary, '/acceptance/request', {}, 409);
      expect(requested.body.code).toBe('ACCEPTANCE_CONDITIONS_UNMET');
      expect(requested.body.message).toContain('未达到验收销号条件');
      const unmet = requested.body.details.unmet as { code: string; zh: string; missing: string }[];
      expect(unmet.map((c) => c.code)).toEqual(
        expect.arrayContaining(['QUARTERLY_VISITS', 'PROBLEMS_ALL_CLOSED', 'PLAN_APPROVED', 'MEASURES_ALL_DONE', 'SECRETARY_IN_PLACE', 'COLLECTIVE_PROJECT']),
      );
      expect(unmet.find((c) => c.code === 'PROBLEMS_ALL_CLOSED')!.missing).toContain('2 个问题未销号');
      expect(unmet.map((c) => c.code)).not.toContain('TEAM_ATTACHED');

      const accepted = await play.post(people.countyAdmin, '/acceptance', { opinion: '同意验收' }, 409);
      expect(accepted.body.code).toBe('ACCEPTANCE_CONDITIONS_UNMET');
      await expectUnchanged(play, before);
    });

    it('releasing the team before conversion: 409 TEAM_NOT_RELEASED_BEFORE_CONVERSION (不转化不脱钩)', async () => {
      const play = await designate();
      await play.start();
      const before = await play.footprint();
      const res = await play.post(people.townshipSecretary, '/team/release', { reason: '工作队另有任务' }, 409);
      expect(res.body.code).toBe('TEAM_NOT_RELEASED_BEFORE_CONVERSION');
      expect(res.body.message).toContain('不转化不脱钩');
      await expectUnchanged(play, before);
    });

    it('approving a plan without the consultations: 409 PLAN_CONSULTATIONS_REQUIRED naming the missing ones', async () => {
      const { play, problems } = await rectifyingWithProblems();
      await play.planFor(problems, '2030-06-30');
      await play.act(people.teamLeader, '/consultations', { kind: 'household_visits', heldOn: todayInShanghai(), participants: 30, summary: '入户走访' }, 201);
      const before = await play.footprint();
      const res = await play.post(people.townshipSecretary, '/plan/approve', {}, 409);
      expect(res.body.code).toBe('PLAN_CONSULTATIONS_REQUIRED');
      expect(res.body.details.missing).toEqual(['party_members_meeting', 'villager_representatives_meeting', 'heart_to_heart_talks']);
      expect(res.body.message).toContain('党员大会');
      await expectUnchanged(play, before);
    });

    it('closing a problem that does not exist: 404 PROBLEM_NOT_FOUND; a date in the future: 400 DATE_IN_FUTURE', async () => {
      const { play } = await rectifyingWithProblems();
      const before = await play.footprint();
      const missing = await play.post(people.teamLeader, '/problems/p999/close', { fixEvidence: '照片' }, 404);
      expect(missing.body.code).toBe('PROBLEM_NOT_FOUND');
      const future = await play.post(people.countyLeader, '/visits', { visitedOn: addDays(todayInShanghai(), 1), place: '村委会', summary: '调研' }, 400);
      expect(future.body).toMatchObject({ code: 'DATE_IN_FUTURE', details: { field: 'visitedOn' } });
      await expectUnchanged(play, before);
    });

    it('a guidance visit recorded by a county leader who is not the contact leader: 403 VISIT_BY_CONTACT_LEADER', async () => {
      const play = await designate();
      await play.start();
      const before = await play.footprint();
      const res = await play.post(people.countySecretary, '/visits', { visitedOn: todayInShanghai(), place: '村委会', summary: '调研' }, 403);
      expect(res.body.code).toBe('VISIT_BY_CONTACT_LEADER');
      await expectUnchanged(play, before);
    });
  });

  describe('the contact leader named by user id', () => {
    it('must be an active county leader or county party secretary of the case’s county', async () => {
      const play = await designate();
      const before = await play.footprint();
      const assign = (leaderUserId: string, status: number) => play.post(people.countyAdmin, '/contact-leader', { leaderUserId }, status);

      expect((await assign('00000000-0000-4000-8000-000000000000', 404)).body.code).toBe('CONTACT_LEADER_NOT_FOUND');
      expect((await assign(people.townshipSecretary.id, 400)).body).toMatchObject({ code: 'CONTACT_LEADER_NOT_COUNTY_LEADER' });
      const elsewhere = await createRegionWithOrganizations(h.dataSource, 1);
      const foreignLeader = await signedInUser(h.app, h.dataSource, 'county_leader', elsewhere.county.id, { name: '外县领导', title: '副县长' });
      expect((await assign(foreignLeader.id, 404)).body.code).toBe('CONTACT_LEADER_NOT_FOUND');
      const retired = await signedInUser(h.app, h.dataSource, 'county_leader', orgs.county.id, { name: '退休领导', title: '原副县长' });
      await h.dataSource.getRepository(AppUserEntity).update({ id: retired.id }, { active: false });
      const inactive = await assign(retired.id, 400);
      expect(inactive.body.code).toBe('CONTACT_LEADER_INACTIVE');
      expect(inactive.body.message).toContain('leaderUserId');
      await expectUnchanged(play, before);
    });

    it('the county party secretary is marked as such; replacing a leader needs a reason', async () => {
      const play = await designate();
      let state = await play.assignLeader(people.countySecretary);
      expect(state.contactLeader).toMatchObject({ id: people.countySecretary.id, name: '县委书记', title: '县委书记', isCountyPartySecretary: true });

      const before = await play.footprint();
      const noReason = await play.post(people.countyAdmin, '/contact-leader', { leaderUserId: people.countyLeader.id }, 409);
      expect(noReason.body.code).toBe('CONTACT_LEADER_REASSIGN_REASON');
      await expectUnchanged(play, before);

      state = await play.act(people.countyAdmin, '/contact-leader', { leaderUserId: people.countyLeader.id, reason: '县委书记另行挂点' });
      expect(state.contactLeader).toMatchObject({ id: people.countyLeader.id, isCountyPartySecretary: false });
      expect(state.previousContactLeaders.map((l) => l.id)).toEqual([people.countySecretary.id]);
    });
  });

  describe('who may act', () => {
    it.each<[string, keyof Personas, string, object]>([
      ['a team member appointing the team', 'teamMember', '/team', { arrivedOn: '2026-01-01', members: HTTP_TEAM }],
      ['a team leader accepting the case', 'teamLeader', '/acceptance', { opinion: '同意' }],
      ['a county leader confirming the problem list', 'countyLeader', '/problem-list/confirm', {}],
      ['an inspector recording a problem', 'inspector', '/problems', { description: '问题', reasonCode: 'C4', cureTag: '治散', rootCause: '根源', evidence: '材料' }],
      ['a township secretary naming the contact leader', 'townshipSecretary', '/contact-leader', { leaderUserId: '00000000-0000-4000-8000-000000000000' }],
      ['a team member approving the plan', 'teamMember', '/plan/approve', {}],
    ])('403 for %s, and nothing changes', async (_label, persona, path, body) => {
      const play = await sharedCase();
      const before = await play.footprint();
      const res = await play.post(people[persona], path, body, 403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(res.body.message).toContain('无权');
      await expectUnchanged(play, before);
    });

    it('404 CASE_NOT_FOUND for a user of another township or another village, and nothing changes', async () => {
      const play = await sharedCase();
      const before = await play.footprint();
      const elsewhere = await createRegionWithOrganizations(h.dataSource, 1);
      const stranger = await signedInUser(h.app, h.dataSource, 'township_party_secretary', elsewhere.township.id);
      const res = await play.post(stranger, '/team', { arrivedOn: todayInShanghai(), members: HTTP_TEAM }, 404);
      expect(res.body).toMatchObject({ code: 'CASE_NOT_FOUND', statusCode: 404 });
      const neighbour = await signedInUser(h.app, h.dataSource, 'team_leader', orgs.organizations[1].regionId);
      await play.post(neighbour, '/problems', { description: '问题', reasonCode: 'C4', cureTag: '治散', rootCause: '根源', evidence: '材料' }, 404);
      const otherAdmin = await signedInUser(h.app, h.dataSource, 'county_org_admin', elsewhere.county.id);
      await play.post(otherAdmin, '/contact-leader', { leaderUserId: people.countyLeader.id }, 404);
      await expectUnchanged(play, before);
    });

    it('404 CASE_NOT_FOUND for a case that does not exist', async () => {
      const res = await as(h.app, people.countyAdmin).post('/api/cases/case-2026-00000000-0000-4000-8000-000000000000/acceptance').send({ opinion: '同意' }).expect(404);
      expect(res.body.code).toBe('CASE_NOT_FOUND');
    });

    it('401 without a token, and nothing changes', async () => {
      const play = await sharedCase();
      const before = await play.footprint();
      const res = await request(h.app.getHttpServer()).post(`/api/cases/${play.caseId}/problem-list/confirm`).send({}).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
      await expectUnchanged(play, before);
    });
  });

  describe('malformed input: 400 naming the field, nothing sent to the workflow', () => {
    const today = () => todayInShanghai();
    const visit = (extra: object) => ({ visitedOn: today(), place: '村委会', summary: '调研', ...extra });
    const member = (extra: object) => [{ ...HTTP_TEAM[0], ...extra }, HTTP_TEAM[1], HTTP_TEAM[2]];
    it.each<[string, keyof Personas, string, () => object, string]>([
      ['a date that is not in the calendar', 'countyLeader', '/visits', () => visit({ visitedOn: '2026-02-30' }), 'visitedOn'],
      ['a date in another format', 'countyLeader', '/visits', () => visit({ visitedOn: '2026/05/01' }), 'visitedOn'],
      ['an unknown field', 'countyLeader', '/visits', () => visit({ leaderId: 'someone-else' }), 'leaderId'],
      ['an over-long summary', 'countyLeader', '/visits', () => visit({ summary: '长'.repeat(2001) }), 'summary'],
      ['an over-long place', 'countyLeader', '/visits', () => visit({ place: '地'.repeat(201) }), 'place'],
      ['a missing field', 'countyLeader', '/visits', () => ({ visitedOn: today(), place: '村委会' }), 'summary'],
      ['a blank text', 'countyLeader', '/practical-things', () => ({ title: '   ', description: '内容', doneOn: today() }), 'title'],
      ['percent 101', 'teamMember', '/measures/m1/progress', () => ({ percent: 101, note: '超额' }), 'percent'],
      ['a fractional percent', 'teamMember', '/measures/m1/progress', () => ({ percent: 50.5, note: '一半' }), 'percent'],
      ['negative support funds', 'teamLeader', '/projects', () => ({ name: '项目', kind: '种植', supportFunds: -1, startOn: today(), expectedYearlyIncome: 0 }), 'supportFunds'],
      ['an unknown consultation kind', 'teamLeader', '/consultations', () => ({ kind: 'tea_party', heldOn: today(), participants: 3, summary: '座谈' }), 'kind'],
      ['zero participants', 'teamLeader', '/consultations', () => ({ kind: 'household_visits', heldOn: today(), participants: 0, summary: '走访' }), 'participants'],
      ['an unknown cure tag', 'teamLeader', '/problems', () => ({ description: '问题', reasonCode: 'C4', cureTag: '治懒', rootCause: '根源', evidence: '材料' }), 'cureTag'],
      ['a team member without a rank', 'townshipSecretary', '/team', () => ({ arrivedOn: today(), members: member({ rank: undefined }) }), 'members.0.rank'],
      ['an over-long member name', 'townshipSecretary', '/team', () => ({ arrivedOn: today(), members: member({ name: '名'.repeat(51) }) }), 'members.0.name'],
      ['members that are not a list', 'townshipSecretary', '/team', () => ({ arrivedOn: today(), members: 'everyone' }), 'members'],
      ['too many members', 'townshipSecretary', '/team', () => ({ arrivedOn: today(), members: Array.from({ length: 51 }, () => HTTP_TEAM[1]) }), 'members'],
      ['a field in an empty-bodied action', 'townshipSecretary', '/problem-list/confirm', () => ({ confirmedBy: 'me' }), 'confirmedBy'],
      ['relapsed that is not a boolean', 'countyAdmin', '/follow-up', () => ({ relapsed: 'no', findings: '未反弹' }), 'relapsed'],
      ['a leader id that is not a uuid', 'countyAdmin', '/contact-leader', () => ({ leaderUserId: 'zhao' }), 'leaderUserId'],
    ])('%s', async (_label, persona, path, body, field) => {
      const play = await sharedCase();
      const before = await play.footprint();
      const res = await play.post(people[persona], path, body(), 400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toContain(field);
      const leaf = field.split('.').pop()!;
      expect(`${res.body.message} ${res.body.messageEn}`).toContain(leaf);
      await expectUnchanged(play, before);
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await request(h.app.getHttpServer()).get('/api/docs-json').expect(200)).body as { paths: Record<string, Record<string, { summary: string }>> };
      const actions = [
        'contact-leader', 'visits', 'practical-things', 'team', 'team/changes', 'team/release', 'problems', 'problem-list/confirm',
        'problems/{problemId}/close', 'consultations', 'measures', 'plan/approve', 'measures/{measureId}/progress', 'secretary',
        'trainings', 'projects', 'acceptance/request', 'acceptance', 'acceptance/refuse', 'follow-up',
      ];
      for (const a of actions) expect({ a, summary: doc.paths[`/api/cases/{id}/${a}`]?.post?.summary }).toEqual({ a, summary: expect.stringMatching(/ \/ /) });
      expect(doc.paths['/api/cases/{id}/acceptance/request'].post.summary).toContain('申请验收');
    });

    it('labels the field in Chinese', async () => {
      const play = await sharedCase();
      const res = await play.post(people.countyLeader, '/visits', visit({ visitedOn: '2026-02-30' }), 400);
      expect(res.body.message).toContain('调研日期（visitedOn）');
      const pct = await play.post(people.teamMember, '/measures/m1/progress', { percent: 101, note: '超额' }, 400);
      expect(pct.body.message).toContain('完成进度（%）（percent）');
    });

    it('413 for a body over 100 kB, and nothing changes', async () => {
      const play = await sharedCase();
      const before = await play.footprint();
      const res = await play.post(people.teamLeader, '/problems', { description: '问'.repeat(60_000), reasonCode: 'C4', cureTag: '治散', rootCause: '根源', evidence: '材料' }, 413);
      expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      await expectUnchanged(play, before);
    });
  });

  it('applies an action repeated with the same Idempotency-Key once, answering the repeat with the first outcome', async () => {
    const play = await designate();
    await play.start();
    const problem = { description: '问题：党员大会长期不开', reasonCode: 'C4', cureTag: '治散', rootCause: '书记缺位', evidence: '会议记录空白' };
    const send = (key?: string) => {
      const req = as(h.app, people.teamLeader).post(`/api/cases/${play.caseId}/problems`);
      return (key ? req.set('Idempotency-Key', key) : req).send(problem);
    };
    const first = await send('retry-0001').expect(201);
    const again = await send('retry-0001').expect(201);
    expect(again.body.state.version).toBe(first.body.state.version);
    expect(again.body.state.problems).toHaveLength(1);
    const auditAfterRepeat = await play.auditCount();
    // Another key, or none, is another action.
    expect((await send('retry-0002').expect(201)).body.state.problems).toHaveLength(2);
    expect((await send().expect(201)).body.state.problems).toHaveLength(3);
    expect(await play.auditCount()).toBe(auditAfterRepeat + 2);

    const bad = await send('bad key/with spaces').expect(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_IDEMPOTENCY_KEY' });
    expect(bad.body.message).toContain('Idempotency-Key');
    expect((await play.get()).live.problems).toHaveLength(3);
  });

  describe('the answer is read from the read model', () => {
    /** The outcomes of the case's Updates as its history records them, oldest first. */
    const updateOutcomes = async (caseId: string): Promise<string[]> => updateOutcomesOf((await h.client.workflow.getHandle(caseId).fetchHistory()).events ?? []);

    it('so the case’s state does not go into its workflow history with every action: the Update answers only the version it made', async () => {
      const play = await designate();
      await play.assignLeader();
      const answered = await play.appointTeam();
      const outcomes = await updateOutcomes(play.caseId);
      // The designation's Update (with the start) answers the case; the two actions only their versions.
      expect(outcomes.slice(-2).map((o) => JSON.parse(o) as unknown)).toEqual([
        expect.objectContaining({ brief: true, version: answered.version - 1 }),
        expect.objectContaining({ brief: true, version: answered.version }),
      ]);
      for (const outcome of outcomes.slice(-2)) expect(outcome.length).toBeLessThan(200);
      expect(answered).toMatchObject({ stage: 'rectifying', team: { members: expect.any(Array) } });
      const { noticesRaisedByRung: _raised, ...rest } = answered as typeof answered & { noticesRaisedByRung?: unknown };
      expect(rest).toEqual((await play.get()).record.state);
    });

    it('and from the workflow when the read model is behind the action (being rebuilt, say)', async () => {
      const play = await designate();
      await play.start();
      const before = await play.version();
      // The case's row takes no update for now.
      const trigger = `hold_${play.caseId.replace(/[^a-z0-9]/gi, '_')}`;
      await h.dataSource.query(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`);
      await h.dataSource.query(`CREATE TRIGGER ${trigger} BEFORE UPDATE ON rectification_case FOR EACH ROW WHEN (OLD.id = '${play.caseId}') EXECUTE FUNCTION ${trigger}()`);
      try {
        const state = await play.visit(todayInShanghai());
        expect(await play.version()).toBe(before);
        expect(state.version).toBeGreaterThan(before!);
        expect(state.visits).toHaveLength(1);
        expect((await play.get()).live).toMatchObject({ version: state.version, visits: state.visits });
      } finally {
        await h.dataSource.query(`DROP TRIGGER ${trigger} ON rectification_case`);
        await h.dataSource.query(`DROP FUNCTION ${trigger}()`);
      }
    });
  });

  it('409 CASE_NOT_RUNNING once the case’s workflow has ended', async () => {
    const play = await designate();
    await play.assignLeader();
    await h.client.workflow.getHandle(play.caseId).terminate('测试：工作流已结束');
    const res = await play.post(people.townshipSecretary, '/team', { arrivedOn: todayInShanghai(), members: HTTP_TEAM }, 409);
    expect(res.body).toMatchObject({ code: 'CASE_NOT_RUNNING', statusCode: 409 });
    expect(res.body.message).toContain('已结束');
  });

  it('503 when Temporal cannot be reached, with the case untouched', async () => {
    const play = await sharedCase();
    const before = await play.footprint();
    // The same API, its Temporal client pointed at a port nobody listens on (no gRPC retries, to keep the test short).
    const connection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: '1s', interceptors: [] });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(testConfig())] })
      .overrideProvider(TemporalClientService)
      .useValue({ client: new Client({ connection, namespace: h.config.temporal.namespace }), taskQueue: h.config.temporal.taskQueue, onApplicationShutdown: () => connection.close() })
      .compile();
    const cut = moduleRef.createNestApplication({ logger: false });
    configureApp(cut);
    await cut.init();
    try {
      const res = await as(cut, people.teamLeader).post(`/api/cases/${play.caseId}/problems`).send({ description: '问题', reasonCode: 'C4', cureTag: '治散', rootCause: '根源', evidence: '材料' }).expect(503);
      expect(res.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', statusCode: 503 });
      expect(res.body.message).toContain('Temporal');
    } finally {
      await cut.close();
    }
    await expectUnchanged(play, before);
  });

  /** One rectifying case for the tests that must leave it unchanged. */
  let shared: HttpPlaybook | undefined;
  async function sharedCase(): Promise<HttpPlaybook> {
    if (!shared) {
      shared = await designate();
      await shared.start();
    }
    return shared;
  }
});
