import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength } from 'class-validator';
import type { RecordFollowUpInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** 回头看: the follow-up review of a converted case; a relapse reopens it. */
export class RecordFollowUpDto implements Omit<RecordFollowUpInput, 'actor'> {
  @ApiProperty({ description: '是否反弹 / has the organization relapsed' })
  @IsBoolean()
  relapsed!: boolean;

  @ApiProperty({ description: '回头看情况 / findings', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  findings!: string;
}
