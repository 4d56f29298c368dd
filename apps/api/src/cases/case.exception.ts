import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum CaseErrorCode {
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  CaseAlreadyDesignated = 'CASE_ALREADY_DESIGNATED',
  CaseNotFound = 'CASE_NOT_FOUND',
}

/** Errors of the cases module. */
export class CaseException extends ApiException {
  static organizationNotFound(organizationId: string): CaseException {
    return new CaseException(
      HttpStatus.NOT_FOUND,
      CaseErrorCode.OrganizationNotFound,
      `基层党组织（organizationId）不存在：${organizationId}`,
      `Organization ${organizationId} does not exist`,
      { organizationId },
    );
  }

  static alreadyDesignated(caseId: string, organizationName: string, batchYear: number): CaseException {
    return new CaseException(
      HttpStatus.CONFLICT,
      CaseErrorCode.CaseAlreadyDesignated,
      `${organizationName}已被认定为 ${batchYear} 年度整顿对象，不能重复认定（案件 ${caseId}）`,
      `The organization is already designated for the ${batchYear} batch (case ${caseId})`,
      { caseId, batchYear },
    );
  }

  static notFound(caseId: string): CaseException {
    return new CaseException(
      HttpStatus.NOT_FOUND,
      CaseErrorCode.CaseNotFound,
      `整顿案件不存在：${caseId}`,
      `Case ${caseId} does not exist`,
      { caseId },
    );
  }
}
