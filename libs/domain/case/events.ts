import type { CaseStage } from '../case-stage';
import type { Actor } from '../roles';
import { iso } from './checks';
import type { CaseAuditEvent, CaseState } from './types';

/** A stage change of the case, kept in its history with who, when and why. */
export function moveTo(state: CaseState, to: CaseStage, actor: Actor, nowMs: number, reason: string): void {
  state.stageHistory.push({ from: state.stage, to, actor, at: iso(nowMs), reason });
  state.stage = to;
}

/** An audit event of the case, keyed so a retried projection writes it once. */
export function event(state: CaseState, actor: Actor, action: string, nowMs: number, payload: Record<string, unknown>): CaseAuditEvent {
  const seq = state.nextEventSeq++;
  return { key: `${state.caseId}:e${seq}`, caseId: state.caseId, actor, action, occurredAt: iso(nowMs), payload };
}
