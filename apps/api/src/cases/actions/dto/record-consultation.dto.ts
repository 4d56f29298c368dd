import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { CONSULTATION_KINDS, type ConsultationKind, type LocalDate, type RecordConsultationInput } from '../../../../../../libs/domain';
import { IsLocalDate, NotBlank, TEXT_MAX } from './validators';
import { LateReason } from './later-rules';

/** 广泛征求意见: a consultation the plan is built on (members' meeting, representatives, household visits, talks). */
export class RecordConsultationDto implements Omit<RecordConsultationInput, 'actor'> {
  @ApiProperty({ description: '征求意见方式 / kind of consultation', enum: CONSULTATION_KINDS })
  @IsIn(CONSULTATION_KINDS)
  kind!: ConsultationKind;

  @ApiProperty({ description: '开展日期 / date held (YYYY-MM-DD, not in the future)', example: '2026-05-20' })
  @IsLocalDate()
  heldOn!: LocalDate;

  @ApiProperty({ description: '参加人数 / participants', minimum: 1, maximum: 100000 })
  @IsInt()
  @Min(1)
  @Max(100000)
  participants!: number;

  @ApiProperty({ description: '意见建议摘要 / what was said', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  summary!: string;

  @LateReason()
  lateReason?: string;
}
