import { HttpStatus } from '@nestjs/common';
import { RATING_RULES, type RatingRuleCode } from '../../../../libs/domain';
import { ApiException } from '../common/api.exception';

export enum StarRatingErrorCode {
  RatingAlreadyStarted = 'STAR_RATING_ALREADY_STARTED',
  RatingNotRunning = 'STAR_RATING_NOT_RUNNING',
  OrganizationNotFound = 'ORGANIZATION_NOT_FOUND',
  TownshipNotFound = 'TOWNSHIP_NOT_FOUND',
}

/** Refusals that mean "the request itself is wrong" (400); every other rule is a conflict with the rating's state (409). */
const BAD_REQUEST_RULES: RatingRuleCode[] = ['RATING_INVALID_INPUT', 'RATING_REASON_REQUIRED'];

/** Errors of the star-rating module (星级评定). */
export class StarRatingException extends ApiException {
  static organizationNotFound(id: string): StarRatingException {
    return new StarRatingException(HttpStatus.NOT_FOUND, StarRatingErrorCode.OrganizationNotFound, '基层党组织不存在或不在您的辖区内', 'No such organization in your region', { organizationId: id });
  }

  static townshipNotFound(id: string): StarRatingException {
    return new StarRatingException(HttpStatus.NOT_FOUND, StarRatingErrorCode.TownshipNotFound, '乡镇（街道）不存在或不在您的辖区内', 'No such township in your region', { townshipId: id });
  }

  static alreadyStarted(id: string, organizationName: string, year: number): StarRatingException {
    return new StarRatingException(
      HttpStatus.CONFLICT,
      StarRatingErrorCode.RatingAlreadyStarted,
      `${organizationName}的${year}年度星级评定已启动`,
      `The ${year} star rating of ${organizationName} has already been started`,
      { id, year },
    );
  }

  static notRunning(id: string): StarRatingException {
    return new StarRatingException(HttpStatus.CONFLICT, StarRatingErrorCode.RatingNotRunning, '星级评定已结束，不能再操作', 'The star rating has ended', { id });
  }

  static ruleViolation(rule: RatingRuleCode, workflowMessage: string, failure: Record<string, unknown>): StarRatingException {
    const known = RATING_RULES[rule];
    const { detail, rule: _rule, zh: _zh, en: _en, ...rest } = failure as { detail?: string | null; rule?: string; zh?: string; en?: string };
    const zh = known ? `${known.zh}${detail ? `：${detail}` : ''}` : workflowMessage;
    const en = known ? `${known.en} (rule ${rule})` : workflowMessage;
    const status = BAD_REQUEST_RULES.includes(rule) ? HttpStatus.BAD_REQUEST : rule === 'RATING_ROLE_NOT_ALLOWED' ? HttpStatus.FORBIDDEN : HttpStatus.CONFLICT;
    return new StarRatingException(status, rule, zh, en, { rule, ...(detail ? { detail } : {}), ...rest });
  }
}
