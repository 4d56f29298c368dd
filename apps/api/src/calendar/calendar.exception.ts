import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum CalendarErrorCode {
  CorrectionNotFound = 'CALENDAR_CORRECTION_NOT_FOUND',
  StatutoryDay = 'CALENDAR_DAY_STATUTORY',
}

/** Errors of the calendar module (工作日历). */
export class CalendarException extends ApiException {
  static correctionNotFound(date: string): CalendarException {
    return new CalendarException(
      HttpStatus.NOT_FOUND,
      CalendarErrorCode.CorrectionNotFound,
      `${date} 没有可撤销的更正`,
      `There is no correction of ${date} to remove`,
      { date },
    );
  }

  /** Statutory days come back at every start of the worker: change them with a correction instead. */
  static statutoryDay(date: string): CalendarException {
    return new CalendarException(
      HttpStatus.CONFLICT,
      CalendarErrorCode.StatutoryDay,
      `${date} 是国家法定节假日安排，不能删除；如需调整，请更正该日（PUT）`,
      `${date} is part of the statutory calendar and cannot be removed; correct it (PUT) instead`,
      { date },
    );
  }
}
