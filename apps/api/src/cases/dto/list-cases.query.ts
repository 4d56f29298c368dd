import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CASE_STAGES, MAX_BATCH_YEAR, MIN_BATCH_YEAR, type CaseStage } from '../../../../../libs/domain';

export class ListCasesQuery {
  @ApiPropertyOptional({ description: '整顿批次年度 / batch year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  batchYear?: number;

  @ApiPropertyOptional({ description: '乡镇（街道） / township id', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;

  @ApiPropertyOptional({ description: '阶段 / stage', enum: CASE_STAGES })
  @IsOptional()
  @IsIn(CASE_STAGES)
  stage?: CaseStage;

  @ApiPropertyOptional({ description: '每页条数 / page size', default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: '偏移量 / offset', default: 0, minimum: 0, maximum: 1_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
