import { allHandlersFinished, condition, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  applyRatingClock,
  applyRatingCommand,
  needsDesignation,
  newStarRatingState,
  nextRatingWakeUp,
  RATING_COMMAND_NAMES,
  RATING_RULES,
  ratingIsOver,
  ratingStartedEvent,
  RatingRuleViolation,
  recordConsequence,
  validateRatingCommand,
  type RatingAuditEvent,
  type RatingCommandInputs,
  type RatingRuleCode,
  type StarRatingState,
} from '../libs/domain/star-rating';
import { getStarRatingQuery, ratingUpdates, type EvaluateStarRatingWorkflow } from '../libs/contracts/evaluate-star-rating';
import { exclusiveLock, registerCommandHandlers } from './shared/command-handlers';

const { projectStarRating, designateOneStarOrganization } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * Issue 17, a bounded state: the rating's count limits (libs/domain/star-rating/limits.ts) are checked
 * again under the updates' lock; histories recorded before them replay without the check.
 */
export const RATING_BOUNDED_STATE_PATCH = 'bounded-state-v1';

/**
 * A command handed to the workflow with its start (Update-with-Start, or sent while the workers were down) waits
 * until the rating's start is projected: it used to go first, and the trail had the application before the
 * rating was started. Histories recorded before replay without the wait.
 */
export const RATING_START_FIRST_PATCH = 'rating-start-first-v1';

/**
 * One organization's star rating of a year (星级评定, seed 000 §三): 申报 → 考核 → 公示 (paused by an
 * objection until it is resolved) → 命名, then in force through the next year, when the county may
 * downgrade it. A one-star grade designates the organization into the next batch and starts its case
 * (with the secretary's adjustment when the year before was one star too).
 */
export const evaluateStarRating: EvaluateStarRatingWorkflow = async function evaluateStarRating(input) {
  const state = newStarRatingState(input.start);
  /** The rating's start is projected: commands may go (RATING_START_FIRST_PATCH). */
  let startProjected = !patched(RATING_START_FIRST_PATCH);

  const lock = exclusiveLock();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => lock.run(fn);

  /** Writes the change, then carries out a one-star grade's consequence (once). */
  async function project(events: RatingAuditEvent[]): Promise<void> {
    await projectStarRating(state, events);
    if (needsDesignation(state)) {
      const consequence = await designateOneStarOrganization({
        ratingId: state.ratingId,
        organizationId: state.organizationId,
        year: state.year,
        stars: 1,
        score: state.evaluation?.score ?? null,
        downgraded: state.downgrades.length > 0,
      });
      await projectStarRating(state, recordConsequence(state, consequence));
    }
  }

  setHandler(getStarRatingQuery, () => state);

  registerCommandHandlers<StarRatingState, RatingCommandInputs, RatingRuleCode>({
    names: RATING_COMMAND_NAMES,
    updates: ratingUpdates,
    rules: { catalogue: RATING_RULES, violation: RatingRuleViolation },
    lock,
    ready: () => startProjected,
    validate: (name, command) => validateRatingCommand(state, name, command, Date.now()),
    run: async (name, command) => {
      const events = applyRatingCommand(state, name, command, Date.now(), { limits: patched(RATING_BOUNDED_STATE_PATCH) });
      await project(events);
      return state;
    },
  });

  await exclusive(() => project([ratingStartedEvent(state)]));
  startProjected = true;

  while (!ratingIsOver(state, Date.now())) {
    const seenVersion = state.version;
    const wake = nextRatingWakeUp(state);
    if (wake === undefined) await condition(() => state.version !== seenVersion);
    else if (wake > Date.now()) await condition(() => state.version !== seenVersion, wake - Date.now());
    await exclusive(async () => {
      const events = applyRatingClock(state, Date.now());
      if (events.length) await project(events);
    });
  }
  await condition(allHandlersFinished);
  return state;
};
