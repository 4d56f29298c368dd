import type { Actor } from '../roles';
import { processCommands, type ProcessCommandTable } from '../process';
import type { CaseCommandInputs, CaseCommandName } from './commands';
import { CASE_COUNT_LIMIT_LABELS, CASE_LIMITS, countsOf, jsonWithin, stateBytesLimitFor, type CaseCountLimit } from './limits';
import { event, moveTo } from './events';
import { applyHook, validateHook } from './rules/hooks';
import { recordOrganizationalHandling } from './rules/org-handling';
import { addDesignationReason } from './rules/reasons';
import { confirmGuidanceVisit } from './rules/visits';
import { refuse } from './rules';
import { acceptCase, recordFollowUp, refuseAcceptance, requestAcceptance } from './tracks/acceptance';
import { assignContactLeader, recordGuidanceVisit, recordPracticalThing } from './tracks/leader';
import { addMeasure, approvePlan, recordConsultation, updateMeasureProgress } from './tracks/plan';
import { addProblem, closeProblem, confirmProblemList } from './tracks/problems';
import { decideExtension, requestExtension } from './tracks/extensions';
import { addCollectiveProject } from './tracks/project';
import { applyPractice, passInspection, sendBackInspection, validatePractice } from './tracks/inspection';
import { removeFromList } from './tracks/removal';
import { scoreAcceptance } from './tracks/scored-acceptance';
import { appointSecretary, recordTraining } from './tracks/secretary';
import { appointTeam, changeTeam, releaseTeam } from './tracks/team';
import type { CaseAuditEvent, CaseState } from './types';

/**
 * The case state machine: for each update of the workflow, a validator that refuses what breaks a
 * rule (naming it) and an applier that changes the state. The commands live with their track
 * (./tracks, ./rules); this file puts them in one table on the process kit (../process). Pure and
 * deterministic, so the workflow can run it and unit tests can exercise every rule without a server.
 */

export { event, moveTo };
export { designationEvent, newCaseState } from './new-case';

const COMMANDS: ProcessCommandTable<CaseState, CaseCommandInputs> = {
  // 一把手分包
  assignContactLeader,
  recordGuidanceVisit,
  recordPracticalThing,
  confirmGuidanceVisit,
  // 整建队伍
  appointTeam,
  changeTeam,
  releaseTeam,
  // 问题清单, 整顿方案
  addProblem,
  confirmProblemList,
  closeProblem,
  recordConsultation,
  addMeasure,
  approvePlan,
  updateMeasureProgress,
  // 一个关键, 集体经济
  appointSecretary,
  recordTraining,
  addCollectiveProject,
  // Closing, the list, the ladder's last rung
  requestAcceptance,
  acceptCase,
  refuseAcceptance,
  recordFollowUp,
  removeFromList,
  recordOrganizationalHandling,
  addDesignationReason,
  // 关键环节督导把关, 验收评分 (issue 18)
  passInspection,
  sendBackInspection,
  scoreAcceptance,
  // 延期
  requestExtension,
  decideExtension,
};

const CASE_COMMANDS = processCommands(COMMANDS, {
  unknownCommand: (name) => refuse('INVALID_INPUT', `未知操作 ${name}`),
  noInput: () => refuse('INVALID_INPUT', '缺少操作内容'),
});

/**
 * Throws RuleViolation if the command may not run now; the workflow's update validators call this.
 * `limits: false` skips the case's engineering limits (libs/domain/case/limits.ts), for replaying
 * histories recorded before they existed.
 */
export function validateCommand<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number, options: { limits?: boolean } = {}): void {
  CASE_COMMANDS.validate(state, name, input, nowMs);
  validateHook(state, name, input, nowMs);
  validatePractice(state, name, input);
  if (options.limits !== false) refuseOverLimits(state, name, input, nowMs);
}

/**
 * Applies the (valid) command to a copy of the state and refuses it if the copy passes a count or the
 * size limit: what would be written is measured, not estimated.
 */
function refuseOverLimits<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number): void {
  const candidate = copyOfJson(state);
  applyCommand(candidate, name, copyOfJson(input), nowMs);
  const before = countsOf(state);
  const after = countsOf(candidate);
  for (const limit of Object.keys(CASE_LIMITS.counts) as CaseCountLimit[]) {
    const max = CASE_LIMITS.counts[limit];
    if (after[limit] > max && after[limit] > before[limit]) {
      refuse('CASE_LIMIT_REACHED', `${CASE_COUNT_LIMIT_LABELS[limit]}最多${max}个（${limit}），本案已有${before[limit]}个`, { limit, max, count: before[limit] });
    }
  }
  const maxBytes = stateBytesLimitFor(name);
  const { within, bytes: size = 0 } = jsonWithin(candidate, maxBytes);
  if (!within) {
    refuse('CASE_STATE_TOO_LARGE', `本次操作后案件记录将达 ${Math.ceil(size / 1024)} kB，超过上限 ${maxBytes / 1024} kB（stateBytes）：请精简文字`, { limit: 'stateBytes', max: maxBytes, size });
  }
}

/**
 * A deep copy of JSON data, as JSON.parse(JSON.stringify(value)) makes it (undefined members left out), for the
 * limits' trial: several times faster than the round trip through a string, on every action.
 */
function copyOfJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  // Plain loops: Object.entries and map took twice as long here.
  if (Array.isArray(value)) {
    const items: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) items[i] = value[i] === undefined ? null : copyOfJson(value[i] as unknown);
    return items as T;
  }
  const copy: Record<string, unknown> = {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const v = (value as Record<string, unknown>)[keys[i]];
    if (v !== undefined) copy[keys[i]] = copyOfJson(v);
  }
  return copy as T;
}

/**
 * Applies a validated command: changes the state, bumps its version, and returns the audit events
 * (the change itself, and any stage change it caused).
 */
export function applyCommand<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number): CaseAuditEvent[] {
  const stagesBefore = state.stageHistory.length;
  const change = CASE_COMMANDS.apply(state, name, input, nowMs);
  applyHook(state, name, input, nowMs, change);
  applyPractice(state, name, input, nowMs, change);
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
