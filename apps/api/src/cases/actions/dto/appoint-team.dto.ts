import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, ValidateNested } from 'class-validator';
import type { AppointTeamInput, LocalDate } from '../../../../../../libs/domain';
import { MAX_TEAM_MEMBERS, TeamMemberDto } from './team-member.dto';
import { IsLocalDate } from './validators';
import { LateReason } from './later-rules';

/** 一支队伍: the township Party committee appoints the team (size and leader rank are checked by the case's policy). */
export class AppointTeamDto implements Omit<AppointTeamInput, 'actor'> {
  @ApiProperty({ description: '进驻日期 / date the team arrived (YYYY-MM-DD, not in the future)', example: '2026-04-01' })
  @IsLocalDate()
  arrivedOn!: LocalDate;

  @ApiProperty({ description: '队员（含一名科级队长） / members, exactly one of them the leader', type: [TeamMemberDto], maxItems: MAX_TEAM_MEMBERS })
  @IsArray()
  @ArrayMaxSize(MAX_TEAM_MEMBERS)
  @ValidateNested({ each: true })
  @Type(() => TeamMemberDto)
  members!: TeamMemberDto[];

  @LateReason()
  lateReason?: string;
}
