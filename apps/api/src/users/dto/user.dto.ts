import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import { CADRE_RANKS, USER_ROLES, type CadreRank, type UserRole } from '../../../../../libs/domain';
import { PHONE_PATTERN, USERNAME_PATTERN, USER_LIMITS } from '../user-rules';

export const IMPORT_MODES = ['all', 'valid'] as const;
export type ImportMode = (typeof IMPORT_MODES)[number];

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const bool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListUsersQuery {
  @ApiPropertyOptional({ description: '角色（逗号分隔） / roles, comma separated', example: 'county_leader,county_party_secretary' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value))
  @IsArray()
  @ArrayMaxSize(USER_ROLES.length)
  @IsIn(USER_ROLES, { each: true })
  roles?: UserRole[];

  @ApiPropertyOptional({ description: '姓名、用户名或手机号包含 / name, username or phone contains', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;

  @ApiPropertyOptional({ description: '包括已停用的账号（县委组织部、乡镇党委书记）/ include deactivated accounts (managers)', type: Boolean })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  includeInactive?: boolean;

  @ApiPropertyOptional({ description: '只看该区划及其下级 / within this region', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  regionId?: string;
}

export class UserParams {
  @ApiProperty({ description: '人员 ID / user id', format: 'uuid' })
  @IsString()
  @MaxLength(200)
  id!: string;
}

export class CreateUserDto {
  @ApiProperty({
    description: '用户名：2–50 个字符，不含空格；不区分大小写和全角半角，保存为统一形式 / username, 2–50 characters without spaces, stored in its one form',
    maxLength: USER_LIMITS.username,
    example: 'hefeng_zhang',
  })
  @IsString()
  @MaxLength(USER_LIMITS.username)
  @Matches(USERNAME_PATTERN, { message: 'username must be 2–50 characters without spaces' })
  username!: string;

  @ApiProperty({ description: '姓名 / name', maxLength: USER_LIMITS.name, example: '张建国' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(USER_LIMITS.name)
  name!: string;

  @ApiPropertyOptional({ description: '职务，如“副县长” / post held', maxLength: USER_LIMITS.title })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(USER_LIMITS.title)
  title?: string;

  @ApiPropertyOptional({ description: '手机号：数字，可带 + / phone: digits, optionally after +', example: '13800138000', nullable: true })
  @IsOptional()
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be 5–19 digits, optionally after +' })
  phone?: string | null;

  @ApiProperty({ description: '角色 / role', enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @ApiProperty({ description: '所在区划（县、乡镇或村，须与角色相符）/ the region the role is held in', format: 'uuid' })
  @IsUUID('all')
  regionId!: string;

  @ApiPropertyOptional({ description: '职级：county 县处级、section 科级、staff 科级以下 / cadre rank', enum: CADRE_RANKS, nullable: true })
  @IsOptional()
  @IsIn(CADRE_RANKS)
  cadreRank?: CadreRank | null;
}

/** Changes to an account; a changed region or role, or deactivation, hands the person's claimed tasks back. */
export class UpdateUserDto {
  @ApiPropertyOptional({ description: '姓名 / name', maxLength: USER_LIMITS.name })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(USER_LIMITS.name)
  name?: string;

  @ApiPropertyOptional({ description: '职务 / post held', maxLength: USER_LIMITS.title })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(USER_LIMITS.title)
  title?: string;

  @ApiPropertyOptional({ description: '手机号：数字，可带 +（null 清除）/ phone: digits, optionally after + (null clears)', example: '13800138000', nullable: true })
  @ValidateIf((o: UpdateUserDto) => o.phone !== undefined && o.phone !== null)
  @IsString()
  @Matches(PHONE_PATTERN, { message: 'phone must be 5–19 digits, optionally after +' })
  phone?: string | null;

  @ApiPropertyOptional({ description: '角色 / role', enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ description: '调往的区划（立即生效，已认领的任务退回）/ move to this region (at once; claimed tasks go back)', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  regionId?: string;

  @ApiPropertyOptional({ description: '职级（null 清除）/ cadre rank (null clears)', enum: CADRE_RANKS, nullable: true })
  @ValidateIf((o: UpdateUserDto) => o.cadreRank !== undefined && o.cadreRank !== null)
  @IsIn(CADRE_RANKS)
  cadreRank?: CadreRank | null;

  @ApiPropertyOptional({ description: 'false 停用（已认领的任务退回），true 恢复 / false deactivates, true reactivates' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class ImportUsersQuery {
  @ApiPropertyOptional({
    description: 'all：全部有效才导入（默认）；valid：只导入有效行，其余报告 / all: import only if every row is valid (default); valid: import the valid rows, report the rest',
    enum: IMPORT_MODES,
    default: 'all',
  })
  @IsOptional()
  @IsIn(IMPORT_MODES)
  mode?: ImportMode;
}
