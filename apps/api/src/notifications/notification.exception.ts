import { HttpStatus } from '@nestjs/common';
import { NOTICE_RUNG_LABELS, type NoticeRung } from '../../../../libs/domain';
import type { OutboundRefusal } from '../../../../libs/outbound';
import { ApiException } from '../common/api.exception';

export enum NotificationErrorCode {
  NotificationNotFound = 'NOTIFICATION_NOT_FOUND',
  EscalationNotFound = 'ESCALATION_NOT_FOUND',
  EscalationNotRecipient = 'ESCALATION_NOT_RECIPIENT',
  EscalationAlreadyAcknowledged = 'ESCALATION_ALREADY_ACKNOWLEDGED',
  EscalationResolved = 'ESCALATION_RESOLVED',
  TownshipNotFound = 'TOWNSHIP_NOT_FOUND',
  ChannelNotFound = 'CHANNEL_NOT_FOUND',
  InvalidCursor = 'INVALID_CURSOR',
  ChannelUrlNotAllowed = 'CHANNEL_URL_NOT_ALLOWED',
  ChannelLimitReached = 'CHANNEL_LIMIT_REACHED',
  DeliveryNotFound = 'DELIVERY_NOT_FOUND',
  DeliveryNotFailed = 'DELIVERY_NOT_FAILED',
  DeliveryChannelDeleted = 'DELIVERY_CHANNEL_DELETED',
}

/** Errors of the notifications module (站内通知、督办问责、推送渠道、推送记录). */
export class NotificationException extends ApiException {
  static notificationNotFound(id: string): NotificationException {
    return new NotificationException(HttpStatus.NOT_FOUND, NotificationErrorCode.NotificationNotFound, '通知不存在', 'No such notification', { id });
  }

  static escalationNotFound(id: string): NotificationException {
    return new NotificationException(HttpStatus.NOT_FOUND, NotificationErrorCode.EscalationNotFound, '督办问责记录不存在或不在您的辖区内', 'No such escalation in your region', { id });
  }

  static notRecipient(id: string, rung: NoticeRung): NotificationException {
    return new NotificationException(
      HttpStatus.FORBIDDEN,
      NotificationErrorCode.EscalationNotRecipient,
      `您不是该${NOTICE_RUNG_LABELS[rung]}的接收对象，不能签收`,
      'You are not a recipient of the escalation',
      { id },
    );
  }

  static alreadyAcknowledged(id: string, by: { id: string | null; name: string | null; at: Date | null }): NotificationException {
    return new NotificationException(
      HttpStatus.CONFLICT,
      NotificationErrorCode.EscalationAlreadyAcknowledged,
      `该督办问责已由${by.name ?? '他人'}签收`,
      `The escalation is already acknowledged by ${by.name ?? 'someone else'}`,
      { id, acknowledgedById: by.id, acknowledgedByName: by.name, acknowledgedAt: by.at?.toISOString() ?? null },
    );
  }

  static resolved(id: string): NotificationException {
    return new NotificationException(
      HttpStatus.CONFLICT,
      NotificationErrorCode.EscalationResolved,
      '该督办问责事项已办结，无需签收',
      'The escalation is already resolved',
      { id },
    );
  }

  static townshipNotFound(id: string): NotificationException {
    return new NotificationException(HttpStatus.NOT_FOUND, NotificationErrorCode.TownshipNotFound, '乡镇（街道）不存在或不在您的辖区内', 'No such township in your region', { townshipId: id });
  }

  static channelNotFound(id: string): NotificationException {
    return new NotificationException(HttpStatus.NOT_FOUND, NotificationErrorCode.ChannelNotFound, '推送渠道不存在', 'No such channel', { id });
  }

  /** The channel's URL may not be reached (not https, not the robot's official host, an address inside the network). */
  /**
   * A malformed or plain-http URL is a bad request (400); a well-formed https URL to a destination the
   * server will not reach for anyone (inside the network, a robot off its official host) is refused (403):
   * the OpenAPI document can say "https", not where a name resolves to.
   */
  static urlNotAllowed(refusal: OutboundRefusal): NotificationException {
    const destination = refusal.reason === 'forbidden_address' || refusal.reason === 'not_official_host';
    return new NotificationException(destination ? HttpStatus.FORBIDDEN : HttpStatus.BAD_REQUEST, NotificationErrorCode.ChannelUrlNotAllowed, `推送地址（url）不允许：${refusal.message}`, `url: ${refusal.messageEn}`, {
      field: 'url',
      reason: refusal.reason,
    });
  }

  static channelLimitReached(limit: number): NotificationException {
    return new NotificationException(
      HttpStatus.CONFLICT,
      NotificationErrorCode.ChannelLimitReached,
      `每个乡镇（街道）最多可设置 ${limit} 个推送渠道，已达上限；请先删除不用的渠道`,
      `A township may have at most ${limit} channels`,
      { limit },
    );
  }

  static deliveryNotFound(id: string): NotificationException {
    return new NotificationException(HttpStatus.NOT_FOUND, NotificationErrorCode.DeliveryNotFound, '推送记录不存在或不在您的辖区内', 'No such delivery in your region', { id });
  }

  /** Only a failed delivery is sent again: one sent, pending, or possibly delivered (unknown) is not. */
  static deliveryNotFailed(id: string, statusLabel: string): NotificationException {
    return new NotificationException(
      HttpStatus.CONFLICT,
      NotificationErrorCode.DeliveryNotFailed,
      `只能重发发送失败的推送，这条推送的状态是「${statusLabel.split('，')[0]}」`,
      'Only a failed delivery can be sent again',
      { id },
    );
  }

  static deliveryChannelDeleted(id: string): NotificationException {
    return new NotificationException(HttpStatus.CONFLICT, NotificationErrorCode.DeliveryChannelDeleted, '该推送的渠道已删除，不能重发', "The delivery's channel was deleted", { id });
  }

  static invalidCursor(): NotificationException {
    return new NotificationException(HttpStatus.BAD_REQUEST, NotificationErrorCode.InvalidCursor, '翻页游标（cursor）无效', 'Invalid cursor', { field: 'cursor' });
  }
}
