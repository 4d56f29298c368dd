import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';
import { firstOf } from '../common/spreadsheet-upload';

export enum OrganizationErrorCode {
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  OrganizationCodeTaken = 'ORGANIZATION_CODE_TAKEN',
  RegionNotFound = 'REGION_NOT_FOUND',
  RegionLevelMismatch = 'REGION_LEVEL_MISMATCH',
  ImportInvalid = 'IMPORT_INVALID',
  // The file's own errors (missing, type, unreadable, empty, over a cap) are SpreadsheetErrorCode's.
}

/** One problem of an imported row: its spreadsheet line (header = 1), the column, the reason in Chinese. */
export interface ImportProblem {
  line: number;
  field: string;
  reason: string;
}

/** Errors of the organizations module (基层党组织名册). */
export class OrganizationException extends ApiException {
  static notFound(id: string): OrganizationException {
    return new OrganizationException(HttpStatus.NOT_FOUND, OrganizationErrorCode.OrganizationNotFound, '基层党组织不存在或不在您的辖区内', 'No such organization in your region', { id });
  }

  static codeTaken(code: string): OrganizationException {
    return new OrganizationException(
      HttpStatus.CONFLICT,
      OrganizationErrorCode.OrganizationCodeTaken,
      `基层党组织编码已被使用：${code}`,
      `Organization code ${code} is already in use`,
      { code },
    );
  }

  static regionNotFound(regionId: string): OrganizationException {
    return new OrganizationException(
      HttpStatus.NOT_FOUND,
      OrganizationErrorCode.RegionNotFound,
      '所在村（社区）或乡镇（regionId）不存在',
      'No such region (regionId)',
      { regionId },
    );
  }

  static regionLevelMismatch(reason: string, reasonEn: string, details: Record<string, unknown>): OrganizationException {
    return new OrganizationException(HttpStatus.BAD_REQUEST, OrganizationErrorCode.RegionLevelMismatch, reason, reasonEn, details);
  }

  /**
   * Every bad line of a file, nothing imported. The answer lists the first `maxListed` problems and
   * counts the rest (rejectedUnlisted), so a file of a million bad rows cannot make a huge answer.
   */
  static importInvalid(rows: number, rejected: ImportProblem[], maxListed = rejected.length): OrganizationException {
    const lines = new Set(rejected.map((p) => p.line)).size;
    const { listed, unlisted } = firstOf(rejected, maxListed);
    return new OrganizationException(
      HttpStatus.BAD_REQUEST,
      OrganizationErrorCode.ImportInvalid,
      `导入文件有 ${lines} 行有误，未导入任何数据：${rejected
        .slice(0, 20)
        .map((p) => `第 ${p.line} 行 ${p.field}：${p.reason}`)
        .join('；')}${rejected.length > 20 ? '……' : ''}`,
      `${lines} line(s) of the file are invalid; nothing was imported`,
      { rows, rejected: listed, rejectedUnlisted: unlisted },
    );
  }
}
