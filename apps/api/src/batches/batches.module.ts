import { Module } from '@nestjs/common';
import { DashboardModule } from '../dashboard/dashboard.module';
import { BatchesController } from './batches.controller';
import { BatchesService } from './batches.service';

/** The batch view (整顿批次): a year's cases, where each stands, and the year-end outlook, from the read model. */
@Module({
  imports: [DashboardModule],
  controllers: [BatchesController],
  providers: [BatchesService],
})
export class BatchesModule {}
