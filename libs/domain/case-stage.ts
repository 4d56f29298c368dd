/** Stages of a rectification case (整顿案件), in lifecycle order. */
export const CASE_STAGES = [
  'designated',
  'rectifying',
  'awaiting_acceptance',
  'converted',
  'follow_up_review',
  'closed',
] as const;
export type CaseStage = (typeof CASE_STAGES)[number];

export const CASE_STAGE_LABELS: Record<CaseStage, string> = {
  designated: '已认定',
  rectifying: '整顿中',
  awaiting_acceptance: '待验收',
  converted: '已转化（销号）',
  follow_up_review: '回头看',
  closed: '已结案',
};
