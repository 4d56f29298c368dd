import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageCursor, PageQuery } from '../../common/page.query';
import { CURSOR_PATTERNS } from '../../common/keyset-cursor';

/** "true"/"false" from a query string; anything else stays as given and fails @IsBoolean. */
export const queryBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListNotificationsQuery extends PageQuery {
  @PageCursor(CURSOR_PATTERNS.unreadInstantId)
  cursor?: string;

  @ApiPropertyOptional({ description: '只看未读 / unread only', type: Boolean })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean()
  unread?: boolean;
}
