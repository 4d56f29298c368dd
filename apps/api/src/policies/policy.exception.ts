import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum PolicyErrorCode {
  CountyNotFound = 'COUNTY_NOT_FOUND',
  PolicyInvalid = 'POLICY_INVALID',
  PolicyVersionConflict = 'POLICY_VERSION_CONFLICT',
  PolicyBelowSeedFloor = 'POLICY_BELOW_SEED_FLOOR',
}

/** Errors of the policies module. */
export class PolicyException extends ApiException {
  static countyNotFound(countyId: string): PolicyException {
    return new PolicyException(
      HttpStatus.NOT_FOUND,
      PolicyErrorCode.CountyNotFound,
      '县（区）不存在',
      'No such county',
      { countyId },
    );
  }

  /** The merged policy breaks a rule of policyProblems(); each problem names its field. */
  static invalid(problems: string[]): PolicyException {
    return new PolicyException(
      HttpStatus.BAD_REQUEST,
      PolicyErrorCode.PolicyInvalid,
      `整顿政策设置有误：${problems.join('；')}`,
      `The policy is invalid: ${problems.join('; ')}`,
      { problems },
    );
  }

  /** The policy loosens a number the seeds fix: each floor named with its seed section. */
  static belowSeedFloor(floors: { field: string; zh: string; source: string; message: string }[]): PolicyException {
    return new PolicyException(
      HttpStatus.BAD_REQUEST,
      PolicyErrorCode.PolicyBelowSeedFloor,
      `整顿政策不得放宽种子文件规定的底线：${floors.map((f) => f.message).join('；')}`,
      `The policy loosens a number the seeds fix: ${floors.map((f) => `${f.field} (${f.source})`).join('; ')}`,
      { floors },
    );
  }

  static versionConflict(countyId: string, version: number): PolicyException {
    return new PolicyException(
      HttpStatus.CONFLICT,
      PolicyErrorCode.PolicyVersionConflict,
      `整顿政策第 ${version} 版已由他人同时发布，请刷新后重试`,
      `Version ${version} of the county's policy was published concurrently; reload and retry`,
      { countyId, version },
    );
  }
}
