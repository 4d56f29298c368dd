import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsOptional, IsString, MaxLength } from 'class-validator';
import type { LocalDate, RecordGuidanceVisitInput } from '../../../../../../libs/domain';
import { IsLocalDate, NotBlank, TEXT_MAX } from './validators';
import { LateReason } from './later-rules';

/** 调研指导: the contact leader's guidance visit (at least once a quarter). */
export class RecordGuidanceVisitDto implements Omit<RecordGuidanceVisitInput, 'actor'> {
  @ApiProperty({ description: '调研日期 / date of the visit (YYYY-MM-DD, not in the future)', example: '2026-05-12' })
  @IsLocalDate()
  visitedOn!: LocalDate;

  @ApiProperty({ description: '调研地点 / place', maxLength: TEXT_MAX.place })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.place)
  place!: string;

  @ApiProperty({ description: '调研情况 / what was done and heard', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  summary!: string;

  @ApiPropertyOptional({ description: '发现的问题 / problems found', type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @NotBlank({ each: true })
  @MaxLength(TEXT_MAX.long, { each: true })
  problemsFound?: string[];

  @LateReason()
  lateReason?: string;
}
