import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../../../../../libs/persistence';
import { PageCursor, PageQuery } from '../../common/page.query';
import { CURSOR_PATTERNS } from '../../common/keyset-cursor';

export class ListDeliveriesQuery extends PageQuery {
  @PageCursor(CURSOR_PATTERNS.instantId)
  cursor?: string;

  @ApiPropertyOptional({
    description: '推送状态：pending 待发送；sending 发送中；sent 已发送；failed 发送失败；unknown 发送中断，可能已送达也可能未送达 / status',
    enum: DELIVERY_STATUSES,
  })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: '推送渠道 ID / channel id', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  channelId?: string;

  @ApiPropertyOptional({ description: '乡镇（街道） ID / township id', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;

  @ApiPropertyOptional({ description: '整顿案件 ID / case id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  caseId?: string;
}
