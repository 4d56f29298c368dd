import { randomUUID } from 'node:crypto';
import { caseIdFor, shanghaiDateOf, type Actor } from '../../libs/domain';
import { executeCaseCommand, startRectifyCase } from '../../libs/temporal';
import { createRegionWithOrganizations, designationOf, startHarness, type Harness } from '../support/harness';

/**
 * A caller that lost the answer to an action — Temporal restarting, a timeout, a dropped connection —
 * cannot know whether it was applied. Sent again with the same update id it is applied once, and the
 * repeat answers with the first outcome; without an id every call is a new action.
 */
describe('executeCaseCommand with an update id', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('applies an action sent twice with the same id once, and answers the repeat with the first outcome', async () => {
    const { organizations } = await createRegionWithOrganizations(h.dataSource, 1);
    const org = organizations[0];
    const batchYear = Number(shanghaiDateOf(Date.now()).slice(0, 4));
    const caseId = caseIdFor(org.id, batchYear);
    const admin: Actor = { id: `admin-${randomUUID()}`, name: '组织部干部', role: 'county_org_admin' };
    const leader: Actor = { id: `leader-${randomUUID()}`, name: '县级领导', role: 'county_leader' };
    await startRectifyCase(h.client, h.config.temporal.taskQueue, designationOf(org, batchYear, admin));
    await executeCaseCommand(h.client, caseId, 'assignContactLeader', { actor: admin, leader: { id: leader.id, name: leader.name, title: '副县长', isCountyPartySecretary: false } });
    const visit = { actor: leader, visitedOn: shanghaiDateOf(Date.now()), place: '村党群服务中心', summary: '听取汇报' };

    const first = await executeCaseCommand(h.client, caseId, 'recordGuidanceVisit', visit, { updateId: `${caseId}/visit-1` });
    const repeat = await executeCaseCommand(h.client, caseId, 'recordGuidanceVisit', visit, { updateId: `${caseId}/visit-1` });
    expect(repeat).toEqual(first);
    expect(repeat.visits).toHaveLength(1);
    const audit = async () => (await h.dataSource.query(`SELECT count(*)::int AS n FROM audit_entry WHERE case_id = $1 AND action = 'visit.recorded'`, [caseId]))[0].n;
    expect(await audit()).toBe(1);

    // Without an id, a repeat is another visit.
    await executeCaseCommand(h.client, caseId, 'recordGuidanceVisit', visit);
    const twice = await executeCaseCommand(h.client, caseId, 'recordGuidanceVisit', visit);
    expect(twice.visits).toHaveLength(3);
    expect(await audit()).toBe(3);
  });
});
