import type { OrganizationDomain } from './organization';
import { ORGANIZATION_DOMAINS } from './organization';

/**
 * The practice around the playbook (issue 18 items 1–3): what the sixth track is for each kind of
 * organization, which steps the county organization department inspects (关键环节督导把关), and the
 * acceptance form with its satisfaction veto. A county sets them in its policy; the defaults below
 * follow the seeds and apply where the policy is silent: every case designated under them waits for the
 * county at the three key steps and is accepted on a passing form. A case captures its practice at
 * designation and keeps it (CasePractice): cases designated before inspection and the form became the
 * default keep none.
 */

/** The conditions a playbook may ask for at acceptance (codes of case/acceptance.ts). */
export const PLAYBOOK_CONDITION_CODES = [
  'CONTACT_LEADER_ASSIGNED',
  'QUARTERLY_VISITS',
  'TEAM_ATTACHED',
  'PROBLEM_LIST_CONFIRMED',
  'PROBLEMS_ALL_CLOSED',
  'PLAN_APPROVED',
  'MEASURES_ALL_DONE',
  'SECRETARY_IN_PLACE',
  'COLLECTIVE_PROJECT',
  'PLAYBOOK_PROJECT',
  'PRACTICAL_THINGS',
  'SECRETARY_TRAINING',
] as const;
export type PlaybookConditionCode = (typeof PLAYBOOK_CONDITION_CODES)[number];

/** One kind's playbook: its sixth track and the acceptance conditions that apply. */
export interface Playbook {
  /** 第六项（一个项目）: 村集体经济项目 for villages, a service or 党建引领 project for the others. */
  sixthTrack: string;
  /** Projects of the sixth track required before acceptance. */
  minProjects: number;
  conditions: PlaybookConditionCode[];
}

/** Steps that may need the county's sign-off before they count (seed 001 §一(四)). */
export const INSPECTION_STEPS = ['problem_list', 'plan', 'acceptance_request'] as const;
export type InspectionStep = (typeof INSPECTION_STEPS)[number];
export const INSPECTION_STEP_LABELS: Record<InspectionStep, string> = {
  problem_list: '问题清单',
  plan: '整顿方案',
  acceptance_request: '验收申请',
};

/** 验收评分表: areas of weighted items, each item scored 0..max; the total passes at the pass mark. */
export interface AcceptanceForm {
  areas: { code: string; name: string; items: { code: string; name: string; max: number }[] }[];
  passMark: number;
  /** 满意度一票否决: failed when dissatisfied / asked is above this share (default one half). */
  vetoDissatisfiedShare: number;
}

export interface PracticePolicy {
  /** Per organization domain; a domain left out takes the default playbook. */
  playbooks?: Partial<Record<OrganizationDomain, Playbook>>;
  /**
   * Steps the county signs off. Absent: DEFAULT_INSPECTION_STEPS (all three). Seed 001 §一(四) asks for
   * 关键环节督导把关, so a county chooses which steps, never none (an empty list is refused).
   */
  inspectionSteps?: InspectionStep[];
  /** Days the county has to pass or send back a step before the ladder starts (default 10). */
  inspectionDays?: number;
  /** The fewest characters of a sending back's written reason (default 10). */
  sendBackReasonMinLength?: number;
  /** Scored acceptance. Absent: DEFAULT_ACCEPTANCE_FORM. A county may replace the form, not remove it (null is refused). */
  acceptanceForm?: AcceptanceForm;
}

const COMMON: PlaybookConditionCode[] = [
  'CONTACT_LEADER_ASSIGNED',
  'QUARTERLY_VISITS',
  'TEAM_ATTACHED',
  'PROBLEM_LIST_CONFIRMED',
  'PROBLEMS_ALL_CLOSED',
  'PLAN_APPROVED',
  'MEASURES_ALL_DONE',
  'SECRETARY_IN_PLACE',
  'PRACTICAL_THINGS',
  'SECRETARY_TRAINING',
];

const other = (sixthTrack: string): Playbook => ({ sixthTrack, minProjects: 1, conditions: [...COMMON, 'PLAYBOOK_PROJECT'] });

/**
 * Seed 001 §一(三): 农村 — 把集体富起来 (the collective-economy project); 社区 — 服务设施; 中小学校 —
 * “四个认同”教育课堂化; 非公企业和社会组织 — 党建指导员、联络员; the others a 党建引领 project.
 */
export const DEFAULT_PLAYBOOKS: Record<OrganizationDomain, Playbook> = {
  village: { sixthTrack: '村集体经济项目', minProjects: 1, conditions: [...COMMON, 'COLLECTIVE_PROJECT'] },
  community: other('社区服务设施项目'),
  agency: other('党建引领服务项目'),
  soe: other('党建引领服务项目'),
  private_firm: other('党建指导员（联络员）指导项目'),
  social_org: other('党建指导员（联络员）指导项目'),
  school: other('“四个认同”教育课堂化项目'),
};

export const DEFAULT_INSPECTION_STEPS: InspectionStep[] = ['problem_list', 'plan', 'acceptance_request'];

const area = (code: string, name: string, items: [string, number][]) => ({
  code,
  name,
  items: items.map(([itemName, max], i) => ({ code: `${code}${i + 1}`, name: itemName, max })),
});

/** Six areas (the 六个基本, seed 000 §三) of four items, 100 points, pass at 70. */
export const DEFAULT_ACCEPTANCE_FORM: AcceptanceForm = {
  areas: [
    area('A', '基本组织', [['班子配备齐全', 5], ['书记胜任履职', 5], ['班子团结协作', 5], ['组织设置规范', 5]]),
    area('B', '基本队伍', [['党员队伍结构', 4], ['后备力量培养', 4], ['党员教育管理', 4], ['发展党员质量', 3]]),
    area('C', '基本制度', [['“三会一课”落实', 5], ['民主集中制执行', 4], ['议事决策规范', 4], ['党务公开', 2]]),
    area('D', '基本活动', [['主题党日开展', 5], ['组织生活会', 5], ['联系服务群众', 5], ['实事好事办理', 5]]),
    area('E', '基本阵地', [['活动场所', 4], ['服务设施', 4], ['标识标牌', 3], ['阵地使用', 4]]),
    area('F', '基本保障', [['工作经费', 4], ['报酬待遇', 4], ['项目（集体经济）', 4], ['群众满意度', 3]]),
  ],
  passMark: 70,
  vetoDissatisfiedShare: 0.5,
};

/** What a case keeps from its county's policy at designation (running cases keep theirs). */
export interface CasePractice {
  domain: OrganizationDomain;
  playbook: Playbook;
  inspectionSteps: InspectionStep[];
  inspectionDays: number;
  sendBackReasonMinLength: number;
  /** Null only on cases that captured a practice before the form became the default. */
  acceptanceForm: AcceptanceForm | null;
}

/** What a case designated now keeps: its kind's playbook, the inspected steps and the acceptance form (the defaults where the policy names none). */
export function practiceFor(policy: PracticePolicy & { minCollectiveProjects?: number }, domain: OrganizationDomain): CasePractice {
  const fallback = DEFAULT_PLAYBOOKS[domain];
  // A village's default asks for the policy's number of collective-economy projects.
  const playbook = policy.playbooks?.[domain] ?? (domain === 'village' && policy.minCollectiveProjects !== undefined ? { ...fallback, minProjects: policy.minCollectiveProjects } : fallback);
  return {
    domain,
    playbook: clone(playbook),
    inspectionSteps: [...(policy.inspectionSteps ?? DEFAULT_INSPECTION_STEPS)],
    inspectionDays: policy.inspectionDays ?? 10,
    sendBackReasonMinLength: policy.sendBackReasonMinLength ?? 10,
    acceptanceForm: clone(policy.acceptanceForm ?? DEFAULT_ACCEPTANCE_FORM),
  };
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function formMaxScore(form: AcceptanceForm): number {
  return form.areas.reduce((s, a) => s + a.items.reduce((t, i) => t + i.max, 0), 0);
}

const intIn = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Problems with the practice part of a policy, in Chinese with the field terms; empty when sound. */
export function practicePolicyProblems(p: PracticePolicy): string[] {
  const out: string[] = [];
  if (p.playbooks !== undefined) {
    if (!p.playbooks || typeof p.playbooks !== 'object') out.push('playbooks（分类整顿要求）须为按组织类型的对象');
    else
      for (const [domain, pb] of Object.entries(p.playbooks)) {
        if (!(ORGANIZATION_DOMAINS as readonly string[]).includes(domain)) out.push(`playbooks.${domain}：未知的组织类型`);
        else if (!pb || typeof pb.sixthTrack !== 'string' || !pb.sixthTrack.trim() || pb.sixthTrack.length > 50) out.push(`playbooks.${domain}.sixthTrack（第六项名称）须为1–50字`);
        else if (!intIn(pb.minProjects, domain === 'village' ? 1 : 0, 10)) out.push(`playbooks.${domain}.minProjects（项目数）须为 ${domain === 'village' ? 1 : 0}–10 的整数${domain === 'village' ? '（整顿结束时至少发展一个集体经济项目，seed 000 §四(四)）' : ''}`);
        else if (!Array.isArray(pb.conditions) || !pb.conditions.every((c) => (PLAYBOOK_CONDITION_CODES as readonly string[]).includes(c)))
          out.push(`playbooks.${domain}.conditions（验收条件）取值无效`);
      }
  }
  if (p.inspectionSteps !== undefined && (!Array.isArray(p.inspectionSteps) || !p.inspectionSteps.every((s) => (INSPECTION_STEPS as readonly string[]).includes(s))))
    out.push('inspectionSteps（督导把关环节）须为 problem_list/plan/acceptance_request 中的项');
  // Seed 001 §一(四): 关键环节督导把关 — the county picks the steps, it may not drop them all.
  else if (Array.isArray(p.inspectionSteps) && p.inspectionSteps.length === 0)
    out.push('inspectionSteps（督导把关环节）至少选一项：县委组织部须在关键环节督导把关（seed 001 §一(四)）');
  if (p.inspectionDays !== undefined && !intIn(p.inspectionDays, 1, 90)) out.push('inspectionDays（督导把关期限，天）须为 1–90 的整数');
  if (p.sendBackReasonMinLength !== undefined && !intIn(p.sendBackReasonMinLength, 1, 500)) out.push('sendBackReasonMinLength（退回理由最少字数）须为 1–500 的整数');
  const f = p.acceptanceForm;
  if (f === null) out.push('acceptanceForm（验收评分表）可以修改，不能取消：整顿结束须评估验收（seed 001 §一(四)）');
  else if (f !== undefined) {
    const sound =
      !!f &&
      Array.isArray(f.areas) &&
      f.areas.length > 0 &&
      f.areas.every((a) => a && typeof a.name === 'string' && typeof a.code === 'string' && Array.isArray(a.items) && a.items.length > 0 && a.items.every((i) => i && typeof i.code === 'string' && typeof i.name === 'string' && intIn(i.max, 1, 100)));
    if (!sound) out.push('acceptanceForm.areas（验收评分表）须有评分方面，每方面有评分项（满分为 1–100 的整数）');
    else {
      const codes = f.areas.flatMap((a) => a.items.map((i) => i.code));
      if (new Set(codes).size !== codes.length) out.push('acceptanceForm（验收评分表）评分项编号不得重复');
      if (!intIn(f.passMark, 1, formMaxScore(f))) out.push('acceptanceForm.passMark（合格分）须为不超过总分的正整数');
    }
    if (!f || typeof f.vetoDissatisfiedShare !== 'number' || !(f.vetoDissatisfiedShare > 0 && f.vetoDissatisfiedShare <= 0.5))
      out.push('acceptanceForm.vetoDissatisfiedShare（不满意率否决线）须大于0且不高于0.5');
  }
  return out;
}
