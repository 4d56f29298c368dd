import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CaseStage, CaseState, DesignationReason, LocalDate } from '../../domain';

/**
 * Read model of one rectification case (整顿案件). The workflow is the source of truth; this row is
 * its projection, written only by activities. `version` only grows, so a late or retried
 * projection never overwrites a newer one.
 *
 * `state` holds the whole CaseState; the summary columns beside it are derived from it on every
 * projection so a dashboard can filter and sort by index without reading the JSON.
 */
@Entity({ name: 'rectification_case' })
@Index(['organizationId', 'batchYear'], { unique: true })
export class RectificationCaseEntity {
  /** Equal to the Temporal workflow id. */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'organization_name', type: 'varchar', length: 100 })
  organizationName!: string;

  @Index()
  @Column({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @Index()
  @Column({ name: 'township_id', type: 'uuid' })
  townshipId!: string;

  @Index()
  @Column({ name: 'batch_year', type: 'int' })
  batchYear!: number;

  @Column({ type: 'text', array: true })
  reasons!: DesignationReason[];

  @Index()
  @Column({ type: 'varchar', length: 32 })
  stage!: CaseStage;

  @Column({ name: 'designated_at', type: 'timestamptz' })
  designatedAt!: Date;

  /** The designating actor's name (CaseState.designatedBy.name). */
  @Column({ name: 'designated_by', type: 'varchar', length: 100 })
  designatedBy!: string;

  /** The designating actor's id; null on rows projected before actors carried ids. */
  @Column({ name: 'designated_by_id', type: 'varchar', length: 100, nullable: true })
  designatedById!: string | null;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** The whole CaseState of `version`. */
  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  state!: CaseState;

  // ---- Summary columns (derived from `state`; see activities/case-projection.ts) ----

  @Index('IDX_case_contact_leader')
  @Column({ name: 'contact_leader_id', type: 'varchar', length: 100, nullable: true })
  contactLeaderId!: string | null;

  @Column({ name: 'contact_leader_name', type: 'varchar', length: 100, nullable: true })
  contactLeaderName!: string | null;

  @Index('IDX_case_team_arrived_on')
  @Column({ name: 'team_arrived_on', type: 'date', nullable: true })
  teamArrivedOn!: LocalDate | null;

  @Column({ name: 'secretary_required', type: 'boolean', default: false })
  secretaryRequired!: boolean;

  @Index('IDX_case_secretary_deadline')
  @Column({ name: 'secretary_deadline', type: 'date', nullable: true })
  secretaryDeadline!: LocalDate | null;

  @Index('IDX_case_secretary_overdue', { where: 'secretary_overdue' })
  @Column({ name: 'secretary_overdue', type: 'boolean', default: false })
  secretaryOverdue!: boolean;

  @Index('IDX_case_year_end_overdue', { where: 'year_end_overdue' })
  @Column({ name: 'year_end_overdue', type: 'boolean', default: false })
  yearEndOverdue!: boolean;

  @Index('IDX_case_problems_open', { where: 'problems_open > 0' })
  @Column({ name: 'problems_open', type: 'int', default: 0 })
  problemsOpen!: number;

  @Column({ name: 'problems_closed', type: 'int', default: 0 })
  problemsClosed!: number;

  @Column({ name: 'measures_total', type: 'int', default: 0 })
  measuresTotal!: number;

  @Column({ name: 'measures_done', type: 'int', default: 0 })
  measuresDone!: number;

  @Column({ name: 'visits_count', type: 'int', default: 0 })
  visitsCount!: number;

  @Column({ name: 'projects_count', type: 'int', default: 0 })
  projectsCount!: number;

  @Index('IDX_case_accepted_at')
  @Column({ name: 'accepted_at', type: 'timestamptz', nullable: true })
  acceptedAt!: Date | null;

  @Index('IDX_case_closed_at')
  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** The county policy version the case runs under (0 = built-in defaults). */
  @Index('IDX_case_policy_version')
  @Column({ name: 'policy_version', type: 'int', default: 0 })
  policyVersion!: number;
}
