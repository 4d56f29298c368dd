import { HttpStatus } from '@nestjs/common';
import { MANUAL_DESIGNATION_REASONS, RULES, type RuleCode } from '../../../../libs/domain';
import { ApiException, CommonErrorCode } from '../common/api.exception';

export enum CaseErrorCode {
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  CaseAlreadyDesignated = 'CASE_ALREADY_DESIGNATED',
  CaseNotFound = 'CASE_NOT_FOUND',
  /** The case's workflow is no longer running (closed, or gone): no action can change it. */
  CaseNotRunning = 'CASE_NOT_RUNNING',
  /** The user named as contact leader does not exist (or lives outside the case's county). */
  ContactLeaderNotFound = 'CONTACT_LEADER_NOT_FOUND',
  /** The user named as contact leader is deactivated. */
  ContactLeaderInactive = 'CONTACT_LEADER_INACTIVE',
  /** The user named as contact leader is neither a county-level leader nor the county party secretary. */
  ContactLeaderNotCountyLeader = 'CONTACT_LEADER_NOT_COUNTY_LEADER',
  /** S1 on POST /api/cases: a one-star org is designated automatically from the star rating, never by hand. */
  OneStarDesignatedAutomatically = 'ONE_STAR_DESIGNATED_AUTOMATICALLY',
  /** The Idempotency-Key header of an action is not 1–100 letters, digits or _ . : - */
  InvalidIdempotencyKey = 'INVALID_IDEMPOTENCY_KEY',
  /** An action would pass one of the case's record counts (libs/domain/case/limits.ts); a rule of the workflow. */
  CaseLimitReached = 'CASE_LIMIT_REACHED',
  /** An action would make the case's record larger than its size limit (413); a rule of the workflow. */
  CaseStateTooLarge = 'CASE_STATE_TOO_LARGE',
  /** Restart asked for a case whose run is going, or ended normally: nothing to repair. */
  CaseNotAbnormal = 'CASE_NOT_ABNORMAL',
}

/**
 * HTTP status of a refusal by a rule of the case workflow (the error's `code` is the rule's own code,
 * libs/domain/case/rules.ts): who may act → 403, malformed or impossible input → 400, a record of the
 * case that does not exist → 404, everything else — the case's state does not allow it now → 409.
 */
const RULE_STATUS: Partial<Record<RuleCode, HttpStatus>> = {
  ROLE_NOT_ALLOWED: HttpStatus.FORBIDDEN,
  ACCEPTANCE_BY_COUNTY: HttpStatus.FORBIDDEN,
  VISIT_BY_CONTACT_LEADER: HttpStatus.FORBIDDEN,
  INVALID_INPUT: HttpStatus.BAD_REQUEST,
  DATE_IN_FUTURE: HttpStatus.BAD_REQUEST,
  DATE_BEFORE_DESIGNATION: HttpStatus.BAD_REQUEST,
  REMOVAL_REASON_REQUIRED: HttpStatus.BAD_REQUEST,
  PROBLEM_NOT_FOUND: HttpStatus.NOT_FOUND,
  MEASURE_NOT_FOUND: HttpStatus.NOT_FOUND,
  VISIT_NOT_FOUND: HttpStatus.NOT_FOUND,
  VISIT_CONFIRMED_BY_CONTACT_LEADER: HttpStatus.FORBIDDEN,
  ONE_STAR_BY_STAR_RATING: HttpStatus.FORBIDDEN,
  LATE_ENTRY_NEEDS_REASON: HttpStatus.BAD_REQUEST,
  VISIT_INTO_ESCALATED_QUARTER_NEEDS_REASON: HttpStatus.BAD_REQUEST,
  EVIDENCE_OF_SUBSTANCE: HttpStatus.BAD_REQUEST,
  ATTACHMENT_REQUIRED: HttpStatus.BAD_REQUEST,
  RECORD_NEEDS_EVIDENCE: HttpStatus.BAD_REQUEST,
  FIRST_SECRETARY_TERM_REQUIRED: HttpStatus.BAD_REQUEST,
  INSPECTION_NOT_FOUND: HttpStatus.NOT_FOUND,
  SEND_BACK_NEEDS_REASON: HttpStatus.BAD_REQUEST,
  ACCEPTANCE_FORM_INCOMPLETE: HttpStatus.BAD_REQUEST,
  CASE_STATE_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  // 延期: a request or decision without its reason, or a date the policy does not allow, is bad input.
  EXTENSION_NOT_FOUND: HttpStatus.NOT_FOUND,
  EXTENSION_REASON_REQUIRED: HttpStatus.BAD_REQUEST,
  EXTENSION_MUST_BE_LATER: HttpStatus.BAD_REQUEST,
  EXTENSION_TOO_LONG: HttpStatus.BAD_REQUEST,
  EXTENSION_PAST_YEAR_END: HttpStatus.BAD_REQUEST,
};

export function ruleStatus(rule: string): HttpStatus {
  return RULE_STATUS[rule as RuleCode] ?? HttpStatus.CONFLICT;
}

/** Errors of the cases module. */
export class CaseException extends ApiException {
  static organizationNotFound(organizationId: string): CaseException {
    return new CaseException(
      HttpStatus.NOT_FOUND,
      CaseErrorCode.OrganizationNotFound,
      '基层党组织（organizationId）不存在或不在您的辖区内',
      'No such organization (organizationId) in your region',
      { organizationId },
    );
  }

  static alreadyDesignated(caseId: string, organizationName: string, batchYear: number): CaseException {
    return new CaseException(
      HttpStatus.CONFLICT,
      CaseErrorCode.CaseAlreadyDesignated,
      `${organizationName}已被认定为 ${batchYear} 年度整顿对象，不能重复认定`,
      `The organization is already designated for the ${batchYear} batch`,
      { caseId, batchYear },
    );
  }

  static oneStarDesignatedAutomatically(): CaseException {
    return new CaseException(
      HttpStatus.BAD_REQUEST,
      CaseErrorCode.OneStarDesignatedAutomatically,
      `认定原因（reasons）不能含 S1：星级评定为一星级的由系统自动认定，县委组织部手工认定限 ${MANUAL_DESIGNATION_REASONS.join('、')}`,
      `Reason S1 is not designated by hand: an organization rated one star is designated automatically from the star rating; designate for ${MANUAL_DESIGNATION_REASONS.join(', ')} only`,
      { field: 'reasons', allowed: [...MANUAL_DESIGNATION_REASONS] },
    );
  }

  static invalidIdempotencyKey(): CaseException {
    return new CaseException(
      HttpStatus.BAD_REQUEST,
      CaseErrorCode.InvalidIdempotencyKey,
      '幂等键（Idempotency-Key 请求头）须为1–100个字母、数字或 _ . : -',
      'The Idempotency-Key header must be 1–100 letters, digits or _ . : -',
      { field: 'Idempotency-Key' },
    );
  }

  static notFound(caseId: string): CaseException {
    return new CaseException(
      HttpStatus.NOT_FOUND,
      CaseErrorCode.CaseNotFound,
      '整顿案件不存在或不在您的辖区内',
      'No such case in your region',
      { caseId },
    );
  }

  static notRunning(caseId: string): CaseException {
    return new CaseException(
      HttpStatus.CONFLICT,
      CaseErrorCode.CaseNotRunning,
      '整顿案件已结束，不能再进行操作',
      'The case is no longer running; it cannot be changed',
      { caseId },
    );
  }

  static notAbnormal(caseId: string, runStatus: string): CaseException {
    return new CaseException(
      HttpStatus.CONFLICT,
      CaseErrorCode.CaseNotAbnormal,
      runStatus === 'running' ? '整顿案件运行正常，无需重启' : '整顿案件已正常结束，不能重启',
      runStatus === 'running' ? 'The case is running normally; there is nothing to restart' : 'The case ended normally; it cannot be restarted',
      { caseId, runStatus },
    );
  }

  /** The read model's state is past the limits: a new run could not carry it (see libs/domain/case/limits.ts). */
  static stateTooLargeToRestart(caseId: string, size: number, max: number): CaseException {
    return new CaseException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      CaseErrorCode.CaseStateTooLarge,
      `整顿案件记录达 ${Math.ceil(size / 1024)} kB，超过系统上限 ${max / 1024} kB（stateBytes），不能按原记录重启`,
      `The case's record is ${size} bytes, over the ${max}-byte limit (stateBytes); it cannot be restarted from it`,
      { caseId, limit: 'stateBytes', max, size },
    );
  }

  /**
   * An action refused by a rule of the case workflow: the code is the rule's, the message names the
   * rule in Chinese with what exactly failed, and `details` carries the rule's particulars (the unmet
   * conditions of acceptance, the missing consultations, the field…).
   */
  static ruleViolation(rule: string, workflowMessage: string, failure: Record<string, unknown>): CaseException {
    const known = (RULES as Record<string, { zh: string; en: string; source: string }>)[rule];
    const { zh = known?.zh, en = known?.en, detail, rule: _rule, ...rest } = failure as { zh?: string; en?: string; detail?: string | null; rule?: string };
    const zhText = zh ? `${zh}${detail ? `：${detail}` : ''}` : workflowMessage;
    const enText = en ? `${en} (rule ${rule})` : workflowMessage;
    return new CaseException(ruleStatus(rule), rule, zhText, enText, { rule, ...(detail ? { detail } : {}), ...rest });
  }

  static contactLeaderNotFound(userId: string): CaseException {
    return new CaseException(
      HttpStatus.NOT_FOUND,
      CaseErrorCode.ContactLeaderNotFound,
      '联系领导（leaderUserId）不是本县（区）的用户',
      'The contact leader (leaderUserId) is not a user of the case\'s county',
      { leaderUserId: userId },
    );
  }

  static contactLeaderInactive(userId: string, name: string): CaseException {
    return new CaseException(
      HttpStatus.BAD_REQUEST,
      CaseErrorCode.ContactLeaderInactive,
      `联系领导（leaderUserId）${name}的账号已停用`,
      `${name} is deactivated and cannot be the contact leader`,
      { leaderUserId: userId },
    );
  }

  static contactLeaderNotCountyLeader(userId: string, name: string, roleLabel: string): CaseException {
    return new CaseException(
      HttpStatus.BAD_REQUEST,
      CaseErrorCode.ContactLeaderNotCountyLeader,
      `联系领导（leaderUserId）须为县级领导或县委书记，${name}为${roleLabel}`,
      `The contact leader must be a county-level leader or the county party secretary; ${name} is not`,
      { leaderUserId: userId, allowed: ['county_leader', 'county_party_secretary'] },
    );
  }

  /**
   * Temporal did not answer. `uncertain`: the request reached it but no answer came in time, so the
   * action may still have been carried out — the user should look at the case before trying again.
   */
  static temporalUnavailable(reason: string, uncertain = false): ApiException {
    return new ApiException(
      HttpStatus.SERVICE_UNAVAILABLE,
      CommonErrorCode.ServiceUnavailable,
      uncertain ? '工作流服务（Temporal）未及时答复，操作结果未能确认：请刷新案件查看，或以同一幂等键（Idempotency-Key）重发' : '工作流服务（Temporal）暂不可用，操作未能完成，请稍后重试',
      uncertain ? `Temporal did not answer; the action may or may not have been carried out (look at the case, or repeat it with the same Idempotency-Key): ${reason}` : `Temporal is unavailable; the action was not carried out: ${reason}`,
    );
  }
}
