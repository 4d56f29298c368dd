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
}
