import { acceptanceConditions, type AcceptanceCondition } from './case/acceptance';
import type { CaseState } from './case/types';
import { caseTracks, isConverted, isOnList, TRACKS, yearEndMissed, type CaseTracks } from './dashboard';
import type { RectificationPolicy } from './policy';
import { daysBetween, shanghaiDateOf, type LocalDate } from './shanghai-time';

/**
 * The year-end outlook (年底转化预判) of a case: the one definition the overview, the batch view and
 * every export use, so two pages can never disagree (seed 003: 年底前务必全部转化提升). A pure function
 * of the case state, "now" and the case's policy; dates in Asia/Shanghai.
 */
export const YEAR_END_OUTLOOKS = ['converted', 'would_pass_now', 'on_track', 'at_risk', 'will_miss'] as const;
export type YearEndOutlook = (typeof YEAR_END_OUTLOOKS)[number];

export const OUTLOOK_LABELS: Record<YearEndOutlook, string> = {
  converted: '已转化',
  would_pass_now: '现在即可验收',
  on_track: '进度正常',
  at_risk: '有风险',
  will_miss: '将无法按期转化',
};

/** What each word means, shown beside the figures on the pages. */
export const OUTLOOK_DEFINITIONS: Record<YearEndOutlook, string> = {
  converted: '县委组织部已验收销号（含回头看中、已结案的案件）。',
  would_pass_now: '尚未验收，但验收条件现已全部满足，今天即可申请验收。',
  on_track: '没有逾期事项，且距转化期限的剩余天数足够完成尚未满足的验收条件。',
  at_risk: '有逾期事项，或剩余天数少于完成尚未满足的验收条件所需的天数。',
  will_miss: '转化期限已过仍未转化，或剩余天数不到完成尚未满足的验收条件所需天数的一半。',
};

/**
 * Days the whole course of rectification takes at the least: the months the policy gives from the
 * team's arrival to a qualified secretary in place (一个关键, 3 months by default) — the playbook's own
 * horizon for getting a village back on its feet. Each unmet acceptance condition needs its share.
 */
export function courseDays(policy: Pick<RectificationPolicy, 'secretaryDeadlineMonths'>): number {
  return Math.max(1, policy.secretaryDeadlineMonths) * 30;
}

export interface CaseOutlookDetail {
  outlook: YearEndOutlook;
  /** Conditions of acceptance met now, of `total` (all of them once accepted). */
  met: number;
  total: number;
  unmet: AcceptanceCondition[];
  /** Days from today to the case's conversion deadline (negative once passed). */
  daysLeft: number;
  /** Days the unmet conditions need at the least (their share of the course). */
  daysNeeded: number;
  /** A track is overdue (a missed quarter visit, a measure or the secretary past due). */
  hasOverdue: boolean;
  yearEndMissed: boolean;
}

/**
 * converted: accepted; would_pass_now: every acceptance condition met; will_miss: deadline passed, or
 * fewer than half the days the unmet conditions need are left; at_risk: something overdue or fewer
 * days left than needed; on_track: the rest. So a case with nothing done and weeks left is never on track.
 */
export function outlookOf(state: CaseState, nowMs: number, tracks: CaseTracks = caseTracks(state, nowMs)): CaseOutlookDetail {
  const conditions = acceptanceConditions(state, nowMs);
  const total = conditions.length;
  const today: LocalDate = shanghaiDateOf(nowMs);
  const daysLeft = daysBetween(today, state.yearEndDeadline);
  if (isConverted(state)) {
    return { outlook: 'converted', met: total, total, unmet: [], daysLeft, daysNeeded: 0, hasOverdue: false, yearEndMissed: false };
  }
  const unmet = conditions.filter((c) => !c.met);
  const daysNeeded = Math.ceil((courseDays(state.policy) * unmet.length) / Math.max(1, total));
  const hasOverdue = TRACKS.some((t) => tracks[t] === 'overdue');
  const missed = yearEndMissed(state, nowMs);
  let outlook: YearEndOutlook;
  if (missed) outlook = 'will_miss';
  else if (unmet.length === 0) outlook = 'would_pass_now';
  else if (daysLeft * 2 < daysNeeded) outlook = 'will_miss';
  else if (hasOverdue || daysLeft < daysNeeded) outlook = 'at_risk';
  else outlook = 'on_track';
  return { outlook, met: total - unmet.length, total, unmet, daysLeft, daysNeeded, hasOverdue, yearEndMissed: missed };
}

export function yearEndOutlook(state: CaseState, nowMs: number): YearEndOutlook {
  return outlookOf(state, nowMs).outlook;
}

export type OutlookCounts = Record<YearEndOutlook, number>;

export function emptyOutlookCounts(): OutlookCounts {
  return { converted: 0, would_pass_now: 0, on_track: 0, at_risk: 0, will_miss: 0 };
}

/** Cases expected converted by the deadline: converted, would pass now, on track. */
export function expectedByYearEnd(counts: OutlookCounts): number {
  return counts.converted + counts.would_pass_now + counts.on_track;
}

/** Counts per outlook of the cases on the list (cases taken off it are not forecast). */
export function outlookCounts(states: CaseState[], nowMs: number): OutlookCounts {
  const out = emptyOutlookCounts();
  for (const s of states) if (isOnList(s)) out[yearEndOutlook(s, nowMs)] += 1;
  return out;
}
