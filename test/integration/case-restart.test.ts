import { AuditEntryEntity, TaskEntity } from '../../libs/persistence';
import { as, personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, startHarness, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

/**
 * A dead case can be repaired (issue 15): a case whose workflow run ended abnormally shows as 异常 on
 * its page and the dashboard, and the county organization department restarts it from the read
 * model's last state, with a reason kept in the audit trail; nothing in PostgreSQL is lost.
 */
describe('restarting a case whose run ended abnormally', () => {
  let h: Harness;
  let people: Personas;
  let play: HttpPlaybook;
  const YEAR = 2026;
  const REASON = '案件工作流被意外终止，按最后记录的状态恢复运行';

  beforeAll(async () => {
    h = await startHarness();
    const orgs = await createRegionWithOrganizations(h.dataSource, 2);
    people = await personas(h.app, h.dataSource, { countyId: orgs.county.id, townshipId: orgs.township.id, villageId: orgs.organizations[0].regionId });
    play = await HttpPlaybook.designate(h.app, h.dataSource, people, orgs.organizations[0], YEAR);
    await play.assignLeader();
    await play.appointTeam();
    await play.addProblems(1);
  }, 120000);
  afterAll(() => h?.close());

  const restart = (user: { token: string }, body: object) => as(h.app, user).post(`/api/cases/${play.caseId}/restart`).send(body);
  const view = async () => (await as(h.app, people.countyAdmin).get(`/api/cases/${play.caseId}`).expect(200)).body;
  const overview = async () => (await as(h.app, people.countyAdmin).get(`/api/dashboard/overview?batchYear=${YEAR}`).expect(200)).body;

  it('refuses to restart a running case (409 CASE_NOT_ABNORMAL)', async () => {
    const res = await restart(people.countyAdmin, { reason: REASON }).expect(409);
    expect(res.body).toMatchObject({ code: 'CASE_NOT_ABNORMAL', details: { runStatus: 'running' } });
    expect(res.body.message).toContain('运行正常');
    expect((await view()).runStatus).toBe('running');
  });

  it('shows a terminated case as abnormal (异常) on its page and the dashboard, and restarts it as the county with a reason', async () => {
    const before = await view();
    const auditBefore = await h.dataSource.getRepository(AuditEntryEntity).find({ where: { caseId: play.caseId }, order: { id: 'ASC' } });
    const tasksBefore = await h.dataSource.getRepository(TaskEntity).find({ where: { caseId: play.caseId }, order: { key: 'ASC' } });
    await h.client.workflow.getHandle(play.caseId).terminate('test: the run dies');

    const dead = await view();
    expect(dead).toMatchObject({ runStatus: 'abnormal', executionStatus: 'TERMINATED', live: null });
    expect(dead.record.version).toBe(before.record.version);
    // Nothing can act on it: every action answers that the case is not running.
    const refused = await as(h.app, people.teamLeader)
      .post(`/api/cases/${play.caseId}/problems`)
      .send({ description: '又发现的问题', reasonCode: 'C4', cureTag: '治散', rootCause: '无人组织', evidence: '记录空白' })
      .expect(409);
    expect(refused.body.code).toBe('CASE_NOT_RUNNING');
    const ov = await overview();
    expect(ov.abnormal.count).toBe(1);
    expect(ov.abnormal.items).toEqual([expect.objectContaining({ caseId: play.caseId, stage: 'rectifying', executionStatus: 'TERMINATED' })]);

    // Only the county organization department, and only with a reason.
    await restart(people.townshipSecretary, { reason: REASON }).expect(403);
    const noReason = await restart(people.countyAdmin, { reason: '   ' }).expect(400);
    expect(noReason.body.code).toBe('VALIDATION_FAILED');

    const res = await restart(people.countyAdmin, { reason: REASON }).expect(200);
    expect(res.body).toMatchObject({ runStatus: 'running', executionStatus: 'RUNNING' });
    expect(res.body.record.version).toBe(before.record.version + 1);
    expect(res.body.live).toMatchObject({ stage: 'rectifying', version: before.record.version + 1 });
    expect(res.body.live.problems).toHaveLength(1);

    // Nothing of its history in PostgreSQL is lost; the restart is one more audit entry: who, when, why.
    const auditAfter = await h.dataSource.getRepository(AuditEntryEntity).find({ where: { caseId: play.caseId }, order: { id: 'ASC' } });
    expect(auditAfter.slice(0, auditBefore.length).map((a) => a.id)).toEqual(auditBefore.map((a) => a.id));
    expect(auditAfter.slice(auditBefore.length).map((a) => a.action)).toEqual(['case.restarted']);
    const entry = auditAfter[auditAfter.length - 1];
    expect(entry).toMatchObject({ actorId: people.countyAdmin.id, actorRole: 'county_org_admin' });
    expect(entry.payload).toMatchObject({ reason: REASON, previousRunStatus: 'TERMINATED', fromVersion: before.record.version });
    const trail = (await as(h.app, people.countyAdmin).get(`/api/cases/${play.caseId}/audit`).expect(200)).body;
    expect(JSON.stringify(trail)).toContain(REASON);
    const tasksAfter = await h.dataSource.getRepository(TaskEntity).find({ where: { caseId: play.caseId }, order: { key: 'ASC' } });
    expect(tasksAfter.map((t) => [t.key, t.status])).toEqual(tasksBefore.map((t) => [t.key, t.status]));

    // An action works again, and the dashboard no longer lists it.
    const again = await play.act(people.teamLeader, '/problems', { description: '重启后发现的问题', reasonCode: 'C4', cureTag: '治散', rootCause: '无人组织', evidence: '记录空白' }, 201);
    expect(again.problems).toHaveLength(2);
    expect((await overview()).abnormal.count).toBe(0);
    const twice = await restart(people.countyAdmin, { reason: REASON }).expect(409);
    expect(twice.body.code).toBe('CASE_NOT_ABNORMAL');
  });
});
