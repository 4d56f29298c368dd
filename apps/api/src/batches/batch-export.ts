import { DESIGNATION_REASON_LABELS } from '../../../../libs/domain';
import { attachmentDisposition, buildWorkbook, excelDate, excelDateTime, type SheetColumn } from '../exports/xlsx';
import type { BatchCaseRow, BatchView, OffListCaseRow } from './batch-view';

/** Excel's own good / bad fills, as in the other exports. */
const GOOD = 'FFC6EFCE';
const BAD = 'FFFFC7CE';

type Row = { kind: 'case'; c: BatchCaseRow } | { kind: 'off'; o: OffListCaseRow };

const caseOnly = <T>(f: (c: BatchCaseRow) => T) => (r: Row) => (r.kind === 'case' ? f(r.c) : null);
const yesNo = (v: boolean) => (v ? '是' : '否');

const COLUMNS: SheetColumn<Row>[] = [
  { header: '乡镇（街道）', value: (r) => (r.kind === 'case' ? r.c.townshipName : r.o.townshipName) },
  { header: '基层党组织', value: (r) => (r.kind === 'case' ? r.c.organizationName : r.o.organizationName) },
  { header: '认定原因', value: caseOnly((c) => c.reasons.map((x) => `${x} ${DESIGNATION_REASON_LABELS[x] ?? ''}`.trim()).join('；')) },
  { header: '阶段', value: (r) => (r.kind === 'case' ? r.c.stageLabel : r.o.stageLabel) },
  { header: '联系领导', value: caseOnly((c) => c.contactLeader?.name ?? '') },
  { header: '本季度调研指导', kind: 'number', value: caseOnly((c) => c.visitsThisQuarter) },
  { header: '队伍人数', kind: 'number', value: caseOnly((c) => (c.team?.attached ? c.team.size : null)) },
  { header: '队长', value: caseOnly((c) => c.team?.leaderName ?? '') },
  { header: '问题未销号', kind: 'number', value: caseOnly((c) => c.problems.open) },
  { header: '问题已销号', kind: 'number', value: caseOnly((c) => c.problems.closed) },
  { header: '措施已完成', kind: 'number', value: caseOnly((c) => c.measures.done) },
  { header: '措施总数', kind: 'number', value: caseOnly((c) => c.measures.total) },
  { header: '书记已到位', value: caseOnly((c) => (c.secretary.required ? yesNo(c.secretary.appointed) : '无需选配')) },
  { header: '集体经济项目', value: caseOnly((c) => c.projects.names.join('、')) },
  { header: '待办', kind: 'number', value: caseOnly((c) => c.tasks.open) },
  { header: '逾期待办', kind: 'number', value: caseOnly((c) => c.tasks.overdue), fill: (r) => (r.kind === 'case' && r.c.tasks.overdue > 0 ? BAD : undefined) },
  { header: '督办中', kind: 'number', value: caseOnly((c) => c.openEscalations), fill: (r) => (r.kind === 'case' && r.c.openEscalations > 0 ? BAD : undefined) },
  { header: '满足验收条件', value: caseOnly((c) => `${c.outlook.met}/${c.outlook.total}`) },
  {
    header: '年底转化预判',
    value: (r) => (r.kind === 'case' ? r.c.outlook.label : '已移出名单'),
    fill: (r) => (r.kind !== 'case' ? undefined : r.c.outlook.status === 'at_risk' || r.c.outlook.status === 'will_miss' ? BAD : GOOD),
  },
  {
    header: '未满足的验收条件 / 移出原因',
    value: (r) => (r.kind === 'case' ? r.c.outlook.unmet.map((u) => (u.missing ? `${u.zh}（${u.missing}）` : u.zh)).join('；') : r.o.reason),
  },
  { header: '年底时限', kind: 'date', value: caseOnly((c) => excelDate(c.yearEndDeadline)) },
  { header: '验收时间', kind: 'datetime', value: caseOnly((c) => excelDateTime(c.acceptedAt)) },
];

/** 整顿批次-2026.xlsx: a row per case on the list, then the cases taken off it. */
export async function batchWorkbook(view: BatchView, nowMs: number): Promise<{ buffer: Buffer; disposition: string }> {
  const rows: Row[] = [...view.cases.map((c): Row => ({ kind: 'case', c })), ...view.removed.map((o): Row => ({ kind: 'off', o }))];
  const township = view.scope.level === 'township' && view.townships.length === 1 ? `-${view.townships[0].name}` : '';
  const buffer = await buildWorkbook('整顿批次', COLUMNS, rows, nowMs);
  return { buffer, disposition: attachmentDisposition(`batch-${view.batchYear}.xlsx`, `整顿批次-${view.batchYear}${township}.xlsx`) };
}
