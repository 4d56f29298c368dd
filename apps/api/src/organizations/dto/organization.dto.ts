import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ORGANIZATION_DOMAINS, type OrganizationDomain } from '../../../../../libs/domain';

/** Column widths of the organization table. */
export const ORGANIZATION_LIMITS = { code: 32, name: 100, secretaryName: 50 } as const;

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Any id that is not an organization's (a malformed one included) answers 404, as outside the region does. */
export class OrganizationParams {
  @ApiProperty({ description: '基层党组织 ID / organization id', format: 'uuid' })
  @IsString()
  @MaxLength(200)
  id!: string;
}

export class CreateOrganizationDto {
  @ApiProperty({ description: '组织编码（全局唯一）/ organization code, unique', maxLength: ORGANIZATION_LIMITS.code, example: '130102001' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(ORGANIZATION_LIMITS.code)
  @Matches(/^\S+$/, { message: 'code must not contain spaces' })
  code!: string;

  @ApiProperty({ description: '组织名称 / name', maxLength: ORGANIZATION_LIMITS.name, example: '东关村党支部' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(ORGANIZATION_LIMITS.name)
  name!: string;

  @ApiProperty({ description: '领域：农村、社区、机关事业单位、国有企业、非公企业、社会组织、学校 / domain', enum: ORGANIZATION_DOMAINS })
  @IsIn(ORGANIZATION_DOMAINS)
  domain!: OrganizationDomain;

  @ApiProperty({
    description: '所在村（社区）；机关、企业、社会组织、学校也可在乡镇（街道）/ the village or community region, or a township for agencies, firms, social orgs and schools',
    format: 'uuid',
  })
  @IsUUID('all')
  regionId!: string;

  @ApiPropertyOptional({ description: '现任书记 / current secretary', maxLength: ORGANIZATION_LIMITS.secretaryName, nullable: true })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(ORGANIZATION_LIMITS.secretaryName)
  secretaryName?: string | null;
}

/** Changes to an organization; its code and region stay. secretaryName null or '' clears the post (书记缺职). */
export class UpdateOrganizationDto {
  @ApiPropertyOptional({ description: '组织名称 / name', maxLength: ORGANIZATION_LIMITS.name })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(ORGANIZATION_LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ description: '领域 / domain', enum: ORGANIZATION_DOMAINS })
  @IsOptional()
  @IsIn(ORGANIZATION_DOMAINS)
  domain?: OrganizationDomain;

  @ApiPropertyOptional({ description: '现任书记（null 表示缺职）/ current secretary (null: vacant)', maxLength: ORGANIZATION_LIMITS.secretaryName, nullable: true })
  @Transform(trim)
  @ValidateIf((o: UpdateOrganizationDto) => o.secretaryName !== undefined && o.secretaryName !== null)
  @IsString()
  @MaxLength(ORGANIZATION_LIMITS.secretaryName)
  secretaryName?: string | null;
}

export const IMPORT_MODES = ['all', 'valid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

export class ImportOrganizationsQuery {
  @ApiPropertyOptional({
    description: 'all：全部有效才导入（默认）；valid：只导入有效行，其余报告 / all: import only if every row is valid (default); valid: import the valid rows, report the rest',
    enum: IMPORT_MODES,
    default: 'all',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;
}
