import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** limit: the page size of every cursor-paged list (tasks, audit, inbox, escalations, deliveries). */
export class PageQuery {
  @ApiPropertyOptional({ description: '每页条数 / page size', default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}

/** The list's cursor: the previous page's nextCursor, in the list's own spelling (common/keyset-cursor.ts). */
export function PageCursor(pattern: RegExp): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: '翻页游标：上一页的 nextCursor / the previous page\'s nextCursor' }),
    IsOptional(),
    IsString(),
    MaxLength(300),
    Matches(pattern, { message: 'cursor must be a cursor returned by a previous page' }),
  );
}
