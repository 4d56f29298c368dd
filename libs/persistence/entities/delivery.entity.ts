import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DeadlineKind, LocalDate, NoticeRung } from '../../domain';

/**
 * pending: waiting for the channel's dispatcher; sending: handed to the channel by an attempt that has
 * not reported back; sent; failed: every retry failed (last_error says why); unknown: an attempt was
 * interrupted after handing the message over, so it may or may not have arrived — never re-sent.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'unknown'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What a delivery carries: the notice as the channel renders it (Chinese text). */
export interface DeliveryNotice {
  key: string;
  caseId: string;
  organizationName: string;
  countyId: string;
  townshipId: string;
  deadlineKey: string;
  kind: DeadlineKind;
  rung: NoticeRung;
  /** 提醒 / 督办 / 通报 / 约谈. */
  rungLabel: string;
  title: string;
  reason: string;
  dueOn: LocalDate;
  offsetDays: number;
  /** The names of the people it is addressed to (resolved when raised). */
  recipientNames: string[];
}

/**
 * One notice to one outbound channel. `key` = `${notice.key}:${channelId}` is unique, so a retried
 * raiseNotices queues it once; the channel's dispatcher workflow sends it, batched with others into a
 * digest message (`batch_id`, the webhook's Idempotency-Key). The list index (status, created_at DESC,
 * id DESC) is declared in the migration only.
 */
@Entity({ name: 'delivery' })
@Index('IDX_delivery_channel_status', ['channelId', 'status', 'createdAt', 'id'])
@Index('IDX_delivery_batch', ['batchId'])
export class DeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_delivery_key', { unique: true })
  @Column({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ name: 'channel_id', type: 'uuid' })
  channelId!: string;

  @Column({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @Column({ type: 'jsonb' })
  notice!: DeliveryNotice;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** The digest this delivery went out in (kept across retries of the same digest). */
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  /** The channel's message id, where it answers one. */
  @Column({ name: 'message_id', type: 'varchar', length: 200, nullable: true })
  messageId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;
}
