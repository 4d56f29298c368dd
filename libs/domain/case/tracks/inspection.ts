import { INSPECTION_STEP_LABELS, type InspectionStep } from '../../practice';
import { addDays, shanghaiDateOf } from '../../shanghai-time';
import { iso, nextId, requireRole, text, type Change, type CommandDef } from '../checks';
import { COMMAND_ROLES, type CaseCommandInputs, type CaseCommandName } from '../commands';
import { moveTo } from '../events';
import { inspectionPassed, latestInspection } from '../playbook';
import { refuse } from '../rules';
import type { CaseState } from '../types';
import { refuseUnscored } from './scored-acceptance';

/**
 * 关键环节督导把关 (issue 18 item 2, seed 001 §一(四)): a step the case's practice names (problem list,
 * plan, acceptance request) waits, once the township has done it, for the county organization
 * department or its inspector to pass it or send it back with a written reason. Sent back, the step
 * is open again for the township. Cases without a practice never wait.
 */

/** The step each township command submits. */
const SUBMITS: Partial<Record<CaseCommandName, InspectionStep>> = {
  confirmProblemList: 'problem_list',
  approvePlan: 'plan',
  requestAcceptance: 'acceptance_request',
};

function pendingInspection(state: CaseState, id: unknown) {
  if (typeof id !== 'string' || !id) refuse('INVALID_INPUT', '督导把关记录（inspectionId）须填写', { field: 'inspectionId' });
  const i = (state.inspections ?? []).find((x) => x.id === id);
  if (!i) refuse('INSPECTION_NOT_FOUND', `督导把关记录 ${id}`);
  if (i.status !== 'pending') refuse('INSPECTION_NOT_PENDING', `${INSPECTION_STEP_LABELS[i.step]}已${i.status === 'passed' ? '通过' : '退回'}`);
  return i;
}

export const passInspection: CommandDef<'passInspection'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.passInspection);
    pendingInspection(state, input.inspectionId);
    if (input.opinion !== undefined && input.opinion !== null) text(input.opinion, 'opinion', '把关意见');
  },
  apply(state, input, nowMs) {
    const i = pendingInspection(state, input.inspectionId);
    const opinion = typeof input.opinion === 'string' && input.opinion.trim() ? input.opinion.trim() : undefined;
    Object.assign(i, { status: 'passed', decidedAt: iso(nowMs), decidedBy: input.actor, ...(opinion ? { opinion } : {}) });
    return { action: 'inspection.passed', payload: { id: i.id, step: i.step, stepLabel: INSPECTION_STEP_LABELS[i.step], opinion: opinion ?? null } };
  },
};

export const sendBackInspection: CommandDef<'sendBackInspection'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.sendBackInspection);
    pendingInspection(state, input.inspectionId);
    const reason = text(input.reason, 'reason', '退回理由');
    const min = state.practice?.sendBackReasonMinLength ?? 10;
    if (reason.length < min) refuse('SEND_BACK_NEEDS_REASON', `退回理由（reason）不少于${min}个字，现为${reason.length}个字`, { field: 'reason', min });
  },
  apply(state, input, nowMs) {
    const i = pendingInspection(state, input.inspectionId);
    const reason = input.reason.trim();
    Object.assign(i, { status: 'sent_back', decidedAt: iso(nowMs), decidedBy: input.actor, opinion: reason });
    // The step is open again for the township.
    if (i.step === 'problem_list') {
      delete state.problemListConfirmedAt;
      delete state.problemListConfirmedBy;
    } else if (i.step === 'plan') {
      delete state.planApprovedAt;
      delete state.planApprovedBy;
    } else if (state.stage === 'awaiting_acceptance') {
      delete state.acceptanceRequestedAt;
      delete state.acceptanceRequestedBy;
      moveTo(state, 'rectifying', input.actor, nowMs, `验收申请经督导把关退回：${reason}`);
    }
    return { action: 'inspection.sent_back', payload: { id: i.id, step: i.step, stepLabel: INSPECTION_STEP_LABELS[i.step], reason } };
  },
};

/** Checks of the practice on the commands that existed before it (run only on cases with a practice). */
export function validatePractice<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K]): void {
  if (!state.practice) return;
  void input;
  if (name === 'approvePlan' && !inspectionPassed(state, 'problem_list')) {
    refuse('INSPECTION_PENDING', '问题清单尚待县委组织部督导把关，通过后方可审定整顿方案');
  }
  if (name === 'acceptCase') refuseUnscored(state);
}

/** After a township step the practice inspects: the step waits for the county (a record, a task, a deadline). */
export function applyPractice<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number, change: Change): void {
  const practice = state.practice;
  const step = SUBMITS[name];
  if (!practice || !step || !practice.inspectionSteps.includes(step)) return;
  const record = {
    id: nextId(state, 'in'),
    step,
    submittedAt: iso(nowMs),
    submittedBy: input.actor,
    dueOn: addDays(shanghaiDateOf(nowMs), practice.inspectionDays),
    status: 'pending' as const,
  };
  (state.inspections ??= []).push(record);
  Object.assign(change.payload, { inspection: { id: record.id, dueOn: record.dueOn } });
}

export { latestInspection };
