import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ApiErrorBody, ApiException, CommonErrorCode } from './api.exception';

const GENERIC: Record<number, [string, string, string]> = {
  400: [CommonErrorCode.ValidationFailed, '请求有误', 'Bad request'],
  404: [CommonErrorCode.NotFound, '资源不存在', 'Not found'],
  413: [CommonErrorCode.PayloadTooLarge, '请求内容过大', 'Payload too large'],
};

/** Turns every error into the one error shape; unexpected errors are logged and answered 500. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ApiErrorBody {
    if (exception instanceof ApiException) return exception.getResponse() as ApiErrorBody;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      const en = typeof raw === 'string' ? raw : String((raw as { message?: unknown }).message ?? exception.message);
      const isJson = exception.name === 'BadRequestException' && /JSON/i.test(en);
      if (isJson) {
        return { statusCode: status, code: CommonErrorCode.MalformedJson, message: '请求体不是有效的 JSON', messageEn: `Malformed JSON body: ${en}` };
      }
      const [code, zh, enDefault] = GENERIC[status] ?? [`HTTP_${status}`, '请求无法处理', exception.message];
      return { statusCode: status, code, message: zh, messageEn: en || enDefault };
    }
    // body-parser errors carry a status but are not HttpExceptions.
    const typed = exception as { status?: number; type?: string; message?: string };
    if (typed && typeof typed.status === 'number' && typed.status >= 400 && typed.status < 500) {
      if (typed.type === 'entity.too.large') {
        return { statusCode: 413, code: CommonErrorCode.PayloadTooLarge, message: '请求内容过大', messageEn: 'Payload too large' };
      }
      if (typed.type === 'entity.parse.failed') {
        return { statusCode: 400, code: CommonErrorCode.MalformedJson, message: '请求体不是有效的 JSON', messageEn: 'Malformed JSON body' };
      }
      return { statusCode: typed.status, code: `HTTP_${typed.status}`, message: '请求无法处理', messageEn: typed.message ?? 'Bad request' };
    }
    this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      code: CommonErrorCode.InternalError,
      message: '服务器内部错误，请稍后重试',
      messageEn: 'Internal server error',
    };
  }
}
