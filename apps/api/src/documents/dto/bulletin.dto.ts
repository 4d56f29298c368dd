import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsUUID } from 'class-validator';
import { DEADLINE_KINDS, type DeadlineKind, type EscalationRung } from '../../../../../libs/domain';
import { ESCALATION_STATUSES, type EscalationStatus } from '../../../../../libs/persistence';

export const ESCALATION_RUNGS: readonly EscalationRung[] = ['supervision', 'public_notice', 'interview'];

/** The most escalations one 通报 lists. */
export const MAX_BULLETIN_ITEMS = 200;

/**
 * A 通报 of the escalations named, or of those a filter of the 督办台账 selects (in the caller's
 * region). With escalationIds the filter fields are not used.
 */
export class BulletinDto {
  @ApiPropertyOptional({ description: `要通报的督办问责记录（最多 ${MAX_BULLETIN_ITEMS} 条） / escalation ids`, type: [String], format: 'uuid', maxItems: MAX_BULLETIN_ITEMS })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULLETIN_ITEMS)
  @IsUUID('all', { each: true })
  escalationIds?: string[];

  @ApiPropertyOptional({ description: '按问责层级筛选 / rung', enum: ESCALATION_RUNGS })
  @IsOptional()
  @IsIn(ESCALATION_RUNGS)
  rung?: EscalationRung;

  @ApiPropertyOptional({ description: '按状态筛选 / status', enum: ESCALATION_STATUSES })
  @IsOptional()
  @IsIn(ESCALATION_STATUSES)
  status?: EscalationStatus;

  @ApiPropertyOptional({ description: '按事项类别筛选 / deadline kind', enum: DEADLINE_KINDS })
  @IsOptional()
  @IsIn(DEADLINE_KINDS)
  kind?: DeadlineKind;

  @ApiPropertyOptional({ description: '按乡镇（街道）筛选 / township', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;
}
