import { laterRuleSettings } from '../../policy';
import { addDays, endOfShanghaiDay } from '../../shanghai-time';
import { SYSTEM_ACTOR } from '../../roles';
import { openDeadlines } from '../../notices/deadlines';
import { iso, nextId, oneOf, pastDate, requireRole, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { event } from '../events';
import { refuse } from '../rules';
import { ORGANIZATIONAL_HANDLING_MEASURES, ORGANIZATIONAL_HANDLING_MEASURE_LABELS, type CaseAuditEvent, type CaseState, type OrganizationalHandlingState } from '../types';

/**
 * 组织处理, the ladder's fifth rung (DOMAIN.md; seeds 003, 004): at the policy's days overdue (default
 * 45) a deadline that climbs to 约谈 is put to the county organization department as a task. The clock
 * only asks; people decide and record the measure (诫勉谈话, 调整, 免职…), who decided, when and why.
 */

/** The most decisions one case keeps (each is also in the audit trail). */
export const MAX_HANDLING_DECISIONS = 20;

function handling(state: CaseState): OrganizationalHandlingState {
  return (state.organizationalHandling ??= { due: [], decisions: [] });
}

/** The open deadlines that climb to 约谈, each with the moment it is put to the county. */
function pending(state: CaseState, nowMs: number): { key: string; title: string; dueOn: string; atMs: number }[] {
  const days = laterRuleSettings(state.policy).organizationalHandlingDaysOverdue;
  const raised = new Set((state.organizationalHandling?.due ?? []).map((d) => `${d.deadlineKey}@${d.dueOn}`));
  const firstPlanned = state.notices?.firstPlannedAt ?? {};
  return openDeadlines(state, nowMs)
    .filter((d) => d.rungs.includes('interview') && !raised.has(`${d.key}@${d.dueOn}`))
    .map((d) => ({ key: d.key, title: d.title, dueOn: d.dueOn, atMs: endOfShanghaiDay(addDays(d.dueOn, days - 1)) }))
    // Only for deadlines someone was held to that long: one already that far overdue when the case first
    // planned it (a case designated into a past batch) was never ignored by anyone on this case.
    .filter((p) => (firstPlanned[p.key] ?? 0) <= p.atMs);
}

/** When the next deadline reaches the policy's days overdue. */
export function nextHandlingAt(state: CaseState, nowMs: number): number | undefined {
  const at = pending(state, nowMs).map((p) => p.atMs);
  return at.length ? Math.min(...at) : undefined;
}

/**
 * Puts every deadline now at the policy's days overdue to the county; returns the audit events. The
 * clock appends here, not an action: under a bounded state (issue 17) each append folds away the
 * entries nobody needs any more, so `due` holds at most the open deadlines that climb to 约谈 plus the
 * entries still waiting for a decision, however long the case runs.
 */
export function raiseDueHandling(state: CaseState, nowMs: number): CaseAuditEvent[] {
  const events: CaseAuditEvent[] = [];
  for (const p of pending(state, nowMs)) {
    if (p.atMs > nowMs) continue;
    handling(state).due.push({ deadlineKey: p.key, title: p.title, dueOn: p.dueOn, raisedAt: iso(nowMs) });
    events.push(event(state, SYSTEM_ACTOR, 'organizational_handling.raised', nowMs, { deadlineKey: p.key, title: p.title, dueOn: p.dueOn }));
  }
  if (events.length && state.boundedState) foldDecided(state, nowMs);
  return events;
}

/**
 * Folds into a count the entries that are decided and whose deadline is no longer open at that date
 * (met, extended to another date, or the case past it): the clock cannot raise them again, the task
 * is gone and the decision names the deadline. An undecided entry stays (people decide, not the
 * clock), and so does a decided one still open (it keeps the clock from raising it twice).
 */
function foldDecided(state: CaseState, nowMs: number): void {
  const h = handling(state);
  const open = new Set(openDeadlines(state, nowMs).map((d) => `${d.key}@${d.dueOn}`));
  const kept = h.due.filter((d) => !d.decisionId || open.has(`${d.deadlineKey}@${d.dueOn}`));
  if (kept.length === h.due.length) return;
  h.foldedDecided = (h.foldedDecided ?? 0) + h.due.length - kept.length;
  h.due = kept;
}

/** The deadlines put to the county and not yet answered by a decision. */
export function undecided(state: CaseState): OrganizationalHandlingState['due'] {
  return (state.organizationalHandling?.due ?? []).filter((d) => !d.decisionId);
}

export const recordOrganizationalHandling: CommandDef<'recordOrganizationalHandling'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.recordOrganizationalHandling);
    const interviews = state.notices?.raisedByRung.interview ?? 0;
    const putToCounty = (state.organizationalHandling?.due.length ?? 0) + (state.organizationalHandling?.foldedDecided ?? 0);
    if (interviews === 0 && putToCounty === 0) refuse('ORG_HANDLING_AFTER_INTERVIEW', '本案尚未约谈');
    oneOf(input.measure, ORGANIZATIONAL_HANDLING_MEASURES, 'measure', '处理方式');
    text(input.subject, 'subject', '处理对象（姓名、职务）', 100);
    text(input.decidedBy, 'decidedBy', '决定机关或决定人', 100);
    pastDate(state, input.decidedOn, 'decidedOn', '决定日期', nowMs);
    text(input.reason, 'reason', '处理理由');
    if (input.deadlineKeys !== undefined) {
      if (!Array.isArray(input.deadlineKeys) || input.deadlineKeys.length > 50) refuse('INVALID_INPUT', '逾期事项（deadlineKeys）须为列表', { field: 'deadlineKeys' });
      // A deadline folded away is still known by the decisions that answered it.
      const known = new Set([...(state.organizationalHandling?.due ?? []).map((d) => d.deadlineKey), ...(state.organizationalHandling?.decisions ?? []).flatMap((d) => d.deadlineKeys)]);
      const unknown = input.deadlineKeys.filter((k) => !known.has(k));
      if (unknown.length) refuse('ORG_HANDLING_DEADLINE_UNKNOWN', unknown.join('、'), { field: 'deadlineKeys', unknown });
    }
    if ((state.organizationalHandling?.decisions.length ?? 0) >= MAX_HANDLING_DECISIONS)
      refuse('CASE_LIMIT_REACHED', `组织处理记录最多${MAX_HANDLING_DECISIONS}条`, { limit: 'organizationalHandlingDecisions', max: MAX_HANDLING_DECISIONS });
  },
  apply(state, input, nowMs) {
    const h = handling(state);
    const open = undecided(state).filter((d) => !input.deadlineKeys || input.deadlineKeys.includes(d.deadlineKey));
    const decision = {
      id: nextId(state, 'oh'),
      measure: input.measure,
      subject: input.subject.trim(),
      decidedBy: input.decidedBy.trim(),
      decidedOn: input.decidedOn,
      reason: input.reason.trim(),
      deadlineKeys: input.deadlineKeys ?? open.map((d) => d.deadlineKey),
      recordedBy: input.actor,
      recordedAt: iso(nowMs),
    };
    h.decisions.push(decision);
    for (const d of open) d.decisionId = decision.id;
    return {
      action: 'organizational_handling.recorded',
      payload: { decisionId: decision.id, measure: decision.measure, measureLabel: ORGANIZATIONAL_HANDLING_MEASURE_LABELS[decision.measure], subject: decision.subject, decidedBy: decision.decidedBy, decidedOn: decision.decidedOn, reason: decision.reason, deadlineKeys: decision.deadlineKeys },
    };
  },
};
