import { CASE_STAGE_LABELS, type CaseStage } from '../case-stage';
import { DESIGNATION_REASON_LABELS } from '../designation';
import { CADRE_RANKS, CONSULTATION_KINDS, CONSULTATION_KIND_LABELS } from '../policy';
import type { Actor } from '../roles';
import { addCalendarMonths, compareDates, quarterKey, quarterOf, shanghaiDateOf } from '../shanghai-time';
import { unmetAcceptanceConditions } from './acceptance';
import { COMMAND_ROLES, type CaseCommandInputs, type CaseCommandName, type TeamMemberInput } from './commands';
import { CASE_COUNT_LIMIT_LABELS, CASE_LIMITS, countsOf, jsonBytes, stateBytesLimitFor, type CaseCountLimit } from './limits';
import { date, iso, MAX_TEXT, nextId, nonNegativeNumber, oneOf, pastDate, requireRole, requireStage, text, type CommandDef } from './checks';
import { event, moveTo } from './events';
import { unbent } from './rules/edition';
import { applyHook, validateHook } from './rules/hooks';
import { recordOrganizationalHandling } from './rules/org-handling';
import { addDesignationReason } from './rules/reasons';
import { awaitsLocalSuccessor } from './rules/substance';
import { confirmGuidanceVisit } from './rules/visits';
import { refuse, REMOVAL_REASON_MIN_LENGTH } from './rules';
import { CURE_TAGS, PROBLEM_REASON_CODES, SECRETARY_SOURCES, type CaseAuditEvent, type CaseState, type Designation, type TeamMember } from './types';

/**
 * The case state machine: for each update of the workflow, a validator that refuses what breaks a
 * rule (naming it) and an applier that changes the state. Pure and deterministic, so the workflow
 * can run it and unit tests can exercise every rule without a server.
 */

export { event, moveTo };

/** The state of a newly designated case. */
export function newCaseState(d: Designation): CaseState {
  const required = d.reasons.some((r) => d.policy.secretaryRequiredForReasons.includes(r)) || d.secretaryAdjustment !== undefined;
  return {
    caseId: d.caseId,
    organizationId: d.organization.id,
    organizationName: d.organization.name,
    ...(d.organization.regionId ? { organizationRegionId: d.organization.regionId } : {}),
    townshipId: d.organization.townshipId,
    countyId: d.organization.countyId,
    batchYear: d.batchYear,
    reasons: [...d.reasons],
    ...(d.note ? { note: d.note } : {}),
    designatedAt: d.designatedAt,
    designatedBy: d.designatedBy,
    policy: d.policy,
    stage: 'designated',
    stageHistory: [{ from: null, to: 'designated', actor: d.designatedBy, at: d.designatedAt, reason: d.note || '认定为软弱涣散党组织' }],
    version: 1,
    nextId: 1,
    firstResponsible: { role: 'township_party_secretary', regionId: d.organization.townshipId },
    nextEventSeq: 2,
    previousContactLeaders: [],
    visits: [],
    practicalThings: [],
    teamChanges: [],
    problems: [],
    consultations: [],
    measures: [],
    secretary: { required, overdue: false, trainings: [], ...(d.secretaryAdjustment ? { adjustment: { oneStarYears: [...d.secretaryAdjustment.oneStarYears] } } : {}) },
    projects: [],
    acceptanceRefusals: [],
    yearEndDeadline: `${d.batchYear}-12-31`,
    yearEndOverdue: false,
    relapses: [],
  };
}

/** The audit event of the designation itself (event 1). */
export function designationEvent(state: CaseState): CaseAuditEvent {
  return {
    key: `${state.caseId}:e1`,
    caseId: state.caseId,
    actor: state.designatedBy,
    action: 'case.designated',
    occurredAt: state.designatedAt,
    payload: { organizationId: state.organizationId, batchYear: state.batchYear, reasons: state.reasons, note: state.note ?? null, policyVersion: state.policy.version },
  };
}

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

// ---------------------------------------------------------------------------------------------
// Commands

const COMMANDS: { [K in CaseCommandName]: CommandDef<K> } = {
  assignContactLeader: {
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
  },

  recordGuidanceVisit: {
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
  },

  recordPracticalThing: {
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
  },

  appointTeam: {
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
  },

  changeTeam: {
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
  },

  releaseTeam: {
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
  },

  addProblem: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.addProblem);
      requireStage(state, ['rectifying']);
      text(input.description, 'description', '问题描述');
      oneOf(input.reasonCode, PROBLEM_REASON_CODES, 'reasonCode', '问题类别');
      oneOf(input.cureTag, CURE_TAGS, 'cureTag', '整治方向');
      text(input.rootCause, 'rootCause', '病灶（根源）');
      text(input.evidence, 'evidence', '佐证材料');
    },
    apply(state, input, nowMs) {
      const problem = {
        id: nextId(state, 'p'),
        description: input.description.trim(),
        reasonCode: input.reasonCode,
        cureTag: input.cureTag,
        rootCause: input.rootCause.trim(),
        evidence: input.evidence.trim(),
        status: 'open' as const,
        foundBy: input.actor,
        foundAt: iso(nowMs),
      };
      state.problems.push(problem);
      // A changed list needs the township secretary's confirmation again.
      const reconfirm = !!state.problemListConfirmedAt;
      delete state.problemListConfirmedAt;
      delete state.problemListConfirmedBy;
      return { action: 'problem.added', payload: { problemId: problem.id, reasonCode: problem.reasonCode, cureTag: problem.cureTag, description: problem.description, listNeedsReconfirmation: reconfirm } };
    },
  },

  confirmProblemList: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.confirmProblemList);
      requireStage(state, ['rectifying']);
      if (state.problems.length === 0) refuse('PROBLEM_LIST_NOT_EMPTY');
      if (state.problemListConfirmedAt) refuse('INVALID_INPUT', '问题清单已确认，无需重复确认');
    },
    apply(state, input, nowMs) {
      state.problemListConfirmedAt = iso(nowMs);
      state.problemListConfirmedBy = input.actor;
      return { action: 'problem_list.confirmed', payload: { problems: state.problems.length } };
    },
  },

  closeProblem: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.closeProblem);
      requireStage(state, ['rectifying']);
      if (!state.problemListConfirmedAt) refuse('PROBLEM_LIST_NOT_CONFIRMED');
      const problem = state.problems.find((p) => p.id === input.problemId);
      if (!problem) refuse('PROBLEM_NOT_FOUND', String(input.problemId));
      if (problem.status === 'closed') refuse('PROBLEM_ALREADY_CLOSED', problem.description);
      if (typeof input.fixEvidence !== 'string' || !input.fixEvidence.trim()) refuse('PROBLEM_CLOSE_NEEDS_EVIDENCE', problem.description);
      text(input.fixEvidence, 'fixEvidence', '整改佐证');
    },
    apply(state, input, nowMs) {
      const problem = state.problems.find((p) => p.id === input.problemId)!;
      problem.status = 'closed';
      problem.fixEvidence = input.fixEvidence.trim();
      problem.closedBy = input.actor;
      problem.closedAt = iso(nowMs);
      return { action: 'problem.closed', payload: { problemId: problem.id, fixEvidence: problem.fixEvidence } };
    },
  },

  recordConsultation: {
    validate(state, input, nowMs) {
      requireRole(input.actor, COMMAND_ROLES.recordConsultation);
      requireStage(state, ['rectifying']);
      oneOf(input.kind, CONSULTATION_KINDS, 'kind', '征求意见方式');
      pastDate(state, input.heldOn, 'heldOn', '开展日期', nowMs);
      if (!Number.isInteger(input.participants) || input.participants < 1 || input.participants > 100000) refuse('INVALID_INPUT', '参加人数（participants）须为正整数', { field: 'participants' });
      text(input.summary, 'summary', '意见建议摘要');
    },
    apply(state, input, nowMs) {
      const c = { id: nextId(state, 'c'), kind: input.kind, heldOn: input.heldOn, participants: input.participants, summary: input.summary.trim(), recordedBy: input.actor, recordedAt: iso(nowMs) };
      state.consultations.push(c);
      return { action: 'consultation.recorded', payload: { id: c.id, kind: c.kind, heldOn: c.heldOn, participants: c.participants } };
    },
  },

  addMeasure: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.addMeasure);
      requireStage(state, ['rectifying']);
      text(input.description, 'description', '整改措施');
      text(input.owner, 'owner', '责任人', 100);
      const due = date(input.dueOn, 'dueOn', '完成时限');
      if (compareDates(due, shanghaiDateOf(Date.parse(state.designatedAt))) < 0) refuse('DATE_BEFORE_DESIGNATION', `完成时限（dueOn）${due}`, { field: 'dueOn' });
      if (!Array.isArray(input.problemIds) || input.problemIds.length === 0) refuse('MEASURE_NEEDS_PROBLEM');
      for (const id of input.problemIds) if (!state.problems.some((p) => p.id === id)) refuse('MEASURE_NEEDS_PROBLEM', `问题 ${id} 不在问题清单中`, { problemId: id });
    },
    apply(state, input, nowMs) {
      const m = {
        id: nextId(state, 'm'),
        description: input.description.trim(),
        problemIds: [...new Set(input.problemIds)],
        owner: input.owner.trim(),
        dueOn: input.dueOn,
        percent: 0,
        status: 'pending' as const,
        progress: [],
        earlierUpdates: 0,
        addedBy: input.actor,
        addedAt: iso(nowMs),
      };
      state.measures.push(m);
      // A revised plan goes back to the township Party committee.
      const reapprove = !!state.planApprovedAt;
      delete state.planApprovedAt;
      delete state.planApprovedBy;
      return { action: 'measure.added', payload: { measureId: m.id, problemIds: m.problemIds, owner: m.owner, dueOn: m.dueOn, planNeedsReapproval: reapprove } };
    },
  },

  approvePlan: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.approvePlan);
      requireStage(state, ['rectifying']);
      if (state.planApprovedAt) refuse('PLAN_ALREADY_APPROVED');
      if (!state.problemListConfirmedAt) refuse('PROBLEM_LIST_NOT_CONFIRMED');
      const held = new Set(state.consultations.map((c) => c.kind));
      const missing = state.policy.requiredConsultations.filter((k) => !held.has(k));
      if (missing.length) refuse('PLAN_CONSULTATIONS_REQUIRED', `尚缺：${missing.map((k) => CONSULTATION_KIND_LABELS[k]).join('、')}`, { missing });
      if (state.measures.length === 0) refuse('PLAN_NEEDS_MEASURES');
      const uncovered = state.problems.filter((p) => p.status === 'open' && !state.measures.some((m) => m.problemIds.includes(p.id)));
      if (uncovered.length) refuse('PLAN_COVERS_EVERY_PROBLEM', `无措施的问题：${uncovered.map((p) => p.id).join('、')}`, { problemIds: uncovered.map((p) => p.id) });
    },
    apply(state, input, nowMs) {
      state.planApprovedAt = iso(nowMs);
      state.planApprovedBy = input.actor;
      return { action: 'plan.approved', payload: { measures: state.measures.length, consultations: state.consultations.length } };
    },
  },

  updateMeasureProgress: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.updateMeasureProgress);
      requireStage(state, ['rectifying']);
      if (!state.planApprovedAt) refuse('PLAN_NOT_APPROVED');
      const m = state.measures.find((x) => x.id === input.measureId);
      if (!m) refuse('MEASURE_NOT_FOUND', String(input.measureId));
      if (m.status === 'done') refuse('MEASURE_ALREADY_DONE', m.description);
      if (!Number.isInteger(input.percent) || input.percent < 0 || input.percent > 100) refuse('INVALID_INPUT', '完成进度（percent）须为 0–100 的整数', { field: 'percent' });
      text(input.note, 'note', '进展说明');
    },
    apply(state, input, nowMs) {
      const m = state.measures.find((x) => x.id === input.measureId)!;
      m.percent = input.percent;
      m.status = input.percent >= 100 ? 'done' : input.percent > 0 ? 'in_progress' : 'pending';
      if (m.status === 'done') m.doneAt = iso(nowMs);
      m.progress.push({ at: iso(nowMs), by: input.actor, percent: input.percent, note: input.note.trim() });
      // Keep the ledger bounded in the workflow; the audit trail keeps every entry.
      if (m.progress.length > 20) {
        m.earlierUpdates += m.progress.length - 20;
        m.progress = m.progress.slice(-20);
      }
      return { action: 'measure.progressed', payload: { measureId: m.id, percent: m.percent, status: m.status, note: input.note.trim() } };
    },
  },

  appointSecretary: {
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
  },

  recordTraining: {
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
  },

  addCollectiveProject: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.addCollectiveProject);
      requireStage(state, ['rectifying']);
      text(input.name, 'name', '项目名称', 200);
      text(input.kind, 'kind', '项目类型', 100);
      nonNegativeNumber(input.supportFunds, 'supportFunds', '扶持资金（元）');
      date(input.startOn, 'startOn', '启动日期');
      nonNegativeNumber(input.expectedYearlyIncome, 'expectedYearlyIncome', '预期年收益（元）');
    },
    apply(state, input, nowMs) {
      const p = {
        id: nextId(state, 'pr'),
        name: input.name.trim(),
        kind: input.kind.trim(),
        supportFunds: input.supportFunds,
        startOn: input.startOn,
        expectedYearlyIncome: input.expectedYearlyIncome,
        recordedBy: input.actor,
        recordedAt: iso(nowMs),
      };
      state.projects.push(p);
      return { action: 'project.added', payload: { id: p.id, name: p.name, kind: p.kind, supportFunds: p.supportFunds, expectedYearlyIncome: p.expectedYearlyIncome } };
    },
  },

  requestAcceptance: {
    validate(state, input, nowMs) {
      requireRole(input.actor, COMMAND_ROLES.requestAcceptance);
      requireStage(state, ['rectifying']);
      refuseIfUnmet(state, nowMs);
    },
    apply(state, input, nowMs) {
      state.acceptanceRequestedAt = iso(nowMs);
      state.acceptanceRequestedBy = input.actor;
      moveTo(state, 'awaiting_acceptance', input.actor, nowMs, input.summary?.trim() || '乡镇党委申请验收');
      return { action: 'acceptance.requested', payload: { summary: input.summary ?? null } };
    },
  },

  acceptCase: {
    validate(state, input, nowMs) {
      if (input.actor?.role !== 'county_org_admin') refuse('ACCEPTANCE_BY_COUNTY', `操作角色为 ${input.actor?.role}`);
      requireRole(input.actor, COMMAND_ROLES.acceptCase);
      requireStage(state, ['rectifying', 'awaiting_acceptance']);
      text(input.opinion, 'opinion', '验收意见');
      refuseIfUnmet(state, nowMs);
    },
    apply(state, input, nowMs) {
      state.acceptedAt = iso(nowMs);
      state.acceptedBy = input.actor;
      state.acceptanceOpinion = input.opinion.trim();
      moveTo(state, 'converted', input.actor, nowMs, `验收销号：${input.opinion.trim()}`);
      state.followUp = { dueOn: addCalendarMonths(shanghaiDateOf(nowMs), state.policy.followUpDelayMonths) };
      return { action: 'case.accepted', payload: { opinion: input.opinion.trim(), followUpDueOn: state.followUp.dueOn } };
    },
  },

  refuseAcceptance: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.refuseAcceptance);
      requireStage(state, ['awaiting_acceptance']);
      text(input.reason, 'reason', '不予验收的理由');
    },
    apply(state, input, nowMs) {
      state.acceptanceRefusals.push({ at: iso(nowMs), by: input.actor, reason: input.reason.trim() });
      delete state.acceptanceRequestedAt;
      delete state.acceptanceRequestedBy;
      moveTo(state, 'rectifying', input.actor, nowMs, `不予验收：${input.reason.trim()}`);
      return { action: 'acceptance.refused', payload: { reason: input.reason.trim() } };
    },
  },

  recordFollowUp: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.recordFollowUp);
      if (state.stage === 'converted') refuse('FOLLOW_UP_NOT_DUE', `回头看应于 ${state.followUp?.dueOn} 开展`);
      requireStage(state, ['follow_up_review']);
      if (typeof input.relapsed !== 'boolean') refuse('INVALID_INPUT', '是否反弹（relapsed）须为 true/false', { field: 'relapsed' });
      if (input.relapsed && (typeof input.findings !== 'string' || !input.findings.trim())) refuse('RELAPSE_NEEDS_REASON');
      text(input.findings, 'findings', '回头看情况');
    },
    apply(state, input, nowMs) {
      const findings = input.findings.trim();
      state.followUp = { ...state.followUp!, reviewedAt: iso(nowMs), reviewedBy: input.actor, relapsed: input.relapsed, findings };
      if (!input.relapsed) {
        state.closedAt = iso(nowMs);
        moveTo(state, 'closed', input.actor, nowMs, `回头看未反弹，结案：${findings}`);
        return { action: 'follow_up.passed', payload: { findings } };
      }
      // A relapse reopens the case: the playbook runs again, with the reason kept.
      state.relapses.push({ at: iso(nowMs), by: input.actor, reason: findings });
      delete state.acceptedAt;
      delete state.acceptedBy;
      delete state.acceptanceOpinion;
      delete state.acceptanceRequestedAt;
      delete state.acceptanceRequestedBy;
      delete state.problemListConfirmedAt;
      delete state.problemListConfirmedBy;
      delete state.planApprovedAt;
      delete state.planApprovedBy;
      delete state.closedAt;
      moveTo(state, 'rectifying', input.actor, nowMs, `回头看发现反弹，重新整顿：${findings}`);
      return { action: 'follow_up.relapsed', payload: { findings } };
    },
  },

  removeFromList: {
    validate(state, input) {
      requireRole(input.actor, COMMAND_ROLES.removeFromList);
      if (!ON_LIST.includes(state.stage)) refuse('REMOVAL_ONLY_WHILE_ON_LIST', `案件阶段为${CASE_STAGE_LABELS[state.stage]}`, { stage: state.stage });
      // 不能藏着掖着: a one-star org stays on the list until it is converted (seed 000 §三).
      if (state.reasons.includes('S1')) refuse('ONE_STAR_CANNOT_BE_REMOVED', `认定原因含 S1（${DESIGNATION_REASON_LABELS.S1}）`, { reasons: state.reasons });
      const reason = typeof input.reason === 'string' ? input.reason.trim() : '';
      if (reason.length < REMOVAL_REASON_MIN_LENGTH)
        refuse('REMOVAL_REASON_REQUIRED', reason ? `理由（reason）仅${reason.length}个字` : '理由（reason）未填写', { field: 'reason', minLength: REMOVAL_REASON_MIN_LENGTH, length: reason.length });
      text(input.reason, 'reason', '移出理由');
    },
    apply(state, input, nowMs) {
      const reason = input.reason.trim();
      const fromStage = state.stage;
      state.removal = { at: iso(nowMs), by: input.actor, reason, fromStage };
      moveTo(state, 'removed', input.actor, nowMs, `移出整顿名单：${reason}`);
      return { action: 'case.removed', payload: { reason, fromStage, reasons: state.reasons, batchYear: state.batchYear } };
    },
  },

  // Issue 16 (libs/domain/case/rules/*).
  confirmGuidanceVisit,
  recordOrganizationalHandling,
  addDesignationReason,
};

/** Stages in which a case is on the list (整顿名单) and may be taken off it: designated until accepted. */
const ON_LIST: CaseStage[] = ['designated', 'rectifying', 'awaiting_acceptance'];

function refuseIfUnmet(state: CaseState, nowMs: number): void {
  const unmet = unmetAcceptanceConditions(state, nowMs);
  if (unmet.length) {
    refuse(
      'ACCEPTANCE_CONDITIONS_UNMET',
      unmet.map((c) => `${c.zh}（${c.missing}）`).join('；'),
      { unmet: unmet.map((c) => ({ code: c.code, zh: c.zh, en: c.en, missing: c.missing })) },
    );
  }
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


/**
 * Throws RuleViolation if the command may not run now; the workflow's update validators call this.
 * `limits: false` skips the case's engineering limits (libs/domain/case/limits.ts), for replaying
 * histories recorded before they existed.
 */
export function validateCommand<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number, options: { limits?: boolean } = {}): void {
  const def = COMMANDS[name] as CommandDef<K> | undefined;
  if (!def) refuse('INVALID_INPUT', `未知操作 ${String(name)}`);
  if (!input || typeof input !== 'object') refuse('INVALID_INPUT', '缺少操作内容');
  def.validate(state, input, nowMs);
  validateHook(state, name, input, nowMs);
  if (options.limits !== false) refuseOverLimits(state, name, input, nowMs);
}

/**
 * Applies the (valid) command to a copy of the state and refuses it if the copy passes a count or the
 * size limit: what would be written is measured, not estimated.
 */
function refuseOverLimits<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number): void {
  const json = JSON.stringify(state);
  const candidate = JSON.parse(json) as CaseState;
  applyCommand(candidate, name, JSON.parse(JSON.stringify(input)) as CaseCommandInputs[K], nowMs);
  const before = countsOf(state);
  const after = countsOf(candidate);
  for (const limit of Object.keys(CASE_LIMITS.counts) as CaseCountLimit[]) {
    const max = CASE_LIMITS.counts[limit];
    if (after[limit] > max && after[limit] > before[limit]) {
      refuse('CASE_LIMIT_REACHED', `${CASE_COUNT_LIMIT_LABELS[limit]}最多${max}个（${limit}），本案已有${before[limit]}个`, { limit, max, count: before[limit] });
    }
  }
  const size = jsonBytes(candidate);
  const maxBytes = stateBytesLimitFor(name);
  if (size > maxBytes) {
    refuse('CASE_STATE_TOO_LARGE', `本次操作后案件记录将达 ${Math.ceil(size / 1024)} kB，超过上限 ${maxBytes / 1024} kB（stateBytes）：请精简文字`, { limit: 'stateBytes', max: maxBytes, size });
  }
}

/**
 * Applies a validated command: changes the state, bumps its version, and returns the audit events
 * (the change itself, and any stage change it caused).
 */
export function applyCommand<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number): CaseAuditEvent[] {
  const stagesBefore = state.stageHistory.length;
  const change = (COMMANDS[name] as CommandDef<K>).apply(state, input, nowMs);
  applyHook(state, name, input, nowMs, change);
  startRectifyingWhenReady(state, input.actor, nowMs);
  const events = [event(state, input.actor, change.action, nowMs, change.payload)];
  for (const s of state.stageHistory.slice(stagesBefore)) {
    events.push(event(state, s.actor, 'stage.changed', nowMs, { from: s.from, to: s.to, reason: s.reason }));
  }
  state.version += 1;
  return events;
}

/** designated → rectifying once both people tracks are in place: the contact leader and the team. */
function startRectifyingWhenReady(state: CaseState, actor: Actor, nowMs: number): void {
  if (state.stage === 'designated' && state.contactLeader && state.team && !state.team.releasedAt) {
    moveTo(state, 'rectifying', actor, nowMs, '联系领导和整建队伍均已到位，整顿开始');
  }
}


/** Who restarted a case whose run had ended abnormally, why, and how that run had ended. */
export interface CaseRestart {
  by: Actor;
  reason: string;
  /** Temporal's status of the run that ended (TERMINATED, FAILED, TIMED_OUT…). */
  previousRunStatus: string;
}

/**
 * The county organization department restarted the case from its last projected state: a change of
 * the case like any other (a new version, an audit entry), so the read model and the trail show it.
 */
export function applyRestart(state: CaseState, restart: CaseRestart, nowMs: number): CaseAuditEvent[] {
  const events = [event(state, restart.by, 'case.restarted', nowMs, { reason: restart.reason, previousRunStatus: restart.previousRunStatus, fromVersion: state.version, stage: state.stage })];
  state.version += 1;
  return events;
}
