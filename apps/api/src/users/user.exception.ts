import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';
import { firstOf } from '../common/spreadsheet-upload';

export enum UserErrorCode {
  UserNotFound = 'USER_NOT_FOUND',
  UsernameTaken = 'USERNAME_TAKEN',
  UsernameInvalid = 'USERNAME_INVALID',
  PhoneInvalid = 'PHONE_INVALID',
  RegionNotFound = 'REGION_NOT_FOUND',
  /** The role cannot be held at that level of region (a township secretary in a village…). */
  RoleRegionMismatch = 'ROLE_REGION_MISMATCH',
  /** A role above the manager's own, or a person or region outside the manager's region. */
  GrantForbidden = 'USER_GRANT_FORBIDDEN',
  /** The county would be left without an active county organization department account. */
  LastCountyAdmin = 'LAST_COUNTY_ADMIN',
  ImportInvalid = 'IMPORT_INVALID',
}

export interface UserImportProblem {
  line: number;
  field: string;
  reason: string;
}

/** Errors of the people module (人员). */
export class UserException extends ApiException {
  static notFound(id: string): UserException {
    return new UserException(HttpStatus.NOT_FOUND, UserErrorCode.UserNotFound, `人员不存在或不在本人管辖范围内：${id}`, `User ${id} does not exist in your region`, { id });
  }

  static usernameTaken(username: string): UserException {
    return new UserException(HttpStatus.CONFLICT, UserErrorCode.UsernameTaken, `用户名 ${username} 已被使用（username）`, `The username ${username} is taken`, { username });
  }

  static usernameInvalid(zh: string, en: string, username: string): UserException {
    return new UserException(HttpStatus.BAD_REQUEST, UserErrorCode.UsernameInvalid, `用户名（username）有误：${zh}`, en, { username });
  }

  static phoneInvalid(reason: string, phone: string): UserException {
    return new UserException(HttpStatus.BAD_REQUEST, UserErrorCode.PhoneInvalid, `手机号（phone）有误：${reason}`, `The phone number is not valid`, { phone });
  }

  static regionNotFound(regionId: string): UserException {
    return new UserException(HttpStatus.NOT_FOUND, UserErrorCode.RegionNotFound, `所在区划（regionId）不存在或不在本县（区）：${regionId}`, `Region ${regionId} does not exist in your county`, { regionId });
  }

  static roleRegionMismatch(reason: string, details: Record<string, unknown>): UserException {
    return new UserException(HttpStatus.BAD_REQUEST, UserErrorCode.RoleRegionMismatch, `角色（role）与所在区划（regionId）不符：${reason}`, 'The role cannot be held in a region of that level', details);
  }

  static grantForbidden(reason: string, details: Record<string, unknown>): UserException {
    return new UserException(HttpStatus.FORBIDDEN, UserErrorCode.GrantForbidden, `无权进行此项人员操作：${reason}`, 'You may not grant this role or manage this person', details);
  }

  static lastCountyAdmin(name: string, department = '县委组织部'): UserException {
    return new UserException(
      HttpStatus.CONFLICT,
      UserErrorCode.LastCountyAdmin,
      `${name}是本${department === '县委组织部' ? '县（区）' : '区划'}最后一名在岗的${department}账号，不能停用或改为其他角色；请先为${department}另建一个账号`,
      'This is the last active county organization department account of the county',
      { name },
    );
  }

  /** Every bad line of a file, nothing written; the first `maxListed` problems listed, the rest counted. */
  static importInvalid(rows: number, rejected: UserImportProblem[], maxListed: number): UserException {
    const lines = new Set(rejected.map((p) => p.line)).size;
    const { listed, unlisted } = firstOf(rejected, maxListed);
    return new UserException(
      HttpStatus.BAD_REQUEST,
      UserErrorCode.ImportInvalid,
      `导入文件有 ${lines} 行有误，未导入任何数据：${rejected
        .slice(0, 20)
        .map((p) => `第 ${p.line} 行 ${p.field}：${p.reason}`)
        .join('；')}${rejected.length > 20 ? '……' : ''}`,
      `${lines} line(s) of the file are invalid; nothing was imported`,
      { rows, rejected: listed, rejectedUnlisted: unlisted },
    );
  }
}
