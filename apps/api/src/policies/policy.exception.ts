import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum PolicyErrorCode {
  CountyNotFound = 'COUNTY_NOT_FOUND',
  PolicyInvalid = 'POLICY_INVALID',
  PolicyVersionConflict = 'POLICY_VERSION_CONFLICT',
  PolicyBelowSeedFloor = 'POLICY_BELOW_SEED_FLOOR',
  PolicyLooserThanTemplate = 'POLICY_LOOSER_THAN_TEMPLATE',
  TemplateRegionNotFound = 'POLICY_TEMPLATE_REGION_NOT_FOUND',
  TemplateNotOwnRegion = 'POLICY_TEMPLATE_NOT_OWN_REGION',
  TemplateVersionConflict = 'POLICY_TEMPLATE_VERSION_CONFLICT',
}

/** One rule of a province's or city's template that a policy loosens, with the template's region. */
export interface TemplateLoosening {
  field: string;
  zh: string;
  regionId: string;
  regionName: string;
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

  /** The policy is looser than a template above it (issue 17): each field named with the template's region. */
  static looserThanTemplate(items: TemplateLoosening[]): PolicyException {
    return new PolicyException(
      HttpStatus.UNPROCESSABLE_ENTITY,
      PolicyErrorCode.PolicyLooserThanTemplate,
      `整顿政策不得宽于上级政策模板：${items.map((i) => `${i.zh}（${i.regionName}政策模板）`).join('；')}`,
      `The policy is looser than the template above it: ${items.map((i) => `${i.field} (template of ${i.regionId})`).join('; ')}`,
      { fields: items },
    );
  }

  static templateRegionNotFound(regionId: string): PolicyException {
    return new PolicyException(HttpStatus.NOT_FOUND, PolicyErrorCode.TemplateRegionNotFound, '省（市）不存在或不在您的辖区内', 'No such province or city in your region', { regionId });
  }

  /** A province's organization department sees its cities, but publishes only its own template. */
  static templateNotOwnRegion(regionId: string): PolicyException {
    return new PolicyException(
      HttpStatus.FORBIDDEN,
      PolicyErrorCode.TemplateNotOwnRegion,
      '只能发布本级组织部门的政策模板，下级市（州）的模板由其组织部门发布',
      'Only the region’s own organization department publishes its template',
      { regionId },
    );
  }

  static templateVersionConflict(regionId: string, version: number): PolicyException {
    return new PolicyException(
      HttpStatus.CONFLICT,
      PolicyErrorCode.TemplateVersionConflict,
      `政策模板第 ${version} 版已由他人同时发布，请刷新后重试`,
      `Version ${version} of the template was published concurrently; reload and retry`,
      { regionId, version },
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
