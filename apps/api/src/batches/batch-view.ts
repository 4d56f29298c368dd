import {
  ACCEPTANCE_CONDITIONS,
  CASE_STAGES,
  OUTLOOK_LABELS,
  compareDates,
  daysBetween,
  emptyOutlookCounts,
  expectedByYearEnd,
  isConverted,
  quarterKey,
  quarterOf,
  quartersBetween,
  shanghaiDateOf,
  stageLabel as stageName,
  yearEndOf,
  type AcceptanceConditionCode,
  type CaseStage,
} from '../../../../libs/domain';
import type { BatchCaseRow, BatchTotals, BatchView, DashboardScope, OffListCaseRow, TownshipRef, UnmetCondition } from '../../../../libs/http';
import type { VerdictRow } from '../dashboard/dashboard-read-model';

export type { BatchCaseRow, BatchTotals, BatchView, OffListCaseRow, UnmetCondition };

/**
 * The batch view (整顿批次): where each case of a year's batch stands, and what the year-end conversion
 * would look like if the county assessed every case now — a pure function of the read model's case
 * rows with their verdicts decided in SQL, the per-case task and escalation counts, and "now" (dates in Asia/Shanghai).
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

function offListRow(c: VerdictRow, townshipName: string): OffListCaseRow {
  const off = c.card.offList;
  return {
    caseId: c.id,
    organizationId: c.organization_id,
    organizationName: c.organization_name,
    townshipId: c.township_id,
    townshipName,
    stage: c.stage,
    stageLabel: stageLabel(c.stage),
    reason: off?.reason ?? '',
    fromStage: (off?.fromStage as CaseStage | null) ?? null,
    at: off?.at ?? null,
    by: off?.by ?? null,
  };
}

/** Quarters from the first owed up to the one before `today`'s short of the policy's visits (acceptance's missedQuarters). */
function missedQuarters(c: VerdictRow, today: string): string[] {
  if (!c.visit_first_quarter) return [];
  const current = quarterKey(quarterOf(today));
  return quartersBetween(c.visit_first_quarter, today)
    .map(quarterKey)
    .filter((k) => k !== current && (c.visit_quarters[k]?.n ?? 0) < c.visits_per_quarter);
}

/** The conditions of acceptance a case does not meet on `today`, in their order, each with what is missing. */
export function unmetConditions(c: VerdictRow, today: string): UnmetCondition[] {
  if (c.is_converted) return [];
  const codes = new Set(c.accept_unmet as AcceptanceConditionCode[]);
  if (c.visits_missed) codes.add('QUARTERLY_VISITS');
  if (c.term_over) codes.add('SECRETARY_IN_PLACE');
  // The case's own conditions in their order and words (rows projected before they were kept: the catalogue's).
  const own = c.card.conditions ?? CONDITION_ORDER.map((code) => ({ code, ...ACCEPTANCE_CONDITIONS[code] }));
  return own.filter(({ code }) => codes.has(code)).map(({ code, zh, en }): UnmetCondition => {
    let missing = c.card.missing?.[code];
    if (code === 'QUARTERLY_VISITS') {
      const missed = missedQuarters(c, today);
      if (missed.length) missing = `以下季度调研指导不足${c.visits_per_quarter}次：${missed.join('、')}`;
    } else if (code === 'SECRETARY_IN_PLACE' && c.term_over && !c.accept_unmet.includes(code)) {
      missing = `第一书记任期已于 ${c.secretary_term_ends_on} 届满，尚未从本村产生书记接任`;
    }
    return { code, zh, en, ...(missing ? { missing } : {}) };
  });
}

const iso = (d: Date | string | null): string | null => (d == null ? null : new Date(d).toISOString());

function caseRow(c: VerdictRow, townshipName: string, counts: CaseCounts, today: string): BatchCaseRow {
  // The one year-end outlook (libs/domain/outlook.ts), decided in SQL: the overview and the exports give the same.
  const unmet = unmetConditions(c, today);
  const card = c.card;
  const leader = card.contactLeader;
  return {
    caseId: c.id,
    organizationId: c.organization_id,
    organizationName: c.organization_name,
    townshipId: c.township_id,
    townshipName,
    stage: c.stage,
    stageLabel: stageLabel(c.stage),
    reasons: c.reasons as BatchCaseRow['reasons'],
    designatedAt: iso(c.designated_at),
    contactLeader: leader ? { id: leader.id, name: leader.name, title: leader.title as string, isCountyPartySecretary: leader.isCountyPartySecretary as boolean } : null,
    team: card.team,
    problems: { open: c.problems_open, closed: c.problems_closed, confirmed: card.problemListConfirmed },
    measures: { done: c.measures_done, total: c.measures_total, planApproved: card.planApproved },
    secretary: {
      required: c.secretary_required,
      appointed: card.secretaryAppointed,
      name: card.secretaryName,
      deadline: c.secretary_deadline,
      overdue: c.secretary_overdue && !card.secretaryAppointed,
    },
    projects: { count: c.projects_count, names: card.projectNames },
    visitsThisQuarter: c.visits_this_quarter,
    tasks: { open: counts.openTasks, overdue: counts.overdueTasks },
    openEscalations: counts.openEscalations,
    outlook: {
      status: c.outlook,
      label: OUTLOOK_LABELS[c.outlook],
      met: c.is_converted ? c.accept_total : c.accept_total - unmet.length,
      total: c.accept_total,
      unmet,
      daysLeft: c.days_left,
      daysNeeded: c.days_needed,
      yearEndMissed: c.year_end_missed,
    },
    yearEndDeadline: c.year_end_deadline,
    acceptedAt: iso(c.accepted_at),
  };
}

/**
 * The batch view of the given cases (already scoped and of one batch). `townships` orders the rows
 * (then by organization name) and names them; `counts` holds each case's open tasks and escalations.
 */
export function batchView(
  input: { batchYear: number; scope: DashboardScope; townships: TownshipRef[] },
  cases: VerdictRow[],
  counts: ReadonlyMap<string, CaseCounts>,
  nowMs: number,
): BatchView {
  const today = shanghaiDateOf(nowMs);
  const names = new Map(input.townships.map((t) => [t.id, t.name]));
  const order = new Map(input.townships.map((t, i) => [t.id, i]));
  const sorted = [...cases].sort(
    (a, b) =>
      (order.get(a.township_id) ?? 1e9) - (order.get(b.township_id) ?? 1e9) ||
      a.organization_name.localeCompare(b.organization_name, 'zh-CN') ||
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
    const township = names.get(c.township_id) ?? '';
    stages[c.stage] = (stages[c.stage] ?? 0) + 1;
    if (standingOf(c.stage) === 'off_list') {
      totals.removed += 1;
      removed.push(offListRow(c, township));
      continue;
    }
    const counted = counts.get(c.id) ?? NO_COUNTS;
    const row = caseRow(c, township, counted, today);
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
    .map(([code, n]) => ({ code, zh: ACCEPTANCE_CONDITIONS[code]?.zh ?? code, en: ACCEPTANCE_CONDITIONS[code]?.en ?? code, cases: n }));

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
