import type { EntityManager } from 'typeorm';
import { ATTACHMENT_SUBJECT_LABELS, type AttachmentSubjectKind } from '../../../../libs/domain';
import { AttachmentException } from './attachment.exception';

/**
 * The attachments a 销号 or an acceptance names must be that step's evidence on this case: attachments
 * of the case, not removed, of the step's record (the problem closed, the acceptance) — 422 naming the
 * others. The workflow then decides whether the policy needed one; an id the API let through is real.
 */
export async function verifyStepAttachments(
  manager: EntityManager,
  caseId: string,
  subjectKind: AttachmentSubjectKind,
  subjectKey: string,
  ids: readonly string[] | undefined,
): Promise<void> {
  if (!ids || ids.length === 0) return;
  const rows: { id: string }[] = await manager.query(
    `SELECT id FROM attachment WHERE id = ANY($1::uuid[]) AND case_id = $2 AND subject_kind = $3 AND subject_key = $4 AND removed_at IS NULL`,
    [ids, caseId, subjectKind, subjectKey],
  );
  const found = new Set(rows.map((r) => r.id));
  const others = ids.filter((id) => !found.has(id));
  if (others.length > 0) throw AttachmentException.notOfStep(others, ATTACHMENT_SUBJECT_LABELS[subjectKind]);
}
