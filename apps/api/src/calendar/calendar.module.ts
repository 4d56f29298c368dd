import { Module } from '@nestjs/common';

/** China's working calendar, editable (filled in by the working-calendar work). */
@Module({})
export class CalendarModule {}
