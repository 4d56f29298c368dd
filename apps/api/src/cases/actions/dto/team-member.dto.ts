import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CADRE_RANKS, type CadreRank, type TeamMemberInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** A member of the rectification team (整建队伍). */
export class TeamMemberDto implements TeamMemberInput {
  @ApiProperty({ description: '姓名 / name', maxLength: TEXT_MAX.personName })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.personName)
  name!: string;

  @ApiProperty({ description: '职级 / cadre rank (county 县处级, section 科级, staff 科级以下)', enum: CADRE_RANKS })
  @IsIn(CADRE_RANKS)
  rank!: CadreRank;

  @ApiProperty({ description: '所在单位 / unit', maxLength: TEXT_MAX.unit })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.unit)
  unit!: string;

  @ApiPropertyOptional({ description: '是否队长 / team leader', default: false })
  @IsOptional()
  @IsBoolean()
  isLeader?: boolean;
}

/** Largest team the API takes in one request. */
export const MAX_TEAM_MEMBERS = 50;
