import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy, type UpdateDefinition } from '@temporalio/common';
import type { RatingCommandInputs, RatingCommandName, RatingRuleCode, StarRatingStart, StarRatingState } from '../domain/star-rating';
import {
  EVALUATE_STAR_RATING_WORKFLOW_TYPE,
  getStarRatingQuery,
  ratingUpdates,
  starRatingWorkflowId,
  type EvaluateStarRatingWorkflow,
} from '../contracts/evaluate-star-rating';
import { CountyIdAttribute, TownshipIdAttribute } from '../contracts/search-attributes';
import { CommandRefusedError, executeCommand } from './execute-command';

/** Client-side helpers for the evaluateStarRating workflow: the only place the apps start, ask or update it. */
export class RatingAlreadyStartedError extends Error {
  constructor(readonly ratingId: string) {
    super(`star rating ${ratingId} already exists`);
  }
}

export class RatingNotRunningError extends Error {
  constructor(readonly ratingId: string) {
    super(`star rating ${ratingId} is not running`);
  }
}

/** A step the rating workflow refused, naming the rule it breaks. */
export class RatingRuleViolationError extends CommandRefusedError<RatingRuleCode> {
  override name = 'RatingRuleViolationError';
}

/** One rating per organization and year, ever: the workflow id says which. */
export async function startStarRating(client: Client, taskQueue: string, start: StarRatingStart): Promise<void> {
  try {
    await client.workflow.start<EvaluateStarRatingWorkflow>(EVALUATE_STAR_RATING_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: starRatingWorkflowId(start.ratingId),
      args: [{ start }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: CountyIdAttribute, value: start.organization.countyId },
        { key: TownshipIdAttribute, value: start.organization.townshipId },
      ],
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new RatingAlreadyStartedError(start.ratingId);
    throw err;
  }
}

export async function queryStarRating(client: Client, ratingId: string): Promise<StarRatingState | undefined> {
  try {
    return await client.workflow.getHandle(starRatingWorkflowId(ratingId)).query(getStarRatingQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Runs one step of the rating as a Workflow Update and answers with the new state. */
export async function executeRatingCommand<K extends RatingCommandName>(client: Client, ratingId: string, name: K, input: RatingCommandInputs[K]): Promise<StarRatingState> {
  const update = ratingUpdates[name] as unknown as UpdateDefinition<StarRatingState, [RatingCommandInputs[K]], K>;
  return executeCommand(client, starRatingWorkflowId(ratingId), update, [input], {
    refused: (r) => new RatingRuleViolationError(r.rule as RatingRuleCode, r.message, r.details),
    notRunning: () => new RatingNotRunningError(ratingId),
  });
}
