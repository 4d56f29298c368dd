import { RATING_STAGE_LABELS, STAR_LABELS, type Stars } from '../../../../libs/domain';
import type { StarRatingEntity } from '../../../../libs/persistence';
import { attachmentDisposition, buildWorkbook, excelDateTime, type SheetColumn } from '../exports/xlsx';

/** A rating as the list shows it, with its township's name (the page shows the name, not the id). */
export type RatingExportRow = Omit<StarRatingEntity, 'state'> & { townshipName: string };

const LEVEL: Record<'county' | 'township', string> = { township: '乡镇考核', county: '县委组织部考核' };
const score = (s: string | null) => (s === null ? null : Number(s));
const stars = (s: Stars | null) => (s ? STAR_LABELS[s] : '');

/** The star-rating list as shown (StarRatingsView's columns): the same rows, in the same order, in words. */
const COLUMNS: SheetColumn<RatingExportRow>[] = [
  { header: '乡镇（街道）', value: (r) => r.townshipName },
  { header: '组织名称', value: (r) => r.organizationName },
  { header: '评定阶段', value: (r) => RATING_STAGE_LABELS[r.stage] },
  { header: '自查得分', kind: 'number', value: (r) => score(r.selfScore) },
  { header: '申报星级', value: (r) => stars(r.appliedStars) },
  { header: '考核得分', kind: 'number', value: (r) => score(r.score) },
  { header: '评定星级', value: (r) => stars(r.stars) },
  { header: '备注', value: (r) => [r.scoreStars && r.scoreStars !== r.stars && !r.downgraded ? `按得分为${STAR_LABELS[r.scoreStars]}，因否决情形降档` : '', r.downgraded ? '已降级' : ''].filter(Boolean).join('；') },
  { header: '考核层级', value: (r) => (r.evaluationLevel ? LEVEL[r.evaluationLevel] : '') },
  { header: '公示截止', kind: 'datetime', value: (r) => (r.stage === 'public_notice' ? excelDateTime(r.noticeEndsAt) : null) },
  { header: '命名时间', kind: 'datetime', value: (r) => excelDateTime(r.namedAt) },
  { header: '待处理异议', kind: 'number', value: (r) => r.openObjections },
  { header: '认定为整顿对象', value: (r) => (r.designatedCaseId ? '是' : '') },
  { header: '书记调整', value: (r) => (r.secretaryAdjustment ? '须调整（连续两年一星级）' : '') },
];

export async function ratingWorkbook(year: number, rows: RatingExportRow[], nowMs = Date.now()): Promise<{ buffer: Buffer; disposition: string }> {
  const buffer = await buildWorkbook(`${year}年度星级评定`, COLUMNS, rows, nowMs);
  return { buffer, disposition: attachmentDisposition(`star-ratings-${year}.xlsx`, `${year}年度星级评定.xlsx`) };
}
