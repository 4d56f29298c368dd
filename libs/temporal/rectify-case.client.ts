import { Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type UpdateDefinition } from '@temporalio/common';
import type { AcceptanceCondition } from '../domain/case/acceptance';
import type { CaseAnswer, CaseBriefAnswer } from '../domain/case/answer';
import type { CaseCommandInputs, CaseCommandName } from '../domain/case/commands';
import type { RuleCode } from '../domain/case/rules';
import type { CaseRestart } from '../domain/case/machine';
import type { CaseState, CaseTask, Designation } from '../domain/case/types';
import type { Reopening } from '../domain/case/rules/reasons';
import type { CaseStage } from '../domain/case-stage';
import {
  awaitDesignationProjectedUpdate,
  caseUpdates,
  caseUpdatesAnsweredBriefly,
  getAcceptanceConditionsQuery,
  getCaseStateQuery,
  getTasksQuery,
  NEW_RUNS_TAKE_PATCHES,
  RECTIFY_CASE_WORKFLOW_TYPE,
  rectifyCaseWorkflowId,
  type RectifyCaseInput,
  type RectifyCaseWorkflow,
} from '../contracts/rectify-case';
import { BRIEF_ANSWER } from '../contracts/brief-answers';
import { BatchYearAttribute, CaseStageAttribute, CountyIdAttribute, TownshipIdAttribute } from '../contracts/search-attributes';
import { CommandRefusedError, executeCommand, refusalOf, type Refusal } from './execute-command';

/** Client-side helpers for the rectifyCase workflow: the only place the apps start, ask or update it. */
export class CaseAlreadyDesignatedError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} already exists`);
  }
}

export class CaseNotRunningError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} is not running`);
  }
}

/** An action the case workflow refused, naming the rule it breaks. */
export class CaseRuleViolationError extends CommandRefusedError<RuleCode> {
  override name = 'CaseRuleViolationError';
}

const caseRefusal = (r: Refusal) => new CaseRuleViolationError(r.rule as RuleCode, r.message, r.details);

/** Where a case stands, as its run's search attributes show it. */
interface CaseSearchPlace {
  caseId: string;
  countyId: string;
  townshipId: string;
  batchYear: number;
  stage: string;
}

/**
 * What every start of a case's run sends: its workflow id, its input naming the patches a run under today's code
 * takes (NEW_RUNS_TAKE_PATCHES), and its search attributes.
 */
function caseRunStart(taskQueue: string, place: CaseSearchPlace, input: RectifyCaseInput) {
  return {
    taskQueue,
    workflowId: rectifyCaseWorkflowId(place.caseId),
    args: [{ ...input, takesPatches: NEW_RUNS_TAKE_PATCHES }] as [RectifyCaseInput],
    typedSearchAttributes: [
      { key: CountyIdAttribute, value: place.countyId },
      { key: TownshipIdAttribute, value: place.townshipId },
      { key: BatchYearAttribute, value: place.batchYear },
      { key: CaseStageAttribute, value: place.stage },
    ],
  };
}

/** The start of a designated case: one case per organization and batch year, ever, its search attributes set. */
export function designationStart(taskQueue: string, designation: Designation) {
  const { caseId, organization, batchYear } = designation;
  return {
    ...caseRunStart(taskQueue, { caseId, countyId: organization.countyId, townshipId: organization.townshipId, batchYear, stage: 'designated' }, { designation }),
    // A finished case is not designated again.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  };
}

export async function startRectifyCase(client: Client, taskQueue: string, designation: Designation): Promise<{ runId: string }> {
  try {
    const handle = await client.workflow.start<RectifyCaseWorkflow>(RECTIFY_CASE_WORKFLOW_TYPE, designationStart(taskQueue, designation));
    return { runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CaseAlreadyDesignatedError(designation.caseId);
    throw err;
  }
}

/**
 * Designates a case in one round trip (Update-with-Start): starts its workflow and, once the designation is
 * projected into the read model, answers briefly (CaseBriefAnswer: the version it made, for a caller that reads
 * the case from the read model; a worker of before answers the case, CaseAnswer). Should no worker project it
 * within `answerWithinMs` (the workers lagging or down), the case is still designated — its workflow exists and
 * will project when a worker takes it — and the answer is undefined; a designation Temporal did not take fails
 * as the start would.
 */
export async function designateRectifyCase(client: Client, taskQueue: string, designation: Designation, answerWithinMs: number): Promise<CaseAnswer | CaseBriefAnswer | undefined> {
  const startWorkflowOperation = new WithStartWorkflowOperation<RectifyCaseWorkflow>(RECTIFY_CASE_WORKFLOW_TYPE, {
    ...designationStart(taskQueue, designation),
    // A running case of this id is a designation made already.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
  });
  try {
    return await client.withDeadline(Date.now() + answerWithinMs, () =>
      client.workflow.executeUpdateWithStart(awaitDesignationProjectedUpdate, { args: [BRIEF_ANSWER], startWorkflowOperation }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CaseAlreadyDesignatedError(designation.caseId);
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError && (await orUndefined(() => client.workflow.getHandle(rectifyCaseWorkflowId(designation.caseId)).describe()))) return undefined;
    throw err;
  }
}

async function orUndefined<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** The live state from the workflow's query, or undefined when no such workflow exists. */
export function queryCaseState(client: Client, caseId: string): Promise<CaseState | undefined> {
  return orUndefined(() => client.workflow.getHandle(rectifyCaseWorkflowId(caseId)).query(getCaseStateQuery));
}

export function queryAcceptanceConditions(client: Client, caseId: string): Promise<AcceptanceCondition[] | undefined> {
  return orUndefined(() => client.workflow.getHandle(rectifyCaseWorkflowId(caseId)).query(getAcceptanceConditionsQuery));
}

export function queryCaseTasks(client: Client, caseId: string): Promise<CaseTask[] | undefined> {
  return orUndefined(() => client.workflow.getHandle(rectifyCaseWorkflowId(caseId)).query(getTasksQuery));
}

/** If `err` is a refusal by a rule of the case workflow, the rule and its details. */
export function ruleViolationOf(err: unknown): CaseRuleViolationError | undefined {
  const refusal = refusalOf(err);
  return refusal ? caseRefusal(refusal) : undefined;
}

export interface CaseCommandOptions {
  /**
   * The Update's id. A caller that lost the answer to an action (Temporal restarting, a timeout, a
   * dropped connection) sends it again with the same id: Temporal runs an Update id once per run and
   * answers a repeat with the first outcome, so the action is never applied twice. Without it every
   * call is a new action (a random id).
   */
  updateId?: string;
}

/**
 * Runs one playbook action as a Workflow Update and answers with the new state (CaseAnswer); a refusal by a rule
 * comes back as CaseRuleViolationError, a missing case as CaseNotRunningError.
 */
export async function executeCaseCommand<K extends CaseCommandName>(
  client: Client,
  caseId: string,
  name: K,
  input: CaseCommandInputs[K],
  options: CaseCommandOptions = {},
): Promise<CaseAnswer> {
  const update = caseUpdates[name] as unknown as UpdateDefinition<CaseAnswer, [CaseCommandInputs[K]], K>;
  return executeCommand(client, rectifyCaseWorkflowId(caseId), update, [input], caseCommandOptions(caseId, options));
}

/**
 * executeCaseCommand asking for the brief answer (CaseBriefAnswer: the version the action made), for a caller
 * that reads the case from the read model, which the action's projection has written by then. A worker of
 * before answers with the state (CaseAnswer) all the same.
 */
export async function executeCaseCommandBriefly<K extends CaseCommandName>(
  client: Client,
  caseId: string,
  name: K,
  input: CaseCommandInputs[K],
  options: CaseCommandOptions = {},
): Promise<CaseAnswer | CaseBriefAnswer> {
  const update = caseUpdatesAnsweredBriefly[name] as unknown as UpdateDefinition<CaseAnswer | CaseBriefAnswer, [CaseCommandInputs[K], typeof BRIEF_ANSWER], K>;
  return executeCommand(client, rectifyCaseWorkflowId(caseId), update, [input, BRIEF_ANSWER], caseCommandOptions(caseId, options));
}

function caseCommandOptions(caseId: string, options: CaseCommandOptions) {
  return {
    ...(options.updateId ? { updateId: options.updateId } : {}),
    refused: caseRefusal,
    notRunning: () => new CaseNotRunningError(caseId),
  };
}

/**
 * How the case's run stands: `running`; `ended` (closed or taken off the list, as it should); or
 * `abnormal` — the run is over but the case is not (terminated, failed, timed out, or completed
 * before its end), so no action can reach it until the county organization department restarts it.
 */
export type CaseRunStatus = 'running' | 'ended' | 'abnormal';

export interface CaseRun {
  runStatus: CaseRunStatus;
  /** Temporal's status of the case's latest run (RUNNING, TERMINATED, FAILED, TIMED_OUT…). */
  executionStatus: string;
}

const TERMINAL_STAGES: readonly string[] = ['closed', 'removed'];

export function caseRunOf(executionStatus: string, stage: CaseStage | undefined): CaseRun {
  if (executionStatus === 'RUNNING' || executionStatus === 'CONTINUED_AS_NEW') return { runStatus: 'running', executionStatus };
  return { runStatus: stage !== undefined && TERMINAL_STAGES.includes(stage) ? 'ended' : 'abnormal', executionStatus };
}

/** The latest run of the case, by describe(); undefined when Temporal knows no such workflow. */
export async function describeCaseRun(client: Client, caseId: string, stage: CaseStage | undefined): Promise<CaseRun | undefined> {
  const description = await orUndefined(() => client.workflow.getHandle(rectifyCaseWorkflowId(caseId)).describe());
  return description ? caseRunOf(description.status.name, stage) : undefined;
}

/**
 * Cases of a county whose latest run ended abnormally, by caseId with Temporal's status. Visibility
 * lists every closed run that did not complete; a case restarted since has a newer run, which
 * describe() tells.
 */
export async function listAbnormalCaseRuns(client: Client, countyId: string): Promise<Map<string, string>> {
  const quoted = countyId.replace(/[^A-Za-z0-9-]/g, '');
  const query =
    `WorkflowType = '${RECTIFY_CASE_WORKFLOW_TYPE}' AND CountyId = '${quoted}' AND ` +
    `(ExecutionStatus = 'Terminated' OR ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut' OR ExecutionStatus = 'Canceled')`;
  const ids = new Set<string>();
  for await (const run of client.workflow.list({ query })) ids.add(run.workflowId);
  const out = new Map<string, string>();
  for (const id of ids) {
    const description = await orUndefined(() => client.workflow.getHandle(id).describe());
    if (description && !['RUNNING', 'COMPLETED', 'CONTINUED_AS_NEW'].includes(description.status.name)) out.set(id, description.status.name);
  }
  return out;
}

/** Restart refused by Temporal: the case has a run going, or its last run completed. */
export class CaseRestartRefusedError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} has a running or completed run`);
  }
}

/**
 * Starts a new run of a case whose run ended abnormally, from the state the read model last had
 * (`restored` input): same workflow id, allowed only when the last run did not complete
 * (ALLOW_DUPLICATE_FAILED_ONLY), so a running or finished case is never started twice.
 */
export async function restartRectifyCase(client: Client, taskQueue: string, state: CaseState, restart: CaseRestart): Promise<{ runId: string }> {
  try {
    const handle = await client.workflow.start<RectifyCaseWorkflow>(RECTIFY_CASE_WORKFLOW_TYPE, {
      ...caseRunStart(taskQueue, state, { restored: { state, restart } }),
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
    });
    return { runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CaseRestartRefusedError(state.caseId);
    throw err;
  }
}

/**
 * A case taken off the list, designated again by a one-star rating (不能藏着掖着): a new run of the same
 * workflow id from its last projected state, which adds S1 and puts it back on the list. Its last run
 * completed (removed), so the id may be reused; a run already going (a retry) answers AlreadyStarted.
 */
export async function reopenRectifyCase(client: Client, taskQueue: string, state: CaseState, reopening: Reopening): Promise<{ runId: string } | undefined> {
  try {
    const handle = await client.workflow.start<RectifyCaseWorkflow>(RECTIFY_CASE_WORKFLOW_TYPE, {
      // Back on the list, the reopened run starts designated.
      ...caseRunStart(taskQueue, { ...state, stage: 'designated' }, { reopened: { state, reopening } }),
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
    });
    return { runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return undefined;
    throw err;
  }
}
