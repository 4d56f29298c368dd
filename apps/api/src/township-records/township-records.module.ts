import { Module } from '@nestjs/common';
import { DashboardModule } from '../dashboard/dashboard.module';
import { TownshipRecordsController } from './township-records.controller';
import { TownshipRecordsService } from './township-records.service';

/** The township's record (实绩档案) and the county's league of townships. */
@Module({
  imports: [DashboardModule],
  controllers: [TownshipRecordsController],
  providers: [TownshipRecordsService],
})
export class TownshipRecordsModule {}
