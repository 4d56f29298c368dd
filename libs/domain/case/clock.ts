import { SYSTEM_ACTOR } from '../roles';
import { endOfShanghaiDay, quarterKey, quarterOf, shanghaiDateOf, startOfShanghaiDay } from '../shanghai-time';
import { missedQuarters, nextQuarterStartAfter } from './acceptance';
import { event, moveTo } from './machine';
import { unbent } from './rules/edition';
import { nextHandlingAt, raiseDueHandling } from './rules/org-handling';
import type { CaseAuditEvent, CaseState } from './types';

/** Stages in which the playbook is running and its deadlines count. */
const RUNNING = ['designated', 'rectifying', 'awaiting_acceptance'];

/**
 * When the case must next look at the clock: a deadline passing (secretary, year end), the
 * follow-up review falling due, or a new quarter beginning (visits owed anew). Undefined: nothing
 * is timed.
 */
export function nextWakeUp(state: CaseState, nowMs: number): number | undefined {
  const at: number[] = [];
  const s = state.secretary;
  if (RUNNING.includes(state.stage)) {
    if (s.required && !s.appointment && s.deadline && !s.overdue) at.push(endOfShanghaiDay(s.deadline));
    if (!state.yearEndOverdue) at.push(endOfShanghaiDay(state.yearEndDeadline));
    at.push(startOfShanghaiDay(nextQuarterStartAfter(nowMs)));
  }
  if (state.stage === 'converted' && state.followUp) at.push(startOfShanghaiDay(state.followUp.dueOn));
  if (unbent(state)) {
    const handling = nextHandlingAt(state, nowMs);
    if (handling !== undefined) at.push(handling);
  }
  if (at.length === 0) return undefined;
  return Math.min(...at);
}

/** What the passing of time does to a case; returns the audit events (and bumps the version if any). */
export function applyClock(state: CaseState, nowMs: number): CaseAuditEvent[] {
  const events: CaseAuditEvent[] = [];
  const s = state.secretary;
  const running = RUNNING.includes(state.stage);

  // 一个关键: the 3 months from the team's arrival have passed with no qualified secretary.
  if (running && s.required && !s.appointment && s.deadline && !s.overdue && nowMs >= endOfShanghaiDay(s.deadline)) {
    s.overdue = true;
    events.push(event(state, SYSTEM_ACTOR, 'deadline.secretary_missed', nowMs, { deadline: s.deadline }));
  }

  // Seed 003: every case of the batch converted by the end of the year.
  if (running && !state.yearEndOverdue && nowMs >= endOfShanghaiDay(state.yearEndDeadline)) {
    state.yearEndOverdue = true;
    events.push(event(state, SYSTEM_ACTOR, 'deadline.year_end_missed', nowMs, { deadline: state.yearEndDeadline, stage: state.stage }));
  }

  // A new quarter: record it, with the quarters the contact leader missed so far.
  const quarter = quarterKey(quarterOf(shanghaiDateOf(nowMs)));
  if (running && state.currentQuarter !== quarter) {
    const first = state.currentQuarter === undefined;
    state.currentQuarter = quarter;
    if (!first) events.push(event(state, SYSTEM_ACTOR, 'quarter.started', nowMs, { quarter, missedQuarters: missedQuarters(state, nowMs) }));
  }

  // 回头看: some months after conversion the county reviews the case.
  if (state.stage === 'converted' && state.followUp && nowMs >= startOfShanghaiDay(state.followUp.dueOn)) {
    const before = state.stageHistory.length;
    moveTo(state, 'follow_up_review', SYSTEM_ACTOR, nowMs, `转化后 ${state.policy.followUpDelayMonths} 个月，开展回头看`);
    for (const change of state.stageHistory.slice(before)) {
      events.push(event(state, SYSTEM_ACTOR, 'stage.changed', nowMs, { from: change.from, to: change.to, reason: change.reason }));
    }
  }

  // 组织处理: deadlines at the policy's days overdue are put to the county organization department.
  if (unbent(state)) events.push(...raiseDueHandling(state, nowMs));

  if (events.length) state.version += 1;
  return events;
}
