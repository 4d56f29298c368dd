import { iso } from '../process';
import { SYSTEM_ACTOR } from '../roles';
import { ratingEvent, type RatingAuditEvent, type RatingConsequence, type StarRatingState } from './state';

/**
 * The rating's clock and consequences: 公示 runs out and the rating is named (命名); a one-star grade
 * designates the organization into the next batch; the rating holds through the next year.
 */

/** The notice has run its days with no objection open: the rating is named (命名) by its grade. */
export function applyRatingClock(state: StarRatingState, nowMs: number): RatingAuditEvent[] {
  if (state.stage !== 'public_notice' || !state.notice || nowMs < state.notice.endsAtMs || !state.evaluation) return [];
  state.stage = 'named';
  state.namedAt = iso(nowMs);
  state.stars = state.evaluation.stars;
  state.version++;
  return [ratingEvent(state, SYSTEM_ACTOR, 'star_rating.named', iso(nowMs), { stars: state.stars, score: state.evaluation.score, noticeStartedAt: state.notice.startedAt })];
}

/** The next moment the rating's clock must look: the notice's end, or a named rating's end of validity. */
export function nextRatingWakeUp(state: StarRatingState): number | undefined {
  if (state.stage === 'public_notice' && state.notice) return state.notice.endsAtMs;
  if (state.stage === 'named') return state.validUntilMs;
  return undefined;
}

/** A one-star grade in force calls for a case in the next batch, unless one was already started for it. */
export function needsDesignation(state: StarRatingState): boolean {
  return state.stage === 'named' && state.stars === 1 && !state.consequences.some((c) => c.stars === 1);
}

export function recordConsequence(state: StarRatingState, consequence: RatingConsequence): RatingAuditEvent[] {
  state.consequences.push(consequence);
  state.version++;
  return [
    ratingEvent(state, SYSTEM_ACTOR, 'star_rating.designated', consequence.at, {
      stars: consequence.stars,
      batchYear: state.year + 1,
      caseId: consequence.designatedCaseId,
      caseExisted: consequence.caseExisted,
      previousYearStars: consequence.previousYearStars,
      secretaryAdjustment: consequence.secretaryAdjustment,
    }),
  ];
}

/** The case a one-star grade designates: the next year's batch. */
export function designationBatchYear(state: Pick<StarRatingState, 'year'>): number {
  return state.year + 1;
}

export function ratingIsOver(state: StarRatingState, nowMs: number): boolean {
  return state.stage === 'named' && nowMs >= state.validUntilMs;
}
