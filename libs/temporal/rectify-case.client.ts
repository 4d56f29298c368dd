import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { CaseState, RectifyCaseInput } from '../domain/case-state';
import { getCaseStateQuery, RECTIFY_CASE_WORKFLOW_TYPE } from '../../workflows/rectify-case';
import {
  BatchYearAttribute,
  CaseStageAttribute,
  CountyIdAttribute,
  TownshipIdAttribute,
} from '../../workflows/search-attributes';

/** Client-side helpers for the rectifyCase workflow: the only place the API starts or asks it. */
export class CaseAlreadyDesignatedError extends Error {
  constructor(readonly caseId: string) {
    super(`case ${caseId} already exists`);
  }
}

export async function startRectifyCase(client: Client, taskQueue: string, input: RectifyCaseInput): Promise<{ runId: string }> {
  try {
    const handle = await client.workflow.start(RECTIFY_CASE_WORKFLOW_TYPE, {
      taskQueue,
      workflowId: input.caseId,
      args: [input],
      // One case per organization and batch year, ever: a finished case is not designated again.
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      typedSearchAttributes: [
        { key: CountyIdAttribute, value: input.organization.countyId },
        { key: TownshipIdAttribute, value: input.organization.townshipId },
        { key: BatchYearAttribute, value: input.batchYear },
        { key: CaseStageAttribute, value: 'designated' },
      ],
    });
    return { runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CaseAlreadyDesignatedError(input.caseId);
    throw err;
  }
}

/** The live state from the workflow's query, or undefined when no such workflow exists. */
export async function queryCaseState(client: Client, caseId: string): Promise<CaseState | undefined> {
  try {
    return await client.workflow.getHandle(caseId).query(getCaseStateQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
