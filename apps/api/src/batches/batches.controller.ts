import { Controller, Get, Param, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { batchWorkbook } from './batch-export';
import type { BatchView } from './batch-view';
import { BatchesService, type BatchList } from './batches.service';
import { BatchParams } from './dto/batch.params';
import { BatchQuery } from './dto/batch.query';
import { PerUserConcurrencyLimit } from '../common/per-user-concurrency';

const BAD_YEAR = { description: '批次年度须为 2000–2100 的整数，townshipId 须为 UUID（VALIDATION_FAILED） / malformed batch year or query' };
const NO_TOWNSHIP = { description: '乡镇不存在或不在辖区内（TOWNSHIP_NOT_FOUND） / township outside your region' };

/** 整顿批次: a year's batch, where each case stands, and what year-end conversion would look like now. */
@ApiTags('整顿批次 batches')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: '未登录 / no or invalid bearer token' })
@Controller('batches')
@PerUserConcurrencyLimit()
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Get()
  @ApiOperation({
    summary: '整顿批次列表：辖区内有整顿对象的年度及其案件数、已验收数 / the batch years of your region, with their counts',
    description: '按用户所在区域（县、乡镇或本村）统计。见 docs/dashboard-api.md。 / Scoped to your region. See docs/dashboard-api.md.',
  })
  @ApiOkResponse({ description: '{ currentYear, items: [{ batchYear, cases, converted, removed, yearEnd }] }' })
  list(@CurrentUser() user: AuthUser): Promise<BatchList> {
    return this.batches.list(user);
  }

  @Get(':batchYear')
  @ApiOperation({
    summary: '整顿批次详情：每个案件所处阶段、“六个一”进展、按当前进度能否验收转化及未满足的条件 / one batch: where each case stands and whether it would pass acceptance now',
    description:
      '按用户所在区域（县、乡镇或本村）；townshipId 只看一个乡镇。年底转化预判用验收条件（libs/domain/case/acceptance.ts）按当前时间判断；移出名单的案件单列，不计入预判。' +
      '日期按北京时间。见 docs/dashboard-api.md。 / Scoped to your region; townshipId narrows to one township. The outlook checks the acceptance ' +
      'conditions against the read model now; cases off the list are listed apart. Dates in Asia/Shanghai.',
  })
  @ApiOkResponse({ description: '{ batchYear, scope, townships, today, yearEnd, daysLeft, totals, cases: [...], removed: [...] }' })
  @ApiBadRequestResponse(BAD_YEAR)
  @ApiNotFoundResponse(NO_TOWNSHIP)
  view(@CurrentUser() user: AuthUser, @Param() params: BatchParams, @Query() query: BatchQuery): Promise<BatchView> {
    return this.batches.view(user, params.batchYear, query);
  }

  @Get(':batchYear/export.xlsx')
  @ApiOperation({ summary: '导出整顿批次（Excel）：每个案件一行，含年底转化预判与未满足的验收条件 / the batch view as an Excel sheet' })
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Excel 文件（.xlsx），文件名为中文 / the .xlsx file, with a Chinese file name', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse(BAD_YEAR)
  @ApiNotFoundResponse(NO_TOWNSHIP)
  async export(@CurrentUser() user: AuthUser, @Param() params: BatchParams, @Query() query: BatchQuery): Promise<StreamableFile> {
    const nowMs = Date.now();
    const { buffer, disposition } = await batchWorkbook(await this.batches.view(user, params.batchYear, query, nowMs), nowMs);
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition, length: buffer.length });
  }
}
