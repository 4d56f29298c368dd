import { proxySinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { ProjectionCaptureSinks } from './projection-capture';

/**
 * A workflow interceptor for replaying case histories when the read model is rebuilt: a syncCase run as a
 * local activity leaves only its result in the history (its marker), so its input — the projection it wrote —
 * is what the workflow code computes again on replay. Handed out once the local activity's result is known,
 * so only syncs whose markers the history holds, in their order.
 */
const { rebuild } = proxySinks<ProjectionCaptureSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      async scheduleLocalActivity(input, next) {
        // As the activity got it (its payload is JSON): the state it shares objects with changes on.
        const sent = input.activityType === 'syncCase' ? (JSON.parse(JSON.stringify(input.args[0])) as unknown) : undefined;
        const result = await next(input);
        if (sent !== undefined) rebuild.syncCaseInput(sent);
        return result;
      },
    },
  ],
});
