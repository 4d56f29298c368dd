/** Chinese names of request fields, so every validation message names the field in both languages. */
import { CASE_ACTION_FIELD_LABELS } from '../cases/case-action-field-labels';
import { TASK_FIELD_LABELS } from '../tasks/task-field-labels';
import { CALENDAR_FIELD_LABELS } from '../calendar/calendar-field-labels';
import { NOTIFICATION_FIELD_LABELS } from '../notifications/notification-field-labels';
import { STAR_RATING_FIELD_LABELS } from '../star-ratings/star-rating-field-labels';
import { USER_FIELD_LABELS } from '../users/user-field-labels';

const BASE_FIELD_LABELS: Record<string, string> = {
  organizationId: '基层党组织',
  batchYear: '整顿批次年度',
  reasons: '认定原因',
  note: '认定依据',
  designatedBy: '认定人',
  townshipId: '乡镇（街道）',
  countyId: '县（区）',
  q: '查询关键字',
  limit: '每页条数',
  offset: '偏移量',
  // County rectification policy (apps/api/src/policies)
  teamMinSize: '整建队伍最少人数',
  teamLeaderRanks: '队长职级',
  secretaryDeadlineMonths: '书记选配期限（月）',
  secretaryRequiredForReasons: '须选配书记的认定原因',
  visitsPerQuarter: '每季度调研指导次数',
  practicalThingsExpected: '实事好事件数',
  requiredConsultations: '必需的征求意见方式',
  minCollectiveProjects: '集体经济项目数',
  followUpDelayMonths: '回头看间隔（月）',
  followUpReviewDays: '回头看办理天数',
  countyPartySecretaryMaxCases: '县委书记联系案件数',
  reminderDaysBefore: '提前提醒天数',
  escalationDaysOverdue: '督办/通报/约谈逾期天数',
  supervision: '督办逾期天数',
  publicNotice: '通报逾期天数',
  interview: '约谈逾期天数',
  countWorkingDays: '按工作日计算',
  shiftNoticesToWorkingDay: '顺延至工作日',
  noticeHour: '发送时刻',
  publicNoticeDays: '公示天数',
  lateEntryDays: '补录期限（天）',
  relapseConversionMonths: '反弹后转化期限（月）',
  organizationalHandlingDaysOverdue: '组织处理逾期天数',
  evidenceMinLength: '销号佐证最少字数',
  publishedBy: '发布人',
  // Organization registry (apps/api/src/organizations); `name` and `secretaryName` keep the shared labels
  code: '编码',
  domain: '类型',
  regionId: '所在村（社区）或乡镇',
  regionCode: '所在村（社区）或乡镇编码',
  mode: '导入方式',
  id: 'ID',
};

/** Names shared by several endpoints get a wording that fits all of them. */
const SHARED_FIELD_LABELS: Record<string, string> = { kind: '类型', note: '说明', roles: '角色', secretaryName: '书记姓名', year: '年度', opinion: '意见' };

export const FIELD_LABELS: Record<string, string> = { ...BASE_FIELD_LABELS, ...CASE_ACTION_FIELD_LABELS, ...TASK_FIELD_LABELS, ...CALENDAR_FIELD_LABELS, ...NOTIFICATION_FIELD_LABELS, ...STAR_RATING_FIELD_LABELS, ...USER_FIELD_LABELS, ...SHARED_FIELD_LABELS };

export function fieldLabel(property: string): string {
  const zh = FIELD_LABELS[property];
  return zh ? `${zh}（${property}）` : property;
}
