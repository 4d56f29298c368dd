import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { MAX_BATCH_YEAR, MIN_BATCH_YEAR } from '../../../../../libs/domain';

/** The batch (整顿批次) a route is about: its year, from the path. */
export class BatchParams {
  @ApiProperty({
    description: '整顿批次年度（2000–2100） / batch year (2000–2100)',
    minimum: MIN_BATCH_YEAR,
    maximum: MAX_BATCH_YEAR,
    example: 2026,
  })
  @Type(() => Number)
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  batchYear!: number;
}
