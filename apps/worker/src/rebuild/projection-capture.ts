import type { Sinks } from '@temporalio/workflow';

/**
 * How a replay of a case's history hands its projections out of the workflow sandbox
 * (capture-projections.ts, bundled with the workflows for the rebuild only).
 */
export interface ProjectionCaptureSinks extends Sinks {
  rebuild: {
    /** The input of a syncCase run as a local activity, once its result is known (its marker is in the history). */
    syncCaseInput(input: unknown): void;
  };
}
