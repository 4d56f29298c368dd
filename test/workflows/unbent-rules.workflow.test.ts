import { createActivities } from '../../activities';
import { caseIdFor, type CaseState } from '../../libs/domain';
import { AuditEntryEntity, RectificationCaseEntity, TaskEntity } from '../../libs/persistence';
import { getCaseStateQuery } from '../../libs/contracts/rectify-case';
import { CaseDriver, CONTACT_LEADER_ACTOR, COUNTY_ADMIN, skipTo, TEAM_LEADER } from '../support/case-driver';
import { createRegionWithOrganizations } from '../support/harness';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

/**
 * Issue 16's rules in the running workflow on the time-skipping server, with the real activities:
 * the one-star collision paths, 代录, 组织处理, a relapse in February and an overdue 回头看.
 */
describe('rectifyCase under the rules that cannot be bent (patch unbent-rules-v1)', () => {
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

  const escalations = (caseId: string) =>
    ts.dataSource.query(`SELECT rung, deadline_key, resolved_at FROM escalation WHERE case_id = $1 ORDER BY raised_at, rung`, [caseId]) as Promise<{ rung: string; deadline_key: string; resolved_at: Date | null }[]>;
  const openTasks = async (caseId: string) => (await ts.dataSource.getRepository(TaskEntity).find({ where: { caseId, status: 'open' } })).map((t) => t.kind).sort();
  const audit = (caseId: string, action: string) => ts.dataSource.getRepository(AuditEntryEntity).findBy({ caseId, action });
  const oneStar = (organizationId: string, year: number) =>
    createActivities({ dataSource: ts.dataSource, temporal: { client: ts.env.client, taskQueue: ts.taskQueue } }).designateOneStarOrganization({
      ratingId: `rating-${organizationId}-${year}`,
      organizationId,
      year,
      stars: 1,
      score: 52,
      downgraded: false,
    });

  it('a one-star rating onto a running case adds S1: audited, unremovable, with the secretary adjustment', async () => {
    const org = await setUp('2030-03-02');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2031, reasons: ['C3'] });
    expect((await c.state()).secretary.required).toBe(false);
    // Rated one star in 2030 (and 2029): designated for the 2031 batch, where the case already is.
    await ts.dataSource.query(
      `INSERT INTO star_rating (id, organization_id, organization_name, organization_domain, county_id, township_id, year, stage, stars, version, state)
       VALUES ($1, $2, $3, 'village', $4, $5, 2029, 'named', 1, 1, '{}'::jsonb)`,
      [`rating-${org.id}-2029`, org.id, org.name, org.countyId, org.townshipId],
    );
    const consequence = await oneStar(org.id, 2030);
    expect(consequence).toMatchObject({ designatedCaseId: c.caseId, caseExisted: true, s1: 'added' });
    const s = await c.state();
    expect(s.reasons).toEqual(['C3', 'S1']);
    expect(s.secretary).toMatchObject({ required: true, adjustment: { oneStarYears: [2029, 2030] } });
    expect(await audit(c.caseId, 'designation.reason_added')).toHaveLength(1);
    // A retry of the activity answers the same and adds nothing.
    await oneStar(org.id, 2030);
    expect((await c.state()).reasons).toEqual(['C3', 'S1']);
    expect((await c.refused('removeFromList', { actor: COUNTY_ADMIN, reason: '经复核认定依据不足，移出整顿名单' })).rule).toBe('ONE_STAR_CANNOT_BE_REMOVED');
    const row = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: c.caseId });
    expect(row.reasons).toEqual(['C3', 'S1']);
  });

  it('a one-star rating onto a case taken off the list opens a new run with S1, back on the list', async () => {
    const org = await setUp('2030-03-02');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2031, reasons: ['C3'] });
    await c.assignLeader();
    await c.appointTeam('2030-03-02');
    await c.do('removeFromList', { actor: COUNTY_ADMIN, reason: '经复核认定依据不足，移出整顿名单' });
    expect((await c.handle.result()).stage).toBe('removed');

    const consequence = await oneStar(org.id, 2030);
    expect(consequence).toMatchObject({ designatedCaseId: caseIdFor(org.id, 2031), caseExisted: true, s1: 'reopened' });
    const handle = ts.env.client.workflow.getHandle(c.caseId);
    let s: CaseState = await handle.query(getCaseStateQuery);
    for (let i = 0; i < 50 && s.stage === 'removed'; i++) s = await handle.query(getCaseStateQuery);
    expect(s.stage).toBe('rectifying');
    expect(s.reasons).toEqual(['C3', 'S1']);
    expect(s.stageHistory.map((h) => h.to)).toEqual(['designated', 'rectifying', 'removed', 'designated', 'rectifying']);
    expect((await audit(c.caseId, 'case.reopened')).map((a) => a.payload)).toEqual([expect.objectContaining({ removalReason: '经复核认定依据不足，移出整顿名单' })]);
  });

  it('代录 counts once the contact leader confirms it; 组织处理 is put to the county at 45 days overdue and recorded by it', async () => {
    const org = await setUp('2030-03-02');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C1'] });
    await c.assignLeader();
    await c.appointTeam('2030-03-02');
    let s: CaseState = await c.do('recordGuidanceVisit', { actor: TEAM_LEADER, visitedOn: '2030-03-02', place: '村部', summary: '联系领导到村调研' });
    expect(s.visits[0].proxy).toEqual({});
    expect(await openTasks(c.caseId)).toContain('confirm_visit');
    s = await c.do('confirmGuidanceVisit', { actor: CONTACT_LEADER_ACTOR, visitId: s.visits[0].id });
    expect(s.visits[0].proxy?.confirmedBy?.id).toBe(CONTACT_LEADER_ACTOR.id);
    expect(await openTasks(c.caseId)).not.toContain('confirm_visit');

    // The secretary's 3 months end on 2030-06-02; 约谈 at 30 days overdue, 组织处理 asked at 45.
    await c.skipTo('2030-07-05');
    expect((await escalations(c.caseId)).filter((e) => e.deadline_key === 'secretary').map((e) => e.rung)).toContain('interview');
    expect(await openTasks(c.caseId)).not.toContain('decide_organizational_handling');
    await c.skipTo('2030-07-18');
    expect(await openTasks(c.caseId)).toContain('decide_organizational_handling');
    expect(await audit(c.caseId, 'organizational_handling.raised')).toHaveLength(1);
    s = await c.state();
    expect(s.organizationalHandling?.decisions).toEqual([]);

    s = await c.do('recordOrganizationalHandling', { actor: COUNTY_ADMIN, measure: 'admonition_talk', subject: '某镇党委书记 王某', decidedBy: '县委组织部部务会', decidedOn: '2030-07-18', reason: '书记选配逾期45天，约谈后仍未到位' });
    expect(s.organizationalHandling?.decisions).toEqual([expect.objectContaining({ measure: 'admonition_talk', deadlineKeys: ['secretary'], recordedBy: COUNTY_ADMIN })]);
    expect(await openTasks(c.caseId)).not.toContain('decide_organizational_handling');
    expect(await audit(c.caseId, 'organizational_handling.recorded')).toHaveLength(1);
    await c.recordHistory('proxy-visit-and-organizational-handling');
  });

  it('a visit dated back into a quarter already escalated needs a reason, which the escalation record shows', async () => {
    const org = await setUp('2030-03-02');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C4'] });
    await c.assignLeader();
    await c.appointTeam('2030-03-02');
    await c.skipTo('2030-04-03');
    expect(await escalations(c.caseId)).toEqual([expect.objectContaining({ rung: 'supervision', deadline_key: 'quarter_visit:2030-Q1', resolved_at: null })]);
    const visit = { actor: CONTACT_LEADER_ACTOR, visitedOn: '2030-03-28', place: '村部', summary: '到村调研' };
    expect((await c.refused('recordGuidanceVisit', visit)).rule).toBe('VISIT_INTO_ESCALATED_QUARTER_NEEDS_REASON');
    const s = await c.do('recordGuidanceVisit', { ...visit, lateReason: '3月28日确曾到村调研，当日漏报，有村部签到表' });
    expect(s.visits[0].intoEscalatedQuarter).toEqual({ reason: '3月28日确曾到村调研，当日漏报，有村部签到表' });
    const [row] = await ts.dataSource.query(`SELECT resolved_at, resolution_note FROM escalation WHERE case_id = $1 AND deadline_key = 'quarter_visit:2030-Q1'`, [c.caseId]);
    expect(row.resolved_at).not.toBeNull();
    expect(row.resolution_note).toBe(`补记2030-03-28调研指导（${CONTACT_LEADER_ACTOR.name}录入）：3月28日确曾到村调研，当日漏报，有村部签到表`);
    await c.recordHistory('visit-into-escalated-quarter');
  });

  it('an overdue 回头看 climbs the ladder; a relapse in February gets a new deadline from policy and raises no 约谈', async () => {
    const org = await setUp('2030-03-02');
    // 回头看 falls due ten months after conversion, so it is overdue in the next year's February.
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C4'], policy: { followUpDelayMonths: 10 } });
    await c.assignLeader();
    await c.appointTeam('2030-03-02');
    await c.visit('2030-03-02');
    await c.completePlaybook('2030-03-02');
    let s = await c.do('acceptCase', { actor: COUNTY_ADMIN, opinion: '同意销号' });
    expect(s.followUp?.dueOn).toBe('2031-01-02');

    await c.skipTo('2031-02-03');
    expect((await c.state()).stage).toBe('follow_up_review');
    // Due 2031-02-01 (30 days for the review): 督办 the day after, to the county organization department.
    expect(await escalations(c.caseId)).toEqual([expect.objectContaining({ rung: 'supervision', deadline_key: 'follow_up', resolved_at: null })]);

    s = await c.do('recordFollowUp', { actor: COUNTY_ADMIN, relapsed: true, findings: '新班子再次内耗，组织生活停滞' });
    expect(s.stage).toBe('rectifying');
    expect(s.yearEndDeadline).toBe('2031-08-03');
    expect(s.yearEndOverdue).toBe(false);
    await c.skipTo('2031-02-04');
    const after = await escalations(c.caseId);
    expect(after.filter((e) => e.rung === 'interview')).toEqual([]);
    expect(after.filter((e) => e.deadline_key === 'year_end')).toEqual([]);
    expect(after.find((e) => e.deadline_key === 'follow_up')?.resolved_at).not.toBeNull();
    expect(await audit(c.caseId, 'deadline.year_end_missed')).toEqual([]);
    await c.recordHistory('overdue-review-and-relapse-in-february');
  });
});
