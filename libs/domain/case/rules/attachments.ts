import { ATTACHMENT_REQUIREMENT_LABELS, attachmentSettings, type AttachmentRequirement } from '../../policy';
import { refuse } from '../rules';
import type { CaseState } from '../types';

/** Attachments one 销号 or acceptance may name. */
export const ATTACHMENT_IDS_MAX = 20;

/**
 * The attachments a 销号 or an acceptance names (issue 20): a list of ids (the API has checked each
 * is the case's, not removed, of the step's kind); at least one when the case's policy requires it
 * for the step. Cases designated before the policy said so carry none of it and are not asked.
 */
export function stepAttachments(state: CaseState, value: unknown, step: AttachmentRequirement): string[] {
  if (value !== undefined && value !== null && (!Array.isArray(value) || value.length > ATTACHMENT_IDS_MAX || !value.every((v) => typeof v === 'string' && v.length > 0 && v.length <= 100)))
    refuse('INVALID_INPUT', `附件（attachmentIds）须为不超过${ATTACHMENT_IDS_MAX}个附件编号的列表`, { field: 'attachmentIds' });
  const ids = [...new Set((value ?? []) as string[])];
  if (ids.length === 0 && attachmentSettings(state.policy).requiredFor.includes(step))
    refuse('ATTACHMENT_REQUIRED', `${ATTACHMENT_REQUIREMENT_LABELS[step]}须至少附一个附件（attachmentIds）`, { field: 'attachmentIds', step });
  return ids;
}
