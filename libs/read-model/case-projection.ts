import type { DataSource } from 'typeorm';
import type { Actor, CaseAuditEvent, CaseState, CaseTask } from '../domain';
import { AGGREGATE_COLUMNS, aggregateParams, caseAggregates } from '../persistence/case-aggregates';
import { preparedQuery } from '../persistence/prepared-query';
import { raiseCountySecretaryTaskIfDue } from './county-secretary-task';

/** An actor's name and id, tolerating a bare name (snapshots written before actors carried ids). */
function actorParts(actor: Actor | string | undefined | null): { id: string | null; name: string | null; role: string | null } {
  if (actor == null) return { id: null, name: null, role: null };
  if (typeof actor === 'string') return { id: null, name: actor, role: null };
  return { id: actor.id ?? null, name: actor.name ?? null, role: actor.role ?? null };
}

/** The indexed summary columns of the read model, derived from the whole state. */
export function caseSummary(state: CaseState) {
  const problems = state.problems ?? [];
  const measures = state.measures ?? [];
  return {
    contactLeaderId: state.contactLeader?.id ?? null,
    contactLeaderName: state.contactLeader?.name ?? null,
    teamArrivedOn: state.team?.arrivedOn ?? null,
    secretaryRequired: state.secretary?.required ?? false,
    secretaryDeadline: state.secretary?.deadline ?? null,
    secretaryOverdue: state.secretary?.overdue ?? false,
    yearEndOverdue: state.yearEndOverdue ?? false,
    problemsOpen: problems.filter((p) => p.status === 'open').length,
    problemsClosed: problems.filter((p) => p.status === 'closed').length,
    measuresTotal: measures.length,
    measuresDone: measures.filter((m) => m.status === 'done').length,
    visitsCount: (state.visits ?? []).length,
    projectsCount: (state.projects ?? []).length,
    acceptedAt: state.acceptedAt ?? null,
    closedAt: state.closedAt ?? null,
    policyVersion: state.policy?.version ?? 0,
  };
}

/** The case's open tasks by key (the last of a repeated key wins), as the projection writes them. */
function tasksByKey(tasks: CaseTask[]): Map<string, CaseTask> {
  const byKey = new Map<string, CaseTask>();
  for (const t of tasks) byKey.set(t.key, t);
  return byKey;
}

/** The due days of the open tasks, earliest first: the row's `open_tasks_due`, whose past days the dashboards count as overdue tasks. */
function openTaskDues(tasks: CaseTask[]): string[] {
  return [...tasksByKey(tasks).values()].flatMap((t) => (t.dueOn ? [t.dueOn] : [])).sort();
}

/**
 * Where in its workflow's history a projection was made: the run, and the length of its history at the
 * workflow task that made it (workflowInfo()). The projection runs as a local activity inside that task, so
 * it has written before Temporal knows whether the task counts; a task it then discards (timed out under a
 * stalled worker, failed) is replaced by one later in the history, which may make a different change with
 * the same version and event numbers. Within a run the later point wins; within one task, the higher version.
 */
export interface ProjectionPoint {
  runId: string;
  historyLength: number;
}

/** The parameters of PROJECT_CASE past the case row's: the open tasks, their keys, the audit events, the state's next event number. */
const ROW_PARAMS = 32 + AGGREGATE_COLUMNS.length;
const TASKS_PARAM = `$${ROW_PARAMS + 1}`;
const TASK_KEYS_PARAM = `$${ROW_PARAMS + 2}`;
const EVENTS_PARAM = `$${ROW_PARAMS + 3}`;
const NEXT_EVENT_PARAM = `$${ROW_PARAMS + 4}`;

/** When a task's claim no longer holds (SQL over the existing row t and the incoming EXCLUDED). */
const LAPSES = `(t.status = 'done' OR t.assignee_role IS DISTINCT FROM EXCLUDED.assignee_role OR t.region_id IS DISTINCT FROM EXCLUDED.region_id)`;

/**
 * Writes audit events ($events, eventRows) in the order given, keyed by case and number; a row of the same key
 * takes their content. `gate`: an SQL condition under which they are written at all.
 */
function upsertEvents(events: string, gate = 'true'): string {
  return `
  INSERT INTO audit_entry AS a (idempotency_key, case_id, actor, actor_id, actor_role, action, occurred_at, payload)
  SELECT e.key, e.case_id, e.actor, e.actor_id, e.actor_role, e.action, e.occurred_at, coalesce(e.payload, '{}'::jsonb)
  FROM jsonb_to_recordset(${events}::jsonb) AS e(n int, key varchar, case_id varchar, actor varchar, actor_id varchar,
       actor_role varchar, action varchar, occurred_at timestamptz, payload jsonb)
  WHERE ${gate}
  ORDER BY e.n
  ON CONFLICT (idempotency_key) DO UPDATE SET
    actor = EXCLUDED.actor, actor_id = EXCLUDED.actor_id, actor_role = EXCLUDED.actor_role,
    action = EXCLUDED.action, occurred_at = EXCLUDED.occurred_at, payload = EXCLUDED.payload
  WHERE a.case_id = EXCLUDED.case_id
    AND (a.actor, a.actor_id, a.actor_role, a.action, a.occurred_at, a.payload)
        IS DISTINCT FROM (EXCLUDED.actor, EXCLUDED.actor_id, EXCLUDED.actor_role, EXCLUDED.action, EXCLUDED.occurred_at, EXCLUDED.payload)`;
}

/** Whether the statement's case row was written (`projected`, the row's upsert below). */
const REPLACING = 'EXISTS (SELECT 1 FROM projected)';

/**
 * A change of a case in one statement, so in one transaction without a BEGIN and a COMMIT of its own:
 *
 * - `projected`: upserts the case row, with the due days of its open tasks, unless what is stored was projected
 *   from a later point of the same run's history (`at`, ProjectionPoint), or, across runs and for projections
 *   without a point, from a newer (or the same) version. The ON CONFLICT row lock serializes two projections
 *   of one case, so the check is exact. Everything below follows the row: a retried or stale projection
 *   writes nothing.
 * - `tasks_open`, `tasks_done`: makes the case's open tasks equal to the given ones — each inserted, updated or
 *   reopened, every other open task of the case marked done. A task whose fields did not change is not
 *   rewritten, so `case_version` tells which version last opened, changed or closed it.
 * - `discarded`, `events`: the change's audit events; an event of the same number written by a discarded workflow
 *   task takes its content, and the events numbered at or past the state's next number, which only a discarded
 *   task made, go.
 *
 * The sub-statements touch disjoint rows (the open keys and the others; events below the next number and those
 * at or past it), as PostgreSQL requires of one statement.
 */
const PROJECT_CASE = `
WITH projected AS (
  INSERT INTO rectification_case
    (id, organization_id, organization_name, county_id, township_id, batch_year, reasons, stage,
     designated_at, designated_by, designated_by_id, version, updated_at, state,
     contact_leader_id, contact_leader_name, team_arrived_on, secretary_required, secretary_deadline,
     secretary_overdue, year_end_overdue, problems_open, problems_closed, measures_total, measures_done,
     visits_count, projects_count, accepted_at, closed_at, policy_version, open_tasks_due, projected_run_id, projected_history_length,
     ${AGGREGATE_COLUMNS.map(([name]) => name).join(', ')})
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now(), $13::jsonb,
          $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30::date[], $31, $32::integer,
          ${AGGREGATE_COLUMNS.map(([, cast], i) => `$${33 + i}::${cast}`).join(', ')})
  ON CONFLICT (id) DO UPDATE SET
    organization_name = EXCLUDED.organization_name,
    county_id = EXCLUDED.county_id,
    township_id = EXCLUDED.township_id,
    reasons = EXCLUDED.reasons,
    stage = EXCLUDED.stage,
    designated_at = EXCLUDED.designated_at,
    designated_by = EXCLUDED.designated_by,
    designated_by_id = EXCLUDED.designated_by_id,
    version = EXCLUDED.version,
    updated_at = now(),
    state = EXCLUDED.state,
    contact_leader_id = EXCLUDED.contact_leader_id,
    contact_leader_name = EXCLUDED.contact_leader_name,
    team_arrived_on = EXCLUDED.team_arrived_on,
    secretary_required = EXCLUDED.secretary_required,
    secretary_deadline = EXCLUDED.secretary_deadline,
    secretary_overdue = EXCLUDED.secretary_overdue,
    year_end_overdue = EXCLUDED.year_end_overdue,
    problems_open = EXCLUDED.problems_open,
    problems_closed = EXCLUDED.problems_closed,
    measures_total = EXCLUDED.measures_total,
    measures_done = EXCLUDED.measures_done,
    visits_count = EXCLUDED.visits_count,
    projects_count = EXCLUDED.projects_count,
    accepted_at = EXCLUDED.accepted_at,
    closed_at = EXCLUDED.closed_at,
    policy_version = EXCLUDED.policy_version,
    open_tasks_due = EXCLUDED.open_tasks_due,
    projected_run_id = EXCLUDED.projected_run_id,
    projected_history_length = EXCLUDED.projected_history_length,
    ${AGGREGATE_COLUMNS.map(([name]) => `${name} = EXCLUDED.${name}`).join(',\n    ')}
  WHERE CASE WHEN EXCLUDED.projected_run_id = rectification_case.projected_run_id
             THEN (EXCLUDED.projected_history_length, EXCLUDED.version) > (rectification_case.projected_history_length, rectification_case.version)
             ELSE rectification_case.version < EXCLUDED.version END
  RETURNING id
), tasks_open AS (
  INSERT INTO task AS t
    (key, case_id, county_id, township_id, kind, title, assignee_role, region_id, assignee_id, subject_id,
     due_on, status, opened_at, closed_at, case_version)
  SELECT r.key, $1, $4, $5, r.kind, r.title, r.assignee_role, r.region_id, r.assignee_id, r.subject_id,
         r.due_on, 'open', now(), NULL, $12
  FROM jsonb_to_recordset(${TASKS_PARAM}::jsonb) AS r(key varchar, kind varchar, title varchar, assignee_role varchar,
       region_id uuid, assignee_id varchar, subject_id varchar, due_on date)
  WHERE ${REPLACING}
  ON CONFLICT (key) DO UPDATE SET
    county_id = EXCLUDED.county_id,
    township_id = EXCLUDED.township_id,
    kind = EXCLUDED.kind,
    title = EXCLUDED.title,
    assignee_role = EXCLUDED.assignee_role,
    region_id = EXCLUDED.region_id,
    assignee_id = EXCLUDED.assignee_id,
    subject_id = EXCLUDED.subject_id,
    due_on = EXCLUDED.due_on,
    status = 'open',
    closed_at = NULL,
    opened_at = CASE WHEN t.status = 'done' THEN now() ELSE t.opened_at END,
    -- A claim lapses when the task comes back after being done, or moves to another role or region.
    claimed_by_id = CASE WHEN ${LAPSES} THEN NULL ELSE t.claimed_by_id END,
    claimed_by_name = CASE WHEN ${LAPSES} THEN NULL ELSE t.claimed_by_name END,
    claimed_at = CASE WHEN ${LAPSES} THEN NULL ELSE t.claimed_at END,
    assigned_by_id = CASE WHEN ${LAPSES} THEN NULL ELSE t.assigned_by_id END,
    case_version = EXCLUDED.case_version
  WHERE t.case_id = EXCLUDED.case_id
    AND (t.status, t.county_id, t.township_id, t.kind, t.title, t.assignee_role, t.region_id, t.assignee_id,
         t.subject_id, t.due_on)
        IS DISTINCT FROM
        ('open', EXCLUDED.county_id, EXCLUDED.township_id, EXCLUDED.kind, EXCLUDED.title, EXCLUDED.assignee_role,
         EXCLUDED.region_id, EXCLUDED.assignee_id, EXCLUDED.subject_id, EXCLUDED.due_on)
  RETURNING 1
), tasks_done AS (
  UPDATE task SET status = 'done', closed_at = now(), case_version = $12
  WHERE ${REPLACING} AND case_id = $1 AND status = 'open' AND NOT (key = ANY (${TASK_KEYS_PARAM}::varchar[]))
  RETURNING 1
), discarded AS (
  DELETE FROM audit_entry
  WHERE ${REPLACING} AND ${NEXT_EVENT_PARAM}::bigint IS NOT NULL AND case_id = $1 AND left(idempotency_key, length($1) + 2) = $1 || ':e'
    -- The number only of keys that are one (the API writes entries of the case under other keys); a CASE,
    -- as AND does not order its checks.
    AND CASE WHEN substr(idempotency_key, length($1) + 3) ~ '^[0-9]{1,18}$' THEN substr(idempotency_key, length($1) + 3)::bigint END >= ${NEXT_EVENT_PARAM}::bigint
), events AS (${upsertEvents(EVENTS_PARAM, REPLACING)}
)
SELECT ${REPLACING} AS replaced`;

/** The parameters of PROJECT_CASE. */
function projectionParams(state: CaseState, events: CaseAuditEvent[], tasks: CaseTask[], at: ProjectionPoint | undefined): unknown[] {
  const s = caseSummary(state);
  const designatedBy = actorParts(state.designatedBy);
  const byKey = tasksByKey(tasks);
  const taskRows = [...byKey.values()].map((t) => ({
    key: t.key,
    kind: t.kind,
    title: t.title,
    assignee_role: t.assigneeRole,
    region_id: t.regionId,
    assignee_id: t.assigneeId ?? null,
    subject_id: t.subjectId ?? null,
    due_on: t.dueOn ?? null,
  }));
  return [
    state.caseId,
    state.organizationId,
    state.organizationName,
    state.countyId,
    state.townshipId,
    state.batchYear,
    state.reasons,
    state.stage,
    state.designatedAt,
    designatedBy.name,
    designatedBy.id,
    state.version,
    JSON.stringify(state),
    s.contactLeaderId,
    s.contactLeaderName,
    s.teamArrivedOn,
    s.secretaryRequired,
    s.secretaryDeadline,
    s.secretaryOverdue,
    s.yearEndOverdue,
    s.problemsOpen,
    s.problemsClosed,
    s.measuresTotal,
    s.measuresDone,
    s.visitsCount,
    s.projectsCount,
    s.acceptedAt,
    s.closedAt,
    s.policyVersion,
    openTaskDues(tasks),
    at?.runId ?? null,
    at?.historyLength ?? null,
    // The aggregate columns the dashboards count (issue 17).
    ...aggregateParams(caseAggregates(state)),
    JSON.stringify(taskRows),
    [...byKey.keys()],
    eventRows(events),
    Number.isInteger(state.nextEventSeq) ? state.nextEventSeq : null,
  ];
}

/** The audit rows of events as `upsertEvents` reads them. */
function eventRows(events: CaseAuditEvent[]): string {
  return JSON.stringify(
    events.map((e, n) => {
      const actor = actorParts(e.actor);
      return { n, key: e.key, case_id: e.caseId, actor: actor.name, actor_id: actor.id, actor_role: actor.role, action: e.action, occurred_at: e.occurredAt, payload: e.payload ?? {} };
    }),
  );
}

/** Writes audit events read from a workflow's history (rebuild-read-model): the history is the truth of each. */
export async function writeHistoryEvents(dataSource: DataSource, events: CaseAuditEvent[]): Promise<void> {
  if (events.length > 0) await dataSource.query(upsertEvents('$1'), [eventRows(events)]);
}

/**
 * Projects the workflow's case state, its audit events and its open tasks into PostgreSQL: one statement
 * (PROJECT_CASE), named and prepared on each pooled connection, so a change costs one round trip. Idempotent:
 * the case row is only replaced from a later point of the case's history (`at`, see ProjectionPoint; without
 * one, by a higher version), and the tasks and audit events follow the row, so a retried or stale projection
 * writes nothing. Every projection that carries events changes the version.
 *
 * Then the batch's own task (its contact leaders all set, the county party secretary on none), after the
 * change has committed: only a change that gives a case its contact leader or takes one off or back onto the
 * list can make it due, so only such a change looks (one statement fewer for every other action). Each
 * projection looks once its own row is committed, so of two cases getting the batch's last contact leaders at
 * once, the later to look sees both; the look is idempotent, so a retry after a crash between the two looks again.
 */
export async function projectCaseChange(
  dataSource: DataSource,
  state: CaseState,
  events: CaseAuditEvent[],
  tasks: CaseTask[],
  at?: ProjectionPoint,
): Promise<void> {
  await preparedQuery(dataSource, PROJECT_CASE, projectionParams(state, events ?? [], tasks ?? [], at));
  if (mayCompleteBatchLeaders(events ?? [])) await raiseCountySecretaryTaskIfDue(dataSource, state.countyId, state.batchYear);
}

/**
 * The changes after which the batch may have every listed case with its contact leader: a contact leader
 * given or replaced, a case taken off the list or put back on it, a run restarted. Any other change leaves the
 * batch's leaders and listed cases as they were, so its look would answer what the last one did.
 */
const BATCH_LEADER_ACTIONS: ReadonlySet<string> = new Set(['leader.assigned', 'leader.replaced', 'case.removed', 'case.reopened', 'case.restarted']);

function mayCompleteBatchLeaders(events: CaseAuditEvent[]): boolean {
  return events.some((e) => BATCH_LEADER_ACTIONS.has(e.action));
}
