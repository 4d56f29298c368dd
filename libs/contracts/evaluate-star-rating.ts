import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { RATING_COMMAND_NAMES, type RatingCommandInputs, type RatingCommandName, type StarRatingStart, type StarRatingState } from '../domain/star-rating';

/**
 * The contract of the star-rating workflow (workflows/evaluate-star-rating.ts implements it): what the
 * API, the worker, the activities and the tests may know of it without loading its body.
 */
export const EVALUATE_STAR_RATING_WORKFLOW_TYPE = 'evaluateStarRating';

/** One workflow per organization and year, whose id is the rating's id. */
export function starRatingWorkflowId(ratingId: string): string {
  return ratingId;
}

export type EvaluateStarRatingInput = { start: StarRatingStart };

/** The workflow function's signature: it ends with the rating's final state. */
export type EvaluateStarRatingWorkflow = (input: EvaluateStarRatingInput) => Promise<StarRatingState>;

/** The whole rating state, for the API and the UI. */
export const getStarRatingQuery = defineQuery<StarRatingState>('getStarRating');

/** One Workflow Update per step of the rating; each answers with the new state. */
export const ratingUpdates = Object.fromEntries(RATING_COMMAND_NAMES.map((name) => [name, defineUpdate(name)])) as {
  [K in RatingCommandName]: UpdateDefinition<StarRatingState, [RatingCommandInputs[K]], K>;
};
