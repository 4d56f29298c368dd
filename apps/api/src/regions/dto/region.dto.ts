import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const REGION_NAME_MAX = 100;
export const IMPORT_MODES = ['all', 'valid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Any id that is not a region of the caller's county (a malformed one included) answers 404. */
export class RegionParams {
  @ApiProperty({ description: '区划 ID / region id', format: 'uuid' })
  @IsString()
  @MaxLength(200)
  id!: string;
}

/** One township or village created by hand; its level and parent follow from the code. */
export class CreateRegionDto {
  @ApiProperty({ description: '统计用区划代码（12 位）/ 12-digit statistical division code', example: '990101001000', pattern: '^\\d{12}$' })
  @Transform(trim)
  @IsString()
  @Matches(/^\d{12}$/, { message: 'code must be 12 digits' })
  code!: string;

  @ApiProperty({ description: '名称 / name', maxLength: REGION_NAME_MAX, example: '禾丰镇' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(REGION_NAME_MAX)
  name!: string;
}

export class RenameRegionDto {
  @ApiProperty({ description: '新名称 / new name', maxLength: REGION_NAME_MAX })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(REGION_NAME_MAX)
  name!: string;
}

export class ImportRegionsQuery {
  @ApiPropertyOptional({
    description: 'all：全部有效才导入（默认）；valid：只导入有效行，其余报告 / all: import only if every row is valid (default); valid: import the valid rows, report the rest',
    enum: IMPORT_MODES,
    default: 'all',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;
}

/** A city (市、州) created by its province's organization department; it lies under the caller's province. */
export class CreateCityDto {
  @ApiProperty({ description: '市（州）统计用区划代码（12 位，以本省 2 位代码开头、8 个 0 结尾）/ the city\'s 12-digit code', example: '990200000000', pattern: '^\\d{12}$' })
  @Transform(trim)
  @IsString()
  @Matches(/^\d{12}$/, { message: 'code must be 12 digits' })
  code!: string;

  @ApiProperty({ description: '名称 / name', maxLength: REGION_NAME_MAX, example: '青川市' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(REGION_NAME_MAX)
  name!: string;
}

/** An existing county, by its statistical code, to place under a city (or right under the province). */
export class PlaceCountyDto {
  @ApiProperty({ description: '县（区）统计用区划代码（12 位）/ the county\'s 12-digit code', example: '990201000000', pattern: '^\\d{12}$' })
  @Transform(trim)
  @IsString()
  @Matches(/^\d{12}$/, { message: 'code must be 12 digits' })
  code!: string;
}
