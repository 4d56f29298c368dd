import {
  acceptanceConditions,
  applyClock,
  applyCommand,
  DEFAULT_POLICY,
  deriveTasks,
  newCaseState,
  policyProblems,
  RuleViolation,
  validateCommand,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseState,
} from '../../libs/domain';
import { county, township, at } from '../support/case-machine';

/** The pure state machine the workflow runs, exercised without a server. */

function fresh(reasons: CaseState['reasons'] = ['C1']): CaseState {
  return newCaseState({
    caseId: 'case-x',
    organization: { id: 'o', name: '某村党支部', townshipId: 'tw', countyId: 'cy' },
    batchYear: 2030,
    reasons,
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

describe('the case state machine', () => {
  it('starts rectifying only once both the contact leader and the team are in place', () => {
    const s = fresh();
    run(s, 'appointTeam', { actor: township, arrivedOn: '2030-02-03', members: [
      { name: 'a', rank: 'section', unit: 'u', isLeader: true }, { name: 'b', rank: 'staff', unit: 'u' }, { name: 'c', rank: 'staff', unit: 'u' },
    ] }, at('2030-02-03'));
    expect(s.stage).toBe('designated');
    const events = run(s, 'assignContactLeader', { actor: county, leader: { id: 'l', name: '赵', title: '副县长', isCountyPartySecretary: false } }, at('2030-02-04'));
    expect(s.stage).toBe('rectifying');
    expect(events.map((e) => e.action)).toEqual(['leader.assigned', 'stage.changed']);
    expect(new Set(events.map((e) => e.key)).size).toBe(2);
  });

  it('refuses a date in the future and one before the designation', () => {
    const s = fresh();
    run(s, 'assignContactLeader', { actor: county, leader: { id: 'l', name: '赵', title: '副县长', isCountyPartySecretary: false } }, at('2030-02-04'));
    const visit = (visitedOn: string) => () =>
      validateCommand(s, 'recordGuidanceVisit', { actor: { id: 'l', name: '赵', role: 'county_leader' }, visitedOn, place: '村部', summary: '调研' }, at('2030-02-04'));
    expect(rule(visit('2030-02-05'))).toBe('DATE_IN_FUTURE');
    expect(rule(visit('2030-01-31'))).toBe('DATE_BEFORE_DESIGNATION');
    expect(rule(visit('2030-02-04'))).toBe('none');
  });

  it('owes a visit for every completed quarter since the leader was assigned', () => {
    const s = fresh();
    run(s, 'assignContactLeader', { actor: county, leader: { id: 'l', name: '赵', title: '副县长', isCountyPartySecretary: false } }, at('2030-02-04'));
    run(s, 'recordGuidanceVisit', { actor: { id: 'l', name: '赵', role: 'county_leader' }, visitedOn: '2030-02-10', place: '村部', summary: '调研' }, at('2030-02-10'));
    const visits = (now: number) => acceptanceConditions(s, now).find((c) => c.code === 'QUARTERLY_VISITS')!;
    expect(visits(at('2030-03-31')).met).toBe(true);
    expect(visits(at('2030-07-01')).met).toBe(false);
    expect(visits(at('2030-07-01')).missing).toContain('2030-Q2');
  });

  it('flags the missed secretary deadline and the year end once, with the system as actor', () => {
    const s = fresh(['C2']);
    run(s, 'assignContactLeader', { actor: county, leader: { id: 'l', name: '赵', title: '副县长', isCountyPartySecretary: false } }, at('2030-02-04'));
    run(s, 'appointTeam', { actor: township, arrivedOn: '2030-02-04', members: [
      { name: 'a', rank: 'county', unit: 'u', isLeader: true }, { name: 'b', rank: 'staff', unit: 'u' }, { name: 'c', rank: 'staff', unit: 'u' },
    ] }, at('2030-02-04'));
    expect(s.secretary.deadline).toBe('2030-05-04');
    expect(applyClock(s, at('2030-05-04', 23)).map((e) => e.action)).toEqual([]);
    const missed = applyClock(s, at('2030-05-05', 0));
    expect(missed.map((e) => [e.action, e.actor.role])).toEqual([['deadline.secretary_missed', 'system']]);
    expect(applyClock(s, at('2030-05-06')).map((e) => e.action)).toEqual([]);
    expect(applyClock(s, at('2031-01-01', 0)).map((e) => e.action)).toEqual(['deadline.year_end_missed', 'quarter.started']);
    expect(s.yearEndOverdue).toBe(true);
    expect(deriveTasks(s, at('2031-01-02')).find((t) => t.kind === 'appoint_secretary')).toMatchObject({ dueOn: '2030-05-04', regionId: 'tw', assigneeRole: 'township_party_secretary' });
  });

  it('makes the township party secretary first responsible, automatically', () => {
    expect(fresh().firstResponsible).toEqual({ role: 'township_party_secretary', regionId: 'tw' });
  });

  it('states the next steps as tasks with roles, regions and due dates', () => {
    const s = fresh();
    expect(deriveTasks(s, at('2030-02-02')).map((t) => [t.kind, t.assigneeRole, t.regionId])).toEqual([
      ['assign_contact_leader', 'county_org_admin', 'cy'],
      ['appoint_team', 'township_party_secretary', 'tw'],
    ]);
  });
});

describe('county policy', () => {
  it('accepts the defaults of DOMAIN.md', () => {
    expect(policyProblems(DEFAULT_POLICY)).toEqual([]);
    expect(DEFAULT_POLICY).toMatchObject({ teamMinSize: 3, secretaryDeadlineMonths: 3, visitsPerQuarter: 1, minCollectiveProjects: 1, reminderDaysBefore: [14, 3] });
  });

  it('names every unsound field', () => {
    const problems = policyProblems({ ...DEFAULT_POLICY, teamMinSize: 0, escalationDaysOverdue: { supervision: 20, publicNotice: 15, interview: 30 } });
    expect(problems.join('\n')).toMatch(/teamMinSize/);
    expect(problems.join('\n')).toMatch(/escalationDaysOverdue/);
  });
});
