/**
 * The playbook actions the case page offers, as forms over the action endpoints
 * (POST /api/cases/:id/…). Who may run each comes from the domain's COMMAND_ROLES, so the page
 * shows a user exactly the buttons the API would let them press.
 */
import { COMMAND_ROLES, type CaseCommandName } from '../../../libs/domain/case/commands';
import { REMOVAL_REASON_MIN_LENGTH } from '../../../libs/domain/case/rules';
import { CURE_TAGS, ORGANIZATIONAL_HANDLING_MEASURE_LABELS, PROBLEM_REASON_CODES, SECRETARY_SOURCE_LABELS } from '../../../libs/domain/case/types';
import type { CaseAnswer } from '../../../libs/domain/case/answer';
import { MANUAL_DESIGNATION_REASONS } from '../../../libs/domain/designation';
import { CADRE_RANK_LABELS, CONSULTATION_KIND_LABELS } from '../../../libs/domain/policy';
import type { UserRole } from '../../../libs/domain/roles';
import type { CaseStage } from '../../../libs/domain/case-stage';
import { DESIGNATION_REASON_LABELS, todayInShanghai } from './labels';
import { get } from './api/client';

export type FieldType = 'text' | 'textarea' | 'date' | 'number' | 'select' | 'multiselect' | 'lines' | 'switch' | 'team';

export interface FieldDef {
  key: string;
  label: string;
  type: FieldType;
  required?: boolean;
  placeholder?: string;
  min?: number;
  max?: number;
  options?: (state: CaseAnswer) => { value: string; label: string }[];
  /** The body property the value is sent as, when it differs from `key`. */
  sendAs?: string;
  /** Options fetched from the API when the form opens (e.g. the county's leaders). */
  loadOptions?: () => Promise<{ value: string; label: string }[]>;
  initial?: (state: CaseAnswer, subjectId?: string) => unknown;
}

export type Subject = 'problem' | 'measure';

export interface ActionDef {
  name: CaseCommandName;
  label: string;
  /** Path under /api/cases/:id. */
  path: (subjectId?: string) => string;
  fields: FieldDef[];
  /** Acts on one problem or measure (a button on its row). */
  subject?: Subject;
  /** Stages in which the button is shown (the workflow still decides). */
  stages: CaseStage[];
  /** A hint shown at the top of the form. */
  hint?: string;
  danger?: boolean;
  /** Beyond the stage, whether the case allows the action at all (the workflow still decides). */
  available?: (state: CaseAnswer) => boolean;
}

const ACTIVE: CaseStage[] = ['designated', 'rectifying', 'awaiting_acceptance'];
const RECTIFYING: CaseStage[] = ['rectifying'];
const today = () => todayInShanghai();

export const TEAM_MEMBER_TEMPLATE = () => ({ name: '', rank: 'staff', unit: '', isLeader: false });

/** County-level leaders and the county party secretary, who may be a case's contact leader. */
async function contactLeaderChoices(): Promise<{ value: string; label: string }[]> {
  const { items } = await get<{ items: { id: string; name: string; title: string; role: UserRole }[] }>('/api/users?roles=county_leader,county_party_secretary');
  return items.map((u) => ({ value: u.id, label: `${u.name}（${u.title || (u.role === 'county_party_secretary' ? '县委书记' : '县级领导')}）` }));
}

export const ACTIONS: ActionDef[] = [
  {
    name: 'assignContactLeader',
    label: '确定联系领导',
    path: () => '/contact-leader',
    stages: ACTIVE,
    hint: '县委书记带头挂点联系1个，其他由县级领导分包；更换联系领导须说明理由。',
    fields: [
      { key: 'leaderUserId', label: '联系领导', type: 'select', required: true, loadOptions: contactLeaderChoices },
      { key: 'reason', label: '更换理由', type: 'text', placeholder: '首次确定可不填' },
    ],
  },
  {
    name: 'recordGuidanceVisit',
    label: '记录调研指导',
    path: () => '/visits',
    stages: ACTIVE,
    hint: '联系领导每季度到村调研指导不少于1次。',
    fields: [
      { key: 'visitedOn', label: '调研日期', type: 'date', required: true, initial: today },
      { key: 'place', label: '地点', type: 'text', required: true, initial: () => '村党群服务中心' },
      { key: 'summary', label: '调研情况', type: 'textarea', required: true, placeholder: '听取汇报、走访党员群众、研究解决的问题' },
      { key: 'problemsFound', label: '发现的问题（每行一条）', type: 'lines' },
      { key: 'lateReason', label: '补录理由', type: 'textarea', placeholder: '日期早于30天前（或补记已督办的季度）时必填，记入审计并标为补录' },
    ],
  },
  {
    name: 'recordPracticalThing',
    label: '记录实事好事',
    path: () => '/practical-things',
    stages: ACTIVE,
    fields: [
      { key: 'title', label: '事项', type: 'text', required: true },
      { key: 'description', label: '办理情况', type: 'textarea', required: true },
      { key: 'doneOn', label: '办结日期', type: 'date', required: true, initial: today },
      { key: 'evidence', label: '佐证材料', type: 'textarea', required: true, placeholder: '群众认可的凭据：签字验收单、照片或附件编号' },
      { key: 'lateReason', label: '补录理由', type: 'textarea', placeholder: '日期早于30天前（或补记已督办的季度）时必填，记入审计并标为补录' },
    ],
  },
  {
    name: 'appointTeam',
    label: '选派整建队伍',
    path: () => '/team',
    stages: ['designated', 'rectifying'],
    hint: '不少于3人，科级干部任队长；不转化不脱钩。',
    fields: [
      { key: 'arrivedOn', label: '进驻日期', type: 'date', required: true, initial: today },
      { key: 'members', label: '队伍成员', type: 'team', required: true, initial: () => [{ ...TEAM_MEMBER_TEMPLATE(), rank: 'section', isLeader: true }, TEAM_MEMBER_TEMPLATE(), TEAM_MEMBER_TEMPLATE()] },
    ],
  },
  {
    name: 'changeTeam',
    label: '调整队伍成员',
    path: () => '/team/changes',
    stages: ACTIVE,
    hint: '成员可调整，但不少于3人，队长须为科级干部。',
    fields: [
      {
        key: 'removeIds',
        label: '调离成员',
        type: 'multiselect',
        options: (s) => (s.team?.members ?? []).map((m) => ({ value: m.id, label: `${m.name}（${CADRE_RANK_LABELS[m.rank]}${m.isLeader ? '，队长' : ''}）` })),
      },
      { key: 'members', label: '新增成员', type: 'team', sendAs: 'add', initial: () => [] },
      {
        key: 'newLeaderId',
        label: '新队长（留任成员）',
        type: 'select',
        options: (s) => (s.team?.members ?? []).filter((m) => !m.isLeader).map((m) => ({ value: m.id, label: m.name })),
      },
      { key: 'reason', label: '调整理由', type: 'text', required: true },
    ],
  },
  {
    name: 'addProblem',
    label: '新增问题',
    path: () => '/problems',
    stages: RECTIFYING,
    hint: '逐一"过筛子"，写明问题、病灶和佐证材料。',
    fields: [
      { key: 'description', label: '问题描述', type: 'textarea', required: true },
      {
        key: 'reasonCode',
        label: '问题类别',
        type: 'select',
        required: true,
        options: () => PROBLEM_REASON_CODES.map((c) => ({ value: c, label: `${c} ${DESIGNATION_REASON_LABELS[c]}` })),
        initial: (s) => s.reasons.find((r) => r !== 'S1') ?? 'C4',
      },
      { key: 'cureTag', label: '整治方向', type: 'select', required: true, options: () => CURE_TAGS.map((t) => ({ value: t, label: t })), initial: () => '治散' },
      { key: 'rootCause', label: '病灶（根源）', type: 'textarea', required: true },
      { key: 'evidence', label: '佐证材料', type: 'text', required: true },
    ],
  },
  {
    name: 'confirmProblemList',
    label: '确认问题清单',
    path: () => '/problem-list/confirm',
    stages: RECTIFYING,
    hint: '乡镇党委书记确认问题清单后，方可据此制定整顿方案。',
    fields: [],
  },
  {
    name: 'closeProblem',
    label: '问题销号',
    path: (id) => `/problems/${encodeURIComponent(id ?? '')}/close`,
    subject: 'problem',
    stages: RECTIFYING,
    fields: [
      { key: 'fixEvidence', label: '整改佐证', type: 'textarea', required: true, placeholder: '会议记录、照片、群众评价等（不少于10字，或填附件编号）' },
      { key: 'attachmentRef', label: '附件编号', type: 'text' },
    ],
  },
  {
    name: 'recordConsultation',
    label: '记录征求意见',
    path: () => '/consultations',
    stages: RECTIFYING,
    fields: [
      { key: 'kind', label: '形式', type: 'select', required: true, options: () => Object.entries(CONSULTATION_KIND_LABELS).map(([value, label]) => ({ value, label })), initial: () => 'party_members_meeting' },
      { key: 'heldOn', label: '日期', type: 'date', required: true, initial: today },
      { key: 'participants', label: '参加人数', type: 'number', required: true, min: 1, max: 100000, initial: () => 10 },
      { key: 'summary', label: '意见建议', type: 'textarea', required: true },
    ],
  },
  {
    name: 'addMeasure',
    label: '新增整改措施',
    path: () => '/measures',
    stages: RECTIFYING,
    fields: [
      { key: 'description', label: '措施', type: 'textarea', required: true },
      {
        key: 'problemIds',
        label: '针对的问题',
        type: 'multiselect',
        required: true,
        options: (s) => s.problems.map((p) => ({ value: p.id, label: p.description })),
        initial: (s) => s.problems.filter((p) => p.status === 'open' && !s.measures.some((m) => m.problemIds.includes(p.id))).map((p) => p.id),
      },
      { key: 'owner', label: '责任人', type: 'text', required: true },
      { key: 'dueOn', label: '完成时限', type: 'date', required: true },
    ],
  },
  { name: 'approvePlan', label: '审定整顿方案', path: () => '/plan/approve', stages: RECTIFYING, hint: '一村一策：经征求意见后，由乡镇党委审定。', fields: [] },
  {
    name: 'updateMeasureProgress',
    label: '登记进度',
    path: (id) => `/measures/${encodeURIComponent(id ?? '')}/progress`,
    subject: 'measure',
    stages: RECTIFYING,
    fields: [
      { key: 'percent', label: '完成进度（%）', type: 'number', required: true, min: 0, max: 100, initial: (s, id) => Math.min(100, (s.measures.find((m) => m.id === id)?.percent ?? 0) + 25) },
      { key: 'note', label: '进展说明', type: 'textarea', required: true },
    ],
  },
  {
    name: 'appointSecretary',
    label: '选配党支部书记',
    path: () => '/secretary',
    stages: RECTIFYING,
    hint: '原则上在整建队伍进驻后3个月内从本村产生；本村确无合适人选的，选派第一书记。',
    fields: [
      { key: 'name', label: '姓名', type: 'text', required: true },
      { key: 'source', label: '产生方式', type: 'select', required: true, options: () => Object.entries(SECRETARY_SOURCE_LABELS).map(([value, label]) => ({ value, label })), initial: () => 'from_village' },
      { key: 'appointedOn', label: '任职日期', type: 'date', required: true, initial: today },
      { key: 'termEndsOn', label: '第一书记任期截止', type: 'date', placeholder: '选派第一书记时必填' },
      { key: 'lateReason', label: '补录理由', type: 'textarea', placeholder: '日期早于30天前（或补记已督办的季度）时必填，记入审计并标为补录' },
    ],
  },
  {
    name: 'recordTraining',
    label: '记录书记培训',
    path: () => '/trainings',
    stages: ACTIVE,
    fields: [
      { key: 'secretaryName', label: '书记姓名', type: 'text', required: true, initial: (s) => s.secretary.appointment?.name ?? '' },
      { key: 'session', label: '培训班次', type: 'text', required: true, initial: () => '软弱涣散党组织书记专题培训班' },
      { key: 'attendedOn', label: '参训日期', type: 'date', required: true, initial: today },
      { key: 'evidence', label: '佐证材料', type: 'textarea', required: true, placeholder: '签到表、结业证书或附件编号' },
      { key: 'lateReason', label: '补录理由', type: 'textarea', placeholder: '日期早于30天前（或补记已督办的季度）时必填，记入审计并标为补录' },
    ],
  },
  {
    name: 'addCollectiveProject',
    label: '登记集体经济项目',
    path: () => '/projects',
    stages: RECTIFYING,
    fields: [
      { key: 'name', label: '项目名称', type: 'text', required: true },
      { key: 'kind', label: '项目类型', type: 'text', required: true, placeholder: '如：光伏发电、土地流转、农产品加工' },
      { key: 'supportFunds', label: '扶持资金（元）', type: 'number', required: true, min: 0 },
      { key: 'startOn', label: '启动日期', type: 'date', required: true, initial: today },
      { key: 'expectedYearlyIncome', label: '预计年收益（元）', type: 'number', required: true, min: 0 },
    ],
  },
  {
    name: 'requestAcceptance',
    label: '申请验收',
    path: () => '/acceptance/request',
    stages: RECTIFYING,
    fields: [{ key: 'summary', label: '整顿工作小结', type: 'textarea' }],
  },
  {
    name: 'acceptCase',
    label: '验收销号',
    path: () => '/acceptance',
    stages: ['rectifying', 'awaiting_acceptance'],
    hint: '问题全部销号、措施全部完成、书记到位、项目落地、队伍在岗、每季度均有调研指导，方可验收。',
    fields: [{ key: 'opinion', label: '验收意见', type: 'textarea', required: true, initial: () => '经验收，已转化提升' }],
  },
  {
    name: 'refuseAcceptance',
    label: '不予验收',
    path: () => '/acceptance/refuse',
    stages: ['awaiting_acceptance'],
    danger: true,
    fields: [{ key: 'reason', label: '退回理由', type: 'textarea', required: true }],
  },
  {
    name: 'releaseTeam',
    label: '整建队伍撤离',
    path: () => '/team/release',
    stages: ['converted', 'follow_up_review', 'closed'],
    danger: true,
    hint: '不转化不脱钩：验收销号后方可撤离。',
    fields: [{ key: 'reason', label: '撤离说明', type: 'textarea', required: true }],
  },
  {
    name: 'recordFollowUp',
    label: '记录回头看',
    path: () => '/follow-up',
    stages: ['follow_up_review'],
    fields: [
      { key: 'relapsed', label: '是否反弹', type: 'switch', initial: () => false },
      { key: 'findings', label: '回头看情况', type: 'textarea', required: true },
    ],
  },
  {
    name: 'removeFromList',
    label: '移出整顿名单',
    path: () => '/remove-from-list',
    stages: ACTIVE,
    danger: true,
    // 不能藏着掖着: a one-star organization is never taken off the list.
    available: (s) => !s.reasons.includes('S1'),
    hint: `移出须由县委组织部书面说明理由（不少于${REMOVAL_REASON_MIN_LENGTH}个字），理由记入审计记录并在总览中公示；星级评定为一星级的不得移出。移出后案件结束。`,
    fields: [{ key: 'reason', label: '移出理由', type: 'textarea', required: true, placeholder: '写明经复核认定不属于软弱涣散党组织的事实和依据' }],
  },
  {
    name: 'recordOrganizationalHandling',
    label: '记录组织处理',
    path: () => '/organizational-handling',
    stages: [...ACTIVE, 'converted', 'follow_up_review'],
    hint: '逾期事项经约谈仍未办结的，由县委组织部研究决定组织处理并如实记录；系统只提请，不自动处理。',
    available: (s) => (s.noticesRaisedByRung?.interview ?? 0) > 0 || (s.organizationalHandling?.due.length ?? 0) > 0,
    fields: [
      { key: 'measure', label: '处理方式', type: 'select', required: true, options: () => Object.entries(ORGANIZATIONAL_HANDLING_MEASURE_LABELS).map(([value, label]) => ({ value, label })), initial: () => 'admonition_talk' },
      { key: 'subject', label: '处理对象（姓名、职务）', type: 'text', required: true },
      { key: 'decidedBy', label: '决定机关或决定人', type: 'text', required: true, initial: () => '县委组织部部务会' },
      { key: 'decidedOn', label: '决定日期', type: 'date', required: true, initial: today },
      { key: 'reason', label: '处理理由', type: 'textarea', required: true },
    ],
  },
  {
    name: 'addDesignationReason',
    label: '增加认定原因',
    path: () => '/reasons',
    stages: ACTIVE,
    hint: '一星级（S1）由星级评定自动加入，不能手工增加。',
    fields: [
      { key: 'reason', label: '认定原因', type: 'select', required: true, options: () => MANUAL_DESIGNATION_REASONS.map((value) => ({ value, label: `${value} ${DESIGNATION_REASON_LABELS[value]}` })), initial: () => 'C2' },
      { key: 'note', label: '认定说明', type: 'textarea', required: true },
    ],
  },
];

export const ACTION_BY_NAME = Object.fromEntries(ACTIONS.map((a) => [a.name, a])) as Record<CaseCommandName, ActionDef>;

export function roleMay(role: UserRole | undefined, action: ActionDef): boolean {
  return !!role && COMMAND_ROLES[action.name].includes(role);
}

/** The action a task asks for, so "办理" on the task list opens its form on the case page. */
export const TASK_ACTIONS: Record<string, CaseCommandName> = {
  assign_contact_leader: 'assignContactLeader',
  appoint_team: 'appointTeam',
  guidance_visit: 'recordGuidanceVisit',
  practical_thing: 'recordPracticalThing',
  record_problems: 'addProblem',
  confirm_problem_list: 'confirmProblemList',
  close_problem: 'closeProblem',
  record_consultations: 'recordConsultation',
  draft_plan: 'addMeasure',
  approve_plan: 'approvePlan',
  complete_measure: 'updateMeasureProgress',
  appoint_secretary: 'appointSecretary',
  adjust_secretary: 'appointSecretary',
  start_collective_project: 'addCollectiveProject',
  request_acceptance: 'requestAcceptance',
  accept_case: 'acceptCase',
  follow_up_review: 'recordFollowUp',
  decide_organizational_handling: 'recordOrganizationalHandling',
  grow_local_successor: 'appointSecretary',
  secretary_training: 'recordTraining',
};

/** Sections of the case page that do a task themselves, with no action form of their own. */
export type CaseSection = 'inspections' | 'acceptance-scoring';

/**
 * Tasks done in a section of the case page rather than through an action form: "办理" leads to the
 * section (and, for 督导把关, to the inspection the task names), for those its command allows.
 */
export const TASK_SECTIONS: Record<string, { section: CaseSection; command: CaseCommandName }> = {
  inspect_step: { section: 'inspections', command: 'sendBackInspection' },
  score_acceptance: { section: 'acceptance-scoring', command: 'scoreAcceptance' },
};

/** Whether the role may run the command (the API decides again). */
export function roleMayCommand(role: UserRole | undefined, command: CaseCommandName): boolean {
  return !!role && COMMAND_ROLES[command].includes(role);
}

export { CADRE_RANK_LABELS };
