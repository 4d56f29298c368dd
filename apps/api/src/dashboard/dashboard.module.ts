import { Module } from '@nestjs/common';
import { SharedReads } from '../common/shared-reads';
import { DashboardController } from './dashboard.controller';
import { DashboardReadModel } from './dashboard-read-model';
import { DashboardService } from './dashboard.service';
import { RollupService } from './rollup.service';

/** The county dashboard (县级看板): the batch overview from the read model. */
@Module({
  controllers: [DashboardController],
  providers: [DashboardService, DashboardReadModel, RollupService, SharedReads],
  exports: [DashboardReadModel],
})
export class DashboardModule {}
