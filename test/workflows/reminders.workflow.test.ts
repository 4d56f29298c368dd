import { CaseDriver, COUNTY_ADMIN, skipTo, TEAM_LEADER, TOWNSHIP_SECRETARY } from '../support/case-driver';
import { createRegionWithOrganizations } from '../support/harness';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

/**
 * A whole year of a case on the time-skipping server, counting exactly the reminders and escalations
 * the default policy implies: 14 and 3 days before each deadline, 督办 the day after, 通报 at 15 days,
 * 约谈 at 30 days overdue; a quarter without its visit escalates once.
 */
describe('reminders and the escalation ladder over a year', () => {
  let ts: TimeSkipping;
  afterEach(async () => {
    await ts?.close();
  });

  async function setUp(day: string) {
    ts = await startTimeSkipping();
    const region = await createRegionWithOrganizations(ts.dataSource, 1);
    await skipTo(ts, day);
    return region.organizations[0];
  }

  const escalations = (caseId: string): Promise<{ rung: string; deadline_key: string; resolved_at: Date | null }[]> =>
    ts.dataSource.query(`SELECT rung, deadline_key, resolved_at FROM escalation WHERE case_id = $1 ORDER BY raised_at, rung`, [caseId]);

  it('climbs every rung for a neglected case: 14 reminders and 13 escalations in the year', async () => {
    const org = await setUp('2030-01-04');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C1'] });
    await c.assignLeader();
    await c.appointTeam('2030-01-04'); // secretary due 2030-04-04
    await c.skipTo('2030-01-10');
    const [p] = await c.addProblems(1);
    await c.planFor([p], '2030-06-30'); // a measure due 2030-06-30, never done
    // Nobody visits, nobody appoints a secretary, nothing is done, nobody accepts.
    await c.skipTo('2031-02-10');

    const s = await c.state();
    // Reminders: 4 quarters × 2 + secretary 2 + measure 2 + year end 2.
    // Escalations: 4 quarters × 督办 + (secretary, measure, year end) × (督办, 通报, 约谈).
    expect(s.notices?.raisedByRung).toEqual({ reminder: 14, supervision: 7, public_notice: 3, interview: 3 });
    const rows = await escalations(c.caseId);
    expect(rows).toHaveLength(13);
    expect(rows.filter((r) => r.deadline_key.startsWith('quarter_visit:')).map((r) => r.rung)).toEqual(['supervision', 'supervision', 'supervision', 'supervision']);
    expect(rows.filter((r) => r.deadline_key === 'secretary').map((r) => r.rung).sort()).toEqual(['interview', 'public_notice', 'supervision']);
    expect(rows.every((r) => r.resolved_at === null)).toBe(true);
    await c.recordHistory('neglected-year-with-notices');
  });

  it('raises nothing for work done on time, and nothing at all once the case is accepted', async () => {
    const org = await setUp('2030-01-04');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C1'] });
    await c.assignLeader();
    await c.appointTeam('2030-01-04');
    await c.visit('2030-01-04');
    await c.completePlaybook('2030-01-04');
    await c.do('acceptCase', { actor: COUNTY_ADMIN, opinion: '按期转化' });
    // The 回头看 is done within its days too (an overdue one climbs the ladder like any deadline).
    await c.skipTo('2030-07-06');
    await c.do('recordFollowUp', { actor: COUNTY_ADMIN, relapsed: false, findings: '班子稳定，组织生活正常' });
    await c.skipTo('2030-12-31');
    const s = await c.state();
    expect(s.stage).toBe('closed');
    expect(s.notices?.raisedByRung ?? {}).toEqual({});
    expect(await escalations(c.caseId)).toEqual([]);
  });

  it('stops a late measure climbing the ladder once it is done, and resolves its open escalation', async () => {
    const org = await setUp('2030-01-04');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C3'] });
    await c.assignLeader();
    await c.appointTeam('2030-01-04');
    await c.visit('2030-01-04');
    const [p] = await c.addProblems(1);
    await c.do('confirmProblemList', { actor: TOWNSHIP_SECRETARY });
    await c.consultAll('2030-01-04');
    const [m] = await c.planFor([p], '2030-03-15');
    await c.do('approvePlan', { actor: TOWNSHIP_SECRETARY });
    await c.skipTo('2030-03-20'); // two reminders, then 督办 the day after the due date
    await c.do('updateMeasureProgress', { actor: TEAM_LEADER, measureId: m, percent: 100, note: '整改完成' });
    await c.skipTo('2030-04-30'); // 通报 would have fallen on 03-30
    const s = await c.state();
    expect(s.notices?.raisedByRung).toEqual({ reminder: 2, supervision: 1 });
    const rows = await escalations(c.caseId);
    expect(rows).toEqual([expect.objectContaining({ rung: 'supervision', deadline_key: `measure:${m}` })]);
    expect(rows[0].resolved_at).not.toBeNull();
    await c.recordHistory('late-measure-with-notices');
    await c.recordHistory('late-measure-single-sync');
    await c.recordHistory('late-measure-bounded');
    await c.recordHistory('late-measure-local-sync');
    await c.recordHistory('late-measure-all-patches');
    await c.recordHistory('late-measure-standing-timer');
  });
});
