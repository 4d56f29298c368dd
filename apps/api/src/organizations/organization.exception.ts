import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum OrganizationErrorCode {
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  OrganizationCodeTaken = 'ORGANIZATION_CODE_TAKEN',
  RegionNotFound = 'REGION_NOT_FOUND',
  RegionLevelMismatch = 'REGION_LEVEL_MISMATCH',
  ImportInvalid = 'IMPORT_INVALID',
  ImportFileMissing = 'IMPORT_FILE_MISSING',
  ImportFileType = 'IMPORT_FILE_TYPE',
  ImportFileUnreadable = 'IMPORT_FILE_UNREADABLE',
  ImportEmpty = 'IMPORT_EMPTY',
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
    return new OrganizationException(HttpStatus.NOT_FOUND, OrganizationErrorCode.OrganizationNotFound, `基层党组织不存在：${id}`, `Organization ${id} does not exist`, { id });
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
      `所在村（社区）或乡镇不存在：${regionId}`,
      `Region ${regionId} does not exist`,
      { regionId },
    );
  }

  static regionLevelMismatch(reason: string, reasonEn: string, details: Record<string, unknown>): OrganizationException {
    return new OrganizationException(HttpStatus.BAD_REQUEST, OrganizationErrorCode.RegionLevelMismatch, reason, reasonEn, details);
  }

  static importInvalid(rows: number, rejected: ImportProblem[]): OrganizationException {
    const lines = [...new Set(rejected.map((p) => p.line))];
    return new OrganizationException(
      HttpStatus.BAD_REQUEST,
      OrganizationErrorCode.ImportInvalid,
      `导入文件有 ${lines.length} 行有误，未导入任何数据：${rejected
        .slice(0, 20)
        .map((p) => `第 ${p.line} 行 ${p.field}：${p.reason}`)
        .join('；')}${rejected.length > 20 ? '……' : ''}`,
      `${lines.length} line(s) of the file are invalid; nothing was imported`,
      { rows, rejected },
    );
  }

  static fileMissing(): OrganizationException {
    return new OrganizationException(
      HttpStatus.BAD_REQUEST,
      OrganizationErrorCode.ImportFileMissing,
      '请上传导入文件（字段 file）',
      'Upload the file in the multipart field "file"',
    );
  }

  static fileType(fileName: string): OrganizationException {
    return new OrganizationException(
      HttpStatus.BAD_REQUEST,
      OrganizationErrorCode.ImportFileType,
      `只能导入 Excel（.xlsx）或 CSV（.csv）文件：${fileName}`,
      `Only .xlsx or .csv files can be imported: ${fileName}`,
      { fileName },
    );
  }

  static fileUnreadable(fileName: string, why: string): OrganizationException {
    return new OrganizationException(
      HttpStatus.BAD_REQUEST,
      OrganizationErrorCode.ImportFileUnreadable,
      `无法读取导入文件：${fileName}`,
      `The file cannot be read: ${why}`,
      { fileName },
    );
  }

  static empty(): OrganizationException {
    return new OrganizationException(HttpStatus.BAD_REQUEST, OrganizationErrorCode.ImportEmpty, '导入文件没有数据行', 'The file has no data rows');
  }
}
