import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Length, Matches } from 'class-validator';
import { ATTACHMENT_SUBJECT_KINDS, type AttachmentSubjectKind } from '../../../../../libs/domain';

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/** The form fields of an upload, sent before the file. */
export class UploadAttachmentFields {
  @ApiProperty({ enum: ATTACHMENT_SUBJECT_KINDS, description: '附件所证明的记录类型 / the kind of record it is evidence of' })
  @IsIn(ATTACHMENT_SUBJECT_KINDS)
  subjectKind!: AttachmentSubjectKind;

  @ApiProperty({ description: "记录的 ID（如调研指导的 id）；书记选配填 secretary，验收填 acceptance / the record's id, or 'secretary', 'acceptance'", minLength: 1, maxLength: 150 })
  @IsString()
  @Length(1, 150)
  subjectKey!: string;
}

export class AttachmentParams {
  @ApiProperty({ description: '案件 ID / case id', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  id!: string;

  @ApiProperty({ description: '附件 ID / attachment id', format: 'uuid' })
  @IsString()
  @Matches(new RegExp(UUID))
  attachmentId!: string;
}

export class RemoveAttachmentDto {
  @ApiProperty({ description: '移除原因（留在审计记录中）/ why it is removed (kept in the audit trail)', minLength: 2, maxLength: 500 })
  @IsString()
  @Length(2, 500)
  reason!: string;
}
