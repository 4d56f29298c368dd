import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { OrganizationDomain, RatingStage, StarRatingState, Stars } from '../../domain';

/**
 * The read model of one organization's star rating of a year (星级评定), projected from its workflow.
 * Written only by the projection activity; `version` orders the snapshots.
 */
@Entity({ name: 'star_rating' })
@Index('IDX_star_rating_org_year', ['organizationId', 'year'], { unique: true })
@Index('IDX_star_rating_county_year', ['countyId', 'year', 'stage'])
@Index('IDX_star_rating_township_year', ['townshipId', 'year'])
export class StarRatingEntity {
  /** The workflow id: star-rating-<year>-<organization id>. */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'organization_name', type: 'varchar', length: 100 })
  organizationName!: string;

  @Column({ name: 'organization_domain', type: 'varchar', length: 16 })
  organizationDomain!: OrganizationDomain;

  @Column({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @Column({ name: 'township_id', type: 'uuid' })
  townshipId!: string;

  @Column({ type: 'int' })
  year!: number;

  @Column({ type: 'varchar', length: 20 })
  stage!: RatingStage;

  @Column({ name: 'self_score', type: 'numeric', precision: 5, scale: 2, nullable: true })
  selfScore!: string | null;

  @Column({ name: 'applied_stars', type: 'smallint', nullable: true })
  appliedStars!: Stars | null;

  @Column({ type: 'numeric', precision: 5, scale: 2, nullable: true })
  score!: string | null;

  /** The grade evaluated (before naming) or in force (after naming and any downgrade). */
  @Column({ type: 'smallint', nullable: true })
  stars!: Stars | null;

  @Column({ name: 'score_stars', type: 'smallint', nullable: true })
  scoreStars!: Stars | null;

  @Column({ name: 'evaluation_level', type: 'varchar', length: 10, nullable: true })
  evaluationLevel!: 'county' | 'township' | null;

  @Column({ name: 'notice_ends_at', type: 'timestamptz', nullable: true })
  noticeEndsAt!: Date | null;

  @Column({ name: 'open_objections', type: 'int', default: 0 })
  openObjections!: number;

  @Column({ name: 'named_at', type: 'timestamptz', nullable: true })
  namedAt!: Date | null;

  @Column({ name: 'downgraded', type: 'boolean', default: false })
  downgraded!: boolean;

  /** The next batch's case a one-star grade designated. */
  @Column({ name: 'designated_case_id', type: 'varchar', length: 100, nullable: true })
  designatedCaseId!: string | null;

  @Column({ name: 'secretary_adjustment', type: 'boolean', default: false })
  secretaryAdjustment!: boolean;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ type: 'jsonb' })
  state!: StarRatingState;
}
