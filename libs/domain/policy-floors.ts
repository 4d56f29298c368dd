import { CONSULTATION_KINDS, CONSULTATION_KIND_LABELS, MIN_PUBLIC_NOTICE_DAYS, type RectificationPolicy } from './policy';

// Beside the seed floors, the order a county keeps against its province's or city's template (issue 17).
export * from './policy-template-order';

/**
 * The numbers the seeds themselves fix (DOMAIN.md: "it is a floor: a county may tighten it, never
 * loosen it"). Each floor names its rule in Chinese and the seed section it comes from, so a refused
 * policy tells the county exactly which line of the playbook it tried to waive.
 */
export interface SeedFloor {
  /** The policy field (English field term). */
  field: keyof RectificationPolicy;
  /** The rule, in Chinese, as the refusal names it. */
  zh: string;
  source: string;
  /** True when the policy keeps the floor (equal or stricter). */
  kept(p: RectificationPolicy): boolean;
}

/** The county party secretary personally takes exactly one case a batch (县委书记带头挂点联系1个). */
export const COUNTY_SECRETARY_CASES_PER_BATCH = 1;

export const SEED_FLOORS: SeedFloor[] = [
  { field: 'teamMinSize', zh: '整建队伍不少于3人', source: 'seed 000 §四(二)', kept: (p) => p.teamMinSize >= 3 },
  {
    field: 'teamLeaderRanks',
    zh: '整建队伍由科级干部担任队长（队长职级不得低于科级）',
    source: 'seed 000 §四(二)',
    kept: (p) => Array.isArray(p.teamLeaderRanks) && p.teamLeaderRanks.every((r) => r === 'section' || r === 'county'),
  },
  { field: 'visitsPerQuarter', zh: '联系领导调研指导每季度不少于1次', source: 'seed 000 §四(一)', kept: (p) => p.visitsPerQuarter >= 1 },
  { field: 'practicalThingsExpected', zh: '联系领导办理1—2件群众认可的实事好事（不少于1件）', source: 'seed 000 §四(一)', kept: (p) => p.practicalThingsExpected >= 1 },
  { field: 'minCollectiveProjects', zh: '整顿结束时至少发展一个集体经济项目', source: 'seed 000 §四(四)', kept: (p) => p.minCollectiveProjects >= 1 },
  {
    field: 'requiredConsultations',
    zh: `整顿方案须经${CONSULTATION_KINDS.map((k) => CONSULTATION_KIND_LABELS[k]).join('、')}征求意见`,
    source: 'seed 000 §四(二)',
    kept: (p) => Array.isArray(p.requiredConsultations) && CONSULTATION_KINDS.every((k) => p.requiredConsultations.includes(k)),
  },
  {
    field: 'countyPartySecretaryMaxCases',
    zh: `县委书记每批次带头挂点联系${COUNTY_SECRETARY_CASES_PER_BATCH}个整顿对象`,
    source: 'seed 000 §四(一)',
    kept: (p) => p.countyPartySecretaryMaxCases === COUNTY_SECRETARY_CASES_PER_BATCH,
  },
  { field: 'secretaryDeadlineMonths', zh: '书记缺职或不称职的，整建队伍进驻后3个月内产生合适人选', source: 'seed 000 §四(三)', kept: (p) => p.secretaryDeadlineMonths <= 3 },
  {
    field: 'secretaryRequiredForReasons',
    zh: '书记缺职（C1）或不胜任（C2）的须选配合格书记',
    source: 'seed 000 §四(三); seed 001 §一(二)',
    kept: (p) => Array.isArray(p.secretaryRequiredForReasons) && p.secretaryRequiredForReasons.includes('C1') && p.secretaryRequiredForReasons.includes('C2'),
  },
  {
    field: 'publicNoticeDays',
    zh: `星级评定公示不少于${MIN_PUBLIC_NOTICE_DAYS}天`,
    source: 'seed 000 §三(二)',
    kept: (p) => p.publicNoticeDays === undefined || p.publicNoticeDays >= MIN_PUBLIC_NOTICE_DAYS,
  },
];

/** The floors a policy loosens, each as "rule（seed section）"; empty when it keeps them all. */
export function policyFloorViolations(p: RectificationPolicy): { field: string; zh: string; source: string; message: string }[] {
  return SEED_FLOORS.filter((f) => !f.kept(p)).map((f) => ({ field: f.field, zh: f.zh, source: f.source, message: `${f.zh}（${f.source}）` }));
}
