import 'reflect-metadata';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type InjectedSinks, type WorkflowBundle } from '@temporalio/worker';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { createCaseProjectionActivities } from '../../../activities/case-projection';
import type { SyncCaseInput } from '../../../activities/case-sync';
import { createStarRatingActivities } from '../../../activities/star-rating';
import { ConfigError, loadConfig } from '../../../libs/config';
import { deriveTasks, type CaseAuditEvent, type CaseState, type CaseTask, type RatingAuditEvent, type StarRatingState } from '../../../libs/domain';
import { dataSourceOptions, refreshCaseAggregates } from '../../../libs/persistence';
import { writeHistoryEvents, type ProjectionPoint } from '../../../libs/read-model';
import { TemporalClientConnection } from '../../../libs/temporal/client-connection';
import { EVALUATE_STAR_RATING_WORKFLOW_TYPE, RECTIFY_CASE_WORKFLOW_TYPE } from '../../../libs/contracts';
import { caseWorkflowCode } from './create-worker';
import type { ProjectionCaptureSinks } from './rebuild/projection-capture';

/**
 * Rebuilds the read model (case rows, their open tasks, star ratings and the audit trail of both) from
 * the workflows that hold the truth, through the projection activities themselves.
 *
 * Every projection a workflow made is in its history, as the input of a `projectCase`, `syncCase` or
 * `projectStarRating` activity, or, for a syncCase run locally, computed again by replaying the history with the
 * workflow code (its marker keeps only the result; `SyncInputReplay`): the history of
 * each run (continued-as-new and restarted runs too) gives every audit event the workflow ever wrote,
 * and its last projection the state the row must hold, with the tasks as they were derived then. That covers running and closed workflows alike, as long as
 * Temporal keeps their history (the namespace's retention, 30 days by default, for closed ones).
 *
 * Idempotent: audit events are keyed (written where missing or different from the history); a case whose row and open tasks are
 * what its last projection wrote is left as it is (claims on its tasks stay); a lost or damaged one is
 * projected again, projection by projection, so its tasks (done ones too) carry the versions they had.
 * A row the worker wrote meanwhile at a newer version is kept, so it is safe while the worker runs.
 * What is not in any workflow is not rebuilt: claims and assignments of the tasks of a rebuilt case
 * (made in the API), audit entries the API writes itself (accounts, policies, regions, claims),
 * deliveries of notices.
 */

export interface RebuildReport {
  cases: number;
  ratings: number;
  /** Audit events found in the histories (each written once, whatever was already there). */
  auditEvents: number;
  /** Workflows with no projection in their history (nothing to rebuild them from). */
  skipped: string[];
}

/** One projection of a case as its workflow made it: the state, the events of the change, the tasks then. */
interface CaseProjection {
  state: CaseState;
  events: CaseAuditEvent[];
  tasks: CaseTask[];
  /** The point of the history it was made at, when the workflow sent one. */
  at?: ProjectionPoint;
}

/**
 * Whether the case's row and open tasks are exactly what its last projection wrote (then only missing
 * audit entries are written, and claims on its tasks stay).
 */
async function caseIsIntact(dataSource: DataSource, last: CaseProjection): Promise<boolean> {
  const [row]: { version: number; same: boolean }[] = await dataSource.query(`SELECT version, state = $2::jsonb AS same FROM rectification_case WHERE id = $1`, [
    last.state.caseId,
    JSON.stringify(last.state),
  ]);
  if (!row || Number(row.version) !== last.state.version || !row.same) return false;
  const open: Record<string, string | null>[] = await dataSource.query(
    `SELECT key, kind, title, assignee_role, region_id::text AS region_id, assignee_id, subject_id, to_char(due_on, 'YYYY-MM-DD') AS due_on
       FROM task WHERE case_id = $1 AND status = 'open'`,
    [last.state.caseId],
  );
  const expected = new Map(last.tasks.map((t) => [t.key, t]));
  if (open.length !== expected.size) return false;
  return open.every((r) => {
    const t = expected.get(r.key as string);
    return (
      !!t &&
      r.kind === t.kind &&
      r.title === t.title &&
      r.assignee_role === t.assigneeRole &&
      r.region_id === t.regionId &&
      r.assignee_id === (t.assigneeId ?? null) &&
      r.subject_id === (t.subjectId ?? null) &&
      r.due_on === (t.dueOn ?? null)
    );
  });
}

/** Core's marker of a local activity: its `data` names the activity, its `result` is what it answered. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * The inputs of a case run's local syncs, in the order of their markers: the history replayed with the case
 * workflows and an interceptor that hands each sync's input out once its result is known
 * (rebuild/capture-projections.ts). The workflow code is bundled once per rebuild.
 */
class SyncInputReplay {
  private bundle?: Promise<WorkflowBundle>;

  async inputsOf(workflowId: string, history: unknown): Promise<SyncCaseInput[]> {
    const { workflowsPath, bundlerOptions } = caseWorkflowCode();
    this.bundle ??= bundleWorkflowCode({
      workflowsPath: workflowsPath!,
      preloadModules: bundlerOptions?.preloadModules,
      workflowInterceptorModules: [require.resolve('./rebuild/capture-projections')],
      logger: QUIET,
    });
    const inputs: SyncCaseInput[] = [];
    const sinks: InjectedSinks<ProjectionCaptureSinks> = {
      rebuild: { syncCaseInput: { fn: (_info, input) => void inputs.push(input as SyncCaseInput), callDuringReplay: true } },
    };
    await Worker.runReplayHistory({ workflowBundle: await this.bundle, sinks }, history, workflowId);
    return inputs;
  }
}

const QUIET = { log() {}, trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error };

/**
 * The projection activities' inputs in one run's history, oldest first. A syncCase run as a local activity
 * (patch local-sync-v1) has no input in the history: each successful one's is taken from a replay of the
 * history (SyncInputReplay), matched to its marker in order.
 */
async function projectionsOf(client: Client, workflowId: string, runId: string, replay: SyncInputReplay) {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const out: { activity: string; args: unknown[] }[] = [];
  let localSyncs: SyncCaseInput[] | undefined;
  let nextLocalSync = 0;
  for (const event of history.events ?? []) {
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER) {
      const [data] = (marker.details?.data?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload<{ activity_type?: string }>(p as Payload));
      if (data?.activity_type !== 'syncCase' || marker.failure) continue;
      localSyncs ??= await replay.inputsOf(workflowId, history);
      const input = localSyncs[nextLocalSync++];
      if (!input) throw new Error(`${workflowId} (${runId}): the replay gave fewer local syncs than the history has markers`);
      // The replay's run id is its own; the projection point is this run's.
      const projection = input.projection?.at ? { ...input.projection, at: { ...input.projection.at, runId } } : input.projection;
      if (projection) out.push({ activity: 'syncCase', args: [{ projection }] });
      continue;
    }
    const scheduled = event.activityTaskScheduledEventAttributes;
    const activity = scheduled?.activityType?.name;
    if (!scheduled || !activity || !['projectCase', 'syncCase', 'projectStarRating'].includes(activity)) continue;
    out.push({ activity, args: (scheduled.input?.payloads ?? []).map((p) => defaultPayloadConverter.fromPayload(p as Payload)) });
  }
  return out;
}

/** Every run of the county's (or every county's) case and star rating workflows, by workflow id, oldest run first. */
async function runsByWorkflow(client: Client, countyId?: string): Promise<Map<string, { type: string; runIds: string[] }>> {
  const county = countyId ? ` AND CountyId = '${countyId.replace(/[^A-Za-z0-9-]/g, '')}'` : '';
  const query = `(WorkflowType = '${RECTIFY_CASE_WORKFLOW_TYPE}' OR WorkflowType = '${EVALUATE_STAR_RATING_WORKFLOW_TYPE}')${county}`;
  const runs: { workflowId: string; runId: string; type: string; startTime: number }[] = [];
  for await (const run of client.workflow.list({ query })) runs.push({ workflowId: run.workflowId, runId: run.runId, type: run.type, startTime: run.startTime.getTime() });
  runs.sort((a, b) => a.startTime - b.startTime);
  const byWorkflow = new Map<string, { type: string; runIds: string[] }>();
  for (const run of runs) {
    const entry = byWorkflow.get(run.workflowId) ?? { type: run.type, runIds: [] };
    entry.runIds.push(run.runId);
    byWorkflow.set(run.workflowId, entry);
  }
  return byWorkflow;
}

export async function rebuildReadModel(opts: { client: Client; dataSource: DataSource; countyId?: string; log?: (line: string) => void }): Promise<RebuildReport> {
  const { client, dataSource } = opts;
  const log = opts.log ?? (() => undefined);
  const { projectCase } = createCaseProjectionActivities({ dataSource });
  const { projectStarRating } = createStarRatingActivities({ dataSource });
  const report: RebuildReport = { cases: 0, ratings: 0, auditEvents: 0, skipped: [] };
  const replay = new SyncInputReplay();

  for (const [workflowId, { type, runIds }] of await runsByWorkflow(client, opts.countyId)) {
    if (type === RECTIFY_CASE_WORKFLOW_TYPE) {
      const projections: CaseProjection[] = [];
      for (const runId of runIds) {
        for (const { activity, args } of await projectionsOf(client, workflowId, runId, replay)) {
          if (activity === 'projectCase') {
            const [state, events, tasks] = args as [CaseState, CaseAuditEvent[] | undefined, CaseTask[] | undefined];
            projections.push({ state, events: events ?? [], tasks: tasks ?? [] });
          } else if (activity === 'syncCase') {
            const projection = (args[0] as SyncCaseInput | undefined)?.projection;
            if (!projection) continue;
            // Tasks as the activity derives them when the workflow sends none: at the projection's own time.
            const tasks = projection.tasks ?? deriveTasks(projection.state, projection.nowMs ?? Date.now());
            projections.push({ state: projection.state, events: projection.events ?? [], tasks, ...(projection.at ? { at: projection.at } : {}) });
          }
        }
      }
      const last = projections.at(-1);
      if (!last) {
        report.skipped.push(workflowId);
        continue;
      }
      const events = projections.flatMap((p) => p.events);
      if (!(await caseIsIntact(dataSource, last))) {
        // Lost or damaged: the row goes (its tasks with it) unless the worker wrote a newer version meanwhile,
        // and every projection is made again in order, so each task carries the version that last opened,
        // changed or closed it, as the first time. A newer row makes each of these upserts write nothing.
        await dataSource.query(`DELETE FROM rectification_case WHERE id = $1 AND version <= $2`, [workflowId, last.state.version]);
        for (const p of projections) await projectCase(p.state, p.events, p.tasks, p.at);
      }
      // Every audit event as the history has it (missing ones added; one a discarded workflow task wrote differently corrected).
      await writeHistoryEvents(dataSource, events);
      // The aggregate columns the dashboards count (issue 17), from the row's state: an intact row projected
      // before they existed has them filled here.
      await refreshCaseAggregates(dataSource, [workflowId]);
      report.cases += 1;
      report.auditEvents += events.length;
    } else {
      const events: RatingAuditEvent[] = [];
      let state: StarRatingState | undefined;
      for (const runId of runIds) {
        for (const { activity, args } of await projectionsOf(client, workflowId, runId, replay)) {
          if (activity !== 'projectStarRating') continue;
          const [s, evs] = args as [StarRatingState, RatingAuditEvent[] | undefined];
          events.push(...(evs ?? []));
          state = s;
        }
      }
      if (!state) {
        report.skipped.push(workflowId);
        continue;
      }
      await dataSource.query(`UPDATE star_rating SET version = -1 WHERE id = $1 AND version <= $2`, [workflowId, state.version]);
      await projectStarRating(state, events);
      report.ratings += 1;
      report.auditEvents += events.length;
    }
    log(`rebuilt ${workflowId}`);
  }
  return report;
}

const USAGE = `用法 / usage:
  npm run admin -- rebuild-read-model [--county <县（区）id 或 12 位统计用区划代码>]
  node dist/apps/worker/src/rebuild-read-model.js [--county …]   (生产容器中 / in the production container)`;

/** The county's id from its id or its statistical code; undefined for every county, null for none such. */
async function countyIdOf(dataSource: DataSource, county: string | undefined): Promise<string | undefined | null> {
  if (!county) return undefined;
  const rows: { id: string }[] = await dataSource.query(`SELECT id FROM region WHERE level = 'county' AND (id::text = $1 OR code = $1)`, [county]);
  return rows[0]?.id ?? null;
}

export async function main(argv: string[]): Promise<number> {
  let county: string | undefined;
  try {
    ({
      values: { county },
    } = parseArgs({ args: argv, options: { county: { type: 'string' } }, strict: true }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 64;
  }
  const config = loadConfig('worker');
  // The replays' workers (one a case) would log each start and stop: warnings and errors only.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const dataSource = new DataSource(dataSourceOptions(config.databaseUrl));
  await dataSource.initialize();
  const connection = await TemporalClientConnection.connect({ address: config.temporal.address });
  try {
    const client = new Client({ connection: connection.connection, namespace: config.temporal.namespace });
    const countyId = await countyIdOf(dataSource, county);
    if (countyId === null) {
      console.error(`[rebuild-read-model] 没有这个县（区）/ no such county: ${county}`);
      return 65;
    }
    const report = await rebuildReadModel({ client, dataSource, countyId });
    console.log(
      `已从工作流重建读模型 / read model rebuilt from the workflows: ${report.cases} 个整顿案件 cases, ${report.ratings} 个星级评定 star ratings, ` +
        `${report.auditEvents} 条审计事件 audit events (已有的不重复写入 / existing ones kept)` +
        (report.skipped.length ? `; 无投影可依、跳过 / skipped, no projection in their history: ${report.skipped.join(', ')}` : ''),
    );
    return 0;
  } finally {
    await connection.close();
    await dataSource.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`[rebuild-read-model] ${err instanceof ConfigError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      process.exit(1);
    },
  );
}
