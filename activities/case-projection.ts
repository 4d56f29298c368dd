import type { DataSource } from 'typeorm';
import type { CaseAuditEvent, CaseState, CaseTask } from '../libs/domain';
import { projectCaseChange, type ProjectionPoint } from '../libs/read-model';

export interface ProjectionDeps {
  dataSource: DataSource;
}

/** The projection as an activity (libs/read-model/case-projection.ts does the writing). */
export function createCaseProjectionActivities({ dataSource }: ProjectionDeps) {
  return {
    async projectCase(state: CaseState, events: CaseAuditEvent[], tasks: CaseTask[], at?: ProjectionPoint): Promise<void> {
      await projectCaseChange(dataSource, state, events, tasks, at);
    },
  };
}
