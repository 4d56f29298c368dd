import { iso, requireRole, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { refuse } from '../rules';

/** 代录: the contact leader confirms a visit someone else entered for them; only then it counts. */
export const confirmGuidanceVisit: CommandDef<'confirmGuidanceVisit'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.confirmGuidanceVisit);
    text(input.visitId, 'visitId', '调研指导记录', 50);
    const visit = state.visits.find((v) => v.id === input.visitId);
    if (!visit) refuse('VISIT_NOT_FOUND', input.visitId);
    if (!visit.proxy || visit.proxy.confirmedAt) refuse('VISIT_NOT_AWAITING_CONFIRMATION', input.visitId);
    if (input.actor.id !== visit.leaderId) refuse('VISIT_CONFIRMED_BY_CONTACT_LEADER', '确认人须为该次调研的联系领导本人');
  },
  apply(state, input, nowMs) {
    const visit = state.visits.find((v) => v.id === input.visitId)!;
    visit.proxy = { confirmedAt: iso(nowMs), confirmedBy: input.actor };
    return { action: 'visit.confirmed', payload: { visitId: visit.id, visitedOn: visit.visitedOn, quarter: visit.quarter, enteredBy: visit.recordedBy.name } };
  },
};
