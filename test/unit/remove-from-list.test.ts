import {
  applyClock,
  applyCommand,
  CASE_STAGE_LABELS,
  CASE_STAGES,
  COMMAND_ROLES,
  DEFAULT_POLICY,
  deriveTasks,
  outlookCounts,
  isConverted,
  isOnList,
  newCaseState,
  nextWakeUp,
  openDeadlines,
  RuleViolation,
  validateCommand,
  visitCompliance,
  type Actor,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseState,
} from '../../libs/domain';
import { county, township, at } from '../support/case-machine';

/** 移出整顿名单 in the pure state machine: who, when, with what reason, and never a one-star case. */
const REASON = '经复核，认定所依据的信访问题系误报，班子运转正常';
const TEAM = [
  { name: 'a', rank: 'section' as const, unit: 'u', isLeader: true },
  { name: 'b', rank: 'staff' as const, unit: 'u' },
  { name: 'c', rank: 'staff' as const, unit: 'u' },
];
const LEADER = { id: 'l', name: '赵', title: '副县长', isCountyPartySecretary: false };

function fresh(reasons: CaseState['reasons'] = ['C1']): CaseState {
  return newCaseState({
    caseId: 'case-x',
    organization: { id: 'o', name: '某村党支部', townshipId: 'tw', countyId: 'cy' },
    batchYear: 2030,
    reasons,
    note: '书记长期缺职，组织生活不正常',
    designatedBy: county,
    designatedAt: new Date(at('2030-02-01')).toISOString(),
    policy: DEFAULT_POLICY,
  });
}

function run<K extends CaseCommandName>(s: CaseState, name: K, input: CaseCommandInputs[K], now: number) {
  validateCommand(s, name, input, now);
  return applyCommand(s, name, input, now);
}

function rule(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof RuleViolation) return err.rule;
    throw err;
  }
  return 'none';
}

const remove = (s: CaseState, reason: unknown, actor: Actor = county, now = at('2030-03-01')) => () =>
  validateCommand(s, 'removeFromList', { actor, reason } as CaseCommandInputs['removeFromList'], now);

/** A case in rectifying: leader and team in place, one problem found. */
function rectifying(reasons: CaseState['reasons'] = ['C1']): CaseState {
  const s = fresh(reasons);
  run(s, 'assignContactLeader', { actor: county, leader: LEADER }, at('2030-02-02'));
  run(s, 'appointTeam', { actor: township, arrivedOn: '2030-02-02', members: TEAM }, at('2030-02-02'));
  run(s, 'addProblem', { actor: { id: 'tl', name: '队长', role: 'team_leader' }, description: '三会一课不正常', reasonCode: 'C4', cureTag: '治散', rootCause: '书记缺位', evidence: '会议记录空白' }, at('2030-02-03'));
  return s;
}

describe('taking a case off the list (removeFromList)', () => {
  it('is the county organization department\'s alone', () => {
    expect(COMMAND_ROLES.removeFromList).toEqual(['county_org_admin']);
    const s = fresh();
    expect(rule(remove(s, REASON, township))).toBe('ROLE_NOT_ALLOWED');
    expect(rule(remove(s, REASON, { id: 'x', name: '县委书记', role: 'county_party_secretary' }))).toBe('ROLE_NOT_ALLOWED');
    expect(rule(remove(s, REASON))).toBe('none');
  });

  it('needs a substantive written reason: none, blank or short is refused', () => {
    const s = fresh();
    expect(rule(remove(s, undefined))).toBe('REMOVAL_REASON_REQUIRED');
    expect(rule(remove(s, 42))).toBe('REMOVAL_REASON_REQUIRED');
    expect(rule(remove(s, '   '))).toBe('REMOVAL_REASON_REQUIRED');
    expect(rule(remove(s, '  不是软弱涣散组织  '))).toBe('REMOVAL_REASON_REQUIRED'); // 8 characters once trimmed
    expect(rule(remove(s, '经复核不属于软弱涣散'))).toBe('none'); // exactly 10
    expect(rule(remove(s, '长'.repeat(2001)))).toBe('INVALID_INPUT');
    try {
      remove(s, '太短了')();
    } catch (err) {
      expect(err).toBeInstanceOf(RuleViolation);
      expect((err as RuleViolation).details).toEqual({ field: 'reason', minLength: 10, length: 3 });
      expect((err as RuleViolation).message).toContain('移出整顿名单须由县委组织部书面说明理由');
    }
  });

  it('never removes a one-star (S1) case — not even with other reasons beside it', () => {
    expect(rule(remove(fresh(['S1']), REASON))).toBe('ONE_STAR_CANNOT_BE_REMOVED');
    expect(rule(remove(rectifying(['C1', 'S1']), REASON))).toBe('ONE_STAR_CANNOT_BE_REMOVED');
  });

  it('removes from designated, rectifying and awaiting acceptance; never after acceptance or twice', () => {
    expect(rule(remove(fresh(), REASON))).toBe('none');
    expect(rule(remove(rectifying(), REASON))).toBe('none');
    const awaiting = rectifying();
    awaiting.stage = 'awaiting_acceptance';
    expect(rule(remove(awaiting, REASON))).toBe('none');
    for (const stage of ['converted', 'follow_up_review', 'closed', 'removed'] as const) {
      const s = rectifying();
      s.stage = stage;
      expect(rule(remove(s, REASON))).toBe('REMOVAL_ONLY_WHILE_ON_LIST');
    }
  });

  it('moves the case to removed with who, when and why, as audit events, and leaves no task, deadline or timer', () => {
    const s = rectifying();
    expect(deriveTasks(s, at('2030-03-01')).length).toBeGreaterThan(0);
    const now = at('2030-03-01');
    const events = run(s, 'removeFromList', { actor: county, reason: `  ${REASON} ` }, now);

    expect(s.stage).toBe('removed');
    expect(s.removal).toEqual({ at: new Date(now).toISOString(), by: county, reason: REASON, fromStage: 'rectifying' });
    expect(s.stageHistory.at(-1)).toEqual({ from: 'rectifying', to: 'removed', actor: county, at: new Date(now).toISOString(), reason: `移出整顿名单：${REASON}` });
    expect(events.map((e) => e.action)).toEqual(['case.removed', 'stage.changed']);
    expect(events[0]).toMatchObject({ actor: county, occurredAt: new Date(now).toISOString(), payload: { reason: REASON, fromStage: 'rectifying', reasons: ['C1'], batchYear: 2030 } });
    expect(events[1].payload).toEqual({ from: 'rectifying', to: 'removed', reason: `移出整顿名单：${REASON}` });

    // Nothing left to do, nothing to remind of, nothing the clock would change.
    expect(deriveTasks(s, now)).toEqual([]);
    expect(deriveTasks(s, at('2031-01-05'))).toEqual([]);
    expect(openDeadlines(s, now)).toEqual([]);
    expect(nextWakeUp(s, now)).toBeUndefined();
    expect(applyClock(s, at('2031-01-05'))).toEqual([]);
    // And no other action applies any more.
    expect(rule(() => validateCommand(s, 'addProblem', { actor: township, description: 'x', reasonCode: 'C4', cureTag: '治散', rootCause: 'y', evidence: 'z' }, now))).toBe('STAGE_DOES_NOT_ALLOW');
    expect(rule(() => validateCommand(s, 'assignContactLeader', { actor: county, leader: { ...LEADER, id: 'l2' }, reason: '调整' }, now))).toBe('STAGE_DOES_NOT_ALLOW');
  });

  it('is labelled in Chinese and counted neither as converted nor in the forecast or visit compliance', () => {
    expect(CASE_STAGES).toContain('removed');
    expect(CASE_STAGE_LABELS.removed).toBe('移出名单');
    const kept = rectifying();
    const gone = rectifying();
    run(gone, 'removeFromList', { actor: county, reason: REASON }, at('2030-03-01'));
    expect(isOnList(gone)).toBe(false);
    expect(isConverted(gone)).toBe(false);
    expect(isOnList(kept)).toBe(true);
    const f = outlookCounts([kept, gone], at('2030-03-02'));
    expect(Object.values(f).reduce((a, b) => a + b, 0)).toBe(1);
    const compliance = visitCompliance([kept, gone], 2030, at('2030-03-02'));
    expect(compliance).toHaveLength(1);
    expect(compliance[0].cases).toBe(1);
  });
});
