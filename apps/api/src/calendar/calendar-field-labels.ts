/** Chinese labels of the calendar endpoints' fields (merged into FIELD_LABELS). */
export const CALENDAR_FIELD_LABELS: Record<string, string> = {
  // GET /api/calendar/:year
  year: '年度',
  // PUT/DELETE /api/calendar/days/:date (the day's `name` keeps the shared label 姓名或名称)
  date: '日期',
  isWorkday: '是否工作日',
};
