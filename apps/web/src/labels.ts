/** Chinese labels of the dashboard; the domain's own labels come from libs/domain. */
import { CASE_STAGES, CASE_STAGE_LABELS, type CaseStage } from '../../../libs/domain/case-stage';
import { DESIGNATION_REASON_LABELS, type DesignationReason } from '../../../libs/domain/designation';
import { USER_ROLE_LABELS } from '../../../libs/domain/roles';
import type { TrackKey, TrackStatus } from './api/types';

export { CASE_STAGES, CASE_STAGE_LABELS, DESIGNATION_REASON_LABELS, USER_ROLE_LABELS };
/** One name per stage, quarter, task kind, rung and audit action: the domain's words (libs/domain/labels.ts), as the API and exports use them. */
export {
  AUDIT_ACTION_LABELS,
  ESCALATION_RUNG_LABELS as RUNG_LABELS,
  ESCALATION_STATUS_LABELS,
  TASK_KIND_LABELS,
  auditActionLabel,
  dateLabel,
  quarterLabel,
  stageLabel,
  taskKindLabel,
} from '../../../libs/domain/labels';
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
