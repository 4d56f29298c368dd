import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Acknowledge an escalation (签收督办/通报/约谈), optionally saying what is being done. */
export class AcknowledgeEscalationDto {
  @ApiPropertyOptional({ description: '签收说明（如整改部署） / what is being done', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
