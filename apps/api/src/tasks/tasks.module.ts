import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TaskEntity } from '../../../../libs/persistence';
import { SharedReads } from '../common/shared-reads';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** Task lists (待办), claims and assignments. */
@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity])],
  controllers: [TasksController],
  providers: [TasksService, SharedReads],
  exports: [TasksService],
})
export class TasksModule {}
