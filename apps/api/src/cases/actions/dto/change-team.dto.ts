import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { ChangeTeamInput } from '../../../../../../libs/domain';
import { MAX_TEAM_MEMBERS, TeamMemberDto } from './team-member.dto';
import { NotBlank, TEXT_MAX } from './validators';

/** Members join or leave the team, or another member leads it; the team must stay within the rules. */
export class ChangeTeamDto implements Omit<ChangeTeamInput, 'actor'> {
  @ApiPropertyOptional({ description: '新增队员 / members who join', type: [TeamMemberDto], maxItems: MAX_TEAM_MEMBERS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TEAM_MEMBERS)
  @ValidateNested({ each: true })
  @Type(() => TeamMemberDto)
  add?: TeamMemberDto[];

  @ApiPropertyOptional({ description: '调离队员的 ID / ids of members who leave', type: [String], maxItems: MAX_TEAM_MEMBERS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TEAM_MEMBERS)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(TEXT_MAX.id, { each: true })
  removeIds?: string[];

  @ApiPropertyOptional({ description: '新队长（留任队员的 ID） / id of the staying member who now leads', maxLength: TEXT_MAX.id })
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.id)
  newLeaderId?: string;

  @ApiProperty({ description: '调整理由 / reason', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason!: string;
}
