import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RectificationPolicy } from '../../domain';

/**
 * A published version of a province's or city's policy template (政策模板, issue 17): the counties below
 * inherit it as their defaults and may only tighten it. Versions count from 1 per region and are never
 * changed once written; the highest is the region's current template.
 */
@Entity({ name: 'policy_template' })
export class PolicyTemplateEntity {
  @PrimaryColumn({ name: 'region_id', type: 'uuid' })
  regionId!: string;

  @PrimaryColumn({ type: 'int' })
  version!: number;

  /** The complete policy (every field, `version` included). */
  @Column({ type: 'jsonb' })
  policy!: RectificationPolicy;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;

  @Column({ name: 'published_by_id', type: 'varchar', length: 100 })
  publishedById!: string;

  @Column({ name: 'published_by_name', type: 'varchar', length: 100 })
  publishedByName!: string;

  @Column({ type: 'text', nullable: true })
  note!: string | null;
}
