import { Body, Controller, Delete, Get, Param, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { CalendarService, type CalendarDateView, type CalendarDayView, type CalendarYearView } from './calendar.service';
import { CalendarDateParams, CalendarYearParams, CorrectCalendarDayDto } from './dto/calendar.dto';

@ApiTags('工作日历 calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

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
