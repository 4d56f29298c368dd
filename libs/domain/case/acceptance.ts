import { quarterKey, quarterOf, quartersBetween, shanghaiDateOf, nextQuarter, quarterStart, addDays, type QuarterKey } from '../shanghai-time';
import { unbent } from './rules/edition';
import { visitCounts } from './rules/honest-dates';
import { withPlaybook } from './playbook';
import { secretaryInPlace } from './rules/substance';
import type { CaseState } from './types';

/** The conditions of DOMAIN.md's "Closing", each checked on its own so a refusal can list them all. */
export const ACCEPTANCE_CONDITIONS = {
  CONTACT_LEADER_ASSIGNED: { zh: '已确定联系领导', en: 'a contact leader is assigned' },
  QUARTERLY_VISITS: { zh: '联系领导每季度调研指导不少于规定次数', en: 'every quarter so far had its contact leader visit' },
  TEAM_ATTACHED: { zh: '整建队伍在岗且人数达标（不转化不脱钩）', en: 'the team is still attached, at full size' },
  PROBLEM_LIST_CONFIRMED: { zh: '问题清单已建立并经乡镇党委书记确认', en: 'the problem list exists and is confirmed' },
  PROBLEMS_ALL_CLOSED: { zh: '问题全部销号', en: 'every problem is closed off' },
  PLAN_APPROVED: { zh: '整顿方案已经乡镇党委审定', en: 'the plan is approved by the township' },
  MEASURES_ALL_DONE: { zh: '整改措施全部完成', en: 'every plan measure is done' },
  SECRETARY_IN_PLACE: { zh: '合格的党支部书记已到位', en: 'a qualified secretary is in place' },
  COLLECTIVE_PROJECT: { zh: '至少发展一个村集体经济项目', en: 'the village has its collective-economy project' },
  PRACTICAL_THINGS: { zh: '联系领导办理群众认可的实事好事（附佐证）', en: 'the contact leader\'s practical things are done, with their evidence' },
  SECRETARY_TRAINING: { zh: '党支部书记参加县级专题培训（附佐证）', en: 'the secretary attended the county\'s special training, with evidence' },
  PLAYBOOK_PROJECT: { zh: '开展本类组织整顿要求的项目', en: 'the project the kind\'s playbook asks for exists' },
} as const;

export type AcceptanceConditionCode = keyof typeof ACCEPTANCE_CONDITIONS;

export interface AcceptanceCondition {
  code: AcceptanceConditionCode;
  met: boolean;
  zh: string;
  en: string;
  /** What is missing, in Chinese, when not met. */
  missing?: string;
}

/** Visits per calendar quarter (Asia/Shanghai), by quarter key. */
export function visitsByQuarter(state: CaseState): Record<QuarterKey, number> {
  const out: Record<QuarterKey, number> = {};
  // A 代录 counts once the contact leader confirms it (DOMAIN.md: records are honest about time).
  for (const v of state.visits) if (visitCounts(v)) out[v.quarter] = (out[v.quarter] ?? 0) + 1;
  return out;
}

/**
 * Quarters the contact leader owed a visit in, so far: every quarter from the one the first leader was
 * assigned in, that has ended by `nowMs`. (The running quarter is owed too, but not yet overdue.)
 */
export function completedQuartersOwed(state: CaseState, nowMs: number): QuarterKey[] {
  const first = state.previousContactLeaders[0] ?? state.contactLeader;
  if (!first) return [];
  const today = shanghaiDateOf(nowMs);
  const current = quarterKey(quarterOf(today));
  return quartersBetween(shanghaiDateOf(Date.parse(first.assignedAt)), today)
    .map(quarterKey)
    .filter((k) => k !== current);
}

export function missedQuarters(state: CaseState, nowMs: number): QuarterKey[] {
  const visits = visitsByQuarter(state);
  return completedQuartersOwed(state, nowMs).filter((q) => (visits[q] ?? 0) < state.policy.visitsPerQuarter);
}

export function acceptanceConditions(state: CaseState, nowMs: number): AcceptanceCondition[] {
  const p = state.policy;
  const cond = (code: AcceptanceConditionCode, met: boolean, missing?: string): AcceptanceCondition => ({
    code,
    met,
    ...ACCEPTANCE_CONDITIONS[code],
    ...(met ? {} : { missing }),
  });
  const missed = missedQuarters(state, nowMs);
  const openProblems = state.problems.filter((x) => x.status === 'open');
  const undone = state.measures.filter((m) => m.status !== 'done');
  const team = state.team;
  const later = unbent(state);
  const secretary = later ? secretaryInPlace(state, nowMs) : { met: !state.secretary.required || !!state.secretary.appointment, missing: '书记缺职或不称职，尚未选配合格书记' };
  const counted = later ? state.visits.filter(visitCounts).length : state.visits.length;
  return withPlaybook(state, [
    cond('CONTACT_LEADER_ASSIGNED', !!state.contactLeader, '尚未确定联系领导'),
    cond(
      'QUARTERLY_VISITS',
      !!state.contactLeader && missed.length === 0 && counted > 0,
      missed.length ? `以下季度调研指导不足${p.visitsPerQuarter}次：${missed.join('、')}` : state.visits.length ? '调研指导均为代录，尚待联系领导确认' : '尚无调研指导记录',
    ),
    cond(
      'TEAM_ATTACHED',
      !!team && !team.releasedAt && team.members.length >= p.teamMinSize,
      !team ? '尚未选派整建队伍' : team.releasedAt ? '整建队伍已撤离' : `整建队伍不足${p.teamMinSize}人`,
    ),
    cond(
      'PROBLEM_LIST_CONFIRMED',
      state.problems.length > 0 && !!state.problemListConfirmedAt,
      state.problems.length === 0 ? '问题清单为空' : '问题清单未经乡镇党委书记确认',
    ),
    cond('PROBLEMS_ALL_CLOSED', state.problems.length > 0 && openProblems.length === 0, `${openProblems.length} 个问题未销号`),
    cond('PLAN_APPROVED', !!state.planApprovedAt, '整顿方案未经乡镇党委审定'),
    cond('MEASURES_ALL_DONE', state.measures.length > 0 && undone.length === 0, state.measures.length === 0 ? '尚无整改措施' : `${undone.length} 项整改措施未完成`),
    cond('SECRETARY_IN_PLACE', secretary.met, secretary.missing),
    cond(
      'COLLECTIVE_PROJECT',
      state.projects.length >= p.minCollectiveProjects,
      `集体经济项目 ${state.projects.length} 个，少于 ${p.minCollectiveProjects} 个`,
    ),
    // Issue 16: the 1–2 practical things and the 1–2 trainings a year are conditions, with their evidence.
    ...(later
      ? [
          cond('PRACTICAL_THINGS', state.practicalThings.length >= p.practicalThingsExpected, `实事好事 ${state.practicalThings.length} 件，少于 ${p.practicalThingsExpected} 件`),
          cond('SECRETARY_TRAINING', state.secretary.trainings.length > 0, '党支部书记尚无参加县级专题培训的记录'),
        ]
      : []),
  ]);
}

export function unmetAcceptanceConditions(state: CaseState, nowMs: number): AcceptanceCondition[] {
  return acceptanceConditions(state, nowMs).filter((c) => !c.met);
}

/** The first day of the quarter after the one containing `nowMs`: when visit tasks roll over. */
export function nextQuarterStartAfter(nowMs: number): string {
  return quarterStart(nextQuarter(quarterOf(shanghaiDateOf(nowMs))));
}

/** Last day of the running quarter. */
export function currentQuarterLastDay(nowMs: number): string {
  return addDays(nextQuarterStartAfter(nowMs), -1);
}
