import {
  acceptanceConditions,
  courseDays,
  extendedDeadlines,
  extensionsOf,
  isConverted,
  nextQuarter,
  quarterEnd,
  quarterKey,
  quarterOf,
  quarterStart,
  shanghaiDateOf,
  undecided,
  unbent,
  visitCounts,
  yearEndOf,
  type AcceptanceConditionCode,
  type CaseState,
  type LocalDate,
  type Quarter,
} from '../domain';

/**
 * The aggregate columns of a case row (issue 17): what the dashboards, the batch view and the exports
 * need, written by the projection so that every request is SQL over columns, never an evaluation of the
 * case JSON. Whatever depends on "now" is stored as its dated inputs (a deadline, the end of the first
 * quarter short of visits, a first secretary's term end) and decided in SQL against the request's day
 * (`caseVerdictColumns`), with the same rules as libs/domain/dashboard.ts and outlook.ts.
 */

/** Display data of the batch view and the ledger export that no query filters on. */
export interface CaseCard {
  contactLeader: { id: string; name: string; title?: string; isCountyPartySecretary?: boolean } | null;
  team: { size: number; leaderName: string | null; arrivedOn: LocalDate; attached: boolean } | null;
  problemListConfirmed: boolean;
  planApproved: boolean;
  secretaryName: string | null;
  secretaryAppointed: boolean;
  projectNames: string[];
  /** Why each condition of acceptance unmet regardless of the day is unmet (its `missing`). */
  missing: Partial<Record<AcceptanceConditionCode, string>>;
  /** The case's conditions of acceptance in their order, with their words (a playbook words some its own way). */
  conditions?: { code: AcceptanceConditionCode; zh: string; en: string }[];
  /** Visits on record (代录 not yet confirmed included). */
  visitsRecorded: number;
  /** Deadlines moved by an approved 延期: what, how many times, the original date and the current one. */
  extended?: { title: string; times: number; originalDueOn: LocalDate; dueOn: LocalDate }[];
  /** Off the list: the removal, or the stage change that took it off. */
  offList: { reason: string; fromStage: string | null; at: string | null; by: string | null; removedBy: unknown } | null;
}

export interface CaseAggregates {
  yearEndDeadline: LocalDate;
  teamDone: boolean;
  problemsDone: boolean;
  projectDone: boolean;
  planDone: boolean;
  /** The earliest due day of the measures not done, and every one of them. */
  measuresNextDue: LocalDate | null;
  measuresUndoneDue: LocalDate[];
  /** No new secretary needed, or one appointed. */
  secretaryDone: boolean;
  /** Rules v2: a first secretary's term end, after which SECRETARY_IN_PLACE is unmet. */
  secretaryTermEndsOn: LocalDate | null;
  /**
   * The last day of the first quarter, from the one the first contact leader was assigned in, with
   * fewer counted visits than the policy asks: a completed quarter missed its visit once this day has
   * passed (null: no leader ever, or no visits asked).
   */
  leaderGapEnd: LocalDate | null;
  /** First day of the quarter the first contact leader was assigned in. */
  visitFirstQuarter: LocalDate | null;
  /** A converted case owes visits only in quarters before its acceptance: the first day of the last one owed. */
  visitOwedUntil: LocalDate | null;
  visitsPerQuarter: number;
  /** Per quarter key: counted visits (n) and every visit on record (all). */
  visitQuarters: Record<string, { n: number; all: number }>;
  acceptTotal: number;
  /** Conditions of acceptance unmet whatever the day (the day-dependent ones are decided in SQL). */
  acceptUnmet: AcceptanceConditionCode[];
  courseDays: number;
  orgHandlingAwaiting: number;
  orgHandlingDecided: number;
  orgHandlingMeasures: string[];
  /** Deadlines moved by an approved extension (延期), and requests awaiting the county's decision. */
  deadlinesExtended: number;
  extensionsPending: number;
  card: CaseCard;
}

const EPOCH = 0;

function firstQuarterShort(state: CaseState, from: Quarter, perQuarter: number, counted: Record<string, number>): Quarter {
  let q = from;
  // Visits are finite: at most one quarter per visit can be full.
  for (let i = 0; i <= state.visits.length && (counted[quarterKey(q)] ?? 0) >= perQuarter; i++) q = nextQuarter(q);
  return q;
}

/** The aggregate columns of a state; a pure function of it (no clock). */
export function caseAggregates(state: CaseState): CaseAggregates {
  const policy = state.policy;
  const visits = state.visits ?? [];
  const later = unbent(state);
  const counted: Record<string, number> = {};
  const visitQuarters: Record<string, { n: number; all: number }> = {};
  for (const v of visits) {
    const slot = (visitQuarters[v.quarter] ??= { n: 0, all: 0 });
    slot.all += 1;
    if (visitCounts(v)) {
      slot.n += 1;
      counted[v.quarter] = (counted[v.quarter] ?? 0) + 1;
    }
  }
  const first = state.previousContactLeaders?.[0] ?? state.contactLeader;
  const firstQ = first ? quarterOf(shanghaiDateOf(Date.parse(first.assignedAt))) : null;
  const perQuarter = policy.visitsPerQuarter;
  const leaderGapEnd = firstQ && perQuarter > 0 ? quarterEnd(firstQuarterShort(state, firstQ, perQuarter, counted)) : null;
  let visitOwedUntil: LocalDate | null = null;
  if (isConverted(state)) {
    const accepted = state.acceptedAt ? quarterOf(shanghaiDateOf(Date.parse(state.acceptedAt))) : null;
    // The quarter before the one of acceptance; none at all without an acceptance date.
    visitOwedUntil = accepted ? quarterStart(accepted.quarter === 1 ? { year: accepted.year - 1, quarter: 4 } : { year: accepted.year, quarter: (accepted.quarter - 1) as Quarter['quarter'] }) : '0001-01-01';
  }

  // At the epoch no quarter has ended and no term has run out: what is left unmet is unmet whatever the day.
  const conditions = acceptanceConditions(state, EPOCH);
  const unmet = conditions.filter((c) => !c.met);
  const missing: Partial<Record<AcceptanceConditionCode, string>> = {};
  for (const c of unmet) if (c.missing !== undefined) missing[c.code] = c.missing;

  const s = state.secretary;
  const undone = state.measures.filter((m) => m.status !== 'done').map((m) => m.dueOn).sort();
  const team = state.team;
  const removal = state.removal;
  const offStage = !['designated', 'rectifying', 'awaiting_acceptance'].includes(state.stage) && !isConverted(state);
  const change = offStage ? [...(state.stageHistory ?? [])].reverse().find((h) => (h.to as string) === (state.stage as string)) : undefined;
  const handling = state.organizationalHandling;
  const leader = state.contactLeader;
  return {
    yearEndDeadline: state.yearEndDeadline ?? yearEndOf(state.batchYear),
    teamDone: !!team && !team.releasedAt && team.members.length >= policy.teamMinSize,
    problemsDone: !!state.problemListConfirmedAt && state.problems.length > 0 && state.problems.every((p) => p.status === 'closed'),
    projectDone: state.projects.length >= policy.minCollectiveProjects,
    planDone: !!state.planApprovedAt && state.measures.length > 0 && undone.length === 0,
    measuresNextDue: undone[0] ?? null,
    measuresUndoneDue: undone,
    secretaryDone: !s.required || !!s.appointment,
    secretaryTermEndsOn: later && s.required && s.appointment?.source === 'first_secretary' && s.appointment.termEndsOn ? s.appointment.termEndsOn : null,
    leaderGapEnd,
    visitFirstQuarter: firstQ ? quarterStart(firstQ) : null,
    visitOwedUntil,
    visitsPerQuarter: perQuarter,
    visitQuarters,
    acceptTotal: conditions.length,
    acceptUnmet: unmet.map((c) => c.code),
    courseDays: courseDays(policy),
    orgHandlingAwaiting: handling ? undecided(state).length : 0,
    orgHandlingDecided: handling?.decisions.length ?? 0,
    orgHandlingMeasures: handling?.decisions.map((d) => d.measure) ?? [],
    deadlinesExtended: extendedDeadlines(state).length,
    extensionsPending: extensionsOf(state).filter((x) => x.status === 'pending').length,
    card: {
      contactLeader: leader ? { id: leader.id, name: leader.name, title: leader.title, isCountyPartySecretary: leader.isCountyPartySecretary } : null,
      team: team ? { size: team.members.length, leaderName: team.members.find((m) => m.isLeader)?.name ?? null, arrivedOn: team.arrivedOn, attached: !team.releasedAt } : null,
      problemListConfirmed: !!state.problemListConfirmedAt,
      planApproved: !!state.planApprovedAt,
      secretaryName: s.appointment?.name ?? null,
      secretaryAppointed: !!s.appointment,
      projectNames: state.projects.map((p) => p.name),
      missing,
      conditions: conditions.map(({ code, zh, en }) => ({ code, zh, en })),
      visitsRecorded: visits.length,
      extended: extendedDeadlines(state).map(({ title, times, originalDueOn, dueOn }) => ({ title, times, originalDueOn, dueOn })),
      offList:
        state.stage === 'removed' || offStage
          ? {
              reason: removal?.reason || change?.reason || '',
              fromStage: removal?.fromStage ?? change?.from ?? null,
              at: removal?.at ?? change?.at ?? null,
              by: removal?.by?.name ?? change?.actor?.name ?? null,
              removedBy: removal?.by ?? null,
            }
          : null,
    },
  };
}

/** The aggregate columns in the order of `AGGREGATE_COLUMNS`, as SQL parameters. */
export function aggregateParams(a: CaseAggregates): unknown[] {
  return [
    a.yearEndDeadline,
    a.teamDone,
    a.problemsDone,
    a.projectDone,
    a.planDone,
    a.measuresNextDue,
    a.measuresUndoneDue,
    a.secretaryDone,
    a.secretaryTermEndsOn,
    a.leaderGapEnd,
    a.visitFirstQuarter,
    a.visitOwedUntil,
    a.visitsPerQuarter,
    JSON.stringify(a.visitQuarters),
    a.acceptTotal,
    a.acceptUnmet,
    a.courseDays,
    a.orgHandlingAwaiting,
    a.orgHandlingDecided,
    a.orgHandlingMeasures,
    a.deadlinesExtended,
    a.extensionsPending,
    JSON.stringify(a.card),
  ];
}

/** Column names of `aggregateParams`, with the SQL cast of each parameter. */
export const AGGREGATE_COLUMNS: readonly (readonly [string, string])[] = [
  ['year_end_deadline', 'date'],
  ['team_done', 'boolean'],
  ['problems_done', 'boolean'],
  ['project_done', 'boolean'],
  ['plan_done', 'boolean'],
  ['measures_next_due', 'date'],
  ['measures_undone_due', 'date[]'],
  ['secretary_done', 'boolean'],
  ['secretary_term_ends_on', 'date'],
  ['leader_gap_end', 'date'],
  ['visit_first_quarter', 'date'],
  ['visit_owed_until', 'date'],
  ['visits_per_quarter', 'int'],
  ['visit_quarters', 'jsonb'],
  ['accept_total', 'int'],
  ['accept_unmet', 'text[]'],
  ['course_days', 'int'],
  ['org_handling_awaiting', 'int'],
  ['org_handling_decided', 'int'],
  ['org_handling_measures', 'text[]'],
  ['deadlines_extended', 'int'],
  ['extensions_pending', 'int'],
  ['card', 'jsonb'],
];

/** How many days of a date[] column (`measures_undone_due`, `open_tasks_due`) lie before `today`, an SQL expression. */
export function daysPastSql(days: string, today: string): string {
  return `(SELECT count(*) FROM unnest(${days}) AS d(d) WHERE d.d < ${today})`;
}

/** Stages after acceptance (libs/domain/dashboard.ts isConverted). */
export const CONVERTED_STAGES_SQL = `('converted', 'follow_up_review', 'closed')`;

/**
 * The day-dependent verdicts of a case row `c` on the day `today` (an SQL date expression), as
 * SELECT items: the six tracks (done / due_soon / overdue / open), whether each day-dependent condition
 * of acceptance is unmet, the number unmet, days left to the deadline, whether the deadline is missed,
 * and the measures overdue. The same rules as caseTracks, acceptanceConditions and yearEndMissed.
 */
export function caseVerdictColumns(c: string, today: string): string {
  const conv = `${c}.stage IN ${CONVERTED_STAGES_SQL}`;
  const due = (d: string) => `CASE WHEN ${d} < ${today} THEN 'overdue' WHEN ${d} - ${today} <= 14 THEN 'due_soon' ELSE 'open' END`;
  const quarterLast = `(date_trunc('quarter', ${today}) + interval '3 months - 1 day')::date`;
  const thisQuarter = `coalesce((${c}.visit_quarters -> to_char(${today}, 'YYYY-"Q"Q') ->> 'n')::int, 0)`;
  const leader = `CASE WHEN ${conv} THEN 'done' WHEN ${c}.contact_leader_id IS NULL THEN 'open'
    WHEN coalesce(${c}.leader_gap_end < ${today}, false) THEN 'overdue' WHEN ${thisQuarter} >= ${c}.visits_per_quarter THEN 'done'
    ELSE ${due(quarterLast)} END`;
  const flag = (done: string) => `CASE WHEN ${conv} OR ${done} THEN 'done' ELSE 'open' END`;
  const plan = `CASE WHEN ${conv} OR ${c}.plan_done THEN 'done' WHEN ${c}.measures_next_due IS NULL THEN 'open' ELSE ${due(`${c}.measures_next_due`)} END`;
  const secretary = `CASE WHEN ${conv} OR ${c}.secretary_done THEN 'done' WHEN ${c}.secretary_overdue THEN 'overdue'
    WHEN ${c}.secretary_deadline IS NULL THEN 'open' ELSE ${due(`${c}.secretary_deadline`)} END`;
  const visitsMissed = `(NOT ('QUARTERLY_VISITS' = ANY (${c}.accept_unmet)) AND coalesce(${c}.leader_gap_end < ${today}, false))`;
  const termOver = `(NOT ('SECRETARY_IN_PLACE' = ANY (${c}.accept_unmet)) AND coalesce(${c}.secretary_term_ends_on < ${today}, false))`;
  return [
    `${leader} AS track_leader`,
    `${flag(`${c}.team_done`)} AS track_team`,
    `${flag(`${c}.problems_done`)} AS track_problems`,
    `${plan} AS track_plan`,
    `${secretary} AS track_secretary`,
    `${flag(`${c}.project_done`)} AS track_project`,
    `(${conv}) AS is_converted`,
    `${visitsMissed} AS visits_missed`,
    `${termOver} AS term_over`,
    `cardinality(${c}.accept_unmet) + (CASE WHEN ${visitsMissed} THEN 1 ELSE 0 END) + (CASE WHEN ${termOver} THEN 1 ELSE 0 END) AS unmet`,
    `(${c}.year_end_deadline - ${today}) AS days_left`,
    `(NOT (${conv}) AND (${c}.year_end_overdue OR ${c}.year_end_deadline < ${today})) AS year_end_missed`,
    `(CASE WHEN ${conv} THEN 0 ELSE ${daysPastSql(`${c}.measures_undone_due`, today)} END)::int AS measures_overdue`,
  ].join(',\n       ');
}

/**
 * The year-end outlook (libs/domain/outlook.ts outlookOf) over a row `v` carrying `caseVerdictColumns`
 * and the case's course_days and accept_total, as SELECT items.
 */
export function outlookColumns(v: string): string {
  const needed = `ceil((${v}.course_days * ${v}.unmet)::numeric / greatest(1, ${v}.accept_total))::int`;
  const overdue = `(${v}.track_leader = 'overdue' OR ${v}.track_plan = 'overdue' OR ${v}.track_secretary = 'overdue')`;
  return [
    `CASE WHEN ${v}.is_converted THEN 'converted' WHEN ${v}.year_end_missed THEN 'will_miss' WHEN ${v}.unmet = 0 THEN 'would_pass_now'
      WHEN ${v}.days_left * 2 < ${needed} THEN 'will_miss' WHEN ${overdue} OR ${v}.days_left < ${needed} THEN 'at_risk' ELSE 'on_track' END AS outlook`,
    `CASE WHEN ${v}.is_converted THEN 0 ELSE ${needed} END AS days_needed`,
  ].join(',\n       ');
}
