import type { Client } from '@temporalio/client';
import {
  DELIVER_NOTICES_WORKFLOW_TYPE,
  deliverNoticesWorkflowId,
  deliveriesPendingSignal,
  type DeliverNoticesInput,
  type DeliverNoticesWorkflow,
} from '../contracts/deliver-notices';

/**
 * Makes sure the channel's dispatcher workflow runs and knows deliveries are pending: signals it,
 * starting it first when it is not running (signal-with-start is atomic, so two callers never start
 * two dispatchers of one channel). `settings` apply only when this call starts the workflow (tests).
 */
export async function signalDeliveryDispatcher(
  client: Client,
  taskQueue: string,
  channelId: string,
  settings?: DeliverNoticesInput['settings'],
): Promise<void> {
  await client.workflow.signalWithStart<DeliverNoticesWorkflow, []>(DELIVER_NOTICES_WORKFLOW_TYPE, {
    workflowId: deliverNoticesWorkflowId(channelId),
    taskQueue,
    args: [{ channelId, ...(settings ? { settings } : {}) }],
    signal: deliveriesPendingSignal,
    signalArgs: [],
  });
}
