import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { OrganizationDomain } from '../../domain';

/** A grassroots Party organization (基层党组织), placed in the region tree. */
@Entity({ name: 'organization' })
export class OrganizationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  code!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  domain!: OrganizationDomain;

  /** The region the organization sits in (a village or community, or a township for agencies). */
  @Column({ name: 'region_id', type: 'uuid' })
  regionId!: string;

  /** Denormalized for scoping: the township and county above the region. */
  @Index()
  @Column({ name: 'township_id', type: 'uuid' })
  townshipId!: string;

  @Index()
  @Column({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @Column({ name: 'secretary_name', type: 'varchar', length: 50, nullable: true })
  secretaryName!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
