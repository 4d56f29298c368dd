import type { CaseStage } from './case-stage';
import { missedQuarters, visitsByQuarter } from './case/acceptance';
import type { CaseState, Measure } from './case/types';
import {
  addDays,
  compareDates,
  daysBetween,
  quarterEnd,
  quarterKey,
  quarterOf,
  shanghaiDateOf,
  type LocalDate,
  type Quarter,
  type QuarterKey,
} from './shanghai-time';

/**
 * The county dashboard's rules (docs/dashboard-api.md): the status of each of a case's six tracks
 * ("六个一", DOMAIN.md), the year-end forecast and the contact leaders' quarterly visit compliance —
 * pure functions of case states and "now", dates in Asia/Shanghai.
 */

/** Work due within this many days (today included) is due soon; as the task lists count it. */
export const DASHBOARD_DUE_SOON_DAYS = 14;

export const TRACKS = ['leader', 'team', 'problems', 'plan', 'secretary', 'project'] as const;
export type Track = (typeof TRACKS)[number];
export const TRACK_LABELS: Record<Track, string> = {
  leader: '一把手分包',
  team: '一支队伍',
  problems: '一张问题清单',
  plan: '一套整顿方案',
  secretary: '一个关键',
  project: '一个项目',
};

/** done 绿, due_soon 黄, overdue 红, open: not yet done, nothing due soon. */
export const TRACK_STATUSES = ['done', 'due_soon', 'overdue', 'open'] as const;
export type TrackStatus = (typeof TRACK_STATUSES)[number];
export const TRACK_STATUS_LABELS: Record<TrackStatus, string> = {
  done: '已完成',
  due_soon: '即将到期',
  overdue: '已逾期',
  open: '推进中',
};

export type CaseTracks = Record<Track, TrackStatus>;

/** Stages after acceptance (验收销号): the six tracks were checked complete when the county accepted. */
const ACCEPTED_STAGES: readonly CaseStage[] = ['converted', 'follow_up_review', 'closed'];

/** Has the county accepted the case as converted (and no relapse reopened it)? */
export function isConverted(state: Pick<CaseState, 'stage'>): boolean {
  return ACCEPTED_STAGES.includes(state.stage);
}

/**
 * Is the case on the list (整顿名单)? A case the county took off the list (`removed`, with its written
 * reason) is neither converted nor in progress: the dashboard shows it apart, never in the forecast.
 */
export function isOnList(state: Pick<CaseState, 'stage'>): boolean {
  return state.stage !== 'removed';
}

/** Status of work due on `dueOn`, not yet done, on `today`: overdue the day after, due soon within 14 days. */
export function dueStatus(dueOn: LocalDate, today: LocalDate): Exclude<TrackStatus, 'done'> {
  if (compareDates(dueOn, today) < 0) return 'overdue';
  return daysBetween(today, dueOn) <= DASHBOARD_DUE_SOON_DAYS ? 'due_soon' : 'open';
}

/** 一把手分包: leader assigned and this quarter's visit made; red once a completed quarter missed its visit. */
export function leaderTrack(state: CaseState, nowMs: number): TrackStatus {
  if (isConverted(state)) return 'done';
  if (!state.contactLeader) return 'open';
  if (missedQuarters(state, nowMs).length > 0) return 'overdue';
  const today = shanghaiDateOf(nowMs);
  const quarter = quarterOf(today);
  if ((visitsByQuarter(state)[quarterKey(quarter)] ?? 0) >= state.policy.visitsPerQuarter) return 'done';
  return dueStatus(quarterEnd(quarter), today);
}

/** 一支队伍: attached (not released) at the policy's size. */
export function teamTrack(state: CaseState): TrackStatus {
  if (isConverted(state)) return 'done';
  const team = state.team;
  return team && !team.releasedAt && team.members.length >= state.policy.teamMinSize ? 'done' : 'open';
}

/** 一张问题清单: confirmed by the township party secretary and every problem closed off. */
export function problemsTrack(state: CaseState): TrackStatus {
  if (isConverted(state)) return 'done';
  const done = !!state.problemListConfirmedAt && state.problems.length > 0 && state.problems.every((p) => p.status === 'closed');
  return done ? 'done' : 'open';
}

/** Plan measures not done whose due date has passed (Asia/Shanghai): none once the case is converted. */
export function overdueMeasures(state: CaseState, nowMs: number): Measure[] {
  if (isConverted(state)) return [];
  const today = shanghaiDateOf(nowMs);
  return state.measures.filter((m) => m.status !== 'done' && compareDates(m.dueOn, today) < 0);
}

/** 一套整顿方案: approved and every measure done; otherwise by the earliest measure not done. */
export function planTrack(state: CaseState, nowMs: number): TrackStatus {
  if (isConverted(state)) return 'done';
  const undone = state.measures.filter((m) => m.status !== 'done');
  if (state.planApprovedAt && state.measures.length > 0 && undone.length === 0) return 'done';
  if (undone.length === 0) return 'open';
  const earliest = undone.map((m) => m.dueOn).sort(compareDates)[0];
  return dueStatus(earliest, shanghaiDateOf(nowMs));
}

/** 一个关键: no new secretary needed, or one appointed; otherwise by the deadline (team arrival + policy months). */
export function secretaryTrack(state: CaseState, nowMs: number): TrackStatus {
  if (isConverted(state)) return 'done';
  const s = state.secretary;
  if (!s.required || s.appointment) return 'done';
  if (s.overdue) return 'overdue';
  return s.deadline ? dueStatus(s.deadline, shanghaiDateOf(nowMs)) : 'open';
}

/** 一个项目: at least the policy's number of collective-economy projects. */
export function projectTrack(state: CaseState): TrackStatus {
  if (isConverted(state)) return 'done';
  return state.projects.length >= state.policy.minCollectiveProjects ? 'done' : 'open';
}

/** The six tracks of a case. A converted case shows all six done: acceptance checked every one. */
export function caseTracks(state: CaseState, nowMs: number): CaseTracks {
  return {
    leader: leaderTrack(state, nowMs),
    team: teamTrack(state),
    problems: problemsTrack(state),
    plan: planTrack(state, nowMs),
    secretary: secretaryTrack(state, nowMs),
    project: projectTrack(state),
  };
}

/** Has the year end of the case's batch passed with the case not converted? */
export function yearEndMissed(state: CaseState, nowMs: number): boolean {
  if (isConverted(state)) return false;
  return state.yearEndOverdue || compareDates(state.yearEndDeadline, shanghaiDateOf(nowMs)) < 0;
}

// ---- Visit compliance (一把手分包: 每季度不少于1次) ------------------------------------------------

export interface QuarterCompliance {
  quarter: QuarterKey;
  /** Visits owed: the policy's visits per quarter for each of the leader's cases that owed the quarter. */
  required: number;
  /** Visits made that count toward it (per case, at most what the case owed). */
  visited: number;
  status: TrackStatus;
}

export interface LeaderVisitCompliance {
  leaderId: string;
  leaderName: string;
  /** Cases of which the leader is the contact leader now. */
  cases: number;
  quarters: QuarterCompliance[];
}

function quarterIndex(q: Quarter): number {
  return q.year * 4 + (q.quarter - 1);
}

/**
 * Quarters of `batchYear`, up to the running one, that the case owed a visit in: from the quarter its
 * first contact leader was assigned; once converted, only the quarters before the one it was accepted in.
 */
export function quartersOwed(state: CaseState, batchYear: number, nowMs: number): Quarter[] {
  const first = state.previousContactLeaders[0] ?? state.contactLeader;
  if (!first || state.policy.visitsPerQuarter <= 0) return [];
  const from = quarterIndex(quarterOf(shanghaiDateOf(Date.parse(first.assignedAt))));
  let to = quarterIndex(quarterOf(shanghaiDateOf(nowMs)));
  if (isConverted(state)) {
    to = state.acceptedAt ? Math.min(to, quarterIndex(quarterOf(shanghaiDateOf(Date.parse(state.acceptedAt)))) - 1) : -1;
  }
  const out: Quarter[] = [];
  for (const quarter of [1, 2, 3, 4] as const) {
    const q: Quarter = { year: batchYear, quarter };
    const i = quarterIndex(q);
    if (i >= from && i <= to) out.push(q);
  }
  return out;
}

/**
 * Per contact leader (the current one of each case), the quarters of the batch year so far in which
 * their cases owed visits: required vs made; a completed quarter short of visits is overdue, the
 * running one due soon in its last 14 days. Quarters nothing was owed in are left out, and so are
 * cases taken off the list.
 */
export function visitCompliance(states: CaseState[], batchYear: number, nowMs: number): LeaderVisitCompliance[] {
  const today = shanghaiDateOf(nowMs);
  const byLeader = new Map<string, { name: string; cases: number; quarters: Map<QuarterKey, { q: Quarter; required: number; visited: number }> }>();
  for (const s of states) {
    const leader = s.contactLeader;
    if (!leader || !isOnList(s)) continue;
    const entry = byLeader.get(leader.id) ?? { name: leader.name, cases: 0, quarters: new Map() };
    byLeader.set(leader.id, entry);
    entry.cases += 1;
    const visits = visitsByQuarter(s);
    const perQuarter = s.policy.visitsPerQuarter;
    for (const q of quartersOwed(s, batchYear, nowMs)) {
      const key = quarterKey(q);
      const slot = entry.quarters.get(key) ?? { q, required: 0, visited: 0 };
      slot.required += perQuarter;
      slot.visited += Math.min(visits[key] ?? 0, perQuarter);
      entry.quarters.set(key, slot);
    }
  }
  const out: LeaderVisitCompliance[] = [];
  for (const [leaderId, entry] of byLeader) {
    const quarters = [...entry.quarters.values()]
      .sort((a, b) => quarterIndex(a.q) - quarterIndex(b.q))
      .map(({ q, required, visited }): QuarterCompliance => {
        let status: TrackStatus;
        if (visited >= required) status = 'done';
        else if (compareDates(quarterEnd(q), today) < 0) status = 'overdue';
        else status = dueStatus(quarterEnd(q), today);
        return { quarter: quarterKey(q), required, visited, status };
      });
    out.push({ leaderId, leaderName: entry.name, cases: entry.cases, quarters });
  }
  return out.sort((a, b) => a.leaderName.localeCompare(b.leaderName, 'zh-CN') || a.leaderId.localeCompare(b.leaderId));
}

/** Today and the last day that counts as due soon, in Asia/Shanghai. */
export function dueSoonWindow(nowMs: number): { today: LocalDate; soon: LocalDate } {
  const today = shanghaiDateOf(nowMs);
  return { today, soon: addDays(today, DASHBOARD_DUE_SOON_DAYS) };
}
