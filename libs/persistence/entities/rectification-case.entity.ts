import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { CaseStage, DesignationReason } from '../../domain';

/**
 * Read model of one rectification case (整顿案件). The workflow is the source of truth; this row is
 * its projection, written only by activities. `version` only grows, so a late or retried
 * projection never overwrites a newer one.
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

  @Column({ name: 'designated_by', type: 'varchar', length: 100 })
  designatedBy!: string;

  @Column({ type: 'int' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
