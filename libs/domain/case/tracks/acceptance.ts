import { addCalendarMonths, shanghaiDateOf } from '../../shanghai-time';
import { unmetAcceptanceConditions } from '../acceptance';
import { iso, requireRole, requireStage, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { moveTo } from '../events';
import { refuse } from '../rules';
import { stepAttachments } from '../rules/attachments';
import type { CaseState } from '../types';

/**
 * Closing (DOMAIN.md): the township asks for acceptance, the county organization department accepts
 * (验收销号) only when every condition is met or refuses with a reason, and the follow-up review (回头看)
 * closes the case or reopens it on a relapse.
 */

export const requestAcceptance: CommandDef<'requestAcceptance'> = {
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
};

export const acceptCase: CommandDef<'acceptCase'> = {
  validate(state, input, nowMs) {
    if (input.actor?.role !== 'county_org_admin') refuse('ACCEPTANCE_BY_COUNTY', `操作角色为 ${input.actor?.role}`);
    requireRole(input.actor, COMMAND_ROLES.acceptCase);
    requireStage(state, ['rectifying', 'awaiting_acceptance']);
    text(input.opinion, 'opinion', '验收意见');
    stepAttachments(state, input.attachmentIds, 'acceptance');
    refuseIfUnmet(state, nowMs);
  },
  apply(state, input, nowMs) {
    state.acceptedAt = iso(nowMs);
    state.acceptedBy = input.actor;
    state.acceptanceOpinion = input.opinion.trim();
    moveTo(state, 'converted', input.actor, nowMs, `验收销号：${input.opinion.trim()}`);
    state.followUp = { dueOn: addCalendarMonths(shanghaiDateOf(nowMs), state.policy.followUpDelayMonths) };
    const attachmentIds = stepAttachments(state, input.attachmentIds, 'acceptance');
    return { action: 'case.accepted', payload: { opinion: input.opinion.trim(), followUpDueOn: state.followUp.dueOn, ...(attachmentIds.length > 0 ? { attachmentIds } : {}) } };
  },
};

export const refuseAcceptance: CommandDef<'refuseAcceptance'> = {
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
};

export const recordFollowUp: CommandDef<'recordFollowUp'> = {
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
};

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
