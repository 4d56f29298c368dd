import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** limit + cursor: the paging of every cursor-paged list (tasks, audit, inbox, escalations, deliveries). */
export class PageQuery {
  @ApiPropertyOptional({ description: '每页条数 / page size', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: '翻页游标：上一页的 nextCursor / the previous page\'s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(600)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'cursor must be a cursor returned by a previous page' })
  cursor?: string;
}
