import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum BatchErrorCode {
  /** The township does not exist, or lies outside the user's region (the same code as the dashboard's). */
  TownshipNotFound = 'TOWNSHIP_NOT_FOUND',
}

/** Errors of the batch view (整顿批次). A malformed batch year is a validation error (VALIDATION_FAILED). */
export class BatchException extends ApiException {
  static townshipNotFound(townshipId: string): BatchException {
    return new BatchException(
      HttpStatus.NOT_FOUND,
      BatchErrorCode.TownshipNotFound,
      '乡镇（街道）不存在或不在您的辖区内',
      'No such township in your region',
      { townshipId },
    );
  }
}
