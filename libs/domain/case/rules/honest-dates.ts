import { laterRuleSettings } from '../../policy';
import { addDays, compareDates, daysBetween, quarterEnd, quarterKey, quarterOf, shanghaiDateOf, type LocalDate, type QuarterKey } from '../../shanghai-time';
import { MAX_TEXT } from '../checks';
import { refuse } from '../rules';
import type { Backfill, CaseState, GuidanceVisit } from '../types';

/**
 * Records are honest about time (DOMAIN.md): each keeps when it happened (its date), when it was
 * entered (recordedAt) and by whom (recordedBy). One entered more than the policy's window after its
 * date (default 30 days) needs a written reason and shows as 补录; a visit entered by anyone but the
 * contact leader is 代录 and counts only once the contact leader confirms it.
 */

function reasonOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') refuse('INVALID_INPUT', '补录理由（lateReason）须为文字', { field: 'lateReason' });
  if (value.length > MAX_TEXT) refuse('INVALID_INPUT', `补录理由（lateReason）不能超过${MAX_TEXT}字`, { field: 'lateReason' });
  return value.trim() || undefined;
}

/** The 补录 of a record dated `occurredOn` and entered now, or undefined when it is entered in time; refuses a late one without its reason. */
export function backfillOf(state: CaseState, occurredOn: LocalDate, lateReason: unknown, nowMs: number, field: string): Backfill | undefined {
  const window = laterRuleSettings(state.policy).lateEntryDays;
  const daysLate = daysBetween(occurredOn, shanghaiDateOf(nowMs));
  if (daysLate <= window) return undefined;
  const reason = reasonOf(lateReason);
  if (!reason) refuse('LATE_ENTRY_NEEDS_REASON', `${field} ${occurredOn} 距今${daysLate}天，超过${window}天，请填写补录理由（lateReason）`, { field: 'lateReason', daysLate, window });
  return { reason, daysLate };
}

/** A visit counts for its quarter unless it is a 代录 still awaiting the contact leader's confirmation. */
export function visitCounts(v: GuidanceVisit): boolean {
  return !v.proxy || v.proxy.confirmedAt !== undefined;
}

/**
 * Was the missed-visit escalation of `quarter` already raised when a visit dated into it is entered?
 * It is raised the policy's supervision days after the quarter ends, when the quarter was short of
 * visits (counted in calendar days: a working-day policy raises it no earlier).
 */
export function quarterEscalated(state: CaseState, quarter: QuarterKey, visitedOn: LocalDate, nowMs: number): boolean {
  const end = quarterEnd(quarterOf(visitedOn));
  const today = shanghaiDateOf(nowMs);
  if (compareDates(today, addDays(end, state.policy.escalationDaysOverdue.supervision)) < 0) return false;
  const counted = state.visits.filter((v) => v.quarter === quarter && visitCounts(v)).length;
  return counted < state.policy.visitsPerQuarter;
}

/** The checks of issue 16 on a visit about to be recorded; returns what the record carries. */
export function checkVisitEntry(state: CaseState, visitedOn: LocalDate, lateReason: unknown, nowMs: number): { backfill?: Backfill; intoEscalatedQuarter?: { reason: string } } {
  const backfill = backfillOf(state, visitedOn, lateReason, nowMs, '调研日期（visitedOn）');
  const quarter = quarterKey(quarterOf(visitedOn));
  if (!quarterEscalated(state, quarter, visitedOn, nowMs)) return backfill ? { backfill } : {};
  const reason = reasonOf(lateReason);
  if (!reason)
    refuse('VISIT_INTO_ESCALATED_QUARTER_NEEDS_REASON', `${quarter} 未调研指导已被督办，补记该季度的调研须说明理由（lateReason）`, { field: 'lateReason', quarter });
  return { ...(backfill ? { backfill } : {}), intoEscalatedQuarter: { reason } };
}

/** One dated record of a case as the page, the exports and the audit show its entry. */
export interface RecordEntry {
  kind: 'visit' | 'practical_thing' | 'team' | 'consultation' | 'secretary' | 'training';
  id: string;
  occurredOn: LocalDate;
  enteredAt: string;
  enteredBy: string;
  /** 补录 with its reason. */
  backfill?: Backfill;
  /** 代录: entered by someone else for the contact leader; confirmed or not. */
  proxy?: { confirmed: boolean };
}

/** Every dated record of the case with when it happened, when and by whom it was entered. */
export function recordEntries(state: CaseState): RecordEntry[] {
  const out: RecordEntry[] = [];
  const add = (e: RecordEntry) => out.push(e);
  for (const v of state.visits)
    add({ kind: 'visit', id: v.id, occurredOn: v.visitedOn, enteredAt: v.recordedAt, enteredBy: v.recordedBy.name, ...(v.backfill ? { backfill: v.backfill } : {}), ...(v.proxy ? { proxy: { confirmed: !!v.proxy.confirmedAt } } : {}) });
  for (const t of state.practicalThings) add({ kind: 'practical_thing', id: t.id, occurredOn: t.doneOn, enteredAt: t.recordedAt, enteredBy: t.recordedBy.name, ...(t.backfill ? { backfill: t.backfill } : {}) });
  if (state.team) add({ kind: 'team', id: 'team', occurredOn: state.team.arrivedOn, enteredAt: state.team.appointedAt, enteredBy: state.team.appointedBy.name, ...(state.team.backfill ? { backfill: state.team.backfill } : {}) });
  for (const c of state.consultations) add({ kind: 'consultation', id: c.id, occurredOn: c.heldOn, enteredAt: c.recordedAt, enteredBy: c.recordedBy.name, ...(c.backfill ? { backfill: c.backfill } : {}) });
  const a = state.secretary.appointment;
  if (a) add({ kind: 'secretary', id: 'secretary', occurredOn: a.appointedOn, enteredAt: a.recordedAt, enteredBy: a.recordedBy.name, ...(a.backfill ? { backfill: a.backfill } : {}) });
  for (const t of state.secretary.trainings) add({ kind: 'training', id: t.id, occurredOn: t.attendedOn, enteredAt: t.recordedAt, enteredBy: t.recordedBy.name, ...(t.backfill ? { backfill: t.backfill } : {}) });
  return out;
}

/** The words the page and the exports put beside a record: 补录, 代录（待确认）. */
export function entryMarks(e: Pick<RecordEntry, 'backfill' | 'proxy'>): string[] {
  const marks: string[] = [];
  if (e.backfill) marks.push(`补录（晚${e.backfill.daysLate}天：${e.backfill.reason}）`);
  if (e.proxy) marks.push(e.proxy.confirmed ? '代录（联系领导已确认）' : '代录（待联系领导确认）');
  return marks;
}
