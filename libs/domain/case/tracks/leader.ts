import { quarterKey, quarterOf } from '../../shanghai-time';
import { iso, MAX_TEXT, nextId, pastDate, requireRole, requireStage, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { refuse } from '../rules';

/**
 * 一把手分包 (seed 000 §四(一)): one contact leader per case, their guidance visits, and the practical
 * things done for the villagers.
 */

export const assignContactLeader: CommandDef<'assignContactLeader'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.assignContactLeader);
    requireStage(state, ['designated', 'rectifying', 'awaiting_acceptance']);
    text(input.leader?.id, 'leader.id', '联系领导 ID', 100);
    text(input.leader?.name, 'leader.name', '联系领导姓名', 50);
    text(input.leader?.title, 'leader.title', '联系领导职务', 100);
    if (typeof input.leader.isCountyPartySecretary !== 'boolean') refuse('INVALID_INPUT', '是否县委书记（leader.isCountyPartySecretary）须为 true/false', { field: 'leader.isCountyPartySecretary' });
    if (state.contactLeader) {
      if (state.contactLeader.id === input.leader.id) refuse('ONE_CONTACT_LEADER', `${input.leader.name}已是本案联系领导`);
      if (!input.reason || !input.reason.trim()) refuse('CONTACT_LEADER_REASSIGN_REASON', `现联系领导为${state.contactLeader.name}`);
    }
  },
  apply(state, input, nowMs) {
    const previous = state.contactLeader;
    if (previous) state.previousContactLeaders.push({ ...previous, replacedAt: iso(nowMs), replacementReason: input.reason });
    state.contactLeader = { ...input.leader, assignedAt: iso(nowMs), assignedBy: input.actor };
    return {
      action: previous ? 'leader.replaced' : 'leader.assigned',
      payload: { leader: input.leader, previousLeaderId: previous?.id ?? null, reason: input.reason ?? null },
    };
  },
};

export const recordGuidanceVisit: CommandDef<'recordGuidanceVisit'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.recordGuidanceVisit);
    requireStage(state, ['designated', 'rectifying', 'awaiting_acceptance']);
    if (!state.contactLeader) refuse('CONTACT_LEADER_REQUIRED');
    if ((input.actor.role === 'county_leader' || input.actor.role === 'county_party_secretary') && input.actor.id !== state.contactLeader.id)
      refuse('VISIT_BY_CONTACT_LEADER', `本案联系领导为${state.contactLeader.name}`);
    pastDate(state, input.visitedOn, 'visitedOn', '调研日期', nowMs);
    text(input.place, 'place', '调研地点', 200);
    text(input.summary, 'summary', '调研情况');
    if (input.problemsFound !== undefined && (!Array.isArray(input.problemsFound) || input.problemsFound.some((p) => typeof p !== 'string' || p.length > MAX_TEXT)))
      refuse('INVALID_INPUT', '发现的问题（problemsFound）须为文字列表', { field: 'problemsFound' });
  },
  apply(state, input, nowMs) {
    const visit = {
      id: nextId(state, 'v'),
      visitedOn: input.visitedOn,
      quarter: quarterKey(quarterOf(input.visitedOn)),
      place: input.place.trim(),
      summary: input.summary.trim(),
      problemsFound: input.problemsFound ?? [],
      leaderId: state.contactLeader!.id,
      recordedBy: input.actor,
      recordedAt: iso(nowMs),
    };
    state.visits.push(visit);
    return { action: 'visit.recorded', payload: { visitId: visit.id, visitedOn: visit.visitedOn, quarter: visit.quarter, place: visit.place } };
  },
};

export const recordPracticalThing: CommandDef<'recordPracticalThing'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.recordPracticalThing);
    requireStage(state, ['designated', 'rectifying', 'awaiting_acceptance']);
    if (!state.contactLeader) refuse('CONTACT_LEADER_REQUIRED');
    text(input.title, 'title', '实事好事名称', 200);
    text(input.description, 'description', '实事好事内容');
    pastDate(state, input.doneOn, 'doneOn', '办结日期', nowMs);
  },
  apply(state, input, nowMs) {
    const thing = { id: nextId(state, 't'), title: input.title.trim(), description: input.description.trim(), doneOn: input.doneOn, recordedBy: input.actor, recordedAt: iso(nowMs) };
    state.practicalThings.push(thing);
    return { action: 'practical_thing.recorded', payload: { id: thing.id, title: thing.title, doneOn: thing.doneOn } };
  },
};
