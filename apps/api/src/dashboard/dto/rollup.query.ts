import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { MAX_BATCH_YEAR, MIN_BATCH_YEAR } from '../../../../../libs/domain';

/** The batch and the region (province, city or county) a roll-up is about. */
export class RollupQuery {
  @ApiPropertyOptional({ description: '整顿批次年度，默认为当前年度（北京时间） / batch year, default the current year in Asia/Shanghai', minimum: MIN_BATCH_YEAR, maximum: MAX_BATCH_YEAR, example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  batchYear?: number;

  @ApiPropertyOptional({
    description: '汇总的区划（省、市（州）或县（区）），默认为本人所在区划；不在辖区内返回 404 / the province, city or county to roll up, default your own (404 outside your region)',
    format: 'uuid',
  })
  @IsOptional()
  @IsUUID('all')
  regionId?: string;
}
