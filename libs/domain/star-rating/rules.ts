import { ProcessRuleViolation, type RuleCatalogue } from '../process/rules';

/** The rules of the rating process, each with its wording and source; a refusal names one. */
export const RATING_RULES = {
  RATING_STAGE_DOES_NOT_ALLOW: { zh: '星级评定当前阶段不能进行此项操作', en: 'not allowed in the rating\'s current stage', source: 'seed 000 §三(二)' },
  RATING_ROLE_NOT_ALLOWED: { zh: '当前角色无权进行此项操作', en: 'the acting role may not do this', source: 'seed 000 §三(二)' },
  RATING_INVALID_INPUT: { zh: '输入有误', en: 'invalid input', source: '-' },
  RATING_FOUR_FIVE_STARS_BY_COUNTY: { zh: '四星级、五星级党组织由县委组织部考核', en: 'four and five stars are evaluated by the county organization department', source: 'seed 000 §三(二)' },
  RATING_OBJECTION_NOT_FOUND: { zh: '异议不存在', en: 'no such objection', source: '-' },
  RATING_OBJECTION_RESOLVED: { zh: '该异议已处理', en: 'the objection is already resolved', source: '-' },
  RATING_DOWNGRADE_MUST_LOWER: { zh: '降级后的星级须低于现有星级', en: 'a downgrade must lower the stars', source: 'seed 000 §三 动态管理' },
  RATING_REASON_REQUIRED: { zh: '须写明理由', en: 'a written reason is required', source: 'DOMAIN.md no hiding' },
  RATING_LIMIT_REACHED: { zh: '星级评定记录已达系统上限', en: 'the rating has reached a limit on its records', source: 'libs/domain/star-rating/limits.ts' },
} as const satisfies RuleCatalogue;
export type RatingRuleCode = keyof typeof RATING_RULES;

/** A step of the rating refused by one of its rules. */
export class RatingRuleViolation extends ProcessRuleViolation<RatingRuleCode> {
  constructor(rule: RatingRuleCode, detailZh?: string, details?: Record<string, unknown>) {
    super(RATING_RULES, rule, detailZh, details);
    this.name = 'RatingRuleViolation';
  }
}

export function refuse(rule: RatingRuleCode, detailZh?: string, details?: Record<string, unknown>): never {
  throw new RatingRuleViolation(rule, detailZh, details);
}

/** The shortest reason accepted where a reason must be written (a downgrade, an objection's resolution). */
export const MIN_REASON_LENGTH = 10;
