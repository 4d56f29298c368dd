import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';
import { firstOf } from '../common/spreadsheet-upload';

export enum RegionErrorCode {
  RegionNotFound = 'REGION_NOT_FOUND',
  RegionCodeTaken = 'REGION_CODE_TAKEN',
  RegionCodeInvalid = 'REGION_CODE_INVALID',
  ParentNotFound = 'REGION_PARENT_NOT_FOUND',
  /** The county's own code is not a 12-digit statistical code, so codes inside it cannot be checked. */
  CountyCodeNotStatistical = 'COUNTY_CODE_NOT_STATISTICAL',
  ImportInvalid = 'IMPORT_INVALID',
  // The file's own errors (missing, type, unreadable, empty, over a cap) are SpreadsheetErrorCode's.
}

/** One problem of an imported row: its spreadsheet line (header = 1), the column, the reason in Chinese. */
export interface RegionImportProblem {
  line: number;
  field: string;
  reason: string;
}

/** Errors of the regions module (区划). */
export class RegionException extends ApiException {
  static notFound(id: string): RegionException {
    return new RegionException(HttpStatus.NOT_FOUND, RegionErrorCode.RegionNotFound, `区划不存在或不在本县（区）：${id}`, `Region ${id} does not exist in your county`, { id });
  }

  static codeTaken(code: string, name: string): RegionException {
    return new RegionException(HttpStatus.CONFLICT, RegionErrorCode.RegionCodeTaken, `统计用区划代码 ${code} 已被使用（${name}）`, `Code ${code} is already in use (${name})`, { code });
  }

  static codeInvalid(reason: string, code: string): RegionException {
    return new RegionException(HttpStatus.BAD_REQUEST, RegionErrorCode.RegionCodeInvalid, `统计用区划代码（code）有误：${reason}`, `The code ${code} is not valid here`, { code });
  }

  static parentNotFound(code: string, parentCode: string): RegionException {
    return new RegionException(
      HttpStatus.BAD_REQUEST,
      RegionErrorCode.ParentNotFound,
      `村（社区）${code} 的上级乡镇（街道）${parentCode} 不存在，请先创建或导入该乡镇（街道）`,
      `The township ${parentCode} of ${code} does not exist`,
      { code, parentCode },
    );
  }

  static countyCodeNotStatistical(countyCode: string): RegionException {
    return new RegionException(
      HttpStatus.CONFLICT,
      RegionErrorCode.CountyCodeNotStatistical,
      `本县（区）的代码 ${countyCode} 不是 12 位统计用区划代码，无法按统计用区划代码核对乡镇和村`,
      `The county's code ${countyCode} is not a statistical division code`,
      { countyCode },
    );
  }

  /** Every bad line of a file, nothing written; the first `maxListed` problems listed, the rest counted. */
  static importInvalid(rows: number, rejected: RegionImportProblem[], maxListed: number): RegionException {
    const lines = new Set(rejected.map((p) => p.line)).size;
    const { listed, unlisted } = firstOf(rejected, maxListed);
    return new RegionException(
      HttpStatus.BAD_REQUEST,
      RegionErrorCode.ImportInvalid,
      `导入文件有 ${lines} 行有误，未导入任何数据：${rejected
        .slice(0, 20)
        .map((p) => `第 ${p.line} 行 ${p.field}：${p.reason}`)
        .join('；')}${rejected.length > 20 ? '……' : ''}`,
      `${lines} line(s) of the file are invalid; nothing was imported`,
      { rows, rejected: listed, rejectedUnlisted: unlisted },
    );
  }
}
