/** Chinese labels of the dashboard; the domain's own labels come from libs/domain. */
import { CASE_STAGES, CASE_STAGE_LABELS, type CaseStage } from '../../../libs/domain/case-stage';
import { DESIGNATION_REASON_LABELS, type DesignationReason } from '../../../libs/domain/designation';
import { USER_ROLE_LABELS } from '../../../libs/domain/roles';
import type { TrackKey, TrackStatus } from './api/types';

export { CASE_STAGES, CASE_STAGE_LABELS, DESIGNATION_REASON_LABELS, USER_ROLE_LABELS };
export type { CaseStage, DesignationReason };

/** The six tracks "六个一" (DOMAIN.md), in the playbook's order. */
export const TRACKS: TrackKey[] = ['leader', 'team', 'problems', 'plan', 'secretary', 'project'];
export const TRACK_LABELS: Record<TrackKey, string> = {
  leader: '一把手分包',
  team: '一支队伍',
  problems: '一张问题清单',
  plan: '一套整顿方案',
  secretary: '一个关键',
  project: '一个项目',
};

/** done 绿 · due_soon 黄 · overdue 红 · open 灰 (docs/dashboard-api.md). */
export const TRACK_STATUS_LABELS: Record<TrackStatus, string> = {
  done: '已完成',
  due_soon: '即将到期',
  overdue: '已逾期',
  open: '推进中',
};
export const TRACK_STATUS_COLORS: Record<TrackStatus, string> = {
  done: '#67c23a',
  due_soon: '#e6a23c',
  overdue: '#f56c6c',
  open: '#c0c4cc',
};
export const TRACK_STATUS_TAG: Record<TrackStatus, 'success' | 'warning' | 'danger' | 'info'> = {
  done: 'success',
  due_soon: 'warning',
  overdue: 'danger',
  open: 'info',
};

export const STAGE_TAG: Record<CaseStage, 'success' | 'warning' | 'danger' | 'info' | 'primary'> = {
  designated: 'info',
  rectifying: 'primary',
  awaiting_acceptance: 'warning',
  converted: 'success',
  follow_up_review: 'success',
  closed: 'info',
  removed: 'danger',
};

export const RUNG_LABELS = { supervision: '督办', public_notice: '通报', interview: '约谈' } as const;
export const ESCALATION_STATUS_LABELS = { open: '待签收', acknowledged: '已签收', resolved: '已办结' } as const;

export const TASK_KIND_LABELS: Record<string, string> = {
  assign_contact_leader: '确定联系领导',
  appoint_team: '选派整建队伍',
  guidance_visit: '调研指导',
  practical_thing: '办理实事好事',
  record_problems: '建立问题清单',
  confirm_problem_list: '确认问题清单',
  close_problem: '问题销号',
  record_consultations: '征求意见',
  draft_plan: '制定整顿方案',
  approve_plan: '审定整顿方案',
  complete_measure: '落实整改措施',
  appoint_secretary: '选配党支部书记',
  adjust_secretary: '调整党支部书记（连续两年一星级）',
  start_collective_project: '发展集体经济项目',
  request_acceptance: '申请验收',
  accept_case: '验收销号',
  follow_up_review: '回头看',
};

/** Audit actions in words (unknown ones are shown as they are). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'case.designated': '认定为整顿对象',
  'leader.assigned': '确定联系领导',
  'leader.replaced': '更换联系领导',
  'visit.recorded': '记录调研指导',
  'practical_thing.recorded': '记录实事好事',
  'team.appointed': '选派整建队伍',
  'team.changed': '调整整建队伍',
  'team.released': '整建队伍撤离',
  'problem.added': '新增问题',
  'problem_list.confirmed': '确认问题清单',
  'problem.closed': '问题销号',
  'consultation.recorded': '记录征求意见',
  'measure.added': '新增整改措施',
  'plan.approved': '审定整顿方案',
  'measure.progressed': '登记措施进度',
  'secretary.appointed': '选配党支部书记',
  'training.recorded': '记录书记培训',
  'project.added': '登记集体经济项目',
  'acceptance.requested': '申请验收',
  'case.accepted': '验收销号',
  'acceptance.refused': '不予验收',
  'follow_up.passed': '回头看：未反弹',
  'follow_up.relapsed': '回头看：反弹，重新整顿',
  'case.removed': '移出整顿名单',
  'task.claimed': '认领待办',
  'task.released': '退回待办',
  'task.assigned': '分派待办',
  'escalation.acknowledged': '签收督办',
  'stage.changed': '阶段变更',
};

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

/** Today in Asia/Shanghai, YYYY-MM-DD. */
export function todayInShanghai(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function currentYear(): number {
  return Number(todayInShanghai().slice(0, 4));
}

/** The quarter of a date, "2026-Q4". */
export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** "2026-Q4" → "2026年第四季度". */
export function quarterLabel(quarter: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? `${m[1]}年第${'一二三四'[Number(m[2]) - 1]}季度` : quarter;
}
