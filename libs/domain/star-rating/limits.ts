import type { StarRatingState } from './state';

/**
 * Engineering limits of one rating — not county policy, and not numbers of the seeds: they keep the
 * rating's state, and so every payload its workflow hands Temporal (the projection's input, the query's
 * answer), bounded. The workflow never continues as new, so without them a rating would grow for as
 * long as objections kept being recorded.
 *
 * Objections: a rating has one public notice of at least five days (公示, seed 000 §三(二)), noticed
 * again in full only after an upheld objection; staff record each objection raised during it. Twenty
 * is several times what one notice of a branch draws, and each may hold 2,000 characters. It bounds the
 * set-aside evaluations too: only an upheld objection sets one aside (the others open then are
 * settled with it), so there are never more of them than objections.
 */
export const RATING_LIMITS = {
  counts: {
    objections: 20,
  },
  /**
   * The whole state as JSON (UTF-8 bytes): an objection is refused when the state after it, with room
   * to settle what is open — a resolution of every open objection (`resolutionReserveBytes` each) and
   * one new evaluation (`reevaluationReserveBytes`: an upheld objection settles the others open with
   * it), all at their longest texts — would pass `stateBytes`. So long texts stop objections before
   * the count does, and the rating can always be settled and named. Under 256 kB, as a case.
   */
  stateBytes: 192 * 1024,
  resolutionReserveBytes: 7 * 1024,
  reevaluationReserveBytes: 7 * 1024,
} as const;

export type RatingCountLimit = keyof typeof RATING_LIMITS.counts;

/** What each count is, in Chinese, for the refusal's message. */
export const RATING_COUNT_LIMIT_LABELS: Record<RatingCountLimit, string> = {
  objections: '公示期间的异议',
};

/** How many records of a limited collection the rating holds now. */
export function ratingCountsOf(state: StarRatingState): Record<RatingCountLimit, number> {
  return { objections: state.objections.length };
}
