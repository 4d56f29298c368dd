import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';
import { firstOf } from '../common/spreadsheet-upload';

/** One problem of an imported row: its spreadsheet line (header = 1), the column, the reason in Chinese. */
export interface CalendarImportProblem {
  line: number;
  field: string;
  reason: string;
}

export enum CalendarErrorCode {
  CorrectionNotFound = 'CALENDAR_CORRECTION_NOT_FOUND',
  StatutoryDay = 'CALENDAR_DAY_STATUTORY',
  ImportInvalid = 'IMPORT_INVALID',
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

  /** Every bad line of a holiday schedule, nothing written; the first `maxListed` listed, the rest counted. */
  static importInvalid(rows: number, rejected: CalendarImportProblem[], maxListed: number): CalendarException {
    const lines = new Set(rejected.map((p) => p.line)).size;
    const { listed, unlisted } = firstOf(rejected, maxListed);
    return new CalendarException(
      HttpStatus.BAD_REQUEST,
      CalendarErrorCode.ImportInvalid,
      `节假日安排文件有 ${lines} 行有误，未导入任何数据：${rejected
        .slice(0, 20)
        .map((p) => `第 ${p.line} 行 ${p.field}：${p.reason}`)
        .join('；')}${rejected.length > 20 ? '……' : ''}`,
      `${lines} line(s) of the schedule are invalid; nothing was imported`,
      { rows, rejected: listed, rejectedUnlisted: unlisted },
    );
  }
}
