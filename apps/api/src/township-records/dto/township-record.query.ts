import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { MAX_BATCH_YEAR, MIN_BATCH_YEAR } from '../../../../../libs/domain';
import type { LeagueColumn } from '../../../../../libs/http';

export const LEAGUE_COLUMNS: readonly LeagueColumn[] = ['cases', 'converted', 'convertedOnTime', 'onTimeRate', 'escalations', 'visits', 'organizationalHandling'];

/** The year (the batch of that year) and perhaps one township. */
export class TownshipRecordQuery {
  @ApiPropertyOptional({ description: '年度（该年度整顿批次），默认为当前年度（北京时间） / year, default the current one', minimum: MIN_BATCH_YEAR, maximum: MAX_BATCH_YEAR, example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  year?: number;

  @ApiPropertyOptional({ description: '只看一个乡镇（街道）；不在辖区内返回 404 / one township of your region', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;
}

export class LeagueQuery {
  @ApiPropertyOptional({ description: '年度，默认为当前年度（北京时间） / year, default the current one', minimum: MIN_BATCH_YEAR, maximum: MAX_BATCH_YEAR, example: 2026 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  year?: number;
}

/** What the county publishes of its league table for a year. */
export class LeaguePublicationDto {
  @ApiProperty({ description: '年度 / year', minimum: MIN_BATCH_YEAR, maximum: MAX_BATCH_YEAR, example: 2026 })
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  year!: number;

  @ApiProperty({ description: '是否向乡镇（街道）公布 / published to the townships' })
  @IsBoolean()
  published!: boolean;

  @ApiProperty({ description: '公布的列（名次、乡镇名称总是公布） / the columns published', enum: LEAGUE_COLUMNS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(LEAGUE_COLUMNS.length)
  @IsIn(LEAGUE_COLUMNS, { each: true })
  columns!: LeagueColumn[];
}
