import { laterRuleSettings } from '../../policy';
import { compareDates, shanghaiDateOf, type LocalDate } from '../../shanghai-time';
import { date, MAX_TEXT } from '../checks';
import { refuse } from '../rules';
import type { CaseState } from '../types';

/**
 * The weak spots of issue 16: evidence of substance, the first secretary as a stop-gap with an end
 * date and a local successor to grow, and the practical things and the training as conditions of
 * acceptance with their evidence.
 */

const ATTACHMENT_REF_MAX = 200;

/** 销号 evidence: at least the policy's characters, or an attachment reference. */
export function checkFixEvidence(state: CaseState, fixEvidence: unknown, attachmentRef: unknown): void {
  if (attachmentRef !== undefined && attachmentRef !== null) {
    if (typeof attachmentRef !== 'string' || attachmentRef.length > ATTACHMENT_REF_MAX)
      refuse('INVALID_INPUT', `附件编号（attachmentRef）须为不超过${ATTACHMENT_REF_MAX}字的文字`, { field: 'attachmentRef' });
    if (attachmentRef.trim()) return;
  }
  const min = laterRuleSettings(state.policy).evidenceMinLength;
  const length = typeof fixEvidence === 'string' ? fixEvidence.trim().length : 0;
  if (length < min) refuse('EVIDENCE_OF_SUBSTANCE', `整改佐证（fixEvidence）仅${length}个字，须不少于${min}字，或附附件编号（attachmentRef）`, { field: 'fixEvidence', minLength: min, length });
}

/** The evidence of a practical thing or a training: required text (or an attachment reference). */
export function checkRecordEvidence(evidence: unknown, what: string): string {
  if (typeof evidence !== 'string' || !evidence.trim()) refuse('RECORD_NEEDS_EVIDENCE', `${what}的佐证材料（evidence）未填写`, { field: 'evidence' });
  if (evidence.length > MAX_TEXT) refuse('INVALID_INPUT', `佐证材料（evidence）不能超过${MAX_TEXT}字`, { field: 'evidence' });
  return evidence.trim();
}

/** A first secretary is in place and no local successor yet: the township grows one (seed 001 §一(二)). */
export function awaitsLocalSuccessor(state: CaseState): boolean {
  return state.secretary.appointment?.source === 'first_secretary';
}

/** The first secretary's end date: required, and after the appointment. */
export function checkFirstSecretaryTerm(appointedOn: LocalDate, termEndsOn: unknown): LocalDate {
  if (termEndsOn === undefined || termEndsOn === null || termEndsOn === '') refuse('FIRST_SECRETARY_TERM_REQUIRED', '任期截止日期（termEndsOn）未填写', { field: 'termEndsOn' });
  const end = date(termEndsOn, 'termEndsOn', '任期截止日期');
  if (compareDates(end, appointedOn) <= 0) refuse('INVALID_INPUT', `任期截止日期（termEndsOn）${end} 须晚于任职日期 ${appointedOn}`, { field: 'termEndsOn' });
  return end;
}

/** The secretary condition under the later rules: a first secretary counts only until the posting ends. */
export function secretaryInPlace(state: CaseState, nowMs: number): { met: boolean; missing?: string } {
  const s = state.secretary;
  if (!s.required) return { met: true };
  if (!s.appointment) return { met: false, missing: '书记缺职或不称职，尚未选配合格书记' };
  if (s.appointment.source === 'first_secretary' && s.appointment.termEndsOn && compareDates(shanghaiDateOf(nowMs), s.appointment.termEndsOn) > 0)
    return { met: false, missing: `第一书记任期已于 ${s.appointment.termEndsOn} 届满，尚未从本村产生书记接任` };
  return { met: true };
}
