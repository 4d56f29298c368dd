import { ApplicationFailure } from '@temporalio/activity';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ChannelKind, DeliveryNotice } from '../../libs/persistence';
import { DEFAULT_SENDERS, DeliveryError, type ChannelTarget, type NoticeChannelSender, type OutboundOptions } from '../../libs/outbound';

export interface DeliveryDeps {
  dataSource: DataSource;
  /** The channel senders by kind; tests may replace one. */
  senders?: Partial<Record<ChannelKind, NoticeChannelSender>>;
  /**
   * Origins sends may reach beyond public https (OUTBOUND_ALLOW of the worker's config). Absent: none,
   * so an activity built without the config never reaches inside the network.
   */
  outbound?: OutboundOptions;
}

export interface SendNextDigestInput {
  channelId: string;
  /**
   * Messages the dispatcher may still send in the current rate window, this one included (default:
   * the channel's max_per_minute). The digest is sized so the pending deliveries fit that budget.
   */
  budget?: number;
}

export interface SendNextDigestResult {
  /**
   * sent: a digest went out; unknown: it may or may not have arrived (never re-sent); failed: it
   * cannot go out (the address is not allowed), its deliveries are failed at once; idle: nothing
   * pending; disabled: the channel is switched off (deliveries wait); gone: the channel was deleted.
   */
  outcome: 'sent' | 'unknown' | 'failed' | 'idle' | 'disabled' | 'gone';
  /** Deliveries in the digest. */
  deliveries: number;
  batchId: string | null;
  /** Pending deliveries of the channel left after this one. */
  remaining: number;
  /** Deliveries an earlier, interrupted attempt left in 'sending', now marked 'unknown'. */
  interrupted: number;
  /** The channel's current rate limit, for the dispatcher. */
  maxPerMinute?: number;
}

export interface FailDigestInput {
  channelId: string;
  /** The last attempt's error. */
  error: string;
}

interface ChannelRow {
  id: string;
  kind: ChannelKind;
  name: string;
  url: string;
  secret: string | null;
  enabled: boolean;
  max_per_minute: number;
  batch_size: number;
  deleted_at: Date | null;
}

interface DeliveryRow {
  id: string;
  batch_id: string | null;
  notice: DeliveryNotice;
}

/** The text an interrupted send leaves on its deliveries. */
export const INTERRUPTED_ERROR = '上次发送在交给渠道后中断（进程退出或超时），消息可能已送达也可能未送达；为避免重复发送，不再重发，请人工核实';

/** Rows changed by an UPDATE through DataSource.query (TypeORM answers [rows, rowCount] for UPDATE and DELETE). */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[1];
  return Array.isArray(result) ? result.length : 0;
}

/**
 * What a failed send records and shows: a DeliveryError's short reason (never the peer's answer);
 * anything else is a fault of ours, named but not spelled out.
 */
const errorText = (err: unknown) => (err instanceof DeliveryError ? err.message.slice(0, 300) : `发送出错（${err instanceof Error ? err.name : 'unknown'}）`);

async function countPending(dataSource: DataSource, channelId: string): Promise<number> {
  const [row] = await dataSource.query(`SELECT count(*)::int AS n FROM delivery WHERE channel_id = $1 AND status = 'pending'`, [channelId]);
  return Number(row?.n ?? 0);
}

/**
 * The outbound side of notices: one digest at a time per channel, called by the channel's dispatcher
 * workflow (workflows/deliver-notices.ts).
 */
export function createDeliveryActivities({ dataSource, senders = {}, outbound = { allow: [] } }: DeliveryDeps) {
  const senderOf = (kind: ChannelKind): NoticeChannelSender => senders[kind] ?? DEFAULT_SENDERS[kind];

  return {
    /**
     * Sends the channel's next digest: up to N of its oldest pending deliveries in one message, where
     * N = ceil(pending / budget) — budget being the messages the rate window still allows — bounded by
     * the channel's batch_size and the message size the channel accepts. Few pending go out one by
     * one; many are batched so the window's remaining messages carry them all (45 pending at 20 a
     * minute: 20 messages of 2–3 notices). The dispatcher spaces the calls to respect max_per_minute.
     *
     * No duplicates, even when a worker dies mid-delivery (at-most-once per delivery):
     *  1. the digest's deliveries are marked 'sending' and that is COMMITTED before the HTTP call;
     *  2. after the channel answers they become 'sent' (or go back to 'pending', keeping their batch
     *     id, when the channel certainly refused them: the retry sends the same digest, same
     *     Idempotency-Key);
     *  3. a later attempt that finds deliveries still 'sending' knows an earlier attempt died (or
     *     timed out) between 1 and 2: the message may or may not have arrived. It never sends them
     *     again — it marks them 'unknown' ("may or may not have arrived"), visible in
     *     GET /api/deliveries?status=unknown for a person to check.
     * So a crash can lose at most the in-flight digest into a visible 'unknown' state, and never
     * delivers a notice twice. We chose this over at-least-once because a 督办 or 通报 posted twice
     * into a county's group chat is itself a visible error and DingTalk/WeCom robots have no
     * idempotency key to de-duplicate with; a generic webhook gets the batch id as Idempotency-Key.
     * Likewise a send that timed out or was cut off after the request went out is 'unknown', not retried.
     */
    async sendNextDigest({ channelId, budget }: SendNextDigestInput): Promise<SendNextDigestResult> {
      const claim = await dataSource.transaction(async (tx) => {
        const [channel]: ChannelRow[] = await tx.query(
          `SELECT id, kind, name, url, secret, enabled, max_per_minute, batch_size, deleted_at
             FROM notification_channel WHERE id::text = $1 FOR UPDATE`,
          [channelId],
        );
        // 1. Deliveries an earlier attempt left in 'sending' (it died after handing them over): unknown.
        const interrupted = channel
          ? affectedRows(
              await tx.query(`UPDATE delivery SET status = 'unknown', last_error = $2 WHERE channel_id = $1 AND status = 'sending'`, [channel.id, INTERRUPTED_ERROR]),
            )
          : 0;

        if (!channel || channel.deleted_at) {
          if (channel) {
            await tx.query(`UPDATE delivery SET status = 'failed', last_error = '渠道已删除，未发送' WHERE channel_id = $1 AND status = 'pending'`, [channel.id]);
          }
          return { kind: 'gone' as const, interrupted };
        }
        if (!channel.enabled) return { kind: 'disabled' as const, interrupted, channel };

        // 2. A digest a previous attempt could not deliver (certainly not received) is retried first, whole.
        let rows: DeliveryRow[] = await tx.query(
          `SELECT id, batch_id, notice FROM delivery
            WHERE channel_id = $1 AND status = 'pending' AND batch_id = (
              SELECT batch_id FROM delivery WHERE channel_id = $1 AND status = 'pending' AND batch_id IS NOT NULL
               ORDER BY created_at, id LIMIT 1)
            ORDER BY created_at, id`,
          [channel.id],
        );
        let batchId = rows[0]?.batch_id ?? null;
        if (rows.length === 0) {
          const [{ n }] = await tx.query(`SELECT count(*)::int AS n FROM delivery WHERE channel_id = $1 AND status = 'pending'`, [channel.id]);
          if (Number(n) === 0) return { kind: 'idle' as const, interrupted, channel };
          const messagesLeft = Math.max(1, Math.min(channel.max_per_minute, budget ?? channel.max_per_minute));
          const size = Math.min(channel.batch_size, Math.max(1, Math.ceil(Number(n) / messagesLeft)));
          rows = await tx.query(
            `SELECT id, batch_id, notice FROM delivery WHERE channel_id = $1 AND status = 'pending'
              ORDER BY created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
            [channel.id, size],
          );
          if (rows.length === 0) return { kind: 'idle' as const, interrupted, channel };
          rows = rows.slice(0, senderOf(channel.kind).fit(rows.map((r) => r.notice)));
          batchId = randomUUID();
        }
        await tx.query(`UPDATE delivery SET status = 'sending', batch_id = $2, attempts = attempts + 1 WHERE id = ANY($1::uuid[])`, [
          rows.map((r) => r.id),
          batchId,
        ]);
        return { kind: 'claimed' as const, interrupted, channel, rows, batchId: batchId as string };
      });
      // The 'sending' marks are committed: from here on a crash leaves them for the next attempt to see.

      const base = { interrupted: claim.interrupted, ...('channel' in claim && claim.channel ? { maxPerMinute: claim.channel.max_per_minute } : {}) };
      if (claim.kind !== 'claimed') {
        const remaining = claim.kind === 'gone' ? 0 : await countPending(dataSource, channelId);
        return { outcome: claim.kind, deliveries: 0, batchId: null, remaining, ...base };
      }

      const { channel, rows, batchId } = claim;
      const target: ChannelTarget = { id: channel.id, kind: channel.kind, name: channel.name, url: channel.url, secret: channel.secret };
      try {
        const receipt = await senderOf(channel.kind).send(target, { batchId, notices: rows.map((r) => r.notice) }, outbound);
        // 'unknown' too: a stale attempt that outlived its timeout and then learned the message arrived.
        await dataSource.query(
          `UPDATE delivery SET status = 'sent', sent_at = now(), message_id = $2, last_error = NULL
            WHERE batch_id = $1 AND status IN ('sending', 'unknown')`,
          [batchId, receipt.messageId],
        );
        return { outcome: 'sent', deliveries: rows.length, batchId, remaining: await countPending(dataSource, channel.id), ...base };
      } catch (err) {
        if (err instanceof DeliveryError && err.permanent) {
          // Nothing left (the address is not allowed) and no retry can help: failed now, visibly.
          await dataSource.query(`UPDATE delivery SET status = 'failed', last_error = $2 WHERE batch_id = $1 AND status = 'sending'`, [batchId, `发送失败：${errorText(err)}`]);
          return { outcome: 'failed', deliveries: rows.length, batchId, remaining: await countPending(dataSource, channel.id), ...base };
        }
        if (err instanceof DeliveryError && !err.maybeDelivered) {
          // Certainly not received: back to pending (same batch id) and let the retry policy try again.
          await dataSource.query(`UPDATE delivery SET status = 'pending', last_error = $2 WHERE batch_id = $1 AND status = 'sending'`, [batchId, errorText(err)]);
          throw ApplicationFailure.retryable(`${channel.name}：${errorText(err)}`, 'DeliveryFailed');
        }
        // May have arrived (timed out, cut off): never sent again.
        await dataSource.query(`UPDATE delivery SET status = 'unknown', last_error = $2 WHERE batch_id = $1 AND status = 'sending'`, [batchId, errorText(err)]);
        return { outcome: 'unknown', deliveries: rows.length, batchId, remaining: await countPending(dataSource, channel.id), ...base };
      }
    },

    /**
     * After the last attempt failed: the digest that kept failing (pending, with a batch id) is marked
     * 'failed' with the error; anything a dead attempt left 'sending' becomes 'unknown'. Idempotent.
     */
    async failDigest({ channelId, error }: FailDigestInput): Promise<{ failed: number }> {
      return dataSource.transaction(async (tx) => {
        await tx.query(`UPDATE delivery SET status = 'unknown', last_error = $2 WHERE channel_id::text = $1 AND status = 'sending'`, [channelId, INTERRUPTED_ERROR]);
        const failed = await tx.query(
          `UPDATE delivery SET status = 'failed', last_error = $2
            WHERE channel_id::text = $1 AND status = 'pending' AND batch_id IS NOT NULL`,
          [channelId, `多次重试后仍发送失败：${error}`.slice(0, 2000)],
        );
        return { failed: affectedRows(failed) };
      });
    },
  };
}
