/**
 * The yearly star rating of one organization as a process (seed 000 §三(二)): application after
 * self-check (申报) → evaluation with a score (考核; by the township, by the county for four and five
 * stars) → public notice of at least N days (公示; an objection pauses it until resolved) → naming
 * (命名). Named, the rating holds through the next year, and the county may downgrade it when its
 * conditions fail (动态管理). Built on the process kit (../process), as the case is.
 */
export * from './score';
export * from './stages';
export { MIN_REASON_LENGTH, RATING_RULES, RatingRuleViolation, type RatingRuleCode } from './rules';
export * from './state';
export * from './commands';
export { validateRatingCommand, applyRatingCommand } from './machine';
export * from './clock';
export * from './limits';
