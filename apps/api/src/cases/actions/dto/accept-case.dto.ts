import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { AcceptCaseInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';
import { AttachmentIds } from './attachment-ids';

/** 验收销号: the county organization department accepts the case as converted. */
export class AcceptCaseDto implements Omit<AcceptCaseInput, 'actor'> {
  @ApiProperty({ description: '验收意见 / acceptance opinion', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  opinion!: string;

  @AttachmentIds('验收附件：本案「验收」类附件的编号，本县政策要求时至少一个 / attachments of the acceptance, at least one where the policy requires it')
  attachmentIds?: string[];
}
