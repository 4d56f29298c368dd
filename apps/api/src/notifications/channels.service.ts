import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { shanghaiDateOf } from '../../../../libs/domain';
import {
  CHANNEL_KIND_LABELS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_PER_MINUTE,
  NotificationChannelEntity,
  RegionEntity,
  type ChannelKind,
} from '../../../../libs/persistence';
import type { AppConfig } from '../../../../libs/config';
import { checkOutboundTarget, DEFAULT_SENDERS, DeliveryError } from '../../../../libs/outbound';
import { signalDeliveryDispatcher } from '../../../../libs/temporal';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { APP_CONFIG } from '../config/config.module';
import { TemporalClientService } from '../temporal/temporal.module';
import { isUuid } from './cursor';
import type { CreateChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { NotificationException } from './notification.exception';

/** A channel as the API shows it: never its secret, only whether one is set; the URL's token masked. */
export interface ChannelItem {
  id: string;
  townshipId: string;
  kind: ChannelKind;
  kindLabel: string;
  name: string;
  /** The URL with its access token (access_token, key, token…) masked. */
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  maxPerMinute: number;
  batchSize: number;
  createdAt: string;
  updatedAt: string;
}

/** What a test send (POST /api/channels/:id/test) answers: whether the channel took the message, and if not why. */
export interface ChannelTestResult {
  channelId: string;
  ok: boolean;
  /** The channel's id of the message (a webhook's own id, else ours) when it went out. */
  messageId: string | null;
  /** Why it did not go, in short Chinese (`Webhook 应答 HTTP 500`, `连接被拒绝`); never what the channel answered. */
  error: string | null;
  sentAt: string;
}

/** Query parameters of robot URLs that are credentials. */
const TOKEN_PARAMS = /^(access_token|key|token|secret|sign|signature|sig|apikey|api_key)$/i;

/** The URL with credential-like query values reduced to their last 4 characters. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    let masked = false;
    for (const [name, value] of [...u.searchParams]) {
      if (TOKEN_PARAMS.test(name)) {
        u.searchParams.set(name, `****${value.length > 8 ? value.slice(-4) : ''}`);
        masked = true;
      }
    }
    if (u.password) {
      u.password = '****';
      masked = true;
    }
    return masked ? u.toString() : url;
  } catch {
    return url;
  }
}

export function toChannelItem(c: NotificationChannelEntity): ChannelItem {
  return {
    id: c.id,
    townshipId: c.townshipId,
    kind: c.kind,
    kindLabel: CHANNEL_KIND_LABELS[c.kind] ?? c.kind,
    name: c.name,
    url: maskUrl(c.url),
    hasSecret: !!c.secret,
    enabled: c.enabled,
    maxPerMinute: c.maxPerMinute,
    batchSize: c.batchSize,
    createdAt: new Date(c.createdAt).toISOString(),
    updatedAt: new Date(c.updatedAt).toISOString(),
  };
}

/**
 * Outbound channels of a township (推送渠道). Managed by the township party secretary of that
 * township or the county organization department of its county; anyone else in scope gets 403 from
 * @Roles, a township outside the user's region 404.
 */
@Injectable()
export class ChannelsService {
  private readonly logger = new Logger('ChannelsService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalClientService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * 400 unless the server may send to the URL: https, a robot's official host, and a host that
   * resolves only to public addresses (OUTBOUND_ALLOW names the exceptions of tests and demos). The
   * worker checks again when it connects, so a name that later resolves inside the network is refused too.
   */
  private async requireReachableUrl(url: string, kind: ChannelKind): Promise<void> {
    const checked = await checkOutboundTarget(url, kind, this.config.outbound.allow);
    if (!checked.ok) throw NotificationException.urlNotAllowed(checked.refusal);
  }

  /** The township if the user manages its channels; 404 otherwise (outside their region, or not a township). */
  private async managedTownship(user: AuthUser, townshipId: string, manager: EntityManager = this.dataSource.manager): Promise<RegionEntity> {
    if (!isUuid(townshipId)) throw NotificationException.townshipNotFound(townshipId.slice(0, 100));
    const township = await manager.getRepository(RegionEntity).findOneBy({ id: townshipId });
    if (!township || township.level !== 'township') throw NotificationException.townshipNotFound(townshipId);
    const mayManage =
      (user.role === 'county_org_admin' && user.regionLevel === 'county' && township.parentId === user.countyId) ||
      (user.role === 'township_party_secretary' && user.townshipId === township.id);
    if (!mayManage) throw NotificationException.townshipNotFound(townshipId);
    return township;
  }

  /** The live channel, locked, if the user manages its township; 404 otherwise. */
  private async managedChannel(m: EntityManager, user: AuthUser, id: string): Promise<NotificationChannelEntity> {
    if (!isUuid(id)) throw NotificationException.channelNotFound(id.slice(0, 100));
    const channel = await m
      .getRepository(NotificationChannelEntity)
      .createQueryBuilder('ch')
      .where('ch.id = :id AND ch.deleted_at IS NULL', { id })
      .setLock('pessimistic_write')
      .getOne();
    if (!channel) throw NotificationException.channelNotFound(id);
    try {
      await this.managedTownship(user, channel.townshipId, m);
    } catch {
      throw NotificationException.channelNotFound(id);
    }
    return channel;
  }

  /** Tells the channel's dispatcher to look (after commit). Temporal being down only delays: it sweeps hourly. */
  private async nudge(channelId: string): Promise<void> {
    try {
      await signalDeliveryDispatcher(this.temporal.client, this.temporal.taskQueue, channelId);
    } catch (err) {
      this.logger.warn(`could not signal the dispatcher of channel ${channelId}: ${(err as Error).message}`);
    }
  }

  async list(user: AuthUser, townshipId: string): Promise<ChannelItem[]> {
    await this.managedTownship(user, townshipId);
    const rows = await this.dataSource
      .getRepository(NotificationChannelEntity)
      .createQueryBuilder('ch')
      .where('ch.township_id = :townshipId AND ch.deleted_at IS NULL', { townshipId })
      .orderBy('ch.created_at', 'ASC')
      .addOrderBy('ch.id', 'ASC')
      .getMany();
    return rows.map(toChannelItem);
  }

  async create(user: AuthUser, townshipId: string, dto: CreateChannelDto): Promise<ChannelItem> {
    await this.requireReachableUrl(dto.url, dto.kind);
    const channel = await this.dataSource.transaction(async (m) => {
      const township = await this.managedTownship(user, townshipId, m);
      // Each channel runs a dispatcher workflow for good: a township has a bounded number. The lock
      // makes concurrent creations count one after the other.
      const limit = this.config.outbound.maxChannelsPerTownship;
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('notification_channel:' || $1))`, [township.id]);
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM notification_channel WHERE township_id = $1 AND deleted_at IS NULL`, [township.id]);
      if (Number(n) >= limit) throw NotificationException.channelLimitReached(limit);
      const repo = m.getRepository(NotificationChannelEntity);
      const saved = await repo.save(
        repo.create({
          countyId: township.parentId!,
          townshipId: township.id,
          kind: dto.kind,
          name: dto.name.trim(),
          url: dto.url,
          secret: dto.secret ?? null,
          enabled: dto.enabled ?? true,
          maxPerMinute: dto.maxPerMinute ?? DEFAULT_MAX_PER_MINUTE[dto.kind],
          batchSize: dto.batchSize ?? DEFAULT_BATCH_SIZE,
          deletedAt: null,
        }),
      );
      await recordAudit(m, {
        actor: actorOf(user),
        action: 'channel.created',
        payload: { channelId: saved.id, townshipId: township.id, kind: saved.kind, name: saved.name, url: maskUrl(saved.url), hasSecret: !!saved.secret, enabled: saved.enabled },
      });
      return saved;
    });
    return toChannelItem(channel);
  }

  async update(user: AuthUser, id: string, dto: UpdateChannelDto): Promise<ChannelItem> {
    const { channel, wake } = await this.dataSource.transaction(async (m) => {
      const channel = await this.managedChannel(m, user, id);
      if (dto.url !== undefined && dto.url !== channel.url) await this.requireReachableUrl(dto.url, channel.kind);
      const changed: string[] = [];
      const set = <K extends keyof NotificationChannelEntity>(key: K, value: NotificationChannelEntity[K] | undefined) => {
        if (value === undefined || channel[key] === value) return;
        channel[key] = value;
        changed.push(key);
      };
      set('name', dto.name?.trim());
      set('url', dto.url);
      if (dto.secret !== undefined) set('secret', dto.secret);
      const wasEnabled = channel.enabled;
      set('enabled', dto.enabled);
      set('maxPerMinute', dto.maxPerMinute);
      set('batchSize', dto.batchSize);
      if (changed.length > 0) {
        await m.getRepository(NotificationChannelEntity).save(channel);
        await recordAudit(m, {
          actor: actorOf(user),
          action: 'channel.updated',
          // Never the secret itself.
          payload: { channelId: id, changed, name: channel.name, url: maskUrl(channel.url), hasSecret: !!channel.secret, enabled: channel.enabled },
        });
      }
      return { channel, wake: channel.enabled && (!wasEnabled || changed.includes('url') || changed.includes('secret')) };
    });
    if (wake) await this.nudge(channel.id);
    return toChannelItem(channel);
  }

  /**
   * Removes a channel: it stops receiving notices; its pending deliveries end 'failed' (visible),
   * already sent ones stay listed. The row is kept (deleted_at) for that history.
   */
  async remove(user: AuthUser, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const channel = await this.managedChannel(m, user, id);
      await m.query(`UPDATE notification_channel SET deleted_at = now(), enabled = false, updated_at = now() WHERE id = $1`, [id]);
      await m.query(`UPDATE delivery SET status = 'failed', last_error = '渠道已删除，未发送' WHERE channel_id = $1 AND status = 'pending'`, [id]);
      await recordAudit(m, {
        actor: actorOf(user),
        action: 'channel.deleted',
        payload: { channelId: id, townshipId: channel.townshipId, kind: channel.kind, name: channel.name },
      });
    });
    // The dispatcher finds the channel gone and ends.
    await this.nudge(id);
  }

  /**
   * Sends one test message through the channel now, from the API (not the dispatcher: no delivery row,
   * nothing retried), so whoever sets a channel up sees at once whether the robot or webhook takes it.
   * A refusal is a result (ok: false, the short reason), not an error of the request. Audited.
   */
  async sendTest(user: AuthUser, id: string): Promise<ChannelTestResult> {
    const { channel, township } = await this.dataSource.transaction(async (m) => {
      const channel = await this.managedChannel(m, user, id);
      return { channel, township: await m.getRepository(RegionEntity).findOneByOrFail({ id: channel.townshipId }) };
    });
    const now = new Date();
    const batchId = `test-${randomUUID()}`;
    let messageId: string | null = null;
    let error: string | null = null;
    try {
      const receipt = await DEFAULT_SENDERS[channel.kind].send(
        { id: channel.id, kind: channel.kind, name: channel.name, url: channel.url, secret: channel.secret },
        {
          batchId,
          notices: [
            {
              key: batchId,
              caseId: '',
              organizationName: township.name,
              countyId: channel.countyId,
              townshipId: channel.townshipId,
              deadlineKey: 'test',
              kind: 'measure',
              rung: 'reminder',
              rungLabel: '测试',
              title: `推送渠道「${channel.name}」测试消息`,
              reason: `${user.name}发送的测试消息：收到即表示渠道设置正确，整顿工作的提醒、督办将发到这里。`,
              dueOn: shanghaiDateOf(now.getTime()),
              offsetDays: 0,
              recipientNames: [],
            },
          ],
        },
        { allow: this.config.outbound.allow },
      );
      messageId = receipt.messageId;
    } catch (err) {
      error = err instanceof DeliveryError ? err.message.slice(0, 300) : `发送出错（${err instanceof Error ? err.name : 'unknown'}）`;
    }
    await recordAudit(this.dataSource.manager, {
      actor: actorOf(user),
      action: 'channel.tested',
      payload: { channelId: channel.id, townshipId: channel.townshipId, kind: channel.kind, name: channel.name, ok: error === null, error },
    });
    return { channelId: channel.id, ok: error === null, messageId, error, sentAt: now.toISOString() };
  }
}
