import {
  ACCEPTANCE_CONDITIONS,
  CASE_STAGES,
  OUTLOOK_LABELS,
  compareDates,
  daysBetween,
  emptyOutlookCounts,
  expectedByYearEnd,
  isConverted,
  outlookOf,
  quarterKey,
  quarterOf,
  shanghaiDateOf,
  stageLabel as stageName,
  yearEndOf,
  type AcceptanceConditionCode,
  type CaseStage,
  type CaseState,
} from '../../../../libs/domain';
import type { BatchCaseRow, BatchTotals, BatchView, DashboardScope, OffListCaseRow, TownshipRef, UnmetCondition } from '../../../../libs/http';
import type { CaseRecord } from '../dashboard/dashboard-read-model';

export type { BatchCaseRow, BatchTotals, BatchView, OffListCaseRow, UnmetCondition };

/**
 * The batch view (整顿批次): where each case of a year's batch stands, and what the year-end conversion
 * would look like if the county assessed every case now — a pure function of the read model's case
 * states, the per-case task and escalation counts, and "now" (dates in Asia/Shanghai).
 */

/** Stages of a case still on the list and not yet accepted: the ones the outlook is about. */
export const ACTIVE_STAGES: readonly string[] = ['designated', 'rectifying', 'awaiting_acceptance'];

/**
 * on_list_active: being rectified; converted: accepted (验收销号), follow-up included; off_list: any other
 * stage — a case taken off the list (移出名单) and whatever terminal stage may come — shown apart, with its
 * reason, and left out of the outlook.
 */
export type CaseStanding = 'active' | 'converted' | 'off_list';

export function standingOf(stage: string): CaseStanding {
  if (ACTIVE_STAGES.includes(stage)) return 'active';
  if (isConverted({ stage: stage as CaseStage })) return 'converted';
  return 'off_list';
}

/** The Chinese name of a stage (libs/domain/labels.ts: one name per stage). */
export function stageLabel(stage: string): string {
  return stageName(stage);
}

export interface CaseCounts {
  openTasks: number;
  overdueTasks: number;
  openEscalations: number;
}

const NO_COUNTS: CaseCounts = { openTasks: 0, overdueTasks: 0, openEscalations: 0 };
const CONDITION_ORDER = Object.keys(ACCEPTANCE_CONDITIONS) as AcceptanceConditionCode[];

function offListRow(c: CaseRecord, townshipName: string): OffListCaseRow {
  const s = c.state;
  // 移出名单 keeps its record in state.removal; any other stage off the list, in the stage change's reason.
  const removal = (s as unknown as { removal?: { at?: string; by?: { name?: string }; reason?: string; fromStage?: string } }).removal;
  const change = [...(s.stageHistory ?? [])].reverse().find((h) => (h.to as string) === (s.stage as string));
  return {
    caseId: c.id,
    organizationId: s.organizationId,
    organizationName: c.organizationName,
    townshipId: c.townshipId,
    townshipName,
    stage: s.stage,
    stageLabel: stageLabel(s.stage),
    reason: removal?.reason || change?.reason || '',
    fromStage: removal?.fromStage ?? change?.from ?? null,
    at: removal?.at ?? change?.at ?? null,
    by: removal?.by?.name ?? change?.actor?.name ?? null,
  };
}

function caseRow(c: CaseRecord, townshipName: string, counts: CaseCounts, nowMs: number, currentQuarter: string): BatchCaseRow {
  const s: CaseState = c.state;
  // The one year-end outlook (libs/domain/outlook.ts): the overview and the exports give the same.
  const o = outlookOf(s, nowMs);
  const unmet = o.unmet.map(({ code, zh, en, missing }): UnmetCondition => ({ code, zh, en, ...(missing ? { missing } : {}) }));
  const team = s.team;
  const leader = s.contactLeader;
  return {
    caseId: c.id,
    organizationId: s.organizationId,
    organizationName: c.organizationName,
    townshipId: c.townshipId,
    townshipName,
    stage: s.stage,
    stageLabel: stageLabel(s.stage),
    reasons: s.reasons,
    designatedAt: s.designatedAt ?? null,
    contactLeader: leader ? { id: leader.id, name: leader.name, title: leader.title, isCountyPartySecretary: leader.isCountyPartySecretary } : null,
    team: team
      ? { size: team.members.length, leaderName: team.members.find((m) => m.isLeader)?.name ?? null, arrivedOn: team.arrivedOn, attached: !team.releasedAt }
      : null,
    problems: {
      open: s.problems.filter((p) => p.status === 'open').length,
      closed: s.problems.filter((p) => p.status === 'closed').length,
      confirmed: !!s.problemListConfirmedAt,
    },
    measures: { done: s.measures.filter((m) => m.status === 'done').length, total: s.measures.length, planApproved: !!s.planApprovedAt },
    secretary: {
      required: s.secretary.required,
      appointed: !!s.secretary.appointment,
      name: s.secretary.appointment?.name ?? null,
      deadline: s.secretary.deadline ?? null,
      overdue: s.secretary.overdue && !s.secretary.appointment,
    },
    projects: { count: s.projects.length, names: s.projects.map((p) => p.name) },
    visitsThisQuarter: s.visits.filter((v) => v.quarter === currentQuarter).length,
    tasks: { open: counts.openTasks, overdue: counts.overdueTasks },
    openEscalations: counts.openEscalations,
    outlook: {
      status: o.outlook,
      label: OUTLOOK_LABELS[o.outlook],
      met: o.met,
      total: o.total,
      unmet,
      daysLeft: o.daysLeft,
      daysNeeded: o.daysNeeded,
      yearEndMissed: o.yearEndMissed,
    },
    yearEndDeadline: s.yearEndDeadline,
    acceptedAt: s.acceptedAt ?? null,
  };
}

/**
 * The batch view of the given cases (already scoped and of one batch). `townships` orders the rows
 * (then by organization name) and names them; `counts` holds each case's open tasks and escalations.
 */
export function batchView(
  input: { batchYear: number; scope: DashboardScope; townships: TownshipRef[] },
  cases: CaseRecord[],
  counts: ReadonlyMap<string, CaseCounts>,
  nowMs: number,
): BatchView {
  const today = shanghaiDateOf(nowMs);
  const currentQuarter = quarterKey(quarterOf(today));
  const names = new Map(input.townships.map((t) => [t.id, t.name]));
  const order = new Map(input.townships.map((t, i) => [t.id, i]));
  const sorted = [...cases].sort(
    (a, b) =>
      (order.get(a.townshipId) ?? 1e9) - (order.get(b.townshipId) ?? 1e9) ||
      a.organizationName.localeCompare(b.organizationName, 'zh-CN') ||
      a.id.localeCompare(b.id),
  );

  const stages: Record<string, number> = Object.fromEntries(CASE_STAGES.map((s) => [s, 0]));
  const outlook = emptyOutlookCounts();
  const totals: BatchTotals = {
    cases: 0,
    converted: 0,
    outlook,
    expectedByYearEnd: 0,
    wouldConvert: 0,
    wouldNot: 0,
    removed: 0,
    stages,
    topUnmet: [],
    openTasks: 0,
    overdueTasks: 0,
    openEscalations: 0,
  };
  const unmetCount = new Map<AcceptanceConditionCode, number>();
  const rows: BatchCaseRow[] = [];
  const removed: OffListCaseRow[] = [];

  for (const c of sorted) {
    const township = names.get(c.townshipId) ?? '';
    stages[c.state.stage] = (stages[c.state.stage] ?? 0) + 1;
    if (standingOf(c.state.stage) === 'off_list') {
      totals.removed += 1;
      removed.push(offListRow(c, township));
      continue;
    }
    const counted = counts.get(c.id) ?? NO_COUNTS;
    const row = caseRow(c, township, counted, nowMs, currentQuarter);
    rows.push(row);
    totals.cases += 1;
    totals.openTasks += counted.openTasks;
    totals.overdueTasks += counted.overdueTasks;
    totals.openEscalations += counted.openEscalations;
    outlook[row.outlook.status] += 1;
    for (const u of row.outlook.unmet) unmetCount.set(u.code, (unmetCount.get(u.code) ?? 0) + 1);
  }
  totals.converted = outlook.converted;
  totals.expectedByYearEnd = expectedByYearEnd(outlook);
  totals.wouldConvert = outlook.would_pass_now + outlook.on_track;
  totals.wouldNot = outlook.at_risk + outlook.will_miss;

  totals.topUnmet = [...unmetCount.entries()]
    .sort(([a, n], [b, m]) => m - n || CONDITION_ORDER.indexOf(a) - CONDITION_ORDER.indexOf(b))
    .map(([code, n]) => ({ code, zh: ACCEPTANCE_CONDITIONS[code].zh, en: ACCEPTANCE_CONDITIONS[code].en, cases: n }));

  // Every case carries its batch's deadline (state.yearEndDeadline): the earliest of those on the list.
  const yearEnd = rows.map((r) => r.yearEndDeadline).sort(compareDates)[0] ?? yearEndOf(input.batchYear);
  return {
    batchYear: input.batchYear,
    scope: input.scope,
    townships: input.townships,
    today,
    yearEnd,
    daysLeft: daysBetween(today, yearEnd),
    totals,
    cases: rows,
    removed,
  };
}
