import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { DESIGNATION_REASONS, MAX_BATCH_YEAR, MIN_BATCH_YEAR, type DesignationReason } from '../../../../../libs/domain';

/** Designate an organization as a weak org for a year's batch (认定软弱涣散党组织). */
export class DesignateCaseDto {
  @ApiProperty({ description: '基层党组织 ID / organization id', format: 'uuid' })
  @IsUUID('all')
  organizationId!: string;

  @ApiProperty({ description: '整顿批次年度 / batch year', minimum: MIN_BATCH_YEAR, maximum: MAX_BATCH_YEAR, example: 2026 })
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  batchYear!: number;

  @ApiProperty({
    description: '认定原因 / designation reasons (C1–C6 of seed 001 §一(一); S1 = rated one star)',
    enum: DESIGNATION_REASONS,
    isArray: true,
    example: ['C1', 'C4'],
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(DESIGNATION_REASONS.length)
  @IsIn(DESIGNATION_REASONS, { each: true })
  reasons!: DesignationReason[];

  @ApiPropertyOptional({ description: '认定依据 / written justification and evidence', maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;

}
