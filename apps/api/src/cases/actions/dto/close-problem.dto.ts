import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { CloseProblemInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';
import { OptionalText } from './later-rules';
import { AttachmentIds } from './attachment-ids';

/** 销号: a problem is closed off with the evidence of its fix (the problem is named in the path). */
export class CloseProblemDto implements Omit<CloseProblemInput, 'actor' | 'problemId'> {
  @ApiProperty({ description: '整改佐证 / evidence of the fix', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  fixEvidence!: string;

  @OptionalText('附件编号（附上佐证附件时，整改佐证可简写） / reference of an attached file', 200)
  attachmentRef?: string;

  @AttachmentIds('销号附件：本问题「问题销号」类附件的编号，本县政策要求时至少一个 / attachments of this problem\'s closing, at least one where the policy requires it')
  attachmentIds?: string[];
}
