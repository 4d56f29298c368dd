import {
  applyClock,
  DEFAULT_POLICY,
  deriveTasks,
  newCaseState,
  openDeadlines,
  policyProblems,
  RuleViolation,
  validateCommand,
  type Actor,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseState,
  type RectificationPolicy,
} from '../../libs/domain';
import { township, at, act } from '../support/case-machine';

/** 延期 in the pure state machine (issue 20 item 2): the policy's bounds, the seed's secretary deadline, the task. */
const county: Actor = { id: 'c', name: '县委组织部 李', role: 'county_org_admin' };
const countySecretary: Actor = { id: 'cs', name: '县委书记 钱', role: 'county_party_secretary' };
const teamLeader: Actor = { id: 'tl', name: '队长', role: 'team_leader' };

/** A case in rectifying, team arrived 2030-03-04, one measure m due 2030-12-10, secretary required. */
function running(policy: Partial<RectificationPolicy> = {}): { s: CaseState; measureId: string } {
  const s = newCaseState({
    caseId: 'case-x',
    organization: { id: 'o', name: '某村党支部', townshipId: 'tw', countyId: 'cy' },
    batchYear: 2030,
    reasons: ['C1'],
    designatedBy: county,
    designatedAt: new Date(at('2030-03-01')).toISOString(),
    policy: { ...DEFAULT_POLICY, ...policy },
  });
  s.stage = 'rectifying';
  s.secretary.deadline = '2030-06-04';
  s.measures.push({ id: 'm1', description: '规范三会一课', problemIds: ['p1'], owner: '张科', dueOn: '2030-12-10', percent: 0, status: 'pending', progress: [], earlierUpdates: 0, addedBy: teamLeader, addedAt: new Date(at('2030-03-10')).toISOString() });
  return { s, measureId: 'm1' };
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
const reason = '施工队因连续降雨停工，需顺延工期';

describe('deadline extensions (延期)', () => {
  it('never past the year end, at most the policy\'s extensions per deadline, each approved by the policy\'s approver', () => {
    const { s, measureId } = running({ extensions: { maxPerDeadline: 1, approvers: ['county_party_secretary'] } });
    const now = at('2030-12-01');
    expect(refused(s, 'requestExtension', { actor: teamLeader, deadline: 'measure', measureId, newDueOn: '2031-01-05', reason }, now).rule).toBe('EXTENSION_PAST_YEAR_END');
    expect(refused(s, 'requestExtension', { actor: teamLeader, deadline: 'measure', measureId, newDueOn: '2030-12-05', reason }, now).rule).toBe('EXTENSION_MUST_BE_LATER');
    act(s, 'requestExtension', { actor: teamLeader, deadline: 'measure', measureId, newDueOn: '2030-12-15', reason }, now);
    expect(deriveTasks(s, now).filter((t) => t.kind === 'decide_extension')).toEqual([expect.objectContaining({ assigneeRole: 'county_party_secretary', subjectId: 'x1', dueOn: '2030-12-10' })]);
    expect(refused(s, 'decideExtension', { actor: county, extensionId: 'x1', approve: true, reason: '同意延期，请抓紧推进' }, now).rule).toBe('ROLE_NOT_ALLOWED');
    const [approved] = act(s, 'decideExtension', { actor: countySecretary, extensionId: 'x1', approve: true, reason: '同意延期，请抓紧推进' }, now);
    expect(approved).toMatchObject({ action: 'extension.approved', payload: { originalDueOn: '2030-12-10', requestedDueOn: '2030-12-15', times: 1 } });
    expect(openDeadlines(s, now).find((d) => d.key === `measure:${measureId}`)).toMatchObject({ dueOn: '2030-12-15', extended: 1 });
    expect(refused(s, 'requestExtension', { actor: teamLeader, deadline: 'measure', measureId, newDueOn: '2030-12-28', reason }, now).rule).toBe('EXTENSION_LIMIT_REACHED');
  });

  it('the secretary deadline moves only where the policy says so: then it is no longer missed, and the clock looks at the new date', () => {
    const closed = running().s;
    expect(refused(closed, 'requestExtension', { actor: township, deadline: 'secretary', newDueOn: '2030-06-20', reason }, at('2030-06-01')).rule).toBe('SECRETARY_DEADLINE_NOT_EXTENSIBLE');

    const { s } = running({ extensions: { secretaryDeadline: true } });
    applyClock(s, at('2030-06-05'));
    expect(s.secretary.overdue).toBe(true);
    expect(refused(s, 'requestExtension', { actor: teamLeader, deadline: 'secretary', newDueOn: '2030-06-20', reason }, at('2030-06-06')).rule).toBe('ROLE_NOT_ALLOWED');
    act(s, 'requestExtension', { actor: township, deadline: 'secretary', newDueOn: '2030-06-20', reason }, at('2030-06-06'));
    act(s, 'decideExtension', { actor: county, extensionId: 'x1', approve: true, reason: '两名人选正在公示，同意延期' }, at('2030-06-06'));
    expect(s.secretary).toMatchObject({ deadline: '2030-06-20', overdue: false });
    expect(applyClock(s, at('2030-06-21')).map((e) => e.action)).toContain('deadline.secretary_missed');
  });

  it('a policy\'s extension settings are checked when it is published', () => {
    expect(policyProblems({ ...DEFAULT_POLICY, extensions: { approvers: ['team_leader'], maxDaysEach: 0 } })).toEqual([
      expect.stringContaining('extensions.approvers'),
      expect.stringContaining('extensions.maxDaysEach'),
    ]);
    expect(policyProblems({ ...DEFAULT_POLICY, extensions: { secretaryDeadline: true, maxPerDeadline: 1 } })).toEqual([]);
  });
});
