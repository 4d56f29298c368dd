import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class CalendarYearParams {
  @ApiProperty({ description: '年度 / calendar year', minimum: 1900, maximum: 2999, example: 2026 })
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2999)
  year!: number;
}

export class CalendarDateParams {
  @ApiProperty({ description: '日期（北京时间）/ calendar date, YYYY-MM-DD', example: '2026-10-08' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  @IsDateString({ strict: true })
  date!: string;
}

/** A county organization department's correction of one day of the working calendar. */
export class CorrectCalendarDayDto {
  @ApiProperty({ description: '是否工作日（false：放假；true：上班，含周末调休上班）/ working day or not' })
  @IsBoolean()
  isWorkday!: boolean;

  @ApiPropertyOptional({ description: '名称，如“国庆节”“国庆节调休上班” / name of the day', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;
}

/** The year a holiday schedule file is for: every date of the file must lie in it. */
export class ImportCalendarQuery {
  @ApiProperty({ description: '节假日安排所属年度 / the year of the schedule', minimum: 1900, maximum: 2999, example: 2027 })
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2999)
  year!: number;
}
