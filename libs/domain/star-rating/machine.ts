import { jsonBytes } from '../case/limits';
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
    // What would be written is measured, not estimated: the step applied to a copy.
    const candidate = JSON.parse(JSON.stringify(state)) as StarRatingState;
    RATING_COMMANDS.apply(candidate, name, JSON.parse(JSON.stringify(input)) as RatingCommandInputs[K], nowMs);
    const open = candidate.objections.filter((o) => !o.resolution).length;
    const size = jsonBytes(candidate) + open * RATING_LIMITS.resolutionReserveBytes + RATING_LIMITS.reevaluationReserveBytes;
    if (size > RATING_LIMITS.stateBytes)
      refuse('RATING_LIMIT_REACHED', `本次登记后评定记录（含处理${open}条待处理异议的余量）将达 ${Math.ceil(size / 1024)} kB，超过上限 ${RATING_LIMITS.stateBytes / 1024} kB（stateBytes）：请精简文字`, { limit: 'stateBytes', max: RATING_LIMITS.stateBytes, size });
  }
}

export function applyRatingCommand<K extends RatingCommandName>(state: StarRatingState, name: K, input: RatingCommandInputs[K], nowMs: number, options: { limits?: boolean } = {}): RatingAuditEvent[] {
  validateRatingCommand(state, name, input, nowMs, options);
  const change = RATING_COMMANDS.apply(state, name, input, nowMs);
  state.version++;
  return [ratingEvent(state, input.actor, change.action, iso(nowMs), change.payload)];
}
