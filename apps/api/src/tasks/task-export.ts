import type { TaskItem } from '../../../../libs/http';
import { attachmentDisposition, buildWorkbook, excelDate, excelDateTime, type SheetColumn } from '../exports/xlsx';

const BAD = 'FFFFC7CE';
const SOON = 'FFFFEB9C';

/** The task list as shown: the same rows in the same order, in words. */
const COLUMNS: SheetColumn<TaskItem>[] = [
  { header: '乡镇（街道）', value: (t) => t.townshipName },
  { header: '基层党组织', value: (t) => t.organizationName },
  { header: '待办类型', value: (t) => t.kindLabel },
  { header: '待办事项', value: (t) => t.title },
  { header: '截止日期', kind: 'date', value: (t) => excelDate(t.dueOn), fill: (t) => (t.dueState === 'overdue' ? BAD : t.dueState === 'due_soon' ? SOON : undefined) },
  { header: '状态', value: (t) => (t.status === 'done' ? '已办结' : t.dueState === 'overdue' ? '已逾期' : t.dueState === 'due_soon' ? '即将到期' : '待办理') },
  { header: '认领人', value: (t) => t.claim?.name ?? '' },
  { header: '案件下一步', value: (t) => t.caseNextStep },
  { header: '办结时间', kind: 'datetime', value: (t) => excelDateTime(t.closedAt) },
];

export async function taskWorkbook(items: TaskItem[], nowMs = Date.now()): Promise<{ buffer: Buffer; disposition: string }> {
  const buffer = await buildWorkbook('待办', COLUMNS, items, nowMs);
  return { buffer, disposition: attachmentDisposition('tasks.xlsx', '待办.xlsx') };
}
