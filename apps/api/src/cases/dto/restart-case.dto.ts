import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { NotBlank, TEXT_MAX } from '../actions/dto/validators';

/** 重启案件: why the county organization department restarts a case whose run ended abnormally. */
export class RestartCaseDto {
  @ApiProperty({ description: '重启原因，记入审计记录 / why the case is restarted; kept in the audit trail', maxLength: TEXT_MAX.long, example: '案件工作流异常终止，按最后一次记录的状态重启' })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason!: string;
}
