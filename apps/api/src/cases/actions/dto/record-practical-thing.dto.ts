import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { LocalDate, RecordPracticalThingInput } from '../../../../../../libs/domain';
import { IsLocalDate, NotBlank, TEXT_MAX } from './validators';
import { LateReason, OptionalText } from './later-rules';

/** 实事好事: a practical thing the contact leader got done that the villagers recognize. */
export class RecordPracticalThingDto implements Omit<RecordPracticalThingInput, 'actor'> {
  @ApiProperty({ description: '实事好事名称 / title', maxLength: TEXT_MAX.title })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.title)
  title!: string;

  @ApiProperty({ description: '实事好事内容 / what was done', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  description!: string;

  @ApiProperty({ description: '办结日期 / date done (YYYY-MM-DD, not in the future)', example: '2026-06-01' })
  @IsLocalDate()
  doneOn!: LocalDate;

  @OptionalText('佐证材料（群众认可的凭据或附件编号，必填） / evidence the villagers recognise it (required)')
  evidence?: string;

  @LateReason()
  lateReason?: string;
}
