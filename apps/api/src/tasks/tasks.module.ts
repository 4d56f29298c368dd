import { Module } from '@nestjs/common';

/** Task lists, claims and assignments (filled in by the tasks work). */
@Module({})
export class TasksModule {}
