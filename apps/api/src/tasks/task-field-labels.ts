/** Chinese labels of the tasks and audit endpoints' fields (merged into FIELD_LABELS). */
export const TASK_FIELD_LABELS: Record<string, string> = {
  // GET /api/tasks
  view: '视图',
  status: '办理状态',
  kind: '待办类型',
  caseId: '整顿案件',
  dueBefore: '截止日期早于',
  cursor: '翻页游标',
  // POST /api/tasks/:key/assign
  userId: '被分派人',
  // GET /api/audit, GET /api/cases/:id/audit
  actorId: '操作人',
  action: '操作类型',
  from: '起始日期',
  to: '截止日期',
};
