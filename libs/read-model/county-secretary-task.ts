import type { DataSource, EntityManager } from 'typeorm';
import { preparedQuery } from '../persistence/prepared-query';
import { SYSTEM_ACTOR, type LocalDate } from '../domain';
import { quarterEnd, quarterOf, shanghaiDateOf } from '../domain/shanghai-time';

// The batch's task "县委书记尚未联系本批次任何案件": raised by the case projection, closed by the
// reservation activity (activities/county-secretary.ts), both under the county and batch's lock.

/**
 * Serializes every reservation change of one county and batch year: two cases racing for the county
 * party secretary queue here, so the count they see is the count they change. Released at commit.
 */
export async function lockCountyBatch(tx: EntityManager, countyId: string, batchYear: number): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('county_secretary_case:' || $1::text), $2::int)`, [countyId, batchYear]);
}

/** The key of the batch's task "the county party secretary has taken no case" (one per county and batch year). */
export function countySecretaryTaskKey(countyId: string, batchYear: number): string {
  return `batch-${batchYear}-${countyId}:county_secretary_case`;
}

/** What the county organization department reads in its task list. */
export function countySecretaryTaskTitle(batchYear: number): string {
  return `县委书记尚未联系${batchYear}年度整顿批次任何案件：请安排县委书记带头联系一个整顿对象`;
}

/**
 * When the task falls due: the end of the quarter it is raised in, since the contact leader owes each
 * case a guidance visit every calendar quarter (seed 000 §四(一); policy.visitsPerQuarter) and the
 * secretary's case should have its first one in this quarter.
 */
export function countySecretaryTaskDueOn(nowMs: number): LocalDate {
  return quarterEnd(quarterOf(shanghaiDateOf(nowMs)));
}

/**
 * How the batch stands for its task: settled (raised once already, or the secretary has a case) and its
 * listed cases, with how many lack a contact leader. One text, looked at without the lock and again under it.
 */
const LOOK_AT_BATCH = `
  SELECT EXISTS (SELECT 1 FROM task WHERE key = $1) OR EXISTS (SELECT 1 FROM county_secretary_case WHERE county_id = $2 AND batch_year = $3) AS settled,
         count(*)::int AS listed, count(*) FILTER (WHERE contact_leader_id IS NULL)::int AS "withoutLeader"
  FROM rectification_case WHERE county_id = $2 AND batch_year = $3 AND stage <> 'removed'`;

interface BatchLook {
  settled: boolean;
  listed: number;
  withoutLeader: number;
}

/** The task is due: not settled, and the batch has cases, every one with its contact leader. */
function taskDue(look: BatchLook | undefined): look is BatchLook {
  return !!look && !look.settled && look.listed > 0 && look.withoutLeader === 0;
}

/**
 * Raises the batch's task "县委书记尚未联系本批次任何案件" to the county organization department once the
 * batch has cases, every one of them has its contact leader, and none is the county party secretary
 * (no reservation in county_secretary_case). Under the county and batch's advisory lock, the one the
 * reservation takes, so a secretary taking a case meanwhile is either seen here or closes the task
 * right after. Raised at most once a batch: a task that exists (open, or closed because the secretary
 * took a case) is never raised or reopened again. Idempotent.
 */
export async function raiseCountySecretaryTask(tx: EntityManager, countyId: string, batchYear: number, nowMs = Date.now()): Promise<boolean> {
  const key = countySecretaryTaskKey(countyId, batchYear);
  await lockCountyBatch(tx, countyId, batchYear);
  const [look]: BatchLook[] = await tx.query(LOOK_AT_BATCH, [key, countyId, batchYear]);
  if (!taskDue(look)) return false;
  const dueOn = countySecretaryTaskDueOn(nowMs);
  const inserted: unknown[] = await tx.query(
    `INSERT INTO task (key, case_id, batch_year, county_id, township_id, kind, title, assignee_role, region_id, due_on, status, opened_at, case_version)
     VALUES ($1, NULL, $2, $3, NULL, 'assign_contact_leader', $4, 'county_org_admin', $3, $5, 'open', now(), 0)
     ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key, batchYear, countyId, countySecretaryTaskTitle(batchYear), dueOn],
  );
  if (inserted.length === 0) return false;
  await writeAudit(tx, {
    key: `${key}:raised`,
    caseId: null,
    action: 'county_secretary_task.raised',
    payload: { countyId, batchYear, cases: look.listed, dueOn },
  });
  return true;
}

/**
 * The case projection's look at the batch's task, after its change has committed: the same look without the
 * lock answers for almost every change (the task raised already, the secretary on a case, a case of the batch
 * still without its contact leader); only when the task looks due does raiseCountySecretaryTask decide, under
 * the lock. Looking without the lock is safe because the change looked from is committed: of two changes
 * giving the batch its last contact leaders, the one that looks later sees both.
 */
export async function raiseCountySecretaryTaskIfDue(dataSource: DataSource, countyId: string, batchYear: number, nowMs = Date.now()): Promise<boolean> {
  const [look] = await preparedQuery<BatchLook>(dataSource, LOOK_AT_BATCH, [countySecretaryTaskKey(countyId, batchYear), countyId, batchYear]);
  if (!taskDue(look)) return false;
  return dataSource.transaction((tx) => raiseCountySecretaryTask(tx, countyId, batchYear, nowMs));
}

/** Closes the batch's task when the county party secretary takes a case (never reopened for that batch). */
export async function closeCountySecretaryTask(tx: EntityManager, countyId: string, batchYear: number, caseId: string, leaderId: string): Promise<void> {
  const key = countySecretaryTaskKey(countyId, batchYear);
  const closed: unknown[] = await tx.query(`UPDATE task SET status = 'done', closed_at = now() WHERE key = $1 AND status = 'open' RETURNING key`, [key]);
  if (closed.length === 0) return;
  const [leader]: { name: string | null }[] = await tx.query(`SELECT display_name AS name FROM app_user WHERE id::text = $1`, [leaderId]);
  await writeAudit(tx, {
    key: `${key}:closed`,
    caseId,
    action: 'county_secretary_task.closed',
    payload: { countyId, batchYear, leaderName: leader?.name ?? null },
  });
}

/** A system entry of the audit trail, once per key. */
async function writeAudit(tx: EntityManager, e: { key: string; caseId: string | null; action: string; payload: Record<string, unknown> }): Promise<void> {
  await tx.query(
    `INSERT INTO audit_entry (idempotency_key, case_id, actor, actor_id, actor_role, action, occurred_at, payload)
     VALUES ($1, $2, $3, $4, $5, $6, now(), $7::jsonb)
     ON CONFLICT (idempotency_key) DO NOTHING`,
    [e.key, e.caseId, SYSTEM_ACTOR.name, SYSTEM_ACTOR.id, SYSTEM_ACTOR.role, e.action, JSON.stringify(e.payload)],
  );
}
