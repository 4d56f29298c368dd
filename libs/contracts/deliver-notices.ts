import { defineQuery, defineSignal } from '@temporalio/workflow';

/**
 * The contract of a channel's dispatcher workflow (workflows/deliver-notices.ts implements it): what
 * the API, the worker, the activities and the tests may know of it without loading its body.
 */
export const DELIVER_NOTICES_WORKFLOW_TYPE = 'deliverNotices';

/** The dispatcher of one channel: one workflow per channel, with this id. */
export function deliverNoticesWorkflowId(channelId: string): string {
  return `deliver-notices-${channelId}`;
}

/** Retry policy of one digest's send (durations in ms). */
export interface DeliveryRetrySettings {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  backoffCoefficient: number;
  /** Attempts before the digest's deliveries are marked 'failed'. */
  maximumAttempts: number;
}

/**
 * Production: first retry after 5 s, doubling up to 10 min, 10 attempts (about half an hour of trying)
 * before the deliveries are marked failed.
 */
export const DEFAULT_DELIVERY_RETRY: DeliveryRetrySettings = {
  initialIntervalMs: 5_000,
  maximumIntervalMs: 10 * 60_000,
  backoffCoefficient: 2,
  maximumAttempts: 10,
};

export interface DeliverNoticesInput {
  channelId: string;
  /** Test-only overrides; production leaves them out. */
  settings?: {
    retry?: Partial<DeliveryRetrySettings>;
    /** The rate window the channel's max_per_minute applies to (default one minute). */
    rateWindowMs?: number;
    /** How long one send may take before Temporal gives the attempt up (default one minute). */
    sendTimeoutMs?: number;
  };
  /** Carried over continue-as-new. */
  carried?: {
    /** Workflow times (ms) the last messages completed at, within the rate window. */
    sentAt: number[];
    maxPerMinute?: number;
    pending: boolean;
  };
}

/** The workflow function's signature: it runs until its channel is deleted. */
export type DeliverNoticesWorkflow = (input: DeliverNoticesInput) => Promise<void>;

/** Raised by raiseNotices (and by the API when a channel is enabled): deliveries are waiting. */
export const deliveriesPendingSignal = defineSignal('deliveriesPending');

export interface DeliverNoticesStatus {
  channelId: string;
  messagesSent: number;
  lastOutcome: string | null;
  /** Set while the dispatcher waits for the channel's rate window to free up. */
  waitingUntil: number | null;
}
export const deliverNoticesStatusQuery = defineQuery<DeliverNoticesStatus>('deliverNoticesStatus');
