import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { PassInspectionInput, SendBackInspectionInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** 督导把关: the county organization department or its inspector passes a step waiting for it. */
export class PassInspectionDto implements Omit<PassInspectionInput, 'actor'> {
  @ApiProperty({ description: '待督导把关的环节记录（见案件 inspections） / the waiting inspection, from the case\'s inspections', maxLength: 40 })
  @IsString()
  @NotBlank()
  @MaxLength(40)
  inspectionId!: string;

  @ApiPropertyOptional({ description: '把关意见 / opinion', maxLength: TEXT_MAX.long })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_MAX.long)
  opinion?: string;
}

/** 督导把关: the step goes back to the township with the written reason. */
export class SendBackInspectionDto implements Omit<SendBackInspectionInput, 'actor'> {
  @ApiProperty({ description: '待督导把关的环节记录（见案件 inspections） / the waiting inspection, from the case\'s inspections', maxLength: 40 })
  @IsString()
  @NotBlank()
  @MaxLength(40)
  inspectionId!: string;

  @ApiProperty({ description: '退回理由（不少于政策规定字数，默认10字） / the written reason (at least the policy\'s length, default 10)', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason!: string;
}
