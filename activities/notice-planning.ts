import type { DataSource } from 'typeorm';
import type { NoticePlanRequest, PlannedNotice } from '../libs/domain';

export interface NoticePlanningDeps {
  dataSource: DataSource;
}

/**
 * Plans a case's reminders and escalations on China's working calendar (loaded from the
 * `chinese-days` data into the editable calendar_day table). STUB: filled in by the working-calendar work.
 */
export function createNoticePlanningActivities(_deps: NoticePlanningDeps) {
  return {
    async planNotices(_request: NoticePlanRequest): Promise<PlannedNotice[]> {
      throw new Error('planNotices is not implemented yet');
    },
  };
}
