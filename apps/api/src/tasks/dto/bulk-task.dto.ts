import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export const BULK_TASK_ACTIONS = ['claim', 'assign'] as const;

/** Claim or assign several tasks at once (批量认领 / 批量分派); each key succeeds or fails on its own. */
export class BulkTaskDto {
  @ApiProperty({ description: 'claim 认领；assign 分派 / action', enum: BULK_TASK_ACTIONS })
  @IsIn(BULK_TASK_ACTIONS)
  action!: (typeof BULK_TASK_ACTIONS)[number];

  @ApiProperty({ description: '待办键（1–100 个） / task keys', type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  keys!: string[];

  @ApiPropertyOptional({ description: '被分派人（分派时必填） / assignee, for assign', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  userId?: string;
}
