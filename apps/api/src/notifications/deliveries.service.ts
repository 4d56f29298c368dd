import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { signalDeliveryDispatcher } from '../../../../libs/temporal';
import type { DeadlineKind, NoticeRung } from '../../../../libs/domain';
import { CHANNEL_KIND_LABELS, DELIVERY_STATUSES, type ChannelKind, type DeliveryNotice, type DeliveryStatus } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { TemporalClientService } from '../temporal/temporal.module';
import { cursorInstantSql, decodeCursor, encodeCursor, isUuid } from './cursor';
import type { ListDeliveriesQuery } from './dto/list-deliveries.query';
import { NotificationException } from './notification.exception';

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: '待发送',
  sending: '发送中',
  sent: '已发送',
  failed: '发送失败',
  unknown: '发送中断，可能已送达也可能未送达，请人工核实',
};

export interface DeliveryItem {
  id: string;
  key: string;
  channel: { id: string; name: string; kind: ChannelKind; kindLabel: string; townshipId: string; deleted: boolean };
  caseId: string;
  notice: { key: string; organizationName: string; rung: NoticeRung; rungLabel: string; kind: DeadlineKind; title: string; reason: string; dueOn: string };
  status: DeliveryStatus;
  statusLabel: string;
  attempts: number;
  /** Why it did not go, in short (`Webhook 应答 HTTP 500`, `目标地址不允许`); never what the channel answered. */
  lastError: string | null;
  batchId: string | null;
  messageId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface DeliveryPage {
  items: DeliveryItem[];
  nextCursor: string | null;
  /** Counts per status of the same scope and filters, except status. */
  totals: Record<DeliveryStatus, number>;
}

interface Row {
  id: string;
  key: string;
  channel_id: string;
  channel_name: string;
  channel_kind: ChannelKind;
  township_id: string;
  channel_deleted: boolean;
  case_id: string;
  notice: DeliveryNotice;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  batch_id: string | null;
  message_id: string | null;
  created_at: Date;
  sent_at: Date | null;
  cursor_t: string;
}

function toItem(r: Row): DeliveryItem {
  return {
    id: r.id,
    key: r.key,
    channel: {
      id: r.channel_id,
      name: r.channel_name,
      kind: r.channel_kind,
      kindLabel: CHANNEL_KIND_LABELS[r.channel_kind] ?? r.channel_kind,
      townshipId: r.township_id,
      deleted: r.channel_deleted,
    },
    caseId: r.case_id,
    notice: {
      key: r.notice.key,
      organizationName: r.notice.organizationName,
      rung: r.notice.rung,
      rungLabel: r.notice.rungLabel,
      kind: r.notice.kind,
      title: r.notice.title,
      reason: r.notice.reason,
      dueOn: r.notice.dueOn,
    },
    status: r.status,
    statusLabel: DELIVERY_STATUS_LABELS[r.status] ?? r.status,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    batchId: r.batch_id,
    messageId: r.message_id,
    createdAt: new Date(r.created_at).toISOString(),
    sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
  };
}

/**
 * What went out on the channels (推送记录), newest first, so failed and uncertain deliveries are seen:
 * the county organization department sees its county's channels, a township party secretary their
 * township's.
 */
@Injectable()
export class DeliveriesService {
  private readonly logger = new Logger('DeliveriesService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
  ) {}

  /**
   * Sends a failed delivery again: back to 'pending' under a new digest, and the channel's dispatcher is
   * told. Only 'failed' ones: an 'unknown' one may have arrived (a person checks it first), and a
   * deleted channel sends nothing. Audited.
   */
  async resend(user: AuthUser, id: string): Promise<DeliveryItem> {
    if (!isUuid(id)) throw NotificationException.deliveryNotFound(id.slice(0, 100));
    const channelId = await this.dataSource.transaction(async (m) => {
      const scope = user.regionLevel === 'county' ? 'ch.county_id = $2' : 'ch.township_id = $2';
      const [row]: { status: DeliveryStatus; channel_id: string; channel_name: string; deleted: boolean; notice: DeliveryNotice }[] = await m.query(
        `SELECT d.status, d.channel_id, ch.name AS channel_name, ch.deleted_at IS NOT NULL AS deleted, d.notice
           FROM delivery d JOIN notification_channel ch ON ch.id = d.channel_id
          WHERE d.id = $1 AND ${scope} FOR UPDATE OF d`,
        [id, user.regionLevel === 'county' ? user.countyId : user.townshipId],
      );
      if (!row) throw NotificationException.deliveryNotFound(id);
      if (row.deleted) throw NotificationException.deliveryChannelDeleted(id);
      if (row.status !== 'failed') throw NotificationException.deliveryNotFailed(id, DELIVERY_STATUS_LABELS[row.status] ?? row.status);
      await m.query(`UPDATE delivery SET status = 'pending', batch_id = NULL, last_error = NULL WHERE id = $1`, [id]);
      await recordAudit(m, {
        actor: actorOf(user),
        action: 'delivery.resent',
        caseId: row.notice.caseId || undefined,
        payload: { deliveryId: id, channelId: row.channel_id, channelName: row.channel_name, noticeKey: row.notice.key, title: row.notice.title },
      });
      return row.channel_id;
    });
    try {
      await signalDeliveryDispatcher(this.temporal.client, this.temporal.taskQueue, channelId);
    } catch (err) {
      // Temporal being down only delays: the dispatcher's hourly sweep finds the pending delivery.
      this.logger.warn(`could not signal the dispatcher of channel ${channelId}: ${(err as Error).message}`);
    }
    return (await this.list(user, {}, id)).items[0];
  }

  /** `only`: the one delivery of that id (the answer of a re-send). */
  async list(user: AuthUser, query: ListDeliveriesQuery, only?: string): Promise<DeliveryPage> {
    const limit = query.limit ?? 20;
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const where: string[] = [];
    if (user.regionLevel === 'county') where.push(`ch.county_id = ${p(user.countyId)}`);
    else where.push(`ch.township_id = ${p(user.townshipId)}`);
    if (query.channelId) where.push(`d.channel_id = ${p(query.channelId)}`);
    if (query.townshipId) where.push(`ch.township_id = ${p(query.townshipId)}`);
    if (query.caseId) where.push(`d.case_id = ${p(query.caseId)}`);
    if (only) where.push(`d.id = ${p(only)}`);
    const from = `FROM delivery d JOIN notification_channel ch ON ch.id = d.channel_id`;
    const totalsSql = `SELECT d.status, count(*)::int AS n ${from} WHERE ${where.join(' AND ')} GROUP BY d.status`;
    const totalsParams = [...params];

    const itemWhere = [...where];
    if (query.status) itemWhere.push(`d.status = ${p(query.status)}`);
    if (query.cursor) {
      const c = decodeCursor(query.cursor);
      itemWhere.push(`(d.created_at, d.id) < (${p(c.t)}::timestamptz, ${p(c.id)}::uuid)`);
    }
    const rows: Row[] = await this.dataSource.query(
      `SELECT d.id, d.key, d.channel_id, ch.name AS channel_name, ch.kind AS channel_kind, ch.township_id, ch.deleted_at IS NOT NULL AS channel_deleted,
              d.case_id, d.notice, d.status, d.attempts, d.last_error, d.batch_id, d.message_id, d.created_at, d.sent_at,
              ${cursorInstantSql('d.created_at')} AS cursor_t
         ${from} WHERE ${itemWhere.join(' AND ')}
        ORDER BY d.created_at DESC, d.id DESC LIMIT ${p(limit + 1)}`,
      params,
    );
    const counts: { status: DeliveryStatus; n: number }[] = await this.dataSource.query(totalsSql, totalsParams);
    const totals = Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    for (const c of counts) totals[c.status] = Number(c.n);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toItem),
      nextCursor: rows.length > limit && last ? encodeCursor({ t: last.cursor_t, id: last.id }) : null,
      totals,
    };
  }
}
