import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Put, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { SpreadsheetUploadInterceptor, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { calendarTemplate } from './calendar-import';
import { CalendarService, type CalendarDateView, type CalendarDayView, type CalendarImportResult, type CalendarStatus, type CalendarYearView } from './calendar.service';
import { CalendarDateParams, CalendarYearParams, CorrectCalendarDayDto, ImportCalendarQuery } from './dto/calendar.dto';

@ApiTags('工作日历 calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  // Declared before :year, which would otherwise take "status" as a year.
  @Get('status')
  @ApiOperation({
    summary: '工作日历是否就绪：今年、以及每年 11 月 1 日起下一年是否缺少法定节假日数据 / whether this year, and from 1 November next year, lack holiday data',
    description: 'banner 仅对县委组织部给出，网页在每页顶部显示，直到导入该年节假日安排。 / { today, missingYears, banner }: banner only for the county organization department.',
  })
  @ApiOkResponse({ description: '{ today, missingYears, banner }' })
  status(@CurrentUser() user: AuthUser): Promise<CalendarStatus> {
    return this.calendar.status(user);
  }

  @Get('import/template.xlsx')
  @Roles('county_org_admin')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '节假日安排导入模板（日期、类型 休/班、名称）/ the holiday schedule template' })
  @ApiOkResponse({ description: 'Excel 文件 / the .xlsx file', schema: { type: 'string', format: 'binary' } })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  async template(): Promise<StreamableFile> {
    const buffer = await calendarTemplate();
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition: attachmentDisposition('holiday-schedule-template.xlsx', '节假日安排导入模板.xlsx'), length: buffer.length });
  }

  @Post('import')
  @HttpCode(201)
  @Roles('county_org_admin')
  @UseInterceptors(SpreadsheetUploadInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description:
      '.xlsx 或 .csv（上限同其他导入），首行为表头：日期、类型（休/放假 或 班/上班）、名称（如 元旦、春节调休上班）；英文表头 date, kind (holiday/workday), name 亦可。所有日期须在 year 年内。 / ' +
      'a year\'s official holiday schedule: date, kind (holiday or workday), name',
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({
    summary: '导入一年的法定节假日安排（县委组织部）/ import a year\'s official holiday schedule (county organization department)',
    description:
      '不必等待软件更新：文件列出的日期写入工作日历（覆盖原有安排），该年标记为已有数据，此后的提醒和督办按其计算；未列出的日期不变。全部有效才写入。 / ' +
      'Listed days are written (overwriting), the year is marked as having data; nothing is written unless every row is valid. Answer: { year, rows, holidays, workdays, changed }',
  })
  @ApiCreatedResponse({ description: '{ year, rows, holidays, workdays, changed: [{ date, before }] }' })
  @ApiBadRequestResponse({ description: '文件有误：IMPORT_INVALID 列出每行的问题（行号、列、原因），未导入任何数据' })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  @ApiPayloadTooLargeResponse({ description: '文件、解压后大小或行数超过上限 / over the import caps' })
  importSchedule(@CurrentUser() user: AuthUser, @Query() query: ImportCalendarQuery, @UploadedFile() file: UploadedSpreadsheet | undefined): Promise<CalendarImportResult> {
    return this.calendar.importSchedule(user, file, query.year);
  }

  @Get(':year')
  @ApiOperation({
    summary: '某年的工作日历：法定节假日、调休上班日及更正 / a year\'s holidays, make-up working days and corrections',
    description: '未列出的日期按周一至周五上班计算。hasData 为 false 时该年尚无法定节假日数据。 / Days not listed: Monday–Friday are working days.',
  })
  @ApiOkResponse({ description: '{ year, hasData, loadedAt, days }' })
  @ApiBadRequestResponse({ description: '年度有误 / invalid year' })
  year(@Param() params: CalendarYearParams): Promise<CalendarYearView> {
    return this.calendar.year(params.year);
  }

  @Put('days/:date')
  @Roles('county_org_admin')
  @ApiOperation({ summary: '更正某日是否上班（县委组织部） / correct whether a day is a working day (county organization department)' })
  @ApiOkResponse({ description: '更正后的日期 / the corrected day' })
  @ApiBadRequestResponse({ description: '日期或请求体有误 / invalid date or body' })
  @ApiForbiddenResponse({ description: '仅县委组织部可更正 / county organization department only' })
  correct(@CurrentUser() user: AuthUser, @Param() params: CalendarDateParams, @Body() dto: CorrectCalendarDayDto): Promise<CalendarDayView> {
    return this.calendar.correct(user, params.date, dto);
  }

  @Delete('days/:date')
  @Roles('county_org_admin')
  @ApiOperation({
    summary: '撤销对某日的更正，恢复法定安排或周一至周五（县委组织部） / remove a correction: back to the statutory calendar or Monday–Friday',
  })
  @ApiOkResponse({ description: '{ date, isWorkday, day }' })
  @ApiBadRequestResponse({ description: '日期有误 / invalid date' })
  @ApiForbiddenResponse({ description: '仅县委组织部可撤销 / county organization department only' })
  @ApiNotFoundResponse({ description: '该日没有更正 / no correction of that day' })
  @ApiConflictResponse({ description: '法定节假日数据不能删除，请更正 / statutory days are corrected, not removed' })
  remove(@CurrentUser() user: AuthUser, @Param() params: CalendarDateParams): Promise<CalendarDateView> {
    return this.calendar.removeCorrection(user, params.date);
  }
}
