import type { EscalationItem } from '../../../../libs/http';
import { attachmentDisposition, buildWorkbook, excelDate, excelDateTime, type SheetColumn } from '../exports/xlsx';

const BAD = 'FFFFC7CE';
const GOOD = 'FFC6EFCE';

/** The 督办台账 as the list shows it: the same rows, in the same order, with the answer to each. */
const COLUMNS: SheetColumn<EscalationItem>[] = [
  { header: '乡镇（街道）', value: (e) => e.townshipName },
  { header: '基层党组织', value: (e) => e.organizationName },
  { header: '问责层级', value: (e) => e.rungLabel },
  { header: '事项类别', value: (e) => e.kindLabel },
  { header: '事项', value: (e) => e.title },
  { header: '事由', value: (e) => e.reason },
  { header: '期限', kind: 'date', value: (e) => excelDate(e.deadline) },
  { header: '逾期天数', kind: 'number', value: (e) => e.daysOverdue },
  { header: '发起时间', kind: 'datetime', value: (e) => excelDateTime(e.raisedAt) },
  { header: '状态', value: (e) => e.statusLabel, fill: (e) => (e.status === 'resolved' ? GOOD : e.status === 'open' ? BAD : undefined) },
  { header: '签收人', value: (e) => e.acknowledgedBy ?? '' },
  { header: '签收时间', kind: 'datetime', value: (e) => excelDateTime(e.acknowledgedAt) },
  { header: '签收答复（正在做什么）', value: (e) => e.note ?? '' },
  { header: '办结时间', kind: 'datetime', value: (e) => excelDateTime(e.resolvedAt) },
];

export async function escalationWorkbook(items: EscalationItem[], nowMs = Date.now()): Promise<{ buffer: Buffer; disposition: string }> {
  const buffer = await buildWorkbook('督办台账', COLUMNS, items, nowMs);
  return { buffer, disposition: attachmentDisposition('escalations.xlsx', '督办台账.xlsx') };
}
