import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { MAX_BATCH_YEAR, MIN_BATCH_YEAR } from '../../../../../libs/domain';

/** The batch and (optionally) the township a dashboard or export is about. */
export class DashboardQuery {
  @ApiPropertyOptional({
    description: '整顿批次年度，默认为当前年度（北京时间） / batch year, default the current year in Asia/Shanghai',
    minimum: MIN_BATCH_YEAR,
    maximum: MAX_BATCH_YEAR,
    example: 2026,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  batchYear?: number;

  @ApiPropertyOptional({
    description: '下钻到一个乡镇（街道）；不在辖区内的乡镇返回 404 / drill down to one township of your region (404 outside it)',
    format: 'uuid',
  })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;

  @ApiPropertyOptional({
    description: '省、市（州）组织部下钻到所辖的一个县（区）；不在辖区内的县返回 404 / a province or city user drills down to one of their counties (404 outside them)',
    format: 'uuid',
  })
  @IsOptional()
  @IsUUID('all')
  countyId?: string;
}
