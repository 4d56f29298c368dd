import { iso, processCommands, type ProcessCommandTable } from '../process';
import type { RatingCommandInputs, RatingCommandName } from './commands';
import { refuse } from './rules';
import { ratingEvent, type RatingAuditEvent, type StarRatingState } from './state';
import { applyForRating } from './steps/application';
import { downgradeRating } from './steps/downgrade';
import { evaluateRating } from './steps/evaluation';
import { raiseObjection, resolveObjection } from './steps/objections';

/**
 * The star rating's state machine: its steps (./steps) in one table on the process kit (../process).
 * Pure and deterministic: the workflow runs it, unit tests exercise it.
 */
const COMMANDS: ProcessCommandTable<StarRatingState, RatingCommandInputs> = {
  applyForRating,
  evaluateRating,
  raiseObjection,
  resolveObjection,
  downgradeRating,
};

const RATING_COMMANDS = processCommands(COMMANDS, {
  unknownCommand: (name) => refuse('RATING_INVALID_INPUT', `未知操作 ${name}`),
  noInput: () => refuse('RATING_INVALID_INPUT', '请求内容为空'),
});

/** Refuses (throws RatingRuleViolation) what a step may not do now. */
export function validateRatingCommand<K extends RatingCommandName>(state: StarRatingState, name: K, input: RatingCommandInputs[K], nowMs: number): void {
  RATING_COMMANDS.validate(state, name, input, nowMs);
}

export function applyRatingCommand<K extends RatingCommandName>(state: StarRatingState, name: K, input: RatingCommandInputs[K], nowMs: number): RatingAuditEvent[] {
  validateRatingCommand(state, name, input, nowMs);
  const change = RATING_COMMANDS.apply(state, name, input, nowMs);
  state.version++;
  return [ratingEvent(state, input.actor, change.action, iso(nowMs), change.payload)];
}
