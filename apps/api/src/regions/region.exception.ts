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
  /** A province's or city's own code is not a statistical code, so the codes under it cannot be checked. */
  UpperCodeNotStatistical = 'UPPER_CODE_NOT_STATISTICAL',
  /** A county is placed only under a city or right under the province. */
  NotAParent = 'REGION_NOT_A_PARENT',
  /** The county already lies under another city or province. */
  CountyAttachedElsewhere = 'COUNTY_ATTACHED_ELSEWHERE',
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

  static upperCodeNotStatistical(code: string, name: string): RegionException {
    return new RegionException(
      HttpStatus.CONFLICT,
      RegionErrorCode.UpperCodeNotStatistical,
      `${name}的代码 ${code} 不是省级或市级统计用区划代码，无法核对其下区划的代码`,
      `The code ${code} of ${name} is not a province's or city's statistical code`,
      { code },
    );
  }

  static countyNotFound(code: string): RegionException {
    return new RegionException(
      HttpStatus.NOT_FOUND,
      RegionErrorCode.RegionNotFound,
      `代码 ${code} 的县（区）尚未建立；新县（区）由系统管理员用 create-county 命令建立`,
      `No county has the code ${code}`,
      { code },
    );
  }

  static notAParent(name: string): RegionException {
    return new RegionException(
      HttpStatus.BAD_REQUEST,
      RegionErrorCode.NotAParent,
      `县（区）只能划入本省或本省的市（州），${name}不是`,
      `A county goes under the province or one of its cities; ${name} is neither`,
      { name },
    );
  }

  static countyAttachedElsewhere(countyName: string, parentName: string): RegionException {
    return new RegionException(
      HttpStatus.CONFLICT,
      RegionErrorCode.CountyAttachedElsewhere,
      `${countyName}已属于${parentName}，不能再划入其他区划；如属区划调整，请由系统管理员用 attach-county 命令办理`,
      `${countyName} already lies under ${parentName}`,
      { countyName, parentName },
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
