import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { NotBlank, TEXT_MAX } from './validators';

/** 一把手分包: name the county-level leader who personally owns the case (or replace them, with a reason). */
export class AssignContactLeaderDto {
  @ApiProperty({ description: '联系领导的用户 ID（县级领导或县委书记） / user id of the contact leader (county leader or county party secretary)', format: 'uuid' })
  @IsUUID('all')
  leaderUserId!: string;

  @ApiPropertyOptional({ description: '更换理由（更换联系领导时必填） / reason, required when replacing the contact leader', maxLength: TEXT_MAX.long })
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason?: string;
}
