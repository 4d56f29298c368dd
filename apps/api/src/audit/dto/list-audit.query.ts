import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageCursor, PageQuery } from '../../common/page.query';
import { CURSOR_PATTERNS } from '../../common/keyset-cursor';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { IsLocalDate } from '../../tasks/dto/is-local-date';

/** Filters and paging of an audit trail list (newest first). */
export class ListCaseAuditQuery extends PageQuery {
  @PageCursor(CURSOR_PATTERNS.instantSerial)
  cursor?: string;

  @ApiPropertyOptional({ description: '操作类型，如 case.designated、task.claimed / action', example: 'task.claimed' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(/^[a-z][a-z0-9_.]*$/, { message: 'action must look like case.designated' })
  action?: string;

  @ApiPropertyOptional({ description: '起始日期（含，北京时间），YYYY-MM-DD / from this date on (Asia/Shanghai)', format: 'date' })
  @IsOptional()
  @IsLocalDate()
  from?: string;

  @ApiPropertyOptional({ description: '截止日期（含，北京时间），YYYY-MM-DD / up to and including this date (Asia/Shanghai)', format: 'date' })
  @IsOptional()
  @IsLocalDate()
  to?: string;
}

export class ListAuditQuery extends ListCaseAuditQuery {
  @ApiPropertyOptional({
    description:
      '操作人用户 ID；缺省为本人（县委组织部、督查人员缺省为辖区内全部人员） / actor user id; defaults to yourself (to everyone in your region for the county organization department and inspectors)',
    format: 'uuid',
  })
  @IsOptional()
  @IsUUID('all')
  actorId?: string;
}
