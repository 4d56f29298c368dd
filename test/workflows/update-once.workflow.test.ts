import { CaseDriver } from '../support/case-driver';
import { createRegionWithOrganizations } from '../support/harness';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

/**
 * An action is applied once per Update id, even when the workflow is handed it twice (a worker stalled past
 * the workflow task timeout was, inside a task Temporal then discarded — whose local sync had already raised
 * a 约谈 for the measure added the second time). Here a workflow interceptor hands every action over again
 * after its first delivery was answered.
 */
describe('rectifyCase: an action handed to the workflow twice', () => {
  let ts: TimeSkipping;
  afterEach(async () => {
    await ts?.close();
  });

  it('is applied once and answered with its first outcome, not refused and not repeated in the case or its audit trail', async () => {
    ts = await startTimeSkipping({ workflowInterceptorModules: [require.resolve('../support/deliver-updates-twice')] });
    const [org] = (await createRegionWithOrganizations(ts.dataSource, 1)).organizations;
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030 });
    await c.skipTo('2030-01-04');

    await c.assignLeader();
    // A second appointment of the team would be refused (a team is already stationed): the answer is the first's.
    const appointed = await c.appointTeam('2030-01-04');
    expect(appointed.stage).toBe('rectifying');
    expect(appointed.team?.members).toHaveLength(3);

    const problemIds = await c.addProblems(2);
    expect(new Set(problemIds).size).toBe(2);
    await c.visit('2030-01-04');

    const s = await c.state();
    expect(s.problems.map((p) => p.description)).toEqual(['问题1：三会一课不正常', '问题2：三会一课不正常']);
    expect(s.visits).toHaveLength(1);
    const audit: { action: string }[] = await ts.dataSource.query(`SELECT action FROM audit_entry WHERE case_id = $1 ORDER BY occurred_at, id`, [c.caseId]);
    expect(audit.filter((a) => a.action === 'problem.added')).toHaveLength(2);
    expect(audit.filter((a) => a.action === 'visit.recorded')).toHaveLength(1);
    expect(audit.filter((a) => a.action === 'team.appointed')).toHaveLength(1);
  });
});
