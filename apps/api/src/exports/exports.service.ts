import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  OUTLOOK_LABELS,
  CASE_STAGE_LABELS,
  DEADLINE_KIND_LABELS,
  DESIGNATION_REASON_LABELS,
  NOTICE_RUNG_LABELS,
  TRACK_LABELS,
  TRACK_STATUS_LABELS,
  TRACKS,
  quarterLabel,
  shanghaiDateOf,
  entryMarks,
  extensionLines,
  EXTENDED_RESOLUTION,
  resolvedByExtension,
  recordEntries,
  type RecordEntry,
  type YearEndOutlook,
  type CaseState,
  type CaseTracks,
  type DeadlineKind,
  type EscalationRung,
  type GuidanceVisit,
  type Problem,
  type Track,
  type TrackStatus,
} from '../../../../libs/domain';
import { inspectionLines, scoringLine } from '../../../../libs/domain/case/playbook';
import { EscalationEntity, RectificationCaseEntity } from '../../../../libs/persistence';
import type { AuthUser } from '../auth/auth-user';
import { DashboardReadModel, tracksOf, type CaseRecord, type ResolvedScope } from '../dashboard/dashboard-read-model';
import type { DashboardQuery } from '../dashboard/dto/dashboard.query';
import { ATTACHMENT_COLUMNS, attachmentRows } from './attachment-export';
import { attachmentDisposition, buildWorkbook, excelDate, excelDateTime, type SheetColumn } from './xlsx';

export const EXPORT_KINDS = ['ledger', 'problems', 'visits', 'escalations', 'attachments'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Chinese name of each export: its sheet and (with the batch year) its file name. */
export const EXPORT_TITLES: Record<ExportKind, string> = {
  ledger: '整顿台账',
  problems: '问题清单',
  visits: '调研指导',
  escalations: '督办台账',
  attachments: '证明材料清单',
};

export interface ExportFile {
  buffer: Buffer;
  /** Content-Disposition, with the ASCII and the Chinese file name. */
  disposition: string;
}

/** Traffic-light fills of the track statuses (Excel's own good / neutral / bad colours). */
const STATUS_FILL: Partial<Record<TrackStatus, string>> = { done: 'FFC6EFCE', due_soon: 'FFFFEB9C', overdue: 'FFFFC7CE' };

const yesNo = (v: boolean) => (v ? '是' : '否');

interface LedgerRow {
  c: CaseRecord;
  township: string;
  tracks: CaseTracks;
  outlook: YearEndOutlook;
  yearEndMissed: boolean;
}

interface ProblemRow {
  c: CaseRecord;
  township: string;
  p: Problem;
}

interface VisitRow {
  c: CaseRecord;
  township: string;
  v: GuidanceVisit;
  leader: string;
}

interface EscalationRow {
  township_id: string;
  organization_name: string;
  rung: EscalationRung;
  kind: DeadlineKind;
  title: string;
  reason: string;
  deadline: string;
  days_overdue: number;
  raised_at: Date;
  acknowledged_by_name: string | null;
  acknowledged_at: Date | null;
  acknowledgement_note: string | null;
  resolved_at: Date | null;
  resolution_note: string | null;
}

const trackColumn = (t: Track): SheetColumn<LedgerRow> => ({
  header: TRACK_LABELS[t],
  value: (r) => TRACK_STATUS_LABELS[r.tracks[t]],
  fill: (r) => STATUS_FILL[r.tracks[t]],
});

const LEDGER_COLUMNS: SheetColumn<LedgerRow>[] = [
  { header: '乡镇（街道）', value: (r) => r.township },
  { header: '基层党组织', value: (r) => r.c.organizationName },
  { header: '认定原因', value: (r) => r.c.state.reasons.map((x) => `${x} ${DESIGNATION_REASON_LABELS[x] ?? ''}`.trim()).join('；') },
  { header: '认定日期', kind: 'date', value: (r) => excelDate(r.c.state.designatedAt ? shanghaiDateOf(Date.parse(r.c.state.designatedAt)) : null) },
  { header: '阶段', value: (r) => CASE_STAGE_LABELS[r.c.state.stage] ?? r.c.state.stage },
  { header: '联系领导', value: (r) => r.c.state.contactLeader?.name ?? '' },
  { header: '走访次数', kind: 'number', value: (r) => r.c.state.visits.length },
  { header: '实事好事件数', kind: 'number', value: (r) => r.c.state.practicalThings.length },
  // Records are honest about time: 补录 (entered late, with the reason) and 代录 (entered for the contact leader).
  { header: '补录/代录', value: (r) => recordEntries(r.c.state).filter((e) => e.backfill || e.proxy).map((e) => `${RECORD_KIND_LABELS[e.kind]} ${e.occurredOn}（${e.enteredBy}录入）${entryMarks(e).join('；')}`).join('\n') },
  { header: '队伍人数', kind: 'number', value: (r) => (r.c.state.team && !r.c.state.team.releasedAt ? r.c.state.team.members.length : null) },
  { header: '队长', value: (r) => r.c.state.team?.members.find((m) => m.isLeader)?.name ?? '' },
  { header: '进驻日期', kind: 'date', value: (r) => excelDate(r.c.state.team?.arrivedOn) },
  { header: '问题总数', kind: 'number', value: (r) => r.c.state.problems.length },
  { header: '问题已销号', kind: 'number', value: (r) => r.c.state.problems.filter((p) => p.status === 'closed').length },
  { header: '问题清单已确认', value: (r) => yesNo(!!r.c.state.problemListConfirmedAt) },
  { header: '措施总数', kind: 'number', value: (r) => r.c.state.measures.length },
  { header: '措施已完成', kind: 'number', value: (r) => r.c.state.measures.filter((m) => m.status === 'done').length },
  { header: '方案已审定', value: (r) => yesNo(!!r.c.state.planApprovedAt) },
  { header: '书记需选配', value: (r) => yesNo(r.c.state.secretary.required) },
  { header: '书记选配期限', kind: 'date', value: (r) => excelDate(r.c.state.secretary.deadline) },
  // 延期 (issue 20): each extended deadline with its original date, the new one and how many times.
  { header: '延期', value: (r) => extensionLines(r.c.state).join('\n') },
  { header: '书记已到位', value: (r) => (r.c.state.secretary.required ? yesNo(!!r.c.state.secretary.appointment) : '无需选配') },
  { header: '新任书记', value: (r) => r.c.state.secretary.appointment?.name ?? '' },
  { header: '集体经济项目数', kind: 'number', value: (r) => r.c.state.projects.length },
  { header: '集体经济项目', value: (r) => r.c.state.projects.map((p) => p.name).join('、') },
  ...TRACKS.map(trackColumn),
  {
    header: '年底转化预测',
    // A case taken off the list is not forecast: it says so (移出名单) instead.
    value: (r) => (r.c.state.stage === 'removed' ? CASE_STAGE_LABELS.removed : OUTLOOK_LABELS[r.outlook]),
    fill: (r) =>
      r.c.state.stage === 'removed' ? undefined : r.outlook === 'converted' || r.outlook === 'would_pass_now' ? STATUS_FILL.done : r.outlook === 'on_track' ? undefined : STATUS_FILL.overdue,
  },
  { header: '分类整顿（第六项）', value: (r) => r.c.state.practice?.playbook.sixthTrack ?? '' },
  { header: '督导把关', value: (r) => inspectionLines(r.c.state).join('\n') },
  { header: '验收评分', value: (r) => scoringLine(r.c.state) },
  { header: '验收日期', kind: 'date', value: (r) => excelDate(r.c.state.acceptedAt ? shanghaiDateOf(Date.parse(r.c.state.acceptedAt)) : null) },
  { header: '年底逾期', value: (r) => yesNo(r.c.state.stage !== 'removed' && r.yearEndMissed) },
];

const RECORD_KIND_LABELS: Record<RecordEntry['kind'], string> = { visit: '调研指导', practical_thing: '实事好事', team: '队伍进驻', consultation: '征求意见', secretary: '书记任职', training: '专题培训' };

const PROBLEM_COLUMNS: SheetColumn<ProblemRow>[] = [
  { header: '乡镇（街道）', value: (r) => r.township },
  { header: '基层党组织', value: (r) => r.c.organizationName },
  { header: '问题编号', value: (r) => r.p.id },
  { header: '原因代码', value: (r) => r.p.reasonCode },
  { header: '原因类别', value: (r) => DESIGNATION_REASON_LABELS[r.p.reasonCode] ?? '' },
  { header: '整治方向', value: (r) => r.p.cureTag },
  { header: '问题描述', value: (r) => r.p.description },
  { header: '病灶（根源）', value: (r) => r.p.rootCause },
  { header: '佐证材料', value: (r) => r.p.evidence },
  { header: '状态', value: (r) => (r.p.status === 'closed' ? '已销号' : '未销号'), fill: (r) => (r.p.status === 'closed' ? STATUS_FILL.done : undefined) },
  { header: '发现人', value: (r) => r.p.foundBy?.name ?? '' },
  { header: '发现时间', kind: 'datetime', value: (r) => excelDateTime(r.p.foundAt) },
  { header: '销号时间', kind: 'datetime', value: (r) => excelDateTime(r.p.closedAt) },
  { header: '销号佐证', value: (r) => r.p.fixEvidence ?? '' },
];

const VISIT_COLUMNS: SheetColumn<VisitRow>[] = [
  { header: '乡镇（街道）', value: (r) => r.township },
  { header: '基层党组织', value: (r) => r.c.organizationName },
  { header: '联系领导', value: (r) => r.leader },
  { header: '调研日期', kind: 'date', value: (r) => excelDate(r.v.visitedOn) },
  { header: '季度', value: (r) => quarterLabel(r.v.quarter) },
  { header: '地点', value: (r) => r.v.place },
  { header: '调研指导内容', value: (r) => r.v.summary },
  { header: '发现问题', value: (r) => (r.v.problemsFound ?? []).join('；') },
  { header: '记录人', value: (r) => r.v.recordedBy?.name ?? '' },
];

const ESCALATION_STATUS_LABELS = { open: '待签收', acknowledged: '已签收', resolved: '已办结' } as const;
const escalationStatus = (r: EscalationRow) => (r.resolved_at ? 'resolved' : r.acknowledged_at ? 'acknowledged' : 'open');

const escalationColumns = (townshipName: (id: string) => string): SheetColumn<EscalationRow>[] => [
  { header: '乡镇（街道）', value: (r) => townshipName(r.township_id) },
  { header: '基层党组织', value: (r) => r.organization_name },
  { header: '问责层级', value: (r) => NOTICE_RUNG_LABELS[r.rung] ?? r.rung },
  { header: '事项类别', value: (r) => DEADLINE_KIND_LABELS[r.kind] ?? r.kind },
  { header: '事项', value: (r) => r.title },
  { header: '事由', value: (r) => r.reason },
  { header: '期限', kind: 'date', value: (r) => excelDate(r.deadline) },
  { header: '逾期天数', kind: 'number', value: (r) => Number(r.days_overdue) },
  { header: '发起时间', kind: 'datetime', value: (r) => excelDateTime(r.raised_at) },
  { header: '已签收', value: (r) => yesNo(!!r.acknowledged_at) },
  { header: '签收人', value: (r) => r.acknowledged_by_name ?? '' },
  { header: '签收时间', kind: 'datetime', value: (r) => excelDateTime(r.acknowledged_at) },
  { header: '签收说明', value: (r) => r.acknowledgement_note ?? '' },
  { header: '办结时间', kind: 'datetime', value: (r) => excelDateTime(r.resolved_at) },
  { header: '办结说明', value: (r) => r.resolution_note ?? '' },
  {
    header: '状态',
    // Closed by an approved extension (延期), not by the work: it reads 已延期, as on the case page.
    value: (r) => (resolvedByExtension(r.resolution_note) ? EXTENDED_RESOLUTION : ESCALATION_STATUS_LABELS[escalationStatus(r)]),
    fill: (r) => (escalationStatus(r) === 'resolved' ? STATUS_FILL.done : STATUS_FILL.overdue),
  },
];

/** The name of whoever led a visit: the contact leader then (current or earlier), else who recorded it. */
function visitLeaderName(s: CaseState, v: GuidanceVisit): string {
  const leaders = [...(s.contactLeader ? [s.contactLeader] : []), ...s.previousContactLeaders];
  return leaders.find((l) => l.id === v.leaderId)?.name ?? v.recordedBy?.name ?? '';
}

/** Excel exports of a batch (整顿台账、问题清单、调研指导、督办台账), scoped like the dashboard. */
@Injectable()
export class ExportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: DashboardReadModel,
  ) {}

  private fileName(kind: ExportKind, r: ResolvedScope): ExportFile['disposition'] {
    const township = r.townshipId ? `-${r.townships[0]?.name ?? ''}` : '';
    return attachmentDisposition(`${kind}.xlsx`, `${EXPORT_TITLES[kind]}-${r.batchYear}${township}.xlsx`);
  }

  private townshipNames(r: ResolvedScope): (id: string) => string {
    const names = new Map(r.townships.map((t) => [t.id, t.name]));
    return (id) => names.get(id) ?? '';
  }

  /** Cases grouped by township in the townships' order, then by organization name. */
  private byTownship(r: ResolvedScope, cases: CaseRecord[]): CaseRecord[] {
    const order = new Map(r.townships.map((t, i) => [t.id, i]));
    return [...cases].sort((a, b) => (order.get(a.townshipId) ?? 1e9) - (order.get(b.townshipId) ?? 1e9));
  }

  async export(kind: ExportKind, user: AuthUser, query: DashboardQuery, nowMs = Date.now()): Promise<ExportFile> {
    const r = await this.readModel.resolve(user, query);
    const township = this.townshipNames(r);
    const title = EXPORT_TITLES[kind];
    let buffer: Buffer;
    if (kind === 'escalations') {
      buffer = await buildWorkbook(title, escalationColumns(township), await this.escalations(r), nowMs);
    } else {
      const cases = this.byTownship(r, await this.readModel.cases(r));
      if (kind === 'ledger') {
        // Tracks and the one year-end outlook as the overview and the batch view give them: decided in
        // SQL over the rows' aggregate columns.
        const verdicts = new Map((await this.readModel.verdicts(r, shanghaiDateOf(nowMs))).map((v) => [v.id, v]));
        const rows = cases.flatMap((c): LedgerRow[] => {
          const v = verdicts.get(c.id);
          return v ? [{ c, township: township(c.townshipId), tracks: tracksOf(v), outlook: v.outlook, yearEndMissed: v.year_end_missed }] : [];
        });
        buffer = await buildWorkbook(title, LEDGER_COLUMNS, rows, nowMs);
      } else if (kind === 'attachments') {
        buffer = await buildWorkbook(title, ATTACHMENT_COLUMNS, await attachmentRows(this.dataSource, this.readModel, r, cases, township), nowMs);
      } else if (kind === 'problems') {
        const rows = cases.flatMap((c) => c.state.problems.map((p): ProblemRow => ({ c, township: township(c.townshipId), p })));
        buffer = await buildWorkbook(title, PROBLEM_COLUMNS, rows, nowMs);
      } else {
        const rows = cases.flatMap((c) =>
          [...c.state.visits]
            .sort((a, b) => a.visitedOn.localeCompare(b.visitedOn))
            .map((v): VisitRow => ({ c, township: township(c.townshipId), v, leader: visitLeaderName(c.state, v) })),
        );
        buffer = await buildWorkbook(title, VISIT_COLUMNS, rows, nowMs);
      }
    }
    return { buffer, disposition: this.fileName(kind, r) };
  }

  /** One query: every escalation of the batch's cases in scope, oldest first. */
  private escalations(r: ResolvedScope): Promise<EscalationRow[]> {
    const qb = this.dataSource
      .getRepository(EscalationEntity)
      .createQueryBuilder('e')
      .innerJoin(RectificationCaseEntity, 'c', 'c.id = e.case_id')
      .select([
        'c.township_id AS township_id',
        'e.organization_name AS organization_name',
        'e.rung AS rung',
        'e.kind AS kind',
        'e.title AS title',
        'e.reason AS reason',
        `to_char(e.deadline, 'YYYY-MM-DD') AS deadline`,
        'e.days_overdue AS days_overdue',
        'e.raised_at AS raised_at',
        'e.acknowledged_by_name AS acknowledged_by_name',
        'e.acknowledged_at AS acknowledged_at',
        'e.acknowledgement_note AS acknowledgement_note',
        'e.resolved_at AS resolved_at',
        'e.resolution_note AS resolution_note',
      ]);
    return this.readModel.restrictCases(qb, r).orderBy('e.raised_at', 'ASC').addOrderBy('e.id', 'ASC').getRawMany<EscalationRow>();
  }
}
