import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RectificationPolicy } from '../../domain';

/**
 * A published version of a county's rectification policy. Versions count from 1 per county and are
 * never changed once written; the highest is the county's current policy (none = DEFAULT_POLICY).
 */
@Entity({ name: 'county_policy' })
export class CountyPolicyEntity {
  @PrimaryColumn({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  /** The complete policy (every field, `version` included). */
  @Column({ type: 'jsonb' })
  policy!: RectificationPolicy;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;

  /** Null when the publisher was not identified (before sign-in exists). */
  @Column({ name: 'published_by_id', type: 'varchar', length: 100, nullable: true })
  publishedById!: string | null;

  @Column({ name: 'published_by_name', type: 'varchar', length: 100 })
  publishedByName!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
