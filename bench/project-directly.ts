import type { DataSource } from 'typeorm';
import { runDemoHistory, type DemoCast, type DemoCaseHistory, type DemoCourse } from '../apps/api/src/demo/demo-history';
import { addDays, caseIdFor, DEFAULT_POLICY, deriveTasks, startOfShanghaiDay, type Designation, type DesignationReason } from '../libs/domain';
import { projectCaseChange } from '../libs/read-model';
import type { CaseSlot } from './national-dataset';
import { pool } from './pool';

/**
 * Cases written straight into PostgreSQL through the projection code (libs/read-model projectCaseChange,
 * the function the worker's syncCase calls, with the tasks of deriveTasks) — no workflows — their states
 * made by the case's own rules (the pure machine of apps/api/src/demo/demo-history.ts on a past clock).
 * The read-side runs use it: the national bench, and the province bench's BENCH_ONLY=reads.
 */
export const PROJECTED_LABEL = 'written straight into PostgreSQL through the projection code, no workflows';

const REASONS: DesignationReason[][] = [['C1', 'C4'], ['C2', 'C6'], ['C3'], ['C4', 'C5'], ['C6'], ['C1'], ['C5']];

export interface DirectBatch {
  /** The batch's designation day (from demoBatchDates); the case with index i is designated i % 10 days later. */
  designatedOn: string;
  batchYear: number;
  /** Today, as the histories' clock and the tasks' derivation see it. */
  nowMs: number;
  /** The designation's note (says which bench made it). */
  note: string;
}

/** The history of the case with index `i` in `slot`'s organization, up to where `course` says it stands today. */
export function historyOf(slot: CaseSlot, i: number, course: DemoCourse, batch: DirectBatch): DemoCaseHistory {
  const { designatedOn, batchYear, nowMs } = batch;
  // Designations spread over ten days of the batch's start (the courses leave room for it).
  const day = addDays(designatedOn, i % 10);
  const designation: Designation = {
    caseId: caseIdFor(slot.organizationId, batchYear),
    organization: { id: slot.organizationId, name: slot.organizationName, townshipId: slot.townshipId, countyId: slot.countyId, regionId: slot.regionId },
    batchYear,
    reasons: REASONS[i % REASONS.length],
    note: batch.note,
    designatedBy: { id: slot.admin.id, name: slot.admin.name, role: 'county_org_admin' },
    designatedAt: new Date(startOfShanghaiDay(Number(day.slice(0, 4)) === batchYear ? day : designatedOn) + 10 * 3600_000).toISOString(),
    policy: DEFAULT_POLICY,
  };
  const cast: DemoCast = {
    countyAdmin: designation.designatedBy,
    townshipSecretary: { id: slot.townshipSecretary.id, name: slot.townshipSecretary.name, role: 'township_party_secretary' },
    contactLeader: { id: slot.leader.id, name: slot.leader.name, role: 'county_leader', title: slot.leader.title },
    branchSecretary: slot.secretaryName ?? '周新书',
  };
  return runDemoHistory(designation, course, cast, nowMs);
}

/**
 * Writes every slot's case (the `i`th standing where `courseOf(i)` says), `concurrency` at a time, then
 * analyzes the tables and counts the batch's stages. Returns the figures of the writing.
 */
export async function projectCasesDirectly(
  ds: DataSource,
  slots: CaseSlot[],
  courseOf: (i: number) => DemoCourse,
  batch: DirectBatch,
  concurrency: number,
  log: (msg: string) => void,
): Promise<Record<string, unknown>> {
  let events = 0;
  let tasks = 0;
  let stateMs = 0;
  const writeMs = await pool(slots, concurrency, async (slot, i) => {
    const s0 = performance.now();
    const h = historyOf(slot, i, courseOf(i), batch);
    const t = deriveTasks(h.state, batch.nowMs);
    stateMs += performance.now() - s0;
    events += h.events.length;
    tasks += t.length;
    await projectCaseChange(ds, h.state, h.events, t);
  }, log);
  for (const table of ['rectification_case', 'task', 'audit_entry']) await ds.query(`ANALYZE ${table}`);
  const stages: { stage: string; n: number }[] = await ds.query(`SELECT stage, count(*)::int AS n FROM rectification_case WHERE batch_year = $1 GROUP BY stage ORDER BY stage`, [batch.batchYear]);
  const [{ openTasks }] = await ds.query(`SELECT count(*)::int AS "openTasks" FROM task WHERE status = 'open'`);
  return {
    how: PROJECTED_LABEL,
    cases: slots.length,
    batchYear: batch.batchYear,
    auditEvents: events,
    tasks,
    openTasks,
    seconds: round(writeMs / 1000),
    casesPerSecond: round(slots.length / (writeMs / 1000)),
    secondsMakingStates: round(stateMs / 1000),
    ...Object.fromEntries(stages.map((s) => [`stage_${s.stage}`, s.n])),
  };
}

function round(x: number, digits = 1): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}
