import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CaseStage, CaseState, DesignationReason, LocalDate } from '../../domain';
import type { CaseCard } from '../case-aggregates';

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
@Index('IDX_case_batch_county_stage', ['batchYear', 'countyId', 'stage'])
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

  // ---- Aggregate columns (issue 17; libs/persistence/case-aggregates.ts): the dashboards are SQL over them ----

  @Column({ name: 'year_end_deadline', type: 'date', nullable: true })
  yearEndDeadline!: LocalDate | null;

  @Column({ name: 'team_done', type: 'boolean', default: false })
  teamDone!: boolean;

  @Column({ name: 'problems_done', type: 'boolean', default: false })
  problemsDone!: boolean;

  @Column({ name: 'project_done', type: 'boolean', default: false })
  projectDone!: boolean;

  @Column({ name: 'plan_done', type: 'boolean', default: false })
  planDone!: boolean;

  @Index('IDX_case_measures_next_due', { where: 'measures_next_due IS NOT NULL' })
  @Column({ name: 'measures_next_due', type: 'date', nullable: true })
  measuresNextDue!: LocalDate | null;

  @Column({ name: 'measures_undone_due', type: 'date', array: true, default: () => "'{}'" })
  measuresUndoneDue!: LocalDate[];

  /** The due days of the case's open tasks (those with one), written with the tasks: the dashboards count the overdue ones. */
  @Column({ name: 'open_tasks_due', type: 'date', array: true, default: () => "'{}'" })
  openTasksDue!: LocalDate[];

  /** The workflow run whose history this row was projected from (libs/read-model ProjectionPoint); null before it was kept. */
  @Column({ name: 'projected_run_id', type: 'varchar', length: 64, nullable: true })
  projectedRunId!: string | null;

  /** The length of that run's history at the workflow task that projected this row. */
  @Column({ name: 'projected_history_length', type: 'integer', nullable: true })
  projectedHistoryLength!: number | null;

  @Column({ name: 'secretary_done', type: 'boolean', default: true })
  secretaryDone!: boolean;

  @Column({ name: 'secretary_term_ends_on', type: 'date', nullable: true })
  secretaryTermEndsOn!: LocalDate | null;

  @Index('IDX_case_leader_gap_end', { where: 'contact_leader_id IS NOT NULL' })
  @Column({ name: 'leader_gap_end', type: 'date', nullable: true })
  leaderGapEnd!: LocalDate | null;

  @Column({ name: 'visit_first_quarter', type: 'date', nullable: true })
  visitFirstQuarter!: LocalDate | null;

  @Column({ name: 'visit_owed_until', type: 'date', nullable: true })
  visitOwedUntil!: LocalDate | null;

  @Column({ name: 'visits_per_quarter', type: 'int', default: 1 })
  visitsPerQuarter!: number;

  @Column({ name: 'visit_quarters', type: 'jsonb', default: () => "'{}'::jsonb" })
  visitQuarters!: Record<string, { n: number; all: number }>;

  @Column({ name: 'accept_total', type: 'int', default: 0 })
  acceptTotal!: number;

  @Column({ name: 'accept_unmet', type: 'text', array: true, default: () => "'{}'" })
  acceptUnmet!: string[];

  @Column({ name: 'course_days', type: 'int', default: 90 })
  courseDays!: number;

  @Column({ name: 'org_handling_awaiting', type: 'int', default: 0 })
  orgHandlingAwaiting!: number;

  @Column({ name: 'org_handling_decided', type: 'int', default: 0 })
  orgHandlingDecided!: number;

  @Column({ name: 'org_handling_measures', type: 'text', array: true, default: () => "'{}'" })
  orgHandlingMeasures!: string[];

  /** Deadlines moved by an approved extension (延期). */
  @Column({ name: 'deadlines_extended', type: 'int', default: 0 })
  deadlinesExtended!: number;

  /** Extension requests awaiting the county's decision. */
  @Column({ name: 'extensions_pending', type: 'int', default: 0 })
  extensionsPending!: number;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  card!: CaseCard;
}
