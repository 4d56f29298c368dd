import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';

/**
 * What the case's and the star rating's clients share: run one command as a Workflow Update and map a
 * refusal by a rule (a non-retryable ApplicationFailure whose type is the rule's code) back to the
 * process's own error, and a missing workflow to its "not running" error.
 */

/** A refusal by a rule, as the workflow sent it: the rule's code, the message, and what exactly. */
export interface Refusal {
  rule: string;
  message: string;
  details: Record<string, unknown>;
}

/** If `err` is a refusal by a rule of a workflow, its rule, message and details. */
export function refusalOf(err: unknown): Refusal | undefined {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && cause.nonRetryable) {
    return { rule: cause.type, message: cause.message, details: (cause.details?.[0] ?? {}) as Record<string, unknown> };
  }
  return undefined;
}

/** A command a workflow refused, naming the rule it breaks (each process has its own subclass). */
export class CommandRefusedError<C extends string = string> extends Error {
  constructor(
    readonly rule: C,
    message: string,
    readonly details: Record<string, unknown>,
  ) {
    super(message);
  }
}

export interface ExecuteCommandOptions {
  /** The Update's id: a repeat with the same id answers with the first outcome (see CaseCommandOptions). */
  updateId?: string;
  /** The process's error for a refusal by one of its rules. */
  refused(refusal: Refusal): Error;
  /** The process's error for a workflow that does not exist (or no longer runs). */
  notRunning(): Error;
}

/** Runs one command as a Workflow Update and answers with the new state. */
export async function executeCommand<S, Args extends [unknown, ...unknown[]], Name extends string>(
  client: Client,
  workflowId: string,
  update: UpdateDefinition<S, Args, Name>,
  args: Args,
  options: ExecuteCommandOptions,
): Promise<S> {
  try {
    return await client.workflow.getHandle(workflowId).executeUpdate(update, { args, ...(options.updateId ? { updateId: options.updateId } : {}) });
  } catch (err) {
    const refusal = refusalOf(err);
    if (refusal) throw options.refused(refusal);
    if (err instanceof WorkflowNotFoundError) throw options.notRunning();
    throw err;
  }
}
