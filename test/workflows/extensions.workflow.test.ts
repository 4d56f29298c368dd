import { extensionLines, type CaseState } from '../../libs/domain';
import { AuditEntryEntity, RectificationCaseEntity, TaskEntity } from '../../libs/persistence';
import { CaseDriver, COUNTY_ADMIN, TEAM_LEADER, TOWNSHIP_SECRETARY, skipTo } from '../support/case-driver';
import { createRegionWithOrganizations } from '../support/harness';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

/**
 * 延期 (issue 20 item 2) in the running workflow on the time-skipping server, with the real
 * activities: a measure's deadline moves only when the county organization department approves;
 * approved, the old date's escalation closes as 已延期 and the ladder runs again from the new date;
 * refused, nothing moves but the record.
 */
describe('rectifyCase: deadline extensions (patch deadline-extensions-v1)', () => {
  let ts: TimeSkipping;
  afterEach(async () => {
    await ts?.close();
  });

  const escalations = (caseId: string, deadlineKey: string) =>
    ts.dataSource.query(`SELECT key, rung, deadline::text AS deadline, resolved_at, resolution_note FROM escalation WHERE case_id = $1 AND deadline_key = $2 ORDER BY raised_at, key`, [caseId, deadlineKey]) as Promise<
      { key: string; rung: string; deadline: string; resolved_at: Date | null; resolution_note: string | null }[]
    >;
  const openTasks = async (caseId: string) => (await ts.dataSource.getRepository(TaskEntity).find({ where: { caseId, status: 'open' } })).map((t) => t.kind);
  const audit = (caseId: string, action: string) => ts.dataSource.getRepository(AuditEntryEntity).findBy({ caseId, action });
  const measureNotices = (s: CaseState, measureId: string) => (s.notices?.planned ?? []).filter((n) => n.deadlineKey === `measure:${measureId}`);

  /** A case in rectifying with one approved measure due 2030-03-20 (a Wednesday), now two days overdue. */
  async function overdueMeasure(policy = {}) {
    ts = await startTimeSkipping();
    const [org] = (await createRegionWithOrganizations(ts.dataSource, 1)).organizations;
    await skipTo(ts, '2030-03-04');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C4'], policy });
    await c.assignLeader();
    await c.appointTeam('2030-03-04');
    await c.visit('2030-03-04');
    const problems = await c.addProblems(1);
    await c.do('confirmProblemList', { actor: TOWNSHIP_SECRETARY });
    await c.consultAll('2030-03-04');
    const [measureId] = await c.planFor(problems, '2030-03-20');
    await c.do('approvePlan', { actor: TOWNSHIP_SECRETARY });
    await c.skipTo('2030-03-22');
    return { c, measureId };
  }

  it('refused, nothing moves; approved, the deadline moves, the old escalation closes as extended, the ladder re-times and the original date stays', async () => {
    const { c, measureId } = await overdueMeasure();
    const key = `measure:${measureId}`;
    expect(await escalations(c.caseId, key)).toEqual([expect.objectContaining({ rung: 'supervision', deadline: '2030-03-20', resolved_at: null })]);
    const before = await c.state();
    expect(before.deadlineExtensions).toBe(true);

    // The policy's bounds: at most 30 days each, never past the year end; the reason is required.
    const ask = { actor: TEAM_LEADER, deadline: 'measure' as const, measureId, newDueOn: '2030-04-15', reason: '施工队因连续降雨停工，需顺延工期' };
    expect((await c.refused('requestExtension', { ...ask, newDueOn: '2030-04-30' })).rule).toBe('EXTENSION_TOO_LONG');
    expect((await c.refused('requestExtension', { ...ask, reason: '下雨' })).rule).toBe('EXTENSION_REASON_REQUIRED');
    expect((await c.refused('requestExtension', { ...ask, deadline: 'secretary' })).rule).toBe('ROLE_NOT_ALLOWED');

    // A request is a task of the county organization department; a refusal changes nothing but the record.
    let s = await c.do('requestExtension', ask);
    const first = s.extensions![0];
    expect(first).toMatchObject({ status: 'pending', originalDueOn: '2030-03-20', requestedDueOn: '2030-04-15' });
    expect(await openTasks(c.caseId)).toContain('decide_extension');
    expect((await c.refused('requestExtension', ask)).rule).toBe('EXTENSION_ALREADY_PENDING');
    expect((await c.refused('decideExtension', { actor: TOWNSHIP_SECRETARY, extensionId: first.id, approve: true, reason: '同意延期，请抓紧推进' })).rule).toBe('ROLE_NOT_ALLOWED');
    s = await c.do('decideExtension', { actor: COUNTY_ADMIN, extensionId: first.id, approve: false, reason: '降雨不影响室内整改内容，不予延期' });
    expect(s.measures.find((m) => m.id === measureId)!.dueOn).toBe('2030-03-20');
    expect(measureNotices(await c.state(), measureId)).toEqual(measureNotices(before, measureId));
    expect(await escalations(c.caseId, key)).toEqual([expect.objectContaining({ rung: 'supervision', resolved_at: null })]);
    expect(await openTasks(c.caseId)).not.toContain('decide_extension');
    expect(extensionLines(s)).toEqual([]);
    expect((await audit(c.caseId, 'extension.refused')).map((a) => a.payload)).toEqual([expect.objectContaining({ fromDueOn: '2030-03-20', requestedDueOn: '2030-04-15' })]);

    // Asked again and approved: the deadline moves and the old date's escalation closes as extended.
    s = await c.do('requestExtension', { ...ask, reason: '村部改造需等待镇财政拨款到位，申请顺延' });
    s = await c.do('decideExtension', { actor: COUNTY_ADMIN, extensionId: s.extensions![1].id, approve: true, reason: '情况属实，同意延期一次' });
    expect(s.measures.find((m) => m.id === measureId)!.dueOn).toBe('2030-04-15');
    expect(s.extensions![1]).toMatchObject({ status: 'approved', round: 1, originalDueOn: '2030-03-20', decidedBy: COUNTY_ADMIN });
    const [old] = await escalations(c.caseId, key);
    expect(old.resolved_at).not.toBeNull();
    expect(old.resolution_note).toBe(`已延期：原期限2030-03-20，经${COUNTY_ADMIN.name}批准延至2030-04-15（延期1次）`);

    // The notices are planned anew from the new date.
    const planned = measureNotices(await c.state(), measureId);
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((n) => n.dueOn === '2030-04-15' && n.key.endsWith(':x1'))).toBe(true);
    expect(planned.find((n) => n.rung === 'supervision')?.on).toBe('2030-04-16');

    // The original date stays visible: on the record the read model keeps, which the ledger export reads.
    const row = await ts.dataSource.getRepository(RectificationCaseEntity).findOneByOrFail({ id: c.caseId });
    expect(extensionLines(row.state)).toEqual([expect.stringContaining('原定2030-03-20，延至2030-04-15（延期1次）')]);
    expect((await audit(c.caseId, 'extension.approved')).map((a) => a.payload)).toEqual([expect.objectContaining({ originalDueOn: '2030-03-20', requestedDueOn: '2030-04-15', times: 1 })]);

    // Missed again, the ladder climbs from the new date: a new 督办, the old one stays closed.
    await c.skipTo('2030-04-17');
    const after = await escalations(c.caseId, key);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ rung: 'supervision', deadline: '2030-04-15', resolved_at: null });
    expect(after[0].resolved_at).not.toBeNull();
    await c.recordHistory('deadline-extension-approved');
  });

  it('the secretary deadline, a seed number, moves only where the policy explicitly allows it', async () => {
    ts = await startTimeSkipping();
    const [org] = (await createRegionWithOrganizations(ts.dataSource, 1)).organizations;
    await skipTo(ts, '2030-03-04');
    const c = await CaseDriver.designate(ts, org, { batchYear: 2030, reasons: ['C1'] });
    await c.assignLeader();
    await c.appointTeam('2030-03-04');
    const ask = { actor: TOWNSHIP_SECRETARY, deadline: 'secretary' as const, newDueOn: '2030-06-20', reason: '本村两名人选正在考察公示期内' };
    expect((await c.state()).secretary.deadline).toBe('2030-06-04');
    expect((await c.refused('requestExtension', ask)).rule).toBe('SECRETARY_DEADLINE_NOT_EXTENSIBLE');
    expect((await c.state()).extensions ?? []).toEqual([]);
  });
});
