import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The cases the county party secretary personally takes as contact leader in a batch (seed 000
 * §四(一): 县委书记带头联系一个). At most `policy.countyPartySecretaryMaxCases` rows per county and
 * batch year; written only by activities/county-secretary.ts under an advisory lock.
 */
@Entity({ name: 'county_secretary_case' })
export class CountySecretaryCaseEntity {
  @PrimaryColumn({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @PrimaryColumn({ name: 'batch_year', type: 'int' })
  batchYear!: number;

  @PrimaryColumn({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @Column({ name: 'leader_id', type: 'varchar', length: 100 })
  leaderId!: string;

  @Column({ name: 'reserved_at', type: 'timestamptz', default: () => 'now()' })
  reservedAt!: Date;
}
