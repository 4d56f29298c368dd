import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { DEADLINE_KINDS, type DeadlineKind, type EscalationRung } from '../../../../../libs/domain';
import { ESCALATION_STATUSES, type EscalationStatus } from '../../../../../libs/persistence';
import { PageCursor, PageQuery } from '../../common/page.query';
import { CURSOR_PATTERNS } from '../../common/keyset-cursor';

export const ESCALATION_RUNGS: readonly EscalationRung[] = ['supervision', 'public_notice', 'interview'];

export class ListEscalationsQuery extends PageQuery {
  @PageCursor(CURSOR_PATTERNS.instantId)
  cursor?: string;

  @ApiPropertyOptional({ description: '问责层级：supervision 督办；public_notice 通报；interview 约谈 / rung', enum: ESCALATION_RUNGS })
  @IsOptional()
  @IsIn(ESCALATION_RUNGS)
  rung?: EscalationRung;

  @ApiPropertyOptional({ description: '状态：open 待签收；acknowledged 已签收未办结；resolved 已办结 / status', enum: ESCALATION_STATUSES })
  @IsOptional()
  @IsIn(ESCALATION_STATUSES)
  status?: EscalationStatus;

  @ApiPropertyOptional({ description: '整顿案件 ID / case id' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  caseId?: string;

  @ApiPropertyOptional({ description: '事项类别 / deadline kind', enum: DEADLINE_KINDS })
  @IsOptional()
  @IsIn(DEADLINE_KINDS)
  kind?: DeadlineKind;

  @ApiPropertyOptional({ description: '乡镇（街道）ID / township id', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;
}
