/** Chinese labels of the star rating (星级评定); the stage and grade names come from libs/domain. */
import { RATING_STAGES, RATING_STAGE_LABELS, STAR_LABELS, type RatingDisqualifiers, type RatingStage, type Stars } from '../../../libs/domain/star-rating';

export { RATING_STAGES, RATING_STAGE_LABELS, STAR_LABELS };

export const RATING_STAGE_TAG: Record<RatingStage, 'success' | 'warning' | 'danger' | 'info' | 'primary'> = {
  applying: 'info',
  evaluating: 'primary',
  public_notice: 'warning',
  objection: 'danger',
  named: 'success',
};

/** The conditions of seed 000 §三(一), numbered ①–④ in the form. */
export const DISQUALIFIER_LABELS: Record<keyof RatingDisqualifiers, string> = {
  seriousViolation: '党组织负责人或党员有严重违纪违法行为',
  poorPovertyAlleviation: '脱贫攻坚任务完成较差',
  dutiesUnfulfilledOrRankedLow: '未按要求履行工作职责或中心工作排名靠后',
  unliftedPoorVillage: '未脱贫的贫困村',
};

export const RATING_LEVEL_LABELS: Record<'county' | 'township', string> = { township: '乡镇考核', county: '县委组织部考核' };
/** Short form for table cells. */
export const RATING_LEVEL_SHORT: Record<'county' | 'township', string> = { township: '乡镇', county: '县' };

export const STAR_OPTIONS: { value: Stars; label: string }[] = ([1, 2, 3, 4, 5] as Stars[]).map((value) => ({ value, label: STAR_LABELS[value] }));

export const RATING_AUDIT_LABELS: Record<string, string> = {
  'star_rating.started': '启动星级评定',
  'star_rating.applied': '自查申报',
  'star_rating.evaluated': '考核评分，进入公示',
  'star_rating.objection_raised': '登记异议，公示暂停',
  'star_rating.objection_resolved': '处理异议',
  'star_rating.named': '公示期满，命名',
  'star_rating.designated': '一星级：认定为整顿对象',
  'star_rating.downgraded': '降级',
};

/** ★★★☆☆ for three stars. */
export function starGlyphs(stars: number | null | undefined): string {
  const n = Math.max(0, Math.min(5, Number(stars) || 0));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}

/** A span of time as days, hours and minutes (公示剩余时间). */
export function durationText(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return `${d}天${h ? `${h}小时` : ''}`;
  if (h) return `${h}小时${m ? `${m}分钟` : ''}`;
  return `${m}分钟`;
}
