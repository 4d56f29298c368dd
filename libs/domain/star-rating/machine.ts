import { iso, processCommands, type ProcessCommandTable } from '../process';
import type { RatingCommandInputs, RatingCommandName } from './commands';
import { RATING_COUNT_LIMIT_LABELS, RATING_LIMITS, ratingCountsOf, type RatingCountLimit } from './limits';
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

/** Which collection each step adds to, where one is limited (./limits). */
const GROWS: Partial<Record<RatingCommandName, RatingCountLimit>> = { raiseObjection: 'objections' };

/**
 * Refuses (throws RatingRuleViolation) what a step may not do now. `limits: false` skips the rating's
 * engineering limits (./limits), for replaying histories recorded before them.
 */
export function validateRatingCommand<K extends RatingCommandName>(state: StarRatingState, name: K, input: RatingCommandInputs[K], nowMs: number, options: { limits?: boolean } = {}): void {
  RATING_COMMANDS.validate(state, name, input, nowMs);
  const grows = GROWS[name];
  if (grows && options.limits !== false) {
    const max = RATING_LIMITS.counts[grows];
    const count = ratingCountsOf(state)[grows];
    if (count >= max) refuse('RATING_LIMIT_REACHED', `${RATING_COUNT_LIMIT_LABELS[grows]}最多${max}条（${grows}），本次评定已有${count}条`, { limit: grows, max, count });
  }
}

export function applyRatingCommand<K extends RatingCommandName>(state: StarRatingState, name: K, input: RatingCommandInputs[K], nowMs: number, options: { limits?: boolean } = {}): RatingAuditEvent[] {
  validateRatingCommand(state, name, input, nowMs, options);
  const change = RATING_COMMANDS.apply(state, name, input, nowMs);
  state.version++;
  return [ratingEvent(state, input.actor, change.action, iso(nowMs), change.payload)];
}
