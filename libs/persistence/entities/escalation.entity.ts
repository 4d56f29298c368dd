import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { DeadlineKind, EscalationRung, LocalDate, Recipient } from '../../domain';

/** Who an escalation was addressed to: the roles/regions (and named people) planned, and the users they resolved to. */
export interface EscalationRecipients {
  recipients: Recipient[];
  userIds: string[];
}

export const ESCALATION_STATUSES = ['open', 'acknowledged', 'resolved'] as const;
export type EscalationStatus = (typeof ESCALATION_STATUSES)[number];

/**
 * One rung of the accountability ladder raised against an overdue deadline of a case (督办、通报、约谈;
 * the reminder rung 提醒 is not an escalation). `key` is the notice key, unique, so a retried
 * activity records the escalation once. A recipient acknowledges it (签收); it is resolved when the
 * work is done (the deadline met, or the case accepted). The list indexes (county_id / township_id,
 * raised_at DESC, id DESC) and the partial index of open escalations are declared in the migration only.
 */
@Entity({ name: 'escalation' })
@Index('IDX_escalation_case', ['caseId', 'deadlineKey'])
export class EscalationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_escalation_key', { unique: true })
  @Column({ type: 'varchar', length: 250 })
  key!: string;

  @Column({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @Column({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @Column({ name: 'township_id', type: 'uuid' })
  townshipId!: string;

  @Column({ name: 'organization_name', type: 'varchar', length: 100 })
  organizationName!: string;

  @Column({ name: 'deadline_key', type: 'varchar', length: 150 })
  deadlineKey!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: DeadlineKind;

  @Column({ type: 'varchar', length: 20 })
  rung!: EscalationRung;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  /** Why, in Chinese: "……已逾期15天，予以通报". */
  @Column({ type: 'text' })
  reason!: string;

  /** The deadline that was missed. */
  @Column({ type: 'date' })
  deadline!: LocalDate;

  @Column({ name: 'days_overdue', type: 'int' })
  daysOverdue!: number;

  @Column({ type: 'jsonb' })
  recipients!: EscalationRecipients;

  @Column({ name: 'raised_at', type: 'timestamptz' })
  raisedAt!: Date;

  @Column({ name: 'acknowledged_by_id', type: 'uuid', nullable: true })
  acknowledgedById!: string | null;

  @Column({ name: 'acknowledged_by_name', type: 'varchar', length: 50, nullable: true })
  acknowledgedByName!: string | null;

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  @Column({ name: 'acknowledgement_note', type: 'varchar', length: 500, nullable: true })
  acknowledgementNote!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /** Why it closed, when the closing record says so (a visit dated back into an escalated quarter). */
  @Column({ name: 'resolution_note', type: 'varchar', length: 500, nullable: true })
  resolutionNote!: string | null;
}
