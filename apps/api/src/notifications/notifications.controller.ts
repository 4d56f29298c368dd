import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { ChannelsService, type ChannelItem, type ChannelTestResult } from './channels.service';
import { DeliveriesService, type DeliveryItem, type DeliveryPage } from './deliveries.service';
import { AcknowledgeEscalationDto } from './dto/acknowledge-escalation.dto';
import { CreateChannelDto, UpdateChannelDto } from './dto/channel.dto';
import { ListDeliveriesQuery } from './dto/list-deliveries.query';
import { ListEscalationsQuery } from './dto/list-escalations.query';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { escalationWorkbook } from './escalation-export';
import { EscalationsService, type EscalationItem, type EscalationPage } from './escalations.service';
import { InboxService, type NotificationItem, type NotificationPage } from './inbox.service';

@ApiTags('站内通知 notifications')
@ApiBearerAuth()
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({ summary: '我的通知：未读在前、最新在前，游标翻页，附未读数 / my inbox: unread first, newest first, cursor-paged, with the unread count' })
  @ApiOkResponse({ description: '{ items, nextCursor, unreadCount }' })
  @ApiBadRequestResponse({ description: '查询参数有误 / malformed query' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListNotificationsQuery): Promise<NotificationPage> {
    return this.inbox.list(user, query);
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: '全部标为已读 / mark all my notifications read' })
  @ApiOkResponse({ description: '{ updated, unreadCount }' })
  readAll(@CurrentUser() user: AuthUser): Promise<{ updated: number; unreadCount: number }> {
    return this.inbox.markAllRead(user);
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({ summary: '标为已读 / mark one of my notifications read' })
  @ApiNotFoundResponse({ description: '不是我的通知或不存在 / not in my inbox' })
  read(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<NotificationItem> {
    return this.inbox.markRead(user, id);
  }
}

@ApiTags('督办问责 escalations')
@ApiBearerAuth()
@Controller('escalations')
export class EscalationsController {
  constructor(private readonly escalations: EscalationsService) {}

  @Get()
  @ApiOperation({
    summary: '本辖区的督办、通报、约谈：最新在前，游标翻页，按状态统计 / escalations in my region, newest first, cursor-paged, totals per status',
  })
  @ApiOkResponse({ description: '{ items, nextCursor, totals: { open, acknowledged, resolved } }' })
  @ApiBadRequestResponse({ description: '查询参数有误 / malformed query' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListEscalationsQuery): Promise<EscalationPage> {
    return this.escalations.list(user, query);
  }

  @Get('export.xlsx')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出督办台账（与列表相同的筛选条件，含签收答复） / the escalations as listed, with the same filters, as .xlsx' })
  @ApiOkResponse({ description: 'Excel 文件（.xlsx） / the .xlsx file', schema: { type: 'string', format: 'binary' } })
  async export(@CurrentUser() user: AuthUser, @Query() query: ListEscalationsQuery): Promise<StreamableFile> {
    const { buffer, disposition } = await escalationWorkbook(await this.escalations.all(user, query));
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition, length: buffer.length });
  }

  @Post(':id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: '签收督办/通报/约谈（限接收对象），记入审计 / acknowledge an escalation addressed to me; audited' })
  @ApiForbiddenResponse({ description: '不是接收对象 / not a recipient' })
  @ApiNotFoundResponse({ description: '不存在或不在辖区内 / no such escalation in your scope' })
  @ApiConflictResponse({ description: '已由他人签收或已办结 / acknowledged by someone else, or resolved' })
  acknowledge(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AcknowledgeEscalationDto): Promise<EscalationItem> {
    return this.escalations.acknowledge(user, id, dto);
  }
}

@ApiTags('推送渠道 channels')
@ApiBearerAuth()
@Controller()
@Roles('township_party_secretary', 'county_org_admin')
export class ChannelsController {
  constructor(private readonly channels: ChannelsService) {}

  @Get('townships/:townshipId/channels')
  @ApiOperation({ summary: '乡镇的推送渠道（乡镇党委书记、县委组织部）；不返回密钥 / the township\'s outbound channels; secrets are never returned' })
  @ApiNotFoundResponse({ description: '乡镇不存在或不在辖区内 / no such township in your scope' })
  list(@CurrentUser() user: AuthUser, @Param('townshipId') townshipId: string): Promise<ChannelItem[]> {
    return this.channels.list(user, townshipId);
  }

  @Post('townships/:townshipId/channels')
  @ApiOperation({ summary: '新增推送渠道：钉钉群机器人、企业微信群机器人或通用 Webhook / add a DingTalk, WeCom or webhook channel' })
  @ApiBadRequestResponse({ description: '字段有误，或地址不是 https / invalid field, or not an https URL' })
  @ApiForbiddenResponse({ description: '地址不允许：钉钉、企业微信仅限官方地址，不能指向内网或本机（CHANNEL_URL_NOT_ALLOWED） / a destination the server may not reach' })
  @ApiNotFoundResponse({ description: '乡镇不存在或不在辖区内 / no such township in your scope' })
  @ApiConflictResponse({ description: '该乡镇的推送渠道已达上限（MAX_CHANNELS_PER_TOWNSHIP，默认 5） / the township has the most channels allowed' })
  create(@CurrentUser() user: AuthUser, @Param('townshipId') townshipId: string, @Body() dto: CreateChannelDto): Promise<ChannelItem> {
    return this.channels.create(user, townshipId, dto);
  }

  @Patch('channels/:id')
  @ApiOperation({ summary: '修改推送渠道（secret 为 null 时清除密钥） / change a channel (secret: null removes it)' })
  @ApiForbiddenResponse({ description: '地址不允许（CHANNEL_URL_NOT_ALLOWED） / a destination the server may not reach' })
  @ApiNotFoundResponse({ description: '渠道不存在或不在辖区内 / no such channel in your scope' })
  update(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: UpdateChannelDto): Promise<ChannelItem> {
    return this.channels.update(user, id, dto);
  }

  @Post('channels/:id/test')
  @HttpCode(200)
  @ApiOperation({
    summary: '发送一条测试消息，答复是否送达及原因 / send a test message now and answer whether the channel took it',
    description: '渠道拒收或无法连接时 ok 为 false，error 给出简短原因（不含对方应答内容）；记入审计。 / { channelId, ok, messageId, error, sentAt }',
  })
  @ApiOkResponse({ description: '{ channelId, ok, messageId, error, sentAt }' })
  @ApiNotFoundResponse({ description: '渠道不存在或不在辖区内 / no such channel in your scope' })
  test(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<ChannelTestResult> {
    return this.channels.sendTest(user, id);
  }

  @Delete('channels/:id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除推送渠道；其待发送的推送记为发送失败 / delete a channel; its pending deliveries end failed' })
  @ApiNoContentResponse({ description: '已删除 / deleted' })
  @ApiNotFoundResponse({ description: '渠道不存在或不在辖区内 / no such channel in your scope' })
  remove(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<void> {
    return this.channels.remove(user, id);
  }
}

@ApiTags('推送记录 deliveries')
@ApiBearerAuth()
@Controller('deliveries')
@Roles('township_party_secretary', 'county_org_admin')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get()
  @ApiOperation({
    summary: '推送记录：按状态（如 failed 发送失败、unknown 可能未送达）筛选，最新在前 / deliveries of my channels by status, newest first',
  })
  @ApiOkResponse({ description: '{ items, nextCursor, totals: { pending, sending, sent, failed, unknown } }' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListDeliveriesQuery): Promise<DeliveryPage> {
    return this.deliveries.list(user, query);
  }

  @Post(':id/resend')
  @HttpCode(200)
  @ApiOperation({ summary: '重发一条发送失败的推送（记入审计）/ send a failed delivery again (audited)' })
  @ApiOkResponse({ description: '重新排队的推送记录 / the delivery, pending again' })
  @ApiNotFoundResponse({ description: '推送记录不存在或不在辖区内（DELIVERY_NOT_FOUND）' })
  @ApiConflictResponse({ description: '不是发送失败的推送（DELIVERY_NOT_FAILED）或渠道已删除（DELIVERY_CHANNEL_DELETED）' })
  resend(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<DeliveryItem> {
    return this.deliveries.resend(user, id);
  }
}
