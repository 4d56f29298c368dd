import { DESIGNATION_REASON_LABELS, MANUAL_DESIGNATION_REASONS, type DesignationReason } from '../../designation';
import { SYSTEM_ACTOR } from '../../roles';
import { addCalendarMonths, shanghaiDateOf } from '../../shanghai-time';
import { iso, oneOf, requireRole, text, type Change, type CommandDef } from '../checks';
import { COMMAND_ROLES, type AddDesignationReasonInput } from '../commands';
import { event, moveTo } from '../events';
import { refuse } from '../rules';
import type { CaseAuditEvent, CaseState } from '../types';

/**
 * No hiding, closed (DOMAIN.md "No hiding"; seed 000 §三): a one-star rating of an organization that
 * already has a case for the batch adds S1 to that case — which makes it unremovable — with the
 * secretary's adjustment of two one-star years; onto a case taken off the list it opens a new run.
 */

const REASONS = [...MANUAL_DESIGNATION_REASONS, 'S1'] as const;

function checkReason(state: CaseState, input: AddDesignationReasonInput): void {
  const reason = oneOf(input.reason, REASONS, 'reason', '认定原因');
  if (reason === 'S1') {
    // Only the star rating designates by S1: nobody may claim or withhold it by hand.
    if (input.actor?.role !== 'system') refuse('ONE_STAR_BY_STAR_RATING', `操作角色为 ${input.actor?.role}`);
  } else {
    requireRole(input.actor, COMMAND_ROLES.addDesignationReason);
  }
  if (state.reasons.includes(reason)) refuse('REASON_ALREADY_PRESENT', `${reason}（${DESIGNATION_REASON_LABELS[reason]}）`, { reason });
  text(input.note, 'note', '认定说明');
  if (input.secretaryAdjustment !== undefined) {
    const years = input.secretaryAdjustment?.oneStarYears;
    if (reason !== 'S1' || !Array.isArray(years) || years.length === 0 || years.length > 5 || !years.every((y) => Number.isInteger(y)))
      refuse('INVALID_INPUT', '书记调整（secretaryAdjustment）仅随 S1 加入，须列出一星级年度', { field: 'secretaryAdjustment' });
  }
}

/** Adds the reason: S1 with its adjustment, or a C-reason that calls for a secretary. */
function addReason(state: CaseState, input: AddDesignationReasonInput, nowMs: number): Change {
  const reason: DesignationReason = input.reason;
  state.reasons.push(reason);
  const s = state.secretary;
  if (input.secretaryAdjustment) s.adjustment = { oneStarYears: [...input.secretaryAdjustment.oneStarYears] };
  const wasRequired = s.required;
  s.required = s.required || !!s.adjustment || state.policy.secretaryRequiredForReasons.includes(reason);
  // A secretary now required with the team already there: the months count from today.
  if (s.required && !wasRequired && !s.appointment && state.team && !state.team.releasedAt && !s.deadline) {
    s.deadline = addCalendarMonths(shanghaiDateOf(nowMs), state.policy.secretaryDeadlineMonths);
  }
  return {
    action: 'designation.reason_added',
    payload: { reason, label: DESIGNATION_REASON_LABELS[reason], note: input.note.trim(), reasons: [...state.reasons], secretaryAdjustment: s.adjustment ?? null, secretaryDeadline: s.deadline ?? null },
  };
}

export const addDesignationReason: CommandDef<'addDesignationReason'> = {
  validate(state, input) {
    if (state.stage === 'removed' || state.stage === 'closed') refuse('STAGE_DOES_NOT_ALLOW', `案件阶段为 ${state.stage}`, { stage: state.stage });
    checkReason(state, input);
  },
  apply: addReason,
};

/** What a new run of a case taken off the list starts from: the one-star designation. */
export interface Reopening {
  addition: AddDesignationReasonInput;
}

/**
 * A case taken off the list is designated again by S1: back on the list (designated, or rectifying
 * with its leader and team still there), S1 and the adjustment added, the removal kept in the history
 * and the audit trail. A county party secretary's place was given up at the removal: the county assigns
 * its contact leader again.
 */
export function applyReopening(state: CaseState, reopening: Reopening, nowMs: number): CaseAuditEvent[] {
  const input = reopening.addition;
  if (state.stage !== 'removed') refuse('STAGE_DOES_NOT_ALLOW', `案件阶段为 ${state.stage}`, { stage: state.stage });
  checkReason(state, input);
  const stagesBefore = state.stageHistory.length;
  const removal = state.removal;
  delete state.removal;
  const change = addReason(state, input, nowMs);
  if (state.contactLeader?.isCountyPartySecretary) {
    state.previousContactLeaders.push({ ...state.contactLeader, replacedAt: iso(nowMs), replacementReason: '移出整顿名单时已让出县委书记挂点名额，重新列入后须重新确定联系领导' });
    delete state.contactLeader;
  }
  moveTo(state, 'designated', SYSTEM_ACTOR, nowMs, `重新列入整顿名单：${input.note.trim()}`);
  if (state.contactLeader && state.team && !state.team.releasedAt) moveTo(state, 'rectifying', SYSTEM_ACTOR, nowMs, '联系领导和整建队伍均在岗，继续整顿');
  const events = [
    event(state, input.actor, 'case.reopened', nowMs, { reason: input.reason, note: input.note.trim(), removedAt: removal?.at ?? null, removalReason: removal?.reason ?? null }),
    event(state, input.actor, change.action, nowMs, change.payload),
  ];
  for (const s of state.stageHistory.slice(stagesBefore)) events.push(event(state, s.actor, 'stage.changed', nowMs, { from: s.from, to: s.to, reason: s.reason }));
  state.version += 1;
  return events;
}
