import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The county's letterhead (issue 18 item 4): what the county organization department prints at the top
 * and foot of its 督办单, 通报 and 约谈通知书. One row per county; none means the defaults built from the
 * county's name. Kept by the county organization department, every change audited.
 */
@Entity({ name: 'county_letterhead' })
export class CountyLetterheadEntity {
  @PrimaryColumn({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  /** 发文机关, e.g. "××县委组织部". */
  @Column({ name: 'issuing_body', type: 'varchar', length: 50 })
  issuingBody!: string;

  /** 发文字号前缀, e.g. "×组通": the number reads "×组通〔2026〕3号". */
  @Column({ name: 'number_prefix', type: 'varchar', length: 20 })
  numberPrefix!: string;

  /** 红头 (optional), e.g. "中共××县委组织部文件". */
  @Column({ name: 'red_header_title', type: 'varchar', length: 50, nullable: true })
  redHeaderTitle!: string | null;

  @Column({ name: 'contact_person', type: 'varchar', length: 50, nullable: true })
  contactPerson!: string | null;

  @Column({ name: 'contact_phone', type: 'varchar', length: 30, nullable: true })
  contactPhone!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by_name', type: 'varchar', length: 100, nullable: true })
  updatedByName!: string | null;
}

export const DOCUMENT_KINDS = ['supervision_order', 'bulletin', 'interview_notice'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * A document number given out: one sequence per county and year for all its kinds — the county has one
 * number prefix, and two documents under one prefix never print the same number (the unique key) —, and one number per subject (the escalation, or the set of escalations of a 通报) so that
 * downloading the same document again prints the same number.
 */
@Entity({ name: 'document_number' })
@Index('UQ_document_number_seq', ['countyId', 'year', 'number'], { unique: true })
@Index('UQ_document_number_subject', ['countyId', 'kind', 'subjectKey'], { unique: true })
export class DocumentNumberEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @Column({ type: 'varchar', length: 30 })
  kind!: DocumentKind;

  @Column({ type: 'int' })
  year!: number;

  @Column({ type: 'int' })
  number!: number;

  /** The escalation id, or for a 通报 a digest of its sorted escalation ids. */
  @Column({ name: 'subject_key', type: 'varchar', length: 100 })
  subjectKey!: string;

  @Column({ name: 'escalation_ids', type: 'jsonb' })
  escalationIds!: string[];

  @Column({ name: 'issued_at', type: 'timestamptz', default: () => 'now()' })
  issuedAt!: Date;

  @Column({ name: 'issued_by_name', type: 'varchar', length: 100 })
  issuedByName!: string;
}

/**
 * What a county publishes of its league table of townships for a year (issue 18 item 5): whether it is
 * published to the townships and which of its columns. Unpublished, township users see none of it.
 */
@Entity({ name: 'league_publication' })
export class LeaguePublicationEntity {
  @PrimaryColumn({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ type: 'boolean', default: false })
  published!: boolean;

  @Column({ type: 'jsonb' })
  columns!: string[];

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;

  @Column({ name: 'updated_by_name', type: 'varchar', length: 100, nullable: true })
  updatedByName!: string | null;
}
