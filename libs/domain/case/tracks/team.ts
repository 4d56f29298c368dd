import { CADRE_RANKS } from '../../policy';
import { addCalendarMonths, shanghaiDateOf } from '../../shanghai-time';
import { iso, nextId, oneOf, pastDate, requireRole, requireStage, text, type CommandDef } from '../checks';
import { COMMAND_ROLES, type CaseCommandInputs, type TeamMemberInput } from '../commands';
import { refuse } from '../rules';
import type { CaseState, TeamMember } from '../types';

/**
 * 整建队伍 (seed 000 §四(二)): the team is appointed with at least the policy's number of people and
 * one section-level leader, changed with a reason, and stays until the case is converted (不转化不脱钩).
 */

export const appointTeam: CommandDef<'appointTeam'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.appointTeam);
    requireStage(state, ['designated', 'rectifying']);
    if (state.team && !state.team.releasedAt) refuse('TEAM_ALREADY_APPOINTED');
    pastDate(state, input.arrivedOn, 'arrivedOn', '进驻日期', nowMs);
    if (!Array.isArray(input.members)) refuse('INVALID_INPUT', '队员（members）须为列表', { field: 'members' });
    checkMembers(state, input.members);
    checkTeamComposition(state, input.members);
  },
  apply(state, input, nowMs) {
    state.team = {
      members: input.members.map((m) => ({ id: nextId(state, 'tm'), name: m.name.trim(), rank: m.rank, unit: m.unit.trim(), isLeader: !!m.isLeader, joinedOn: input.arrivedOn })),
      arrivedOn: input.arrivedOn,
      appointedBy: input.actor,
      appointedAt: iso(nowMs),
    };
    // 一个关键: the secretary's months count from the team's arrival (seed 000 §四(三)).
    if (state.secretary.required && !state.secretary.appointment) {
      state.secretary.deadline = addCalendarMonths(input.arrivedOn, state.policy.secretaryDeadlineMonths);
    }
    return {
      action: 'team.appointed',
      payload: { arrivedOn: input.arrivedOn, members: state.team.members.map((m) => ({ id: m.id, name: m.name, rank: m.rank, isLeader: m.isLeader })), secretaryDeadline: state.secretary.deadline ?? null },
    };
  },
};

export const changeTeam: CommandDef<'changeTeam'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.changeTeam);
    requireStage(state, ['designated', 'rectifying', 'awaiting_acceptance']);
    if (!state.team) refuse('TEAM_REQUIRED');
    if (state.team.releasedAt) refuse('TEAM_RELEASED');
    text(input.reason, 'reason', '调整理由');
    const add = input.add ?? [];
    const remove = input.removeIds ?? [];
    if (!Array.isArray(add) || !Array.isArray(remove)) refuse('INVALID_INPUT', '增减队员须为列表', { field: 'add' });
    checkMembers(state, add);
    for (const id of remove) if (!state.team.members.some((m) => m.id === id)) refuse('INVALID_INPUT', `队员 ${id} 不在队伍中`, { field: 'removeIds' });
    if (input.newLeaderId !== undefined && !state.team.members.some((m) => m.id === input.newLeaderId && !remove.includes(m.id)))
      refuse('INVALID_INPUT', `新队长 ${input.newLeaderId} 须为留任队员`, { field: 'newLeaderId' });
    const after = simulateTeamChange(state, input, nowMs);
    checkTeamComposition(state, after);
  },
  apply(state, input, nowMs) {
    const before = state.team!.members.map((m) => m.id);
    state.team!.members = simulateTeamChange(state, input, nowMs, true);
    const added = state.team!.members.filter((m) => !before.includes(m.id)).map((m) => m.id);
    const removed = input.removeIds ?? [];
    const leader = state.team!.members.find((m) => m.isLeader)!;
    state.teamChanges.push({ at: iso(nowMs), by: input.actor, added, removed, ...(input.newLeaderId || added.includes(leader.id) ? { newLeader: leader.id } : {}) });
    return { action: 'team.changed', payload: { added, removed, leaderId: leader.id, size: state.team!.members.length, reason: input.reason } };
  },
};

export const releaseTeam: CommandDef<'releaseTeam'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.releaseTeam);
    if (!state.team) refuse('TEAM_REQUIRED');
    if (state.team.releasedAt) refuse('TEAM_RELEASED');
    // 不转化不脱钩: only a converted case lets its team go.
    if (!['converted', 'follow_up_review', 'closed'].includes(state.stage)) refuse('TEAM_NOT_RELEASED_BEFORE_CONVERSION', `案件阶段为 ${state.stage}`);
    text(input.reason, 'reason', '撤离说明');
  },
  apply(state, input, nowMs) {
    state.team!.releasedAt = iso(nowMs);
    state.team!.releasedBy = input.actor;
    state.team!.releaseReason = input.reason.trim();
    return { action: 'team.released', payload: { reason: input.reason.trim() } };
  },
};

function checkMembers(state: CaseState, members: TeamMemberInput[]): void {
  members.forEach((m, i) => {
    text(m?.name, `members[${i}].name`, '队员姓名', 50);
    text(m?.unit, `members[${i}].unit`, '所在单位', 100);
    oneOf(m?.rank, CADRE_RANKS, `members[${i}].rank`, '职级');
  });
  void state;
}

function checkTeamComposition(state: CaseState, members: { rank: TeamMember['rank']; isLeader?: boolean }[]): void {
  const p = state.policy;
  if (members.length < p.teamMinSize) refuse('TEAM_MIN_SIZE', `需至少${p.teamMinSize}人，现为${members.length}人`, { min: p.teamMinSize, size: members.length });
  const leaders = members.filter((m) => m.isLeader);
  if (leaders.length !== 1) refuse('TEAM_ONE_LEADER', `现有队长${leaders.length}名`, { leaders: leaders.length });
  if (!p.teamLeaderRanks.includes(leaders[0].rank)) refuse('TEAM_LEADER_SECTION_LEVEL', `队长职级为 ${leaders[0].rank}，须为 ${p.teamLeaderRanks.join('/')}`, { rank: leaders[0].rank });
}

/** The team after a change, as validation sees it (ids of new members are previewed, not taken). */
function simulateTeamChange(state: CaseState, input: CaseCommandInputs['changeTeam'], nowMs: number, commit = false): TeamMember[] {
  const remove = new Set(input.removeIds ?? []);
  const kept = state.team!.members.filter((m) => !remove.has(m.id)).map((m) => ({ ...m }));
  let previewId = state.nextId;
  const added = (input.add ?? []).map((m) => ({
    id: commit ? nextId(state, 'tm') : `tm${previewId++}`,
    name: m.name.trim(),
    rank: m.rank,
    unit: m.unit.trim(),
    isLeader: !!m.isLeader,
    joinedOn: shanghaiDateOf(nowMs),
  }));
  let members = [...kept, ...added];
  const newLeader = input.newLeaderId ?? added.find((m) => m.isLeader)?.id;
  if (newLeader) members = members.map((m) => ({ ...m, isLeader: m.id === newLeader }));
  return members;
}
