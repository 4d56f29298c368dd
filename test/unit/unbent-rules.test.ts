import {
  acceptanceConditions,
  applyClock,
  applyReopening,
  auditSentence,
  DEFAULT_POLICY,
  deriveTasks,
  dueNotices,
  newCaseState,
  nextWakeUp,
  openDeadlines,
  recordEntries,
  RuleViolation,
  startOfShanghaiDay,
  SYSTEM_ACTOR,
  UNBENT_RULES_VERSION,
  validateCommand,
  visitsByQuarter,
  type Actor,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseState,
  type PlannedNotice,
} from '../../libs/domain';
import { county, township, at, act } from '../support/case-machine';

/**
 * Issue 16's rules in the pure state machine (rules v2): honest dates, 代录, S1 onto a case, the
 * relapse deadline, the overdue 回头看, 组织处理 and the weak spots. Each test fails without its rule.
 */
const teamLeader: Actor = { id: 'tl', name: '队长', role: 'team_leader' };
const LEADER = { id: 'l', name: '赵县', title: '副县长', isCountyPartySecretary: false };
const leader: Actor = { id: 'l', name: '赵县', role: 'county_leader' };
const TEAM = [
  { name: 'a', rank: 'section' as const, unit: 'u', isLeader: true },
  { name: 'b', rank: 'staff' as const, unit: 'u' },
  { name: 'c', rank: 'staff' as const, unit: 'u' },
];

function fresh(reasons: CaseState['reasons'] = ['C1'], designatedOn = '2030-01-05'): CaseState {
  const s = newCaseState({
    caseId: 'case-x',
    organization: { id: 'o', name: '某村党支部', townshipId: 'tw', countyId: 'cy' },
    batchYear: 2030,
    reasons,
    designatedBy: county,
    designatedAt: new Date(at(designatedOn)).toISOString(),
    policy: { ...DEFAULT_POLICY },
  });
  s.rulesVersion = UNBENT_RULES_VERSION;
  return s;
}


function refused<K extends CaseCommandName>(s: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number): RuleViolation {
  try {
    validateCommand(s, name, input, nowMs);
  } catch (err) {
    if (err instanceof RuleViolation) return err;
    throw err;
  }
  throw new Error(`${name} went through`);
}

function started(designatedOn = '2030-01-05'): CaseState {
  const s = fresh(['C1'], designatedOn);
  act(s, 'assignContactLeader', { actor: county, leader: LEADER }, at(designatedOn));
  act(s, 'appointTeam', { actor: township, arrivedOn: designatedOn, members: TEAM }, at(designatedOn));
  return s;
}

describe('honest dates: 补录 and 代录', () => {
  const visit = (actor: Actor, visitedOn: string, lateReason?: string): CaseCommandInputs['recordGuidanceVisit'] => ({ actor, visitedOn, place: '村部', summary: '调研', ...(lateReason ? { lateReason } : {}) });

  it('refuses a record dated more than 30 days back without a written reason, and marks it 补录 with one', () => {
    const s = started();
    const now = at('2030-03-20');
    expect(refused(s, 'recordGuidanceVisit', visit(leader, '2030-02-10'), now).rule).toBe('LATE_ENTRY_NEEDS_REASON');
    expect(refused(s, 'recordConsultation', { actor: teamLeader, kind: 'household_visits', heldOn: '2030-02-01', participants: 5, summary: '走访' }, now).rule).toBe('LATE_ENTRY_NEEDS_REASON');
    const events = act(s, 'recordGuidanceVisit', visit(leader, '2030-02-10', '调研当月系统账号未开通，现补录'), now);
    expect(s.visits[0]).toMatchObject({ visitedOn: '2030-02-10', recordedBy: leader, backfill: { reason: '调研当月系统账号未开通，现补录', daysLate: 38 } });
    expect(events[0].payload).toMatchObject({ occurredOn: '2030-02-10', backfill: { daysLate: 38 } });
    expect(recordEntries(s).find((e) => e.kind === 'visit')).toMatchObject({ occurredOn: '2030-02-10', enteredBy: '赵县', backfill: { daysLate: 38 } });
    // Within the window no reason is asked.
    act(s, 'recordGuidanceVisit', visit(leader, '2030-03-01'), now);
    expect(s.visits[1].backfill).toBeUndefined();
  });

  it('counts a visit entered by someone else (代录) only once the contact leader confirms it', () => {
    const s = started();
    act(s, 'recordGuidanceVisit', visit(teamLeader, '2030-02-10'), at('2030-02-11'));
    expect(s.visits[0].proxy).toEqual({});
    expect(visitsByQuarter(s)['2030-Q1']).toBeUndefined();
    expect(deriveTasks(s, at('2030-02-11')).map((t) => t.kind)).toEqual(expect.arrayContaining(['confirm_visit', 'guidance_visit']));
    expect(refused(s, 'confirmGuidanceVisit', { actor: { id: 'other', name: '钱', role: 'county_leader' }, visitId: s.visits[0].id }, at('2030-02-12')).rule).toBe('VISIT_CONFIRMED_BY_CONTACT_LEADER');
    act(s, 'confirmGuidanceVisit', { actor: leader, visitId: s.visits[0].id }, at('2030-02-12'));
    expect(visitsByQuarter(s)['2030-Q1']).toBe(1);
    expect(deriveTasks(s, at('2030-02-12')).map((t) => t.kind)).not.toContain('confirm_visit');
    expect(refused(s, 'confirmGuidanceVisit', { actor: leader, visitId: s.visits[0].id }, at('2030-02-13')).rule).toBe('VISIT_NOT_AWAITING_CONFIRMATION');
  });

  it('refuses a visit back-dated into a quarter whose escalation was raised, unless a reason goes with it', () => {
    const s = started();
    // 2030-Q1 ended without a visit; its 督办 went out the day after.
    const now = at('2030-04-03');
    const v = refused(s, 'recordGuidanceVisit', visit(leader, '2030-03-28'), now);
    expect(v.rule).toBe('VISIT_INTO_ESCALATED_QUARTER_NEEDS_REASON');
    const events = act(s, 'recordGuidanceVisit', visit(leader, '2030-03-28', '3月28日确曾到村调研，当日漏报'), now);
    expect(s.visits[0].intoEscalatedQuarter).toEqual({ reason: '3月28日确曾到村调研，当日漏报' });
    expect(events[0].payload).toMatchObject({ intoEscalatedQuarter: { reason: '3月28日确曾到村调研，当日漏报' } });
  });
});

describe('no hiding: S1 onto an existing case', () => {
  const s1 = { actor: SYSTEM_ACTOR, reason: 'S1' as const, note: '2030年度星级评定为一星级', secretaryAdjustment: { oneStarYears: [2029, 2030] } };

  it('adds S1 (audited), keeps the case on the list through every removal, and carries the secretary adjustment', () => {
    const s = fresh(['C3']);
    expect(s.secretary.required).toBe(false);
    const events = act(s, 'addDesignationReason', s1, at('2030-02-01'));
    expect(s.reasons).toEqual(['C3', 'S1']);
    expect(events[0]).toMatchObject({ action: 'designation.reason_added', payload: { reason: 'S1', secretaryAdjustment: { oneStarYears: [2029, 2030] } } });
    expect(s.secretary).toMatchObject({ required: true, adjustment: { oneStarYears: [2029, 2030] } });
    expect(deriveTasks(s, at('2030-02-01')).map((t) => t.kind)).toContain('adjust_secretary');
    expect(refused(s, 'removeFromList', { actor: county, reason: '经复核认定依据不足，移出整顿名单' }, at('2030-02-02')).rule).toBe('ONE_STAR_CANNOT_BE_REMOVED');
    // Nobody adds (or claims) S1 by hand.
    const manual = fresh(['C3']);
    expect(refused(manual, 'addDesignationReason', { ...s1, actor: county }, at('2030-02-01')).rule).toBe('ONE_STAR_BY_STAR_RATING');
    expect(refused(s, 'addDesignationReason', s1, at('2030-02-03')).rule).toBe('REASON_ALREADY_PRESENT');
  });

  it('puts a case taken off the list back on it with S1', () => {
    const s = started();
    act(s, 'removeFromList', { actor: county, reason: '经复核认定依据不足，移出整顿名单' }, at('2030-02-01'));
    expect(s.stage).toBe('removed');
    const events = applyReopening(s, { addition: s1 }, at('2030-03-01'));
    expect(s.stage).toBe('rectifying');
    expect(s.reasons).toEqual(['C1', 'S1']);
    expect(s.removal).toBeUndefined();
    expect(events.map((e) => e.action)).toEqual(['case.reopened', 'designation.reason_added', 'stage.changed', 'stage.changed']);
    expect(events[0].payload).toMatchObject({ removalReason: '经复核认定依据不足，移出整顿名单' });
    expect(refused(s, 'removeFromList', { actor: county, reason: '再次申请移出整顿名单的理由' }, at('2030-03-02')).rule).toBe('ONE_STAR_CANNOT_BE_REMOVED');
  });
});

describe('relapse and review', () => {
  /** A case accepted on 2030-06-10, follow-up due 2030-12-10. */
  function accepted(): CaseState {
    const s = started('2030-06-01');
    s.stage = 'follow_up_review';
    s.acceptedAt = new Date(at('2030-06-10')).toISOString();
    s.followUp = { dueOn: '2030-12-10' };
    return s;
  }

  it('gives a relapse in February a new deadline from policy, not the past year end, and raises no 约谈 at once', () => {
    const s = accepted();
    const feb = at('2031-02-15');
    act(s, 'recordFollowUp', { actor: county, relapsed: true, findings: '班子再次内耗，组织生活停滞' }, feb);
    expect(s.stage).toBe('rectifying');
    expect(s.yearEndDeadline).toBe('2031-08-15');
    expect(applyClock(s, feb + 60_000).map((e) => e.action)).not.toContain('deadline.year_end_missed');
    expect(s.yearEndOverdue).toBe(false);
    const yearEnd = openDeadlines(s, feb).find((d) => d.key === 'year_end')!;
    expect(yearEnd.dueOn).toBe('2031-08-15');
    // Every notice planned for it lies ahead: nothing is due now.
    const planned: PlannedNotice[] = ['supervision', 'public_notice', 'interview'].map((rung, i) => ({
      key: `case-x:year_end:${rung}`, caseId: 'case-x', deadlineKey: 'year_end', rung: rung as PlannedNotice['rung'], atMs: startOfShanghaiDay('2031-08-16') + i * 86_400_000,
    }) as PlannedNotice);
    expect(dueNotices(planned, new Set(), { year_end: feb }, feb).raise).toEqual([]);
  });

  it('puts an overdue 回头看 on the ladder like any deadline', () => {
    const s = accepted();
    const d = openDeadlines(s, at('2030-12-11'));
    expect(d).toEqual([expect.objectContaining({ key: 'follow_up', kind: 'follow_up', dueOn: '2031-01-09', rungs: ['supervision', 'public_notice', 'interview'] })]);
    s.rulesVersion = undefined;
    expect(openDeadlines(s, at('2030-12-11'))).toEqual([]);
  });
});

describe('组织处理, the fifth rung', () => {
  it('puts a deadline 45 days overdue to the county as a task, never decides it, and records the decision', () => {
    const s = started('2030-01-05');
    act(s, 'appointSecretary', { actor: township, name: '周', source: 'from_village', appointedOn: '2030-01-06' }, at('2030-01-06'));
    s.notices = { signature: '', planned: [], done: [], firstPlannedAt: {}, open: [], raisedByRung: { interview: 1 } };
    // The year end passes unconverted: at 45 days overdue (2031-02-14) the county is asked.
    expect(nextWakeUp(s, at('2031-02-01'))).toBeLessThanOrEqual(startOfShanghaiDay('2031-02-15'));
    expect(applyClock(s, at('2031-02-13')).map((e) => e.action)).not.toContain('organizational_handling.raised');
    const events = applyClock(s, at('2031-02-15'));
    expect(events.map((e) => e.action)).toContain('organizational_handling.raised');
    expect(deriveTasks(s, at('2031-02-15')).filter((t) => t.kind === 'decide_organizational_handling')).toEqual([
      expect.objectContaining({ assigneeRole: 'county_org_admin', regionId: 'cy', subjectId: 'year_end' }),
    ]);
    // Raised once; nothing applied by the clock.
    expect(applyClock(s, at('2031-02-16')).map((e) => e.action)).not.toContain('organizational_handling.raised');
    expect(s.organizationalHandling!.decisions).toEqual([]);

    const input = { actor: county, measure: 'admonition_talk' as const, subject: '某镇党委书记 王某', decidedBy: '县委组织部部务会', decidedOn: '2031-02-20', reason: '整顿逾期45天未转化，约谈后仍无进展' };
    expect(refused(s, 'recordOrganizationalHandling', { ...input, actor: township }, at('2031-02-20')).rule).toBe('ROLE_NOT_ALLOWED');
    const recorded = act(s, 'recordOrganizationalHandling', input, at('2031-02-20'));
    expect(recorded[0]).toMatchObject({ action: 'organizational_handling.recorded', payload: { measure: 'admonition_talk', measureLabel: '诫勉谈话', decidedBy: '县委组织部部务会', deadlineKeys: ['year_end'] } });
    expect(deriveTasks(s, at('2031-02-20')).map((t) => t.kind)).not.toContain('decide_organizational_handling');
  });

  it('is not asked for a deadline already that far overdue when the case first planned it (nobody on the case ignored it)', () => {
    const s = started('2031-03-01');
    s.batchYear = 2030;
    s.yearEndDeadline = '2030-12-31';
    s.notices = { signature: '', planned: [], done: [], firstPlannedAt: { year_end: at('2031-03-01') }, open: ['year_end'], raisedByRung: { interview: 1 } };
    expect(applyClock(s, at('2031-03-02')).map((e) => e.action)).not.toContain('organizational_handling.raised');
    expect(deriveTasks(s, at('2031-03-02')).map((t) => t.kind)).not.toContain('decide_organizational_handling');
  });

  it('is recorded only after 约谈', () => {
    const s = started();
    expect(refused(s, 'recordOrganizationalHandling', { actor: county, measure: 'dismissal', subject: '王某', decidedBy: '县委', decidedOn: '2030-02-01', reason: '不力' }, at('2030-02-01')).rule).toBe('ORG_HANDLING_AFTER_INTERVIEW');
  });
});

describe('weak spots', () => {
  it('refuses 销号 evidence of one character unless an attachment is referenced', () => {
    const s = started();
    act(s, 'addProblem', { actor: teamLeader, description: '三会一课不正常', reasonCode: 'C4', cureTag: '治散', rootCause: '书记缺位', evidence: '会议记录空白' }, at('2030-01-06'));
    act(s, 'confirmProblemList', { actor: township }, at('2030-01-06'));
    const p = s.problems[0].id;
    const v = refused(s, 'closeProblem', { actor: teamLeader, problemId: p, fixEvidence: '有' }, at('2030-01-07'));
    expect(v.rule).toBe('EVIDENCE_OF_SUBSTANCE');
    act(s, 'closeProblem', { actor: teamLeader, problemId: p, fixEvidence: '见附件', attachmentRef: 'FJ-2030-0107-01' }, at('2030-01-07'));
    expect(s.problems[0].fixEvidence).toContain('FJ-2030-0107-01');
  });

  it('gives a first secretary an end date and a local successor to grow; past it the secretary condition fails', () => {
    const s = started();
    expect(refused(s, 'appointSecretary', { actor: township, name: '李一书', source: 'first_secretary', appointedOn: '2030-01-10' }, at('2030-01-10')).rule).toBe('FIRST_SECRETARY_TERM_REQUIRED');
    act(s, 'appointSecretary', { actor: township, name: '李一书', source: 'first_secretary', appointedOn: '2030-01-10', termEndsOn: '2030-06-30' }, at('2030-01-10'));
    expect(deriveTasks(s, at('2030-01-10')).find((t) => t.kind === 'grow_local_successor')).toMatchObject({ dueOn: '2030-06-30', assigneeRole: 'township_party_secretary' });
    const secretary = (now: number) => acceptanceConditions(s, now).find((c) => c.code === 'SECRETARY_IN_PLACE')!;
    expect(secretary(at('2030-06-30')).met).toBe(true);
    expect(secretary(at('2030-07-01'))).toMatchObject({ met: false, missing: expect.stringContaining('第一书记任期已于 2030-06-30 届满') });
    expect(refused(s, 'appointSecretary', { actor: township, name: '外派', source: 'first_secretary', appointedOn: '2030-07-01', termEndsOn: '2031-01-01' }, at('2030-07-01')).rule).toBe('SUCCESSOR_FROM_VILLAGE');
    act(s, 'appointSecretary', { actor: township, name: '周本村', source: 'from_village', appointedOn: '2030-07-01' }, at('2030-07-01'));
    expect(secretary(at('2030-07-02')).met).toBe(true);
    expect(s.secretary.previous).toEqual([expect.objectContaining({ name: '李一书', source: 'first_secretary' })]);
  });

  it('makes practical things and the training acceptance conditions, each with its evidence', () => {
    const s = started();
    const unmet = () => acceptanceConditions(s, at('2030-01-20')).filter((c) => !c.met).map((c) => c.code);
    expect(unmet()).toEqual(expect.arrayContaining(['PRACTICAL_THINGS', 'SECRETARY_TRAINING']));
    expect(refused(s, 'recordPracticalThing', { actor: leader, title: '修路', description: '硬化道路', doneOn: '2030-01-15' }, at('2030-01-20')).rule).toBe('RECORD_NEEDS_EVIDENCE');
    expect(refused(s, 'recordTraining', { actor: county, secretaryName: '周', session: '专题培训班', attendedOn: '2030-01-15' }, at('2030-01-20')).rule).toBe('RECORD_NEEDS_EVIDENCE');
    act(s, 'recordPracticalThing', { actor: leader, title: '修路', description: '硬化道路', doneOn: '2030-01-15', evidence: '村民代表签字验收单' }, at('2030-01-20'));
    act(s, 'recordTraining', { actor: county, secretaryName: '周', session: '专题培训班', attendedOn: '2030-01-15', evidence: '签到表' }, at('2030-01-20'));
    expect(unmet()).not.toEqual(expect.arrayContaining(['PRACTICAL_THINGS']));
    expect(unmet()).not.toContain('SECRETARY_TRAINING');
  });

  it('sends the township\'s tasks to the first responsible (第一责任人)', () => {
    const s = fresh();
    s.firstResponsible = { role: 'township_party_secretary', regionId: 'tw-2' };
    expect(deriveTasks(s, at('2030-01-06')).find((t) => t.kind === 'appoint_team')!.regionId).toBe('tw-2');
  });
});

describe('cases under the first rules keep them', () => {
  it('a case without rulesVersion accepts a one-character evidence, as its recorded history did', () => {
    const s = started();
    s.rulesVersion = undefined;
    act(s, 'addProblem', { actor: teamLeader, description: '问题', reasonCode: 'C4', cureTag: '治散', rootCause: '根源', evidence: '证据' }, at('2030-01-06'));
    act(s, 'confirmProblemList', { actor: township }, at('2030-01-06'));
    expect(() => act(s, 'closeProblem', { actor: teamLeader, problemId: s.problems[0].id, fixEvidence: '有' }, at('2030-01-07'))).not.toThrow();
  });
});

describe('the audit trail reads 补录, 代录 and 组织处理 as sentences', () => {
  const sentence = (action: string, payload: Record<string, unknown>) =>
    auditSentence({ occurredAt: '2030-03-20T02:00:00Z', action, payload, actor: { name: '队长', role: 'team_leader' }, organizationName: '某村党支部' });

  it('names a late or proxy entry, and the decision of 组织处理', () => {
    expect(sentence('visit.recorded', { visitedOn: '2030-02-10', quarter: '2030-Q1', place: '村部', proxy: true, backfill: { reason: '账号未开通', daysLate: 38 } })).toContain('（代录，待联系领导确认）（补录，晚38天：账号未开通）');
    expect(sentence('organizational_handling.recorded', { measure: 'dismissal', subject: '王某', decidedBy: '县委组织部部务会', decidedOn: '2031-02-20' })).toContain('记录组织处理决定：免职（王某，县委组织部部务会，2031年2月20日）');
    expect(sentence('designation.reason_added', { reason: 'S1', note: '星级评定为一星级' })).toContain('增加认定原因「星级评定为一星级」');
  });
});
