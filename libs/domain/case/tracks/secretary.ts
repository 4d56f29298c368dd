import { compareDates } from '../../shanghai-time';
import { iso, nextId, oneOf, pastDate, requireRole, requireStage, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { refuse } from '../rules';
import { unbent } from '../rules/edition';
import { awaitsLocalSuccessor } from '../rules/substance';
import { SECRETARY_SOURCES } from '../types';

/**
 * 一个关键 (seed 000 §四(三); seed 001 §一(二)): a qualified branch secretary within the policy's months
 * of the team's arrival, and the secretaries' training.
 */

export const appointSecretary: CommandDef<'appointSecretary'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.appointSecretary);
    // A secretary to adjust after two one-star years need not wait for the team (the county acts at once).
    // After a first secretary (a stop-gap) the village's own successor may follow, also after conversion.
    const successor = unbent(state) && awaitsLocalSuccessor(state);
    requireStage(state, successor ? ['rectifying', 'awaiting_acceptance', 'converted', 'follow_up_review'] : state.secretary.adjustment ? ['designated', 'rectifying'] : ['rectifying']);
    if (state.secretary.appointment && !successor) refuse('SECRETARY_ALREADY_APPOINTED', state.secretary.appointment.name);
    text(input.name, 'name', '书记姓名', 50);
    oneOf(input.source, SECRETARY_SOURCES, 'source', '人选来源');
    pastDate(state, input.appointedOn, 'appointedOn', '任职日期', nowMs);
  },
  apply(state, input, nowMs) {
    if (state.secretary.appointment) (state.secretary.previous ??= []).push(state.secretary.appointment);
    state.secretary.appointment = { name: input.name.trim(), source: input.source, appointedOn: input.appointedOn, recordedBy: input.actor, recordedAt: iso(nowMs) };
    const late = !!state.secretary.deadline && compareDates(input.appointedOn, state.secretary.deadline) > 0;
    return { action: 'secretary.appointed', payload: { name: input.name.trim(), source: input.source, appointedOn: input.appointedOn, deadline: state.secretary.deadline ?? null, late } };
  },
};

export const recordTraining: CommandDef<'recordTraining'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.recordTraining);
    requireStage(state, ['rectifying', 'awaiting_acceptance', 'converted', 'follow_up_review']);
    text(input.secretaryName, 'secretaryName', '参训书记', 50);
    text(input.session, 'session', '培训班次', 200);
    pastDate(state, input.attendedOn, 'attendedOn', '参训日期', nowMs);
  },
  apply(state, input, nowMs) {
    const t = { id: nextId(state, 'tr'), secretaryName: input.secretaryName.trim(), session: input.session.trim(), attendedOn: input.attendedOn, recordedBy: input.actor, recordedAt: iso(nowMs) };
    state.secretary.trainings.push(t);
    return { action: 'training.recorded', payload: { id: t.id, secretaryName: t.secretaryName, session: t.session, attendedOn: t.attendedOn } };
  },
};
