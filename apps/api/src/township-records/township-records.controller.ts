import { Body, Controller, Get, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { LeagueTable, TownshipRecordList } from '../../../../libs/http';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { PerUserConcurrencyLimit } from '../common/per-user-concurrency';
import { XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { LeaguePublicationDto, LeagueQuery, TownshipRecordQuery } from './dto/township-record.query';
import { townshipRecordWorkbook } from './township-record-export';
import { TownshipRecordsService } from './township-records.service';

/**
 * The township's record for 述职评议 and the county's league table of townships (issue 18 item 5):
 * results counted from the case records, never logins or clicks.
 */
@ApiTags('乡镇实绩 township records')
@ApiBearerAuth()
@Controller('township-records')
@Roles('county_org_admin', 'county_party_secretary', 'county_leader', 'inspector', 'township_party_secretary')
@PerUserConcurrencyLimit()
export class TownshipRecordsController {
  constructor(private readonly records: TownshipRecordsService) {}

  @Get()
  @ApiOperation({
    summary: '乡镇整顿实绩：每个乡镇当年批次的整顿对象数、按期转化、被督办/通报/约谈次数、调研指导次数、组织处理 / per township and year: cases, conversions on time, escalations by rung, visits, 组织处理',
  })
  @ApiOkResponse({ description: '{ year, items: [{ townshipId, townshipName, year, cases, removed, converted, convertedOnTime, onTimeRate, escalations, visits, organizationalHandling }] }' })
  @ApiBadRequestResponse({ description: '查询参数有误 / malformed query' })
  @ApiNotFoundResponse({ description: '乡镇不存在或不在辖区内（TOWNSHIP_NOT_FOUND） / township outside your region' })
  list(@CurrentUser() user: AuthUser, @Query() query: TownshipRecordQuery): Promise<TownshipRecordList> {
    return this.records.records(user, query);
  }

  @Get('export.xlsx')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出乡镇整顿实绩（述职评议用） / the township records as .xlsx, for the yearly review' })
  @ApiOkResponse({ description: 'Excel 文件（.xlsx） / the .xlsx file', schema: { type: 'string', format: 'binary' } })
  @ApiNotFoundResponse({ description: '乡镇不存在或不在辖区内（TOWNSHIP_NOT_FOUND） / township outside your region' })
  async export(@CurrentUser() user: AuthUser, @Query() query: TownshipRecordQuery): Promise<StreamableFile> {
    const list = await this.records.records(user, query);
    const { buffer, disposition } = await townshipRecordWorkbook(list.year, list.items);
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition, length: buffer.length });
  }

  @Get('league')
  @ApiOperation({
    summary: '乡镇整顿实绩排名：按整顿结果排序，不按登录、点击；乡镇（街道）只看到县委组织部公布的列，未公布时为空 / the league of townships by results, never by app use; townships see what the county published',
  })
  @ApiOkResponse({ description: '{ year, published, publishedColumns, columns, orderedBy, rows: [{ rank, townshipId, townshipName, values }], updatedAt, updatedByName }' })
  league(@CurrentUser() user: AuthUser, @Query() query: LeagueQuery): Promise<LeagueTable> {
    return this.records.league(user, query.year);
  }

  @Put('league/publication')
  @Roles('county_org_admin')
  @ApiOperation({ summary: '设置排名是否向乡镇公布、公布哪些列（记入审计） / publish or withdraw the league and choose its columns; audited' })
  @ApiOkResponse({ description: '设置后的排名 / the league as now set' })
  @ApiBadRequestResponse({ description: '字段有误 / invalid field' })
  setPublication(@CurrentUser() user: AuthUser, @Body() dto: LeaguePublicationDto): Promise<LeagueTable> {
    return this.records.setPublication(user, dto);
  }
}
