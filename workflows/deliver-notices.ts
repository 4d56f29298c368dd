import { ActivityFailure, condition, continueAsNew, patched, proxyActivities, proxyLocalActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  DEFAULT_DELIVERY_RETRY,
  deliverNoticesStatusQuery,
  deliveriesPendingSignal,
  type DeliverNoticesStatus,
  type DeliverNoticesWorkflow,
} from '../libs/contracts/deliver-notices';

/** Engineering limits, not business rules: past them the dispatcher continues as new. */
const MAX_ITERATIONS = 300;
/** With nothing signalled, look for pending deliveries anyway this often (a lost signal delays, never drops). */
const IDLE_SWEEP = '1 hour';
const MINUTE_MS = 60_000;
/** Room for clock differences between us and the channel's counter. */
const RATE_MARGIN_MS = 250;

/**
 * sendNextDigest runs as a local activity, in the workflow task that decides to send: a digest then costs the
 * Temporal server one workflow task instead of two and an activity task — at a quarter's start, when every
 * case's escalation goes out, one round of them per case. The workflow's clock moves on with the local activity,
 * so a message still counts from when its send completed. Its retries and its crash rule are the
 * activity's own, as before: a retry whose wait passes the threshold goes through a durable timer, and an attempt
 * whose worker died leaves its deliveries 'sending' for the next to mark 'unknown'. Asked at each send, so a
 * dispatcher of before replays its scheduled sends and goes on locally from its next one.
 */
export const LOCAL_DIGEST_PATCH = 'local-digest-v1';

/**
 * The outbound dispatcher of one channel (deliver-notices-<channelId>). Started or signalled by
 * raiseNotices; sends the channel's pending deliveries as digest messages, never more than the
 * channel's max_per_minute messages in any rolling minute (a message counts from the moment its send
 * completed, so the channel — which counts on arrival — never sees more). Sending, batching, the
 * "sending → unknown" crash rule and retries with backoff live in the sendNextDigest activity (a local one,
 * LOCAL_DIGEST_PATCH) and its retry policy; after the last attempt the digest's deliveries are marked 'failed'.
 */
export const deliverNotices: DeliverNoticesWorkflow = async function deliverNotices(input) {
  const { channelId } = input;
  const retry = { ...DEFAULT_DELIVERY_RETRY, ...(input.settings?.retry ?? {}) };
  const windowMs = input.settings?.rateWindowMs ?? MINUTE_MS;

  const sendOptions = {
    startToCloseTimeout: input.settings?.sendTimeoutMs ?? MINUTE_MS,
    retry: {
      initialInterval: retry.initialIntervalMs,
      maximumInterval: retry.maximumIntervalMs,
      backoffCoefficient: retry.backoffCoefficient,
      maximumAttempts: retry.maximumAttempts,
    },
  };
  const { sendNextDigest } = proxyActivities<Activities>(sendOptions);
  const { sendNextDigest: sendNextDigestLocally } = proxyLocalActivities<Activities>({ ...sendOptions, localRetryThreshold: '10 seconds' });
  const { failDigest } = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
  });

  let pending = input.carried?.pending ?? true;
  let maxPerMinute = input.carried?.maxPerMinute;
  let sentAt = [...(input.carried?.sentAt ?? [])];
  const status: DeliverNoticesStatus = { channelId, messagesSent: 0, lastOutcome: null, waitingUntil: null };

  setHandler(deliveriesPendingSignal, () => {
    pending = true;
  });
  setHandler(deliverNoticesStatusQuery, () => status);

  /** Waits until one more message fits the rate window; answers how many the window still allows. */
  async function awaitRateBudget(): Promise<number | undefined> {
    for (;;) {
      const now = Date.now();
      sentAt = sentAt.filter((t) => t > now - windowMs);
      if (maxPerMinute === undefined) return undefined;
      if (sentAt.length < maxPerMinute) return maxPerMinute - sentAt.length;
      const until = sentAt[sentAt.length - maxPerMinute] + windowMs + RATE_MARGIN_MS;
      status.waitingUntil = until;
      await sleep(Math.max(1, until - now));
      status.waitingUntil = null;
    }
  }

  let iterations = 0;
  for (;;) {
    if (!pending) await condition(() => pending, IDLE_SWEEP);
    pending = false;

    // Drain: one digest per pass until nothing is pending.
    for (;;) {
      const budget = await awaitRateBudget();
      iterations++;
      let outcome: string;
      let remaining = 0;
      try {
        const send = patched(LOCAL_DIGEST_PATCH) ? sendNextDigestLocally : sendNextDigest;
        const result = await send({ channelId, ...(budget !== undefined ? { budget } : {}) });
        maxPerMinute = result.maxPerMinute ?? maxPerMinute;
        outcome = result.outcome;
        remaining = result.remaining;
      } catch (err) {
        // Every attempt failed: the digest's deliveries become 'failed' with the last error, visibly.
        const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : err instanceof Error ? err.message : String(err);
        await failDigest({ channelId, error: cause });
        outcome = 'failed';
        remaining = 1; // look again: other deliveries may be waiting
      }
      status.lastOutcome = outcome;
      if (outcome === 'sent' || outcome === 'unknown' || outcome === 'failed') {
        sentAt.push(Date.now());
        status.messagesSent++;
      }
      if (outcome === 'gone') return; // the channel was deleted: nothing will ever go out on it
      if (outcome !== 'sent' && outcome !== 'unknown' && outcome !== 'failed') break; // idle or disabled
      if (remaining === 0) break;
      if (iterations >= MAX_ITERATIONS || workflowInfo().continueAsNewSuggested) break;
    }

    if (iterations >= MAX_ITERATIONS || workflowInfo().continueAsNewSuggested) {
      const now = Date.now();
      await continueAsNew<typeof deliverNotices>({
        channelId,
        ...(input.settings ? { settings: input.settings } : {}),
        // Anything left over is looked at first thing in the next run.
        carried: { sentAt: sentAt.filter((t) => t > now - windowMs), ...(maxPerMinute !== undefined ? { maxPerMinute } : {}), pending: true },
      });
    }
  }
};
