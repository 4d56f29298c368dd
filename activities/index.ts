import { createCaseProjectionActivities, type ProjectionDeps } from './case-projection';

export type ActivityDeps = ProjectionDeps;

/** Every activity the worker registers, built from its dependencies (all I/O lives here). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createCaseProjectionActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
