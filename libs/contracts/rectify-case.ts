import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { AcceptanceCondition } from '../domain/case/acceptance';
import { CASE_COMMAND_NAMES, type CaseCommandInputs, type CaseCommandName } from '../domain/case/commands';
import type { CaseRestart } from '../domain/case/machine';
import type { Reopening } from '../domain/case/rules/reasons';
import type { CaseAnswer, CaseBriefAnswer } from '../domain/case/answer';
import type { CaseState, CaseTask, Designation } from '../domain/case/types';
import type { BriefAnswerRequest } from './brief-answers';

/**
 * The contract of the case workflow (workflows/rectify-case.ts implements it): what the API, the
 * worker, the activities and the tests may know of it without loading its body.
 */
export const RECTIFY_CASE_WORKFLOW_TYPE = 'rectifyCase';

/** One workflow per case, whose id is the case's id (one case per organization and batch year). */
export function rectifyCaseWorkflowId(caseId: string): string {
  return caseId;
}

/**
 * A new case from its designation, a case carried over continue-as-new with its whole state, or a case
 * restarted by the county organization department from its last projected state after its run ended
 * abnormally (terminated, failed, timed out).
 */
export type RectifyCaseInput = (
  | { designation: Designation }
  | { continued: CaseState }
  | { restored: { state: CaseState; restart: CaseRestart } }
  /** A case taken off the list, designated again by a one-star rating: a new run from its last state. */
  | { reopened: { state: CaseState; reopening: Reopening } }
) & {
  /**
   * The patches the run takes from its start without asking patched() (NEW_RUNS_TAKE_PATCHES): set by whoever
   * starts a run under today's code. A run whose input lacks it (begun before, or started by an older API) asks.
   */
  takesPatches?: string;
};

/**
 * What a run started under today's code takes: every patch of the case workflow up to `all-patches-v3`.
 * Named in the input because asking patched() records a marker, for which the SDK's core also upserts the
 * TemporalChangeVersion search attribute: a visibility write on the Temporal server with every new case (about
 * a tenth of what a designation costs the server). Every start of a case (designation, restart, reopening)
 * and its continue-as-new carry it; a later patch is asked with patched() as usual, or taken here under a new name.
 */
export const NEW_RUNS_TAKE_PATCHES = 'all-patches-v3';

/** The workflow function's signature: it ends with the case's final state. */
export type RectifyCaseWorkflow = (input: RectifyCaseInput) => Promise<CaseState>;

/** The whole case state, for the API and the UI. */
export const getCaseStateQuery = defineQuery<CaseState>('getCaseState');
/** DOMAIN.md "Closing", each condition met or not, now. */
export const getAcceptanceConditionsQuery = defineQuery<AcceptanceCondition[]>('getAcceptanceConditions');
/** What each person must do next. */
export const getTasksQuery = defineQuery<CaseTask[]>('getTasks');

/**
 * Sent with the designation's start (Update-with-Start): answers with the case (CaseAnswer) once the designation
 * is projected (its row, tasks and audit entry written), so the designating user finds the case in every
 * list at once, in one round trip instead of a start, polls of the read model and a query. Asked for the brief
 * answer (BriefAnswerRequest), it answers the version the designation made (CaseBriefAnswer) and the caller reads
 * the case from the read model; a worker of before ignores the argument and answers the case.
 */
export const awaitDesignationProjectedUpdate = defineUpdate<CaseAnswer | CaseBriefAnswer, [BriefAnswerRequest?]>('awaitDesignationProjected');

/** One Workflow Update per playbook action; each answers with the new case state, without its notice plan (CaseAnswer). */
export const caseUpdates = Object.fromEntries(CASE_COMMAND_NAMES.map((name) => [name, defineUpdate(name)])) as {
  [K in CaseCommandName]: UpdateDefinition<CaseAnswer, [CaseCommandInputs[K]], K>;
};

/**
 * The same Updates as the API sends them, asking for the brief answer (BriefAnswerRequest): the version the action made (the API
 * reads the case from the read model). A worker of before ignores the second argument and answers the state.
 */
export const caseUpdatesAnsweredBriefly = caseUpdates as unknown as {
  [K in CaseCommandName]: UpdateDefinition<CaseAnswer | CaseBriefAnswer, [CaseCommandInputs[K], BriefAnswerRequest], K>;
};
