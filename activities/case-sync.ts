import {
  deriveTasks,
  doneStillPlanned,
  dueNotices,
  type CaseAuditEvent,
  type CaseState,
  type CaseTask,
  type NoticePlanRequest,
  type PlannedNotice,
  type RaiseNoticesInput,
  type ResolveEscalationsInput,
} from '../libs/domain';
import type { ProjectionPoint } from '../libs/read-model';

/** The single-purpose activities one sync is made of. */
export interface CaseSyncParts {
  projectCase(state: CaseState, events: CaseAuditEvent[], tasks: CaseTask[], at?: ProjectionPoint): Promise<void>;
  resolveEscalations(input: ResolveEscalationsInput): Promise<void>;
  planNotices(request: NoticePlanRequest): Promise<PlannedNotice[]>;
  /** Writes nothing for no notices. */
  raiseNotices(input: RaiseNoticesInput): Promise<void>;
}

/** Where the notices of a sync come from. */
export type CaseSyncNotices =
  /** The plan stands: the workflow has already picked the notices now due. */
  | { kind: 'raise'; raise: PlannedNotice[] }
  /**
   * The open deadlines changed: plan anew (no request when none is open), then raise what the new plan
   * makes due now, by the same rule the workflow applies (dueNotices), from its done keys and the moment
   * each deadline was first planned.
   */
  | { kind: 'replan'; request: NoticePlanRequest | null; done: string[]; firstPlannedAt: Record<string, number>; nowMs: number };

export interface SyncCaseInput {
  /** Who the raised notices are about (RaiseNoticesInput without its notices). */
  caseRef: Omit<RaiseNoticesInput, 'notices'>;
  /**
   * The case's new state and its audit events, when it changed. Since patch lean-sync-v1 the state comes
   * without its notice plan (the read model does not keep it) and the tasks are derived here from the
   * state at `nowMs`, so the input is no larger than the bounded state; earlier workflows send the tasks.
   * `at`: the point of the workflow's history it was made at (ProjectionPoint); absent from earlier workflows.
   */
  projection?: { state: CaseState; events: CaseAuditEvent[]; tasks?: CaseTask[]; nowMs?: number; at?: ProjectionPoint };
  /** Deadlines met since the last sync: their escalations close. */
  resolve?: ResolveEscalationsInput;
  notices: CaseSyncNotices;
}

/** What a re-plan made of the case's notices, for the workflow to keep. */
export interface ReplanOutcome {
  planned: PlannedNotice[];
  /** Keys of the new plan's notices that were done before and stay done. */
  done: string[];
  /** Notices raised now. */
  raised: PlannedNotice[];
  /** Keys of notices passed over (stale rungs below the one raised). */
  skipped: string[];
}

/**
 * What syncCase answers: the re-plan's outcome when it re-planned, otherwise null. Run as a local activity
 * (patch local-sync-v1), its input is not in the workflow's history, only this result (its marker); rebuilding
 * the read model recovers the projections by replaying the history (apps/worker/src/rebuild-read-model.ts).
 * Markers recorded before also repeat the projection written (`projected`), which nothing reads any more.
 */
export type SyncCaseResult = ReplanOutcome | null;

/**
 * Everything a change of a case writes, as one activity: project the case (row, tasks, audit), close
 * the escalations of met deadlines, re-plan the notices if the deadlines changed, raise what is due.
 * One round trip through the Temporal server instead of up to four (a designation, an action and a
 * quarter's wake-up each used two or three). Every part is idempotent, so a retry of the whole writes
 * nothing twice; the order is the one the workflow kept when they were separate activities.
 */
export function createCaseSyncActivities(parts: CaseSyncParts) {
  return {
    /** Answers the re-plan's outcome; null with the plan standing (the workflow already knows it). */
    async syncCase(input: SyncCaseInput): Promise<SyncCaseResult> {
      if (input.projection) {
        const { state, events, tasks, nowMs, at } = input.projection;
        await parts.projectCase(state, events, tasks ?? deriveTasks(state, nowMs ?? Date.now()), at);
      }
      if (input.resolve) await parts.resolveEscalations(input.resolve);
      if (input.notices.kind === 'raise') {
        await parts.raiseNotices({ ...input.caseRef, notices: input.notices.raise });
        return null;
      }
      const { request, firstPlannedAt, nowMs } = input.notices;
      const planned = request ? await parts.planNotices(request) : [];
      const done = doneStillPlanned(planned, input.notices.done);
      const due = dueNotices(planned, new Set(done), firstPlannedAt, nowMs);
      await parts.raiseNotices({ ...input.caseRef, notices: due.raise });
      return { planned, done, raised: due.raise, skipped: due.skip.map((n) => n.key) };
    },
  };
}
