import type { TownshipRecord } from '../../../../libs/http';
import { attachmentDisposition, buildWorkbook, type SheetColumn } from '../exports/xlsx';

const pct = (r: number | null) => (r === null ? '' : `${Math.round(r * 1000) / 10}%`);

/** The township's record as 述职评议 reads it: one row per township, counted from the case records. */
const COLUMNS: SheetColumn<TownshipRecord>[] = [
  { header: '年度', kind: 'number', value: (t) => t.year },
  { header: '乡镇（街道）', value: (t) => t.townshipName },
  { header: '整顿对象数', kind: 'number', value: (t) => t.cases },
  { header: '已转化', kind: 'number', value: (t) => t.converted },
  { header: '按期转化', kind: 'number', value: (t) => t.convertedOnTime },
  { header: '按期转化率', value: (t) => pct(t.onTimeRate) },
  { header: '被督办', kind: 'number', value: (t) => t.escalations.supervision },
  { header: '被通报', kind: 'number', value: (t) => t.escalations.public_notice },
  { header: '被约谈', kind: 'number', value: (t) => t.escalations.interview },
  { header: '联系领导调研指导次数', kind: 'number', value: (t) => t.visits },
  { header: '组织处理决定数', kind: 'number', value: (t) => t.organizationalHandling.decided },
  { header: '待研究组织处理', kind: 'number', value: (t) => t.organizationalHandling.awaitingDecision },
  { header: '移出整顿名单', kind: 'number', value: (t) => t.removed },
];

export async function townshipRecordWorkbook(year: number, items: TownshipRecord[], nowMs = Date.now()): Promise<{ buffer: Buffer; disposition: string }> {
  const buffer = await buildWorkbook('乡镇整顿实绩', COLUMNS, items, nowMs);
  const name = items.length === 1 ? `${items[0].townshipName}整顿实绩-${year}.xlsx` : `乡镇整顿实绩-${year}.xlsx`;
  return { buffer, disposition: attachmentDisposition('township-records.xlsx', name) };
}
