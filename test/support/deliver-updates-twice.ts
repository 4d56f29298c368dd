import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { caseUpdates } from '../../libs/contracts/rectify-case';

const CASE_COMMANDS = new Set<string>(Object.values(caseUpdates).map((u) => u.name));

/**
 * A workflow interceptor (bundled into a test worker's sandbox) that hands every case action to the
 * workflow's handler a second time once the first delivery has been answered, under the same Update id —
 * what a worker stalled past the workflow task timeout was seen to do when the server handed the Update out
 * again. The client gets the second delivery's answer.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async handleUpdate(input, next) {
        if (!CASE_COMMANDS.has(input.name)) return next(input);
        await next(input);
        return next(input);
      },
    },
  ],
});
