import {
  applyCommand,
  CASE_LIMITS,
  DEFAULT_POLICY,
  jsonBytes,
  jsonWithin,
  newCaseState,
  RuleViolation,
  validateCommand,
  type Actor,
  type CaseCommandInputs,
  type CaseCommandName,
  type CaseState,
} from '../../libs/domain';
import { county, township, at } from '../support/case-machine';

/** The case's engineering limits (libs/domain/case/limits.ts) in the pure state machine. */
const leaderActor: Actor = { id: 'l', name: '赵', role: 'county_leader' };
const NOW = at('2030-03-01');
const TEAM = [
  { name: 'a', rank: 'section' as const, unit: 'u', isLeader: true },
  { name: 'b', rank: 'staff' as const, unit: 'u' },
  { name: 'c', rank: 'staff' as const, unit: 'u' },
];
const LONG = '村'.repeat(CASE_LIMITS.textMaxLength);

function run<K extends CaseCommandName>(s: CaseState, name: K, input: CaseCommandInputs[K], now = NOW) {
  validateCommand(s, name, input, now);
  return applyCommand(s, name, input, now);
}

function refusal(fn: () => unknown): RuleViolation | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof RuleViolation) return err;
    throw err;
  }
  return undefined;
}

function rectifying(): CaseState {
  const s = newCaseState({
    caseId: 'case-x',
    organization: { id: 'o', name: '某村党支部', townshipId: 'tw', countyId: 'cy' },
    batchYear: 2030,
    reasons: ['C1'],
    note: '书记长期缺职，组织生活不正常',
    designatedBy: county,
    designatedAt: new Date(at('2030-02-01')).toISOString(),
    policy: DEFAULT_POLICY,
  });
  run(s, 'assignContactLeader', { actor: county, leader: { id: 'l', name: '赵', title: '副县长', isCountyPartySecretary: false } });
  run(s, 'appointTeam', { actor: township, arrivedOn: '2030-02-10', members: TEAM });
  expect(s.stage).toBe('rectifying');
  return s;
}

const problem = (text = '问题') => ({ actor: township, description: text, reasonCode: 'C4' as const, cureTag: '治散' as const, rootCause: text, evidence: text });

describe('bounded cases: engineering limits refused by the validator', () => {
  it('refuses the 101st problem naming the limit, and takes the 100th', () => {
    const s = rectifying();
    for (let i = 0; i < CASE_LIMITS.counts.problems; i++) run(s, 'addProblem', problem(`问题${i}`));
    const err = refusal(() => validateCommand(s, 'addProblem', problem(), NOW));
    expect(err?.rule).toBe('CASE_LIMIT_REACHED');
    expect(err?.details).toMatchObject({ limit: 'problems', max: CASE_LIMITS.counts.problems });
    expect(err?.message).toContain('问题清单的问题最多100个');
    // Histories recorded before the limits replay without them.
    expect(refusal(() => validateCommand(s, 'addProblem', problem(), NOW, { limits: false }))).toBeUndefined();
  });

  it.each([
    ['practicalThings', 'recordPracticalThing', { actor: leaderActor, title: 't', description: 'd', doneOn: '2030-02-20' }],
    ['visits', 'recordGuidanceVisit', { actor: leaderActor, visitedOn: '2030-02-20', place: 'p', summary: 's' }],
    ['consultations', 'recordConsultation', { actor: township, kind: 'household_visits', heldOn: '2030-02-20', participants: 3, summary: 's' }],
    ['trainings', 'recordTraining', { actor: township, secretaryName: 'n', session: 's', attendedOn: '2030-02-20' }],
    ['projects', 'addCollectiveProject', { actor: township, name: 'n', kind: 'k', supportFunds: 1, startOn: '2030-02-20', expectedYearlyIncome: 1 }],
  ] as const)('refuses one record past the count of %s', (limit, name, input) => {
    const s = rectifying();
    for (let i = 0; i < CASE_LIMITS.counts[limit]; i++) run(s, name, input as never);
    const err = refusal(() => validateCommand(s, name, input as never, NOW));
    expect(err?.rule).toBe('CASE_LIMIT_REACHED');
    expect(err?.details).toMatchObject({ limit, max: CASE_LIMITS.counts[limit] });
  });

  it('refuses the action that would pass the size limit, measured in JSON bytes, and still lets the county take the case off the list', () => {
    const s = rectifying();
    let err: RuleViolation | undefined;
    for (let i = 0; i < 100 && !err; i++) {
      err = refusal(() => validateCommand(s, 'addProblem', problem(LONG), NOW));
      if (!err) applyCommand(s, 'addProblem', problem(LONG), NOW);
    }
    expect(err?.rule).toBe('CASE_STATE_TOO_LARGE');
    expect(err?.details).toMatchObject({ limit: 'stateBytes', max: CASE_LIMITS.stateBytes });
    expect(jsonBytes(s)).toBeLessThanOrEqual(CASE_LIMITS.stateBytes);
    expect(jsonBytes(s)).toBeGreaterThan(CASE_LIMITS.stateBytes - jsonBytes(problem(LONG)) * 2);
    run(s, 'removeFromList', { actor: county, reason: LONG });
    expect(s.stage).toBe('removed');
    expect(jsonBytes(s)).toBeLessThanOrEqual(CASE_LIMITS.removalStateBytes);
  });

  it('measures a state against its limit in UTF-8 bytes, for ASCII, Chinese and characters beyond the BMP alike', () => {
    // JSON '"aaa…"': one byte a character, so 102 bytes for 100 letters (three times the length would pass 102).
    expect(jsonWithin('a'.repeat(100), 102)).toEqual({ within: true, bytes: 102 });
    expect(jsonWithin('a'.repeat(100), 101)).toEqual({ within: false, bytes: 102 });
    // 村: three bytes each; a limit of three bytes a character and more needs no counting.
    expect(jsonWithin('村'.repeat(10), 36)).toEqual({ within: true });
    expect(jsonWithin('村'.repeat(10), 32)).toEqual({ within: true, bytes: 32 });
    expect(jsonWithin('村'.repeat(10), 31)).toEqual({ within: false, bytes: 32 });
    // 𠀀 (U+20000): a surrogate pair, four bytes.
    expect(jsonWithin('𠀀'.repeat(5), 22)).toEqual({ within: true, bytes: 22 });
    expect(jsonWithin('𠀀'.repeat(5), 21)).toEqual({ within: false, bytes: 22 });
    expect(jsonBytes('𠀀'.repeat(5))).toBe(22);
  });
});

