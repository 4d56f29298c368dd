import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { LocalDate, RecordTrainingInput } from '../../../../../../libs/domain';
import { IsLocalDate, NotBlank, TEXT_MAX } from './validators';
import { LateReason, OptionalText } from './later-rules';

/** The secretary attended the county's special training (1–2 sessions a year). */
export class RecordTrainingDto implements Omit<RecordTrainingInput, 'actor'> {
  @ApiProperty({ description: '参训书记 / secretary who attended', maxLength: TEXT_MAX.personName })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.personName)
  secretaryName!: string;

  @ApiProperty({ description: '培训班次 / training session', maxLength: TEXT_MAX.session })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.session)
  session!: string;

  @ApiProperty({ description: '参训日期 / date attended (YYYY-MM-DD, not in the future)', example: '2026-07-08' })
  @IsLocalDate()
  attendedOn!: LocalDate;

  @OptionalText('佐证材料（签到表、结业证书或附件编号，必填） / evidence of attendance (required)')
  evidence?: string;

  @LateReason()
  lateReason?: string;
}
