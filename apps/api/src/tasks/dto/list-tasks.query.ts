import { ApiPropertyOptional } from '@nestjs/swagger';
import { PageCursor, PageQuery } from '../../common/page.query';
import { CURSOR_PATTERNS } from '../../common/keyset-cursor';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { TASK_KINDS, type TaskKind } from '../../../../../libs/domain';
import { IsLocalDate } from './is-local-date';

export const TASK_VIEWS = ['mine', 'region'] as const;
export type TaskView = (typeof TASK_VIEWS)[number];

/** open: not done; due_soon: open and due within the next 14 days; overdue: open and past due; done. */
export const TASK_STATUS_FILTERS = ['open', 'due_soon', 'overdue', 'done'] as const;
export type TaskStatusFilter = (typeof TASK_STATUS_FILTERS)[number];

export const TASK_SORTS = ['due', '-due', 'organization'] as const;
export type TaskSort = (typeof TASK_SORTS)[number];

export class ListTasksQuery extends PageQuery {
  @PageCursor(CURSOR_PATTERNS.dueKeyOrOffset)
  cursor?: string;

  @ApiPropertyOptional({
    description: '视图：mine = 我的待办（我认领或被分派的、点名给我的、给我所在区域我这一角色且未点名、无人认领的）；region = 本辖区全部待办 / view: mine or everything in my region subtree',
    enum: TASK_VIEWS,
    default: 'mine',
  })
  @IsOptional()
  @IsIn(TASK_VIEWS)
  view?: TaskView;

  @ApiPropertyOptional({
    description: '办理状态：open 未办结；due_soon 14 天内到期；overdue 已逾期；done 已办结（按北京时间） / status filter (Asia/Shanghai dates)',
    enum: TASK_STATUS_FILTERS,
  })
  @IsOptional()
  @IsIn(TASK_STATUS_FILTERS)
  status?: TaskStatusFilter;

  @ApiPropertyOptional({ description: '待办类型 / task kind', enum: TASK_KINDS })
  @IsOptional()
  @IsIn(TASK_KINDS)
  kind?: TaskKind;

  @ApiPropertyOptional({ description: '整顿案件 ID / case id', example: 'case-2026-3f0c…' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  caseId?: string;

  @ApiPropertyOptional({ description: '截止日期早于（不含当日），YYYY-MM-DD / due strictly before this date', format: 'date' })
  @IsOptional()
  @IsLocalDate()
  dueBefore?: string;

  @ApiPropertyOptional({ description: '按基层党组织名称搜索（包含） / organization name contains', maxLength: 50 })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;

  @ApiPropertyOptional({ description: '乡镇（街道）ID / township id', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;

  @ApiPropertyOptional({ description: '排序：due 截止日期最近在前（默认）；-due 最晚在前；organization 按组织名称 / sort', enum: TASK_SORTS, default: 'due' })
  @IsOptional()
  @IsIn(TASK_SORTS)
  sort?: TaskSort;
}
