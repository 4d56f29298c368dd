import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { RaiseNoticesInput, ResolveEscalationsInput } from '../libs/domain';

export interface NoticeDeps {
  dataSource: DataSource;
  /** To start or signal the delivery workflows; absent in tests that deliver nothing outbound. */
  temporal?: { client: Client; taskQueue: string };
}

/**
 * Raises a case's due notices (inbox notifications, escalation records, outbound deliveries) and
 * resolves escalations whose work is done. STUB: filled in by the delivery work.
 */
export function createNoticeActivities(_deps: NoticeDeps) {
  return {
    async raiseNotices(_input: RaiseNoticesInput): Promise<void> {
      throw new Error('raiseNotices is not implemented yet');
    },
    async resolveEscalations(_input: ResolveEscalationsInput): Promise<void> {
      throw new Error('resolveEscalations is not implemented yet');
    },
  };
}
