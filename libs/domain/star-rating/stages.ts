import type { RatingDisqualifiers, Stars } from './score';

/**
 * The stages of a rating (seed 000 §三(二)): application after self-check (申报) → evaluation with a
 * score (考核) → public notice (公示; an objection pauses it) → naming (命名).
 */
export const RATING_STAGES = ['applying', 'evaluating', 'public_notice', 'objection', 'named'] as const;
export type RatingStage = (typeof RATING_STAGES)[number];

export const RATING_STAGE_LABELS: Record<RatingStage, string> = {
  applying: '待自查申报',
  evaluating: '待考核',
  public_notice: '公示中',
  objection: '公示暂停（异议处理中）',
  named: '已命名',
};

export const STAR_LABELS: Record<Stars, string> = { 1: '一星级', 2: '二星级', 3: '三星级', 4: '四星级', 5: '五星级' };

export const DISQUALIFIER_KEYS = ['seriousViolation', 'poorPovertyAlleviation', 'dutiesUnfulfilledOrRankedLow', 'unliftedPoorVillage'] as const satisfies readonly (keyof RatingDisqualifiers)[];

/** Earliest and latest rating years accepted. */
export const MIN_RATING_YEAR = 2000;
export const MAX_RATING_YEAR = 2100;

/** Four and five stars — applied for or scored — are the county's to evaluate. */
export function evaluationLevel(appliedStars: Stars | undefined, scoreStars: Stars): 'county' | 'township' {
  return Math.max(appliedStars ?? 1, scoreStars) >= 4 ? 'county' : 'township';
}
