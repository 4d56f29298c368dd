import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { LocalDate, TaskKind, UserRole } from '../../domain';

export const TASK_STATUSES = ['open', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * What someone must do next on a case (待办), projected from the workflow's CaseTask list. A task the
 * workflow no longer lists is marked done; one that comes back is reopened. Written only by the
 * projection activity — except the tasks of a county's batch (case_id null, batch_year set), written by
 * activities/county-secretary.ts.
 */
@Entity({ name: 'task' })
@Index('IDX_task_region_status_due', ['regionId', 'status', 'dueOn'])
@Index('IDX_task_assignee_status', ['assigneeId', 'status'])
@Index('IDX_task_case', ['caseId'])
export class TaskEntity {
  /** CaseTask.key: stable per case and subject. */
  @PrimaryColumn({ type: 'varchar', length: 200 })
  key!: string;

  /** Null for a task of a county's batch (see batchYear), which no single case owns. */
  @Column({ name: 'case_id', type: 'varchar', length: 100, nullable: true })
  caseId!: string | null;

  /** The batch a task without a case belongs to; null for a case's task. */
  @Column({ name: 'batch_year', type: 'int', nullable: true })
  batchYear!: number | null;

  @Column({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  /** Null for a task of a county's batch. */
  @Column({ name: 'township_id', type: 'uuid', nullable: true })
  townshipId!: string | null;

  @Column({ type: 'varchar', length: 40 })
  kind!: TaskKind;

  @Column({ type: 'varchar', length: 300 })
  title!: string;

  @Column({ name: 'assignee_role', type: 'varchar', length: 40 })
  assigneeRole!: UserRole | 'system';

  /** The region whose holder of the role must act (township or county). */
  @Column({ name: 'region_id', type: 'uuid' })
  regionId!: string;

  @Column({ name: 'assignee_id', type: 'varchar', length: 100, nullable: true })
  assigneeId!: string | null;

  @Column({ name: 'subject_id', type: 'varchar', length: 100, nullable: true })
  subjectId!: string | null;

  @Column({ name: 'due_on', type: 'date', nullable: true })
  dueOn!: LocalDate | null;

  @Column({ type: 'varchar', length: 8, default: 'open' })
  status!: TaskStatus;

  @Column({ name: 'opened_at', type: 'timestamptz', default: () => 'now()' })
  openedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The case version that last opened or changed the task. */
  @Column({ name: 'case_version', type: 'int' })
  caseVersion!: number;

  /** Who took on a task addressed to a role (claimed it, or was assigned it within the region). */
  @Column({ name: 'claimed_by_id', type: 'uuid', nullable: true })
  claimedById!: string | null;

  @Column({ name: 'claimed_by_name', type: 'varchar', length: 50, nullable: true })
  claimedByName!: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  /** Set when a superior assigned the task rather than the person claiming it. */
  @Column({ name: 'assigned_by_id', type: 'uuid', nullable: true })
  assignedById!: string | null;
}
