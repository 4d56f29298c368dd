import { Controller, Get, Query, Req, Res, StreamableFile } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { RollupService } from './rollup.service';
import { RollupQuery } from './dto/rollup.query';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { DashboardService } from './dashboard.service';
import { DashboardQuery } from './dto/dashboard.query';
import { PerUserConcurrencyLimit } from '../common/per-user-concurrency';
import { SharedReads, sharedReadKey } from '../common/shared-reads';
import { PreparedJson } from '../common/prepared-json';

@ApiTags('看板 dashboard')
@ApiBearerAuth()
@Controller('dashboard')
@PerUserConcurrencyLimit()
export class DashboardController {
  constructor(
    private readonly dashboard: DashboardService,
    private readonly rollups: RollupService,
    private readonly shared: SharedReads,
  ) {}

  @Get('overview')
  @ApiOperation({
    summary: '整顿工作总览：阶段分布、年底转化预测、逾期与督办、乡镇“六个一”矩阵、联系领导季度调研、移出整顿名单 / batch overview: stages, forecast, overdue work, escalations, the six-track matrix per township, visit compliance, cases taken off the list',
    description:
      '按用户所在区域（县、乡镇或本村）统计；townshipId 下钻到一个乡镇。轨道状态：done 已完成（绿）、due_soon 14 天内到期（黄）、overdue 已逾期（红）、open 推进中。' +
      '日期按北京时间。见 docs/dashboard-api.md。 / Scoped to your region; townshipId drills down to one township. Dates in Asia/Shanghai. See docs/dashboard-api.md.',
  })
  @ApiOkResponse({
    description:
      '{ batchYear, scope, total, stages, converted, forecast, overdue: { tasks, secretary, yearEnd, measures }, openEscalations: { supervision, public_notice, interview }, townships: [{ …, matrix }], visitCompliance, ' +
      'removed: { count, items: [{ caseId, organizationName, townshipId, townshipName, batchYear, reason, removedBy, removedAt, fromStage }] }, abnormal: { count, items: [{ caseId, organizationName, townshipId, townshipName, stage, executionStatus }] }, organizationalHandling: { awaitingDecision, decided, byMeasure } }（组织处理：待县委组织部研究决定的逾期事项数、已记录的决定数；移出整顿名单的案件不计入 total、forecast 和矩阵，单列于 removed / cases taken off the list are listed in removed, not counted elsewhere）',
  })
  @ApiBadRequestResponse({ description: '查询参数有误（batchYear 须为 2000–2100 的整数，townshipId 须为 UUID） / malformed query' })
  @ApiUnauthorizedResponse({ description: '未登录 / no or invalid bearer token' })
  @ApiNotFoundResponse({ description: '乡镇不存在或不在辖区内（TOWNSHIP_NOT_FOUND） / township outside your region' })
  async overview(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const whom = { role: user.role, regionId: user.regionId };
    const answer = await this.shared.run(sharedReadKey('overview', whom, query), async () => PreparedJson.of(await this.dashboard.overview(user, query)));
    await answer.send(req, res);
  }

  @Get('rollup')
  @ApiOperation({
    summary: '汇总看板：省、市（州）、县（区）下一级区划逐行的整顿对象、阶段、年底转化预判、逾期、督办、调研指导 / the roll-up of a province, city or county: one row per region one level down',
    description:
      '省委组织部看到所辖各市（州）及省直管县，市（州）委组织部看到所辖各县（区），县看到各乡镇；regionId 下钻（省 → 市 → 县），县以下用 /api/dashboard/overview?countyId=&townshipId=。 / regionId drills province → city → county; below the county use the overview with countyId and townshipId.',
  })
  @ApiOkResponse({ description: '{ batchYear, region, parent, totals, rows: [{ regionId, name, level, levelLabel, cases, removed, stages, outlook, expectedByYearEnd, overdue, openEscalations, visits }] }' })
  @ApiBadRequestResponse({ description: '查询参数有误（batchYear 须为 2000–2100 的整数，regionId 须为 UUID） / malformed query' })
  @ApiUnauthorizedResponse({ description: '未登录 / no or invalid bearer token' })
  @ApiNotFoundResponse({ description: '区划不存在或不在辖区内（REGION_NOT_FOUND） / region outside yours' })
  async rollup(@CurrentUser() user: AuthUser, @Query() query: RollupQuery, @Req() req: Request, @Res() res: Response): Promise<void> {
    const whom = { role: user.role, regionId: user.regionId };
    const answer = await this.shared.run(sharedReadKey('rollup', whom, query), async () => PreparedJson.of(await this.rollups.rollup(user, query)));
    await answer.send(req, res);
  }

  @Get('rollup/export.xlsx')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出汇总看板（每个下一级区划一行，末行合计） / the roll-up as Excel, a row per region and the total' })
  @ApiOkResponse({ description: 'Excel 文件（.xlsx），文件名为中文 / the .xlsx file, with a Chinese file name', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse({ description: '查询参数有误 / malformed query' })
  @ApiUnauthorizedResponse({ description: '未登录 / no or invalid bearer token' })
  @ApiNotFoundResponse({ description: '区划不存在或不在辖区内（REGION_NOT_FOUND） / region outside yours' })
  async rollupExport(@CurrentUser() user: AuthUser, @Query() query: RollupQuery): Promise<StreamableFile> {
    const { buffer, disposition } = await this.rollups.export(user, query);
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition, length: buffer.length });
  }
}
