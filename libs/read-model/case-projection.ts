import type { DataSource, EntityManager } from 'typeorm';
import type { Actor, CaseAuditEvent, CaseState, CaseTask } from '../domain';
import { AGGREGATE_COLUMNS, aggregateParams, caseAggregates } from '../persistence/case-aggregates';
import { raiseCountySecretaryTask } from './county-secretary-task';

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

/** The case's open tasks by key (the last of a repeated key wins), as `syncTasks` writes them. */
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

/**
 * Upserts the case row, with the due days of its open tasks, unless what is stored was projected from a
 * later point of the same run's history (`at`), or, across runs and for projections without a point, from a
 * newer (or the same) version. Returns whether it wrote. The ON CONFLICT row lock serializes two
 * projections of one case, so the check is exact.
 */
async function upsertCase(tx: EntityManager, state: CaseState, tasks: CaseTask[], at: ProjectionPoint | undefined): Promise<boolean> {
  const s = caseSummary(state);
  const designatedBy = actorParts(state.designatedBy);
  const rows: unknown[] = await tx.query(
    `INSERT INTO rectification_case
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
       ${AGGREGATE_COLUMNS.map(([name]) => `${name} = EXCLUDED.${name}`).join(',\n       ')}
     WHERE CASE WHEN EXCLUDED.projected_run_id = rectification_case.projected_run_id
                THEN (EXCLUDED.projected_history_length, EXCLUDED.version) > (rectification_case.projected_history_length, rectification_case.version)
                ELSE rectification_case.version < EXCLUDED.version END
     RETURNING id`,
    [
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
    ],
  );
  return rows.length > 0;
}

/** When a task's claim no longer holds (SQL over the existing row t and the incoming EXCLUDED). */
const LAPSES = `(t.status = 'done' OR t.assignee_role IS DISTINCT FROM EXCLUDED.assignee_role OR t.region_id IS DISTINCT FROM EXCLUDED.region_id)`;

/**
 * Makes the case's open tasks equal to `tasks`: each is inserted, updated or reopened; every other
 * open task of the case is marked done. A task whose fields did not change is not rewritten, so
 * `case_version` tells which version last opened, changed or closed it.
 */
async function syncTasks(tx: EntityManager, state: CaseState, tasks: CaseTask[]): Promise<void> {
  const byKey = tasksByKey(tasks);
  const rows = [...byKey.values()].map((t) => ({
    key: t.key,
    kind: t.kind,
    title: t.title,
    assignee_role: t.assigneeRole,
    region_id: t.regionId,
    assignee_id: t.assigneeId ?? null,
    subject_id: t.subjectId ?? null,
    due_on: t.dueOn ?? null,
  }));
  if (rows.length > 0) {
    await tx.query(
      `INSERT INTO task AS t
         (key, case_id, county_id, township_id, kind, title, assignee_role, region_id, assignee_id, subject_id,
          due_on, status, opened_at, closed_at, case_version)
       SELECT r.key, $1, $2, $3, r.kind, r.title, r.assignee_role, r.region_id, r.assignee_id, r.subject_id,
              r.due_on, 'open', now(), NULL, $4
       FROM jsonb_to_recordset($5::jsonb) AS r(key varchar, kind varchar, title varchar, assignee_role varchar,
            region_id uuid, assignee_id varchar, subject_id varchar, due_on date)
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
              EXCLUDED.region_id, EXCLUDED.assignee_id, EXCLUDED.subject_id, EXCLUDED.due_on)`,
      [state.caseId, state.countyId, state.townshipId, state.version, JSON.stringify(rows)],
    );
  }
  await tx.query(
    `UPDATE task SET status = 'done', closed_at = now(), case_version = $3
     WHERE case_id = $1 AND status = 'open' AND NOT (key = ANY ($2::varchar[]))`,
    [state.caseId, [...byKey.keys()], state.version],
  );
}

/** The audit rows of events as `UPSERT_EVENTS` reads them ($1). */
function eventRows(events: CaseAuditEvent[]): string {
  return JSON.stringify(
    events.map((e, n) => {
      const actor = actorParts(e.actor);
      return { n, key: e.key, case_id: e.caseId, actor: actor.name, actor_id: actor.id, actor_role: actor.role, action: e.action, occurred_at: e.occurredAt, payload: e.payload ?? {} };
    }),
  );
}

/** Writes audit events ($1, eventRows) in the order given, keyed by case and number; a row of the same key takes their content. */
const UPSERT_EVENTS = `
  INSERT INTO audit_entry AS a (idempotency_key, case_id, actor, actor_id, actor_role, action, occurred_at, payload)
  SELECT e.key, e.case_id, e.actor, e.actor_id, e.actor_role, e.action, e.occurred_at, coalesce(e.payload, '{}'::jsonb)
  FROM jsonb_to_recordset($1::jsonb) AS e(n int, key varchar, case_id varchar, actor varchar, actor_id varchar,
       actor_role varchar, action varchar, occurred_at timestamptz, payload jsonb)
  ORDER BY e.n
  ON CONFLICT (idempotency_key) DO UPDATE SET
    actor = EXCLUDED.actor, actor_id = EXCLUDED.actor_id, actor_role = EXCLUDED.actor_role,
    action = EXCLUDED.action, occurred_at = EXCLUDED.occurred_at, payload = EXCLUDED.payload
  WHERE a.case_id = EXCLUDED.case_id
    AND (a.actor, a.actor_id, a.actor_role, a.action, a.occurred_at, a.payload)
        IS DISTINCT FROM (EXCLUDED.actor, EXCLUDED.actor_id, EXCLUDED.actor_role, EXCLUDED.action, EXCLUDED.occurred_at, EXCLUDED.payload)`;

/**
 * Writes the audit events of a projection that wrote the case row, which comes from the latest point of the
 * case's history: an event of the same number written by a discarded workflow task takes its content, and the
 * events numbered at or past the state's next number, which only a discarded task made, go. (A projection
 * that did not write the row is a retry or stale: its events already stand or never happened.)
 */
async function writeEvents(tx: EntityManager, state: CaseState, events: CaseAuditEvent[]): Promise<void> {
  // One statement: this change's events are numbered below the next number, so the two never touch one row.
  await tx.query(
    `WITH discarded AS (
       DELETE FROM audit_entry
       WHERE $3::bigint IS NOT NULL AND case_id = $2 AND left(idempotency_key, length($2) + 2) = $2 || ':e'
         -- The number only of keys that are one (the API writes entries of the case under other keys); a CASE,
         -- as AND does not order its checks.
         AND CASE WHEN substr(idempotency_key, length($2) + 3) ~ '^[0-9]{1,18}$' THEN substr(idempotency_key, length($2) + 3)::bigint END >= $3::bigint
     ) ${UPSERT_EVENTS}`,
    [eventRows(events), state.caseId, Number.isInteger(state.nextEventSeq) ? state.nextEventSeq : null],
  );
}

/** Writes audit events read from a workflow's history (rebuild-read-model): the history is the truth of each. */
export async function writeHistoryEvents(dataSource: DataSource, events: CaseAuditEvent[]): Promise<void> {
  if (events.length > 0) await dataSource.query(UPSERT_EVENTS, [eventRows(events)]);
}

/**
 * Projects the workflow's case state, its audit events and its open tasks into PostgreSQL, in one
 * transaction. Idempotent: the case row is only replaced from a later point of the case's history (`at`,
 * see ProjectionPoint; without one, by a higher version), and the tasks and audit events follow the row, so
 * a retried or stale projection writes nothing. Every projection that carries events changes the version.
 */
export async function projectCaseChange(
  dataSource: DataSource,
  state: CaseState,
  events: CaseAuditEvent[],
  tasks: CaseTask[],
  at?: ProjectionPoint,
): Promise<void> {
  await dataSource.transaction(async (tx) => {
    const replacing = await upsertCase(tx, state, tasks ?? [], at);
    if (replacing) {
      await syncTasks(tx, state, tasks ?? []);
      // The batch's own task (its contact leaders all set, the county party secretary on none).
      await raiseCountySecretaryTask(tx, state.countyId, state.batchYear);
    }
    if (replacing) await writeEvents(tx, state, events ?? []);
  });
}
