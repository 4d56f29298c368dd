import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { AcceptCaseInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** 验收销号: the county organization department accepts the case as converted. */
export class AcceptCaseDto implements Omit<AcceptCaseInput, 'actor'> {
  @ApiProperty({ description: '验收意见 / acceptance opinion', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  opinion!: string;
}
