import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AttachmentSubjectKind } from '../../domain';

/**
 * One file attached to a case as evidence (issue 20). The content lives in the store named by
 * `store`: rows of attachment_chunk (PostgreSQL, the default) or an S3-compatible bucket. The
 * thumbnail of an image (a small JPEG) is kept inline. Removal is soft, with its reason.
 */
@Entity({ name: 'attachment' })
@Index('IDX_attachment_case', ['caseId', 'uploadedAt'])
export class AttachmentEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'case_id', type: 'varchar', length: 100 })
  caseId!: string;

  @Column({ name: 'county_id', type: 'uuid' })
  countyId!: string;

  @Column({ name: 'township_id', type: 'uuid' })
  townshipId!: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @Column({ name: 'subject_kind', type: 'varchar', length: 32 })
  subjectKind!: AttachmentSubjectKind;

  @Column({ name: 'subject_key', type: 'varchar', length: 150 })
  subjectKey!: string;

  @Column({ name: 'original_name', type: 'varchar', length: 255 })
  originalName!: string;

  /** Detected from the content, never from the name. */
  @Column({ type: 'varchar', length: 120 })
  mime!: string;

  @Column({ type: 'varchar', length: 10 })
  ext!: string;

  /** Bytes stored (an image's re-encoded size). */
  @Column({ type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | null) => (v === null ? v : Number(v)) } })
  size!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'varchar', length: 16 })
  store!: 'postgres' | 's3';

  @Column({ type: 'bytea', nullable: true, select: false })
  thumbnail!: Buffer | null;

  @Column({ name: 'uploaded_by_id', type: 'varchar', length: 100 })
  uploadedById!: string;

  @Column({ name: 'uploaded_by_name', type: 'varchar', length: 100 })
  uploadedByName!: string;

  @Column({ name: 'uploaded_by_role', type: 'varchar', length: 40, nullable: true })
  uploadedByRole!: string | null;

  @Column({ name: 'uploaded_at', type: 'timestamptz' })
  uploadedAt!: Date;

  @Column({ name: 'removed_by_id', type: 'varchar', length: 100, nullable: true })
  removedById!: string | null;

  @Column({ name: 'removed_by_name', type: 'varchar', length: 100, nullable: true })
  removedByName!: string | null;

  @Column({ name: 'removed_at', type: 'timestamptz', nullable: true })
  removedAt!: Date | null;

  @Column({ name: 'removal_reason', type: 'varchar', length: 500, nullable: true })
  removalReason!: string | null;
}
