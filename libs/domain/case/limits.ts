import type { CaseCommandName } from './commands';
import type { CaseState } from './types';

/**
 * Engineering limits of one case — not county policy, and not numbers of the seeds: they keep a case's
 * state, and so every payload the workflow hands Temporal (activity inputs and results, the
 * continue-as-new input, query answers), well under Temporal's limits. A case that grows past them
 * would have its workflow terminated by the server and could no longer be acted on. Chosen so that a
 * real case never reaches them; the Update validator refuses the action that would pass one, naming
 * it, before anything reaches the history.
 */
export const CASE_LIMITS = {
  /** Longest free text of an action (characters), as the API's DTOs take it. */
  textMaxLength: 2000,
  /** Records a case may hold, by collection. */
  counts: {
    problems: 100,
    measures: 200,
    visits: 200,
    practicalThings: 50,
    consultations: 100,
    trainings: 50,
    projects: 20,
    teamMembers: 50,
    teamChanges: 100,
    contactLeaderChanges: 20,
    acceptanceRefusals: 20,
    relapses: 5,
  },
  /**
   * The whole state as JSON (UTF-8 bytes, notice plan included) after the action. Growing actions stop
   * at `stateBytes`; settling actions (acceptance, follow-up review, releasing the team) may use a
   * reserve up to `settleStateBytes`, and taking the case off the list one more up to
   * `removalStateBytes`, so a case at its limit can still be closed or removed. All under 256 kB.
   */
  stateBytes: 192 * 1024,
  settleStateBytes: 216 * 1024,
  removalStateBytes: 236 * 1024,
} as const;

export type CaseCountLimit = keyof typeof CASE_LIMITS.counts;

/** What each count is, in Chinese, for the refusal's message. */
export const CASE_COUNT_LIMIT_LABELS: Record<CaseCountLimit, string> = {
  problems: '问题清单的问题',
  measures: '整改措施',
  visits: '调研指导记录',
  practicalThings: '实事好事',
  consultations: '征求意见记录',
  trainings: '培训记录',
  projects: '集体经济项目',
  teamMembers: '整建队伍队员',
  teamChanges: '队伍调整记录',
  contactLeaderChanges: '更换联系领导记录',
  acceptanceRefusals: '不予验收记录',
  relapses: '反弹重新整顿',
};

/** How many records of a collection the case holds now, and how many the action adds. */
export function countsOf(state: CaseState): Record<CaseCountLimit, number> {
  return {
    problems: state.problems.length,
    measures: state.measures.length,
    visits: state.visits.length,
    practicalThings: state.practicalThings.length,
    consultations: state.consultations.length,
    trainings: state.secretary.trainings.length,
    projects: state.projects.length,
    teamMembers: state.team && !state.team.releasedAt ? state.team.members.length : 0,
    teamChanges: state.teamChanges.length,
    contactLeaderChanges: state.previousContactLeaders.length,
    acceptanceRefusals: state.acceptanceRefusals.length,
    relapses: state.relapses.length,
  };
}

/** Which size limit applies to an action: settling a case, or taking it off the list, may use the reserve. */
export function stateBytesLimitFor(name: CaseCommandName): number {
  if (name === 'removeFromList') return CASE_LIMITS.removalStateBytes;
  if (name === 'acceptCase' || name === 'recordFollowUp' || name === 'releaseTeam') return CASE_LIMITS.settleStateBytes;
  return CASE_LIMITS.stateBytes;
}

/**
 * Size of a value as Temporal's JSON payload converter writes it: the UTF-8 bytes of JSON.stringify.
 * Counted by hand (no TextEncoder needed in the workflow sandbox).
 */
export function jsonBytes(value: unknown): number {
  return utf8Bytes(JSON.stringify(value) ?? '');
}

/**
 * Whether a value's JSON stays within `maxBytes` UTF-8 bytes. A UTF-16 code unit takes at most 3 bytes
 * (a surrogate pair's two take 4), so a short enough string is within without counting: the usual case,
 * a state of a few kB against a limit of about 200.
 */
export function jsonWithin(value: unknown, maxBytes: number): { within: boolean; bytes?: number } {
  const s = JSON.stringify(value) ?? '';
  if (s.length * 3 <= maxBytes) return { within: true };
  const bytes = utf8Bytes(s);
  return { within: bytes <= maxBytes, bytes };
}

function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
