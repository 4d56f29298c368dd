import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DeadlineKind, NoticeRung } from '../../domain';

/**
 * One notice in one person's in-app inbox (站内通知). `key` = `${notice.key}:${userId}` is unique, so
 * a retried raiseNotices activity puts each notice in each inbox once. Written by the notices
 * activity; the API only sets `read_at`. The inbox index (user_id, read_at IS NULL DESC, created_at
 * DESC, id DESC) is an expression index, declared in the migration only.
 */
@Entity({ name: 'notification' })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_notification_key', { unique: true })
  @Column({ type: 'varchar', length: 300 })
  key!: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Index('IDX_notification_case')
  @Column({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  /** PlannedNotice.key: the notice this inbox entry carries. */
  @Column({ name: 'notice_key', type: 'varchar', length: 250 })
  noticeKey!: string;

  @Column({ name: 'deadline_key', type: 'varchar', length: 150 })
  deadlineKey!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: DeadlineKind;

  @Column({ type: 'varchar', length: 20 })
  rung!: NoticeRung;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'read_at', type: 'timestamptz', nullable: true })
  readAt!: Date | null;
}
