/**
 * The yearly star rating of every branch (星级评定, seed 000 §三): a score out of 100 over the "six
 * basics", mapped to 1–5 stars, with conditions that bar the top grades. One star designates the
 * organization for rectification; one star two years running adjusts its secretary.
 */
export type Stars = 1 | 2 | 3 | 4 | 5;

/** Lower bounds (inclusive) of each grade: ≥95 five; 90–<95 four; 80–<90 three; 60–<80 two; <60 one. */
export const STAR_THRESHOLDS: readonly { stars: Stars; minScore: number }[] = [
  { stars: 5, minScore: 95 },
  { stars: 4, minScore: 90 },
  { stars: 3, minScore: 80 },
  { stars: 2, minScore: 60 },
  { stars: 1, minScore: 0 },
];

/** The conditions of seed 000 §三(一) that bar four and five stars (and, for a poor village, five). */
export interface RatingDisqualifiers {
  /** ① 党组织负责人或党员有严重违纪违法行为 */
  seriousViolation: boolean;
  /** ② 脱贫攻坚任务完成较差 */
  poorPovertyAlleviation: boolean;
  /** ③ 未按要求履行工作职责，承担的中心工作任务未完成，或在全县排名靠后 */
  dutiesUnfulfilledOrRankedLow: boolean;
  /** ④ 未脱贫的贫困村党组织原则上不能评定为"五星级" */
  unliftedPoorVillage: boolean;
}

export const NO_DISQUALIFIERS: RatingDisqualifiers = {
  seriousViolation: false,
  poorPovertyAlleviation: false,
  dutiesUnfulfilledOrRankedLow: false,
  unliftedPoorVillage: false,
};

const DISQUALIFIER_LABELS: Record<keyof RatingDisqualifiers, string> = {
  seriousViolation: '党组织负责人或党员有严重违纪违法行为',
  poorPovertyAlleviation: '脱贫攻坚任务完成较差',
  dutiesUnfulfilledOrRankedLow: '未按要求履行工作职责或中心工作排名靠后',
  unliftedPoorVillage: '未脱贫的贫困村不能评定为五星级',
};

export function isValidScore(score: unknown): score is number {
  return typeof score === 'number' && Number.isFinite(score) && score >= 0 && score <= 100;
}

/** Stars from the score alone. */
export function starsForScore(score: number): Stars {
  if (!isValidScore(score)) throw new RangeError(`score must be between 0 and 100, got ${String(score)}`);
  return STAR_THRESHOLDS.find((t) => score >= t.minScore)!.stars;
}

export interface StarRatingResult {
  /** The grade awarded. */
  stars: Stars;
  /** The grade the score alone would give. */
  scoreStars: Stars;
  /** Why the grade is lower than the score's, in Chinese. */
  cappedBy: string[];
  /** Four and five stars are evaluated by the county, the rest by the township (seed 000 §三(二)). */
  evaluatedBy: 'county' | 'township';
}

/**
 * The grade: the score's stars, capped below four by any of ①–③, and below five for a poor village
 * not yet lifted out of poverty (④).
 */
export function rateOrganization(score: number, disqualifiers: RatingDisqualifiers = NO_DISQUALIFIERS): StarRatingResult {
  const scoreStars = starsForScore(score);
  let stars: Stars = scoreStars;
  const cappedBy: string[] = [];
  const barredFromTop = (['seriousViolation', 'poorPovertyAlleviation', 'dutiesUnfulfilledOrRankedLow'] as const).filter((k) => disqualifiers[k]);
  if (barredFromTop.length && stars > 3) {
    stars = 3;
    cappedBy.push(...barredFromTop.map((k) => DISQUALIFIER_LABELS[k]));
  }
  if (disqualifiers.unliftedPoorVillage && stars > 4) {
    stars = 4;
    cappedBy.push(DISQUALIFIER_LABELS.unliftedPoorVillage);
  }
  return { stars, scoreStars, cappedBy, evaluatedBy: scoreStars >= 4 ? 'county' : 'township' };
}

/** One star designates the organization into the next batch (seed 000 §三(四)). */
export function designatesForRectification(stars: Stars): boolean {
  return stars === 1;
}

/** One star two years running: the secretary is adjusted (连续两年一星级，对党组织书记进行组织调整). */
export function requiresSecretaryAdjustment(thisYear: Stars, lastYear: Stars | undefined): boolean {
  return thisYear === 1 && lastYear === 1;
}
