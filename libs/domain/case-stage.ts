/**
 * Stages of a rectification case (整顿案件), in lifecycle order. `removed` (移出整顿名单) is the other
 * way a case ends: the county organization department took the organization off the list with a
 * written reason (DOMAIN.md "No hiding"); it is neither converted nor in progress.
 */
export const CASE_STAGES = [
  'designated',
  'rectifying',
  'awaiting_acceptance',
  'converted',
  'follow_up_review',
  'closed',
  'removed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const CASE_STAGE_LABELS: Record<CaseStage, string> = {
  designated: '已认定',
  rectifying: '整顿中',
  awaiting_acceptance: '待验收',
  converted: '已转化',
  follow_up_review: '回头看',
  closed: '已结案',
  removed: '移出名单',
};
