import { HttpStatus } from '@nestjs/common';
import { ApiException } from '../common/api.exception';

export enum DashboardErrorCode {
  /** The township does not exist, or lies outside the user's region. */
  TownshipNotFound = 'TOWNSHIP_NOT_FOUND',
  /** The region (county, city, province) does not exist, or lies outside the user's region. */
  RegionNotFound = 'REGION_NOT_FOUND',
}

/** Errors of the dashboard and its exports (县级看板、台账导出). */
export class DashboardException extends ApiException {
  static townshipNotFound(townshipId: string): DashboardException {
    return new DashboardException(
      HttpStatus.NOT_FOUND,
      DashboardErrorCode.TownshipNotFound,
      '乡镇（街道）不存在或不在您的辖区内',
      'No such township in your region',
      { townshipId },
    );
  }

  static regionNotFound(regionId: string): DashboardException {
    return new DashboardException(HttpStatus.NOT_FOUND, DashboardErrorCode.RegionNotFound, '区划不存在或不在您的辖区内', 'No such region in your region', { regionId });
  }
}
