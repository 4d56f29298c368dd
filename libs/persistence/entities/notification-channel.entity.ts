import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CHANNEL_KINDS = ['dingtalk', 'wecom', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  dingtalk: '钉钉群机器人',
  wecom: '企业微信群机器人',
  webhook: '通用 Webhook',
};

/** Messages a minute each kind allows by default (DingTalk and WeCom robots: 20 a minute per robot). */
export const DEFAULT_MAX_PER_MINUTE: Record<ChannelKind, number> = { dingtalk: 20, wecom: 20, webhook: 60 };
/** Notices one digest message carries at most, by default. */
export const DEFAULT_BATCH_SIZE = 10;

/**
 * An outbound channel of a township (乡镇) that its notices also go to: a DingTalk or WeCom group
 * robot, or a generic webhook. `secret` (the DingTalk signing secret, the webhook's HMAC key) is never
 * returned by the API. Deleting a channel keeps the row (deleted_at) so its deliveries stay visible.
 */
@Entity({ name: 'notification_channel' })
@Index('IDX_channel_township', ['townshipId'], { where: 'deleted_at IS NULL' })
export class NotificationChannelEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @Column({ name: 'township_id', type: 'uuid' })
  townshipId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ChannelKind;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 1000 })
  url!: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  secret!: string | null;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** Messages a minute the channel accepts (DingTalk/WeCom robots: 20; webhook: 60 by default). */
  @Column({ name: 'max_per_minute', type: 'int' })
  maxPerMinute!: number;

  /** Notices one digest message carries at most. */
  @Column({ name: 'batch_size', type: 'int', default: DEFAULT_BATCH_SIZE })
  batchSize!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
