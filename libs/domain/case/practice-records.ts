import type { InspectionStep } from '../practice';
import type { Actor } from '../roles';
import type { LocalDate } from '../shanghai-time';

/**
 * The records of issue 18 items 2–3 on a case: the county's inspection of key steps (督导把关) and the
 * scored acceptance (验收评分 and 群众满意度测评). Kept only on cases that captured a practice.
 */

export const INSPECTION_STATUSES = ['pending', 'passed', 'sent_back'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];
export const INSPECTION_STATUS_LABELS: Record<InspectionStatus, string> = { pending: '待督导把关', passed: '已通过', sent_back: '已退回' };

/** One submission of a step to the county, and its decision. */
export interface InspectionRecord {
  id: string;
  step: InspectionStep;
  submittedAt: string;
  submittedBy: Actor;
  /** The county's deadline for the decision (submission + policy days). */
  dueOn: LocalDate;
  status: InspectionStatus;
  decidedAt?: string;
  decidedBy?: Actor;
  /** 通过意见 (optional) or 退回理由 (required, written). */
  opinion?: string;
}

/** The satisfaction survey of the acceptance (群众满意度测评). */
export interface SatisfactionSurvey {
  asked: number;
  satisfied: number;
  dissatisfied: number;
}

/** One filling of the acceptance form by the county's acceptance team, for one acceptance request. */
export interface AcceptanceScoring {
  id: string;
  scoredAt: string;
  scoredBy: Actor;
  /** The acceptance request it scores (acceptanceRequestedAt at the time). */
  forRequestAt: string;
  items: { code: string; score: number }[];
  areas: { code: string; name: string; score: number; max: number }[];
  total: number;
  max: number;
  passMark: number;
  survey: SatisfactionSurvey;
  /** Dissatisfied above the policy's share of those asked: failed whatever the score. */
  vetoed: boolean;
  passed: boolean;
  note?: string;
}

export interface ScoreAcceptanceInput {
  actor: Actor;
  items: { code: string; score: number }[];
  survey: SatisfactionSurvey;
  note?: string;
}

export interface PassInspectionInput {
  actor: Actor;
  inspectionId: string;
  opinion?: string;
}

export interface SendBackInspectionInput {
  actor: Actor;
  inspectionId: string;
  reason: string;
}
