/**
 * Why an organization is designated a weak org (软弱涣散党组织) for a year's batch.
 * Seed 001 §一(一) lists C1–C6; seed 000 §三 makes a one-star rating (S1) an automatic designation.
 */
export const DESIGNATION_REASONS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'S1'] as const;
export type DesignationReason = (typeof DESIGNATION_REASONS)[number];

export const DESIGNATION_REASON_LABELS: Record<DesignationReason, string> = {
  C1: '班子配备不齐、书记长期缺职、工作处于停滞状态',
  C2: '书记不胜任现职、工作不在状态',
  C3: '班子不团结、内耗严重',
  C4: '组织制度形同虚设、不开展党组织活动',
  C5: '无村级组织活动场所或固定社区办公服务设施',
  C6: '服务意识差、服务能力弱、群众意见大',
  S1: '星级评定为一星级',
};

/**
 * The reasons the county organization department designates for by hand (seed 001 §一(一)). S1 is
 * not among them: an org rated one star is designated automatically from the star rating (seed 000 §三).
 */
export const MANUAL_DESIGNATION_REASONS = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'] as const satisfies readonly DesignationReason[];

/** The fewest characters of written evidence (认定依据) a manual designation gives, spaces trimmed. */
export const DESIGNATION_EVIDENCE_MIN_LENGTH = 10;

export function isDesignationReason(value: unknown): value is DesignationReason {
  return typeof value === 'string' && (DESIGNATION_REASONS as readonly string[]).includes(value);
}

/** Earliest and latest batch years accepted; a batch is a calendar year of the county's programme. */
export const MIN_BATCH_YEAR = 2000;
export const MAX_BATCH_YEAR = 2100;

/**
 * One case per organization and batch year: the workflow id is derived from both, so a second
 * designation of the same pair collides in Temporal and is refused (409) without starting anything.
 */
export function caseIdFor(organizationId: string, batchYear: number): string {
  return `case-${batchYear}-${organizationId}`;
}
