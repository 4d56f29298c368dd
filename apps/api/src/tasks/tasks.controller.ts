import { Scoped } from '../scope/scoped.decorator';
import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { AssignTaskDto } from './dto/assign-task.dto';
import { ListTasksQuery } from './dto/list-tasks.query';
import { BulkTaskDto } from './dto/bulk-task.dto';
import { taskWorkbook } from './task-export';
import { XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { SharedReads, sharedReadKey } from '../common/shared-reads';
import { TasksService, type BulkTaskResult, type TaskItem, type TaskPage } from './tasks.service';

const KEY_PARAM = {
  name: 'key',
  description: '待办键，含冒号，请 URL 编码（如 case-2026-…%3Aappoint_team） / task key; contains ":", send it URL-encoded',
};

@ApiTags('待办 tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly shared: SharedReads,
  ) {}

  @Get()
  @ApiOperation({
    summary: '待办列表：我的待办或本辖区待办，按截止日期排序，游标翻页 / my tasks or my region\'s tasks, soonest due first, cursor-paged',
    description:
      'mine：我认领或被分派的、点名给我的、给我所在区域我这一角色且无人认领的待办；region：本辖区（县、乡镇或本村）全部待办。' +
      'totals 按同一视图和筛选条件（不含 status）统计。 / totals count the same view and filters except status.',
  })
  @ApiOkResponse({ description: '{ items, nextCursor, totals: { open, dueSoon, overdue, done } }' })
  @ApiBadRequestResponse({ description: '查询参数有误 / malformed query' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListTasksQuery): Promise<TaskPage> {
    return this.shared.run(sharedReadKey('tasks', { id: user.id }, query), () => this.tasks.list(user, query));
  }

  @Get('export.xlsx')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出待办（与列表相同的视图、筛选和排序） / export the tasks as listed: same view, filters and order' })
  @ApiOkResponse({ description: 'Excel 文件（.xlsx） / the .xlsx file', schema: { type: 'string', format: 'binary' } })
  async export(@CurrentUser() user: AuthUser, @Query() query: ListTasksQuery): Promise<StreamableFile> {
    const { buffer, disposition } = await taskWorkbook(await this.tasks.all(user, query));
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition, length: buffer.length });
  }

  @Post('bulk')
  @HttpCode(200)
  @Roles('township_party_secretary', 'county_org_admin')
  @ApiOperation({
    summary: '批量认领或分派待办（县委组织部、乡镇党委书记）：逐项办理、逐项答复，失败的不影响其他 / claim or assign several tasks; a result per key',
  })
  @ApiOkResponse({ description: '{ action, done, failed, results: [{ key, ok, task?, error? }] }' })
  @ApiBadRequestResponse({ description: '参数有误（分派须指定 userId） / malformed input' })
  bulk(@CurrentUser() user: AuthUser, @Body() dto: BulkTaskDto): Promise<BulkTaskResult> {
    return this.tasks.bulk(user, dto);
  }

  @Post(':key/claim')
  @Scoped('task', 'key')
  @HttpCode(200)
  @ApiParam(KEY_PARAM)
  @ApiOperation({ summary: '认领待办（限本区域内该角色的人员） / claim a task addressed to my role in my region' })
  @ApiForbiddenResponse({ description: '角色或区域不符 / not the task\'s role or region' })
  @ApiNotFoundResponse({ description: '待办不存在或不在辖区内 / no such task in your scope' })
  @ApiConflictResponse({ description: '已被他人认领或已办结 / claimed by someone else, or done' })
  claim(@CurrentUser() user: AuthUser, @Param('key') key: string): Promise<TaskItem> {
    return this.tasks.claim(user, key);
  }

  @Post(':key/release')
  @Scoped('task', 'key')
  @HttpCode(200)
  @ApiParam(KEY_PARAM)
  @ApiOperation({ summary: '退回待办（认领人或有权分派者） / release a claimed task (the claimer or an assigner)' })
  @ApiForbiddenResponse({ description: '既非认领人也无权分派 / neither the claimer nor an assigner' })
  @ApiNotFoundResponse({ description: '待办不存在或不在辖区内 / no such task in your scope' })
  @ApiConflictResponse({ description: '无人认领或已办结 / not claimed, or done' })
  release(@CurrentUser() user: AuthUser, @Param('key') key: string): Promise<TaskItem> {
    return this.tasks.release(user, key);
  }

  @Post(':key/assign')
  @Scoped('task', 'key')
  @HttpCode(200)
  @ApiParam(KEY_PARAM)
  @Roles('township_party_secretary', 'county_org_admin')
  @ApiOperation({
    summary: '分派待办给本区域内该角色的在岗人员（乡镇党委书记：本乡镇；县委组织部：本县） / assign a task to an active user of its role in its region',
  })
  @ApiBadRequestResponse({ description: '被分派人停用、角色或区域不符 / assignee inactive, of another role or region' })
  @ApiForbiddenResponse({ description: '无权分派该待办 / you may not assign this task' })
  @ApiNotFoundResponse({ description: '待办或用户不存在 / no such task or user in your scope' })
  @ApiConflictResponse({ description: '待办已办结 / the task is done' })
  assign(@CurrentUser() user: AuthUser, @Param('key') key: string, @Body() dto: AssignTaskDto): Promise<TaskItem> {
    return this.tasks.assign(user, key, dto);
  }
}
