import { iso, nextId, oneOf, requireRole, requireStage, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { refuse } from '../rules';
import { stepAttachments } from '../rules/attachments';
import { CURE_TAGS, PROBLEM_REASON_CODES } from '../types';

/**
 * 问题清单 (seed 000 §四(二)): problems found with their root cause and evidence, the list confirmed by
 * the township Party secretary, each problem closed off (销号) with evidence of its fix.
 */

export const addProblem: CommandDef<'addProblem'> = {
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
};

export const confirmProblemList: CommandDef<'confirmProblemList'> = {
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
};

export const closeProblem: CommandDef<'closeProblem'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.closeProblem);
    requireStage(state, ['rectifying']);
    if (!state.problemListConfirmedAt) refuse('PROBLEM_LIST_NOT_CONFIRMED');
    const problem = state.problems.find((p) => p.id === input.problemId);
    if (!problem) refuse('PROBLEM_NOT_FOUND', String(input.problemId));
    if (problem.status === 'closed') refuse('PROBLEM_ALREADY_CLOSED', problem.description);
    if (typeof input.fixEvidence !== 'string' || !input.fixEvidence.trim()) refuse('PROBLEM_CLOSE_NEEDS_EVIDENCE', problem.description);
    text(input.fixEvidence, 'fixEvidence', '整改佐证');
    stepAttachments(state, input.attachmentIds, 'problem_close');
  },
  apply(state, input, nowMs) {
    const problem = state.problems.find((p) => p.id === input.problemId)!;
    problem.status = 'closed';
    problem.fixEvidence = input.fixEvidence.trim();
    problem.closedBy = input.actor;
    problem.closedAt = iso(nowMs);
    const attachmentIds = stepAttachments(state, input.attachmentIds, 'problem_close');
    return { action: 'problem.closed', payload: { problemId: problem.id, fixEvidence: problem.fixEvidence, ...(attachmentIds.length > 0 ? { attachmentIds } : {}) } };
  },
};
