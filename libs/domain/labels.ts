import { CASE_STAGE_LABELS, type CaseStage } from './case-stage';
import type { TaskKind } from './case/types';
import { NOTICE_RUNG_LABELS, type EscalationRung, type NoticeRung } from './notices/types';
import { USER_ROLE_LABELS, type UserRole } from './roles';
import type { LocalDate } from './shanghai-time';

/**
 * The words a user reads (DOMAIN.md's table), one name per thing, for the API, the exports and the
 * web alike: nothing here may be a code or an id.
 */

/** One Chinese name per stage, used on every page, export and sentence. */
export const STAGE_LABELS: Record<CaseStage, string> = CASE_STAGE_LABELS;

/** The name of a stage, also of one this build does not know (shown as 未知阶段, never as the code). */
export function stageLabel(stage: string): string {
  return (STAGE_LABELS as Record<string, string>)[stage] ?? '未知阶段';
}

const QUARTER_NAMES = ['第一季度', '第二季度', '第三季度', '第四季度'] as const;

/** '2026-Q4' → '2026年第四季度'; anything else is returned as it is. */
export function quarterLabel(quarter: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  return m ? `${m[1]}年${QUARTER_NAMES[Number(m[2]) - 1]}` : quarter;
}

/** '2026-11-03' (or an ISO instant, read in Asia/Shanghai by the caller) → '2026年11月3日'. */
export function dateLabel(date: LocalDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : date;
}

/** What each task asks for, as its 办理 button and list say it. */
export const TASK_KIND_LABELS: Record<TaskKind, string> = {
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
  decide_extension: '审批延期申请',
  follow_up_review: '回头看',
  confirm_visit: '确认代录的调研指导',
  decide_organizational_handling: '研究决定组织处理',
  grow_local_successor: '培养本村书记接任人选',
  secretary_training: '书记参加专题培训',
  inspect_step: '督导把关',
  score_acceptance: '验收评分',
};

export function taskKindLabel(kind: string): string {
  return (TASK_KIND_LABELS as Record<string, string>)[kind] ?? '其他事项';
}

/** The accountability ladder's rungs (提醒 → 督办 → 通报 → 约谈). */
export const RUNG_LABELS: Record<NoticeRung, string> = NOTICE_RUNG_LABELS;
export const ESCALATION_RUNG_LABELS: Record<EscalationRung, string> = {
  supervision: NOTICE_RUNG_LABELS.supervision,
  public_notice: NOTICE_RUNG_LABELS.public_notice,
  interview: NOTICE_RUNG_LABELS.interview,
};

/** open: not yet signed for; acknowledged: signed for (签收), work under way; resolved: the work got done. */
export const ESCALATION_STATUS_LABELS = { open: '待签收', acknowledged: '已签收', resolved: '已办结' } as const;

export const ROLE_LABELS: Record<UserRole, string> = USER_ROLE_LABELS;
export function roleLabel(role: string | null | undefined): string {
  if (role === 'system') return '系统';
  return (ROLE_LABELS as Record<string, string>)[role ?? ''] ?? '';
}

/** The next step of a case at each stage, for the lists where a task is shown without its case. */
export const STAGE_NEXT_STEPS: Record<CaseStage, string> = {
  designated: '确定联系领导、选派整建队伍',
  rectifying: '按整顿方案落实整改、逐项销号',
  awaiting_acceptance: '等待县委组织部验收',
  converted: '等待回头看',
  follow_up_review: '开展回头看',
  closed: '已结案，无需办理',
  removed: '已移出名单，无需办理',
};

/** Audit actions in words (an action this build does not know reads 其他操作, never its code). */
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
  'stage.changed': '阶段变更',
  'deadline.secretary_missed': '选配书记逾期',
  'deadline.year_end_missed': '年底未能转化',
  'quarter.started': '进入新季度',
  'task.claimed': '认领待办',
  'task.released': '退回待办',
  'task.assigned': '分派待办',
  'escalation.acknowledged': '签收督办',
  'case.restarted': '重启案件',
  'designation.reason_added': '增加认定原因',
  'case.reopened': '重新列入整顿名单',
  'visit.confirmed': '确认代录的调研指导',
  'organizational_handling.raised': '提请组织处理',
  'organizational_handling.recorded': '记录组织处理决定',
  'county_secretary_task.raised': '提出待办：县委书记尚未联系案件',
  'county_secretary_task.closed': '县委书记联系案件，待办办结',
  'county.created': '建立县（区）',
  'province.created': '建立省（自治区、直辖市）',
  'city.created': '建立市（州）',
  'county.attached': '县（区）划入上级区划',
  'user.created': '新增账号',
  'user.imported': '导入人员',
  'user.updated': '修改账号',
  'user.moved': '人员调动',
  'user.deactivated': '停用账号',
  'user.reactivated': '启用账号',
  'user.password_reset': '重置密码',
  'user.password_changed': '修改密码',
  'user.signed_out': '退出登录',
  'region.created': '新增区划',
  'region.renamed': '区划更名',
  'region.imported': '导入区划',
  'organization.created': '登记基层党组织',
  'organization.updated': '修改基层党组织',
  'organization.imported': '导入基层党组织',
  'policy.published': '发布整顿政策',
  'policy_template.published': '发布整顿政策模板',
  'calendar.imported': '导入节假日安排',
  'calendar.corrected': '更正工作日历',
  'calendar.correction_removed': '撤销日历更正',
  'channel.created': '新增推送渠道',
  'channel.updated': '修改推送渠道',
  'channel.deleted': '删除推送渠道',
  'channel.tested': '测试推送渠道',
  'delivery.resent': '重新推送',
  'document.issued': '印发文书',
  'letterhead.updated': '修改文书版头',
  'league_table.updated': '设置乡镇排名公布范围',
};

export function auditActionLabel(action: string): string {
  return AUDIT_ACTION_LABELS[action] ?? '其他操作';
}

/** The county's documents (issue 18 item 4), in words. */
export const DOCUMENT_KIND_LABELS: Record<'supervision_order' | 'bulletin' | 'interview_notice', string> = {
  supervision_order: '督办单',
  bulletin: '通报',
  interview_notice: '约谈通知书',
};

/** The columns of the township league table (issue 18 item 5), in words. */
export const LEAGUE_COLUMN_LABELS: Record<'cases' | 'converted' | 'convertedOnTime' | 'onTimeRate' | 'escalations' | 'visits' | 'organizationalHandling', string> = {
  cases: '整顿对象数',
  converted: '已转化',
  convertedOnTime: '按期转化',
  onTimeRate: '按期转化率',
  escalations: '被督办问责次数',
  visits: '联系领导调研指导次数',
  organizationalHandling: '组织处理决定数',
};

/** What an attachment is evidence of (issue 20): a record of the case, by kind. */
export const ATTACHMENT_SUBJECT_KINDS = ['visit', 'problem_found', 'problem_closed', 'consultation', 'measure_progress', 'secretary_appointment', 'training', 'project', 'acceptance', 'handling'] as const;
export type AttachmentSubjectKind = (typeof ATTACHMENT_SUBJECT_KINDS)[number];
export const ATTACHMENT_SUBJECT_LABELS: Record<AttachmentSubjectKind, string> = {
  visit: '调研指导',
  problem_found: '问题查找',
  problem_closed: '问题销号',
  consultation: '征求意见',
  measure_progress: '整改措施进度',
  secretary_appointment: '书记选配',
  training: '书记培训',
  project: '集体经济项目',
  acceptance: '验收',
  handling: '组织处理',
};
Object.assign(AUDIT_ACTION_LABELS, { 'attachment.uploaded': '上传附件', 'attachment.removed': '移除附件' });
// 督导把关 and 验收评分 (issue 18 items 2, 3).
Object.assign(AUDIT_ACTION_LABELS, { 'inspection.passed': '督导把关通过', 'inspection.sent_back': '督导把关退回', 'acceptance.scored': '验收评分' });
// 延期: deadlines that move only with approval (issue 20 item 2).
Object.assign(AUDIT_ACTION_LABELS, { 'extension.requested': '申请延期', 'extension.approved': '批准延期', 'extension.refused': '不予延期' });
