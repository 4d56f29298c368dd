import { CASE_STAGE_LABELS, type CaseStage } from '../../case-stage';
import { DESIGNATION_REASON_LABELS } from '../../designation';
import { iso, requireRole, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { moveTo } from '../events';
import { refuse, REMOVAL_REASON_MIN_LENGTH } from '../rules';

/**
 * 移出整顿名单 (DOMAIN.md "No hiding"; seed 000 §三): only the county organization department, with a
 * written reason, only while the case is on the list, and never an organization rated one star.
 */

/** Stages in which a case is on the list (整顿名单) and may be taken off it: designated until accepted. */
const ON_LIST: CaseStage[] = ['designated', 'rectifying', 'awaiting_acceptance'];

export const removeFromList: CommandDef<'removeFromList'> = {
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
};
