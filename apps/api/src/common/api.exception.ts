import { HttpException, HttpStatus } from '@nestjs/common';

/** The one error shape of the API: a machine code, a Chinese message, its English twin, details. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  messageEn: string;
  details?: unknown;
}

/** Base of every module's exception type; each module pairs it with its own code enum. */
export class ApiException extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details?: unknown,
  ) {
    super({ statusCode: status, code, message: messageZh, messageEn, details } satisfies ApiErrorBody, status);
  }
}

export enum CommonErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  InternalError = 'INTERNAL_ERROR',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  MalformedJson = 'MALFORMED_JSON',
  /** A declared path asked with a method it does not have (405, with Allow). */
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  /** More heavy reads (dashboards, exports, batch views) of one user in flight than allowed (429, with Retry-After). */
  TooManyConcurrentRequests = 'TOO_MANY_CONCURRENT_REQUESTS',
  /** An Idempotency-Key sent again with another request than the first time (422). */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
}
