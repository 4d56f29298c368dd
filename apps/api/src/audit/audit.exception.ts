import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum AuditErrorCode {
  Forbidden = 'AUDIT_FORBIDDEN',
  ActorNotFound = 'ACTOR_NOT_FOUND',
  InvalidCursor = 'INVALID_CURSOR',
  InvalidDateRange = 'INVALID_DATE_RANGE',
}

/** Errors of the audit trail endpoints. */
export class AuditException extends ApiException {
  static forbidden(actorId: string): AuditException {
    return new AuditException(
      HttpStatus.FORBIDDEN,
      AuditErrorCode.Forbidden,
      '只能查看本人的操作记录；查看他人的操作记录限县委组织部和督查人员',
      'You may list only your own entries; other users\' entries are for the county organization department and inspectors',
      { actorId },
    );
  }

  static actorNotFound(actorId: string): AuditException {
    return new AuditException(HttpStatus.NOT_FOUND, AuditErrorCode.ActorNotFound, '操作人不存在或不在您的辖区内', 'No such user in your region', {
      actorId,
    });
  }

  static invalidCursor(): AuditException {
    return new AuditException(HttpStatus.BAD_REQUEST, AuditErrorCode.InvalidCursor, '翻页游标（cursor）无效', 'Invalid cursor', { field: 'cursor' });
  }

  static invalidDateRange(from: string, to: string): AuditException {
    return new AuditException(
      HttpStatus.BAD_REQUEST,
      AuditErrorCode.InvalidDateRange,
      `起始日期（from）${from} 晚于截止日期（to）${to}`,
      `from ${from} is after to ${to}`,
      { from, to },
    );
  }
}
