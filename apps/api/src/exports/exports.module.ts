import { Module } from '@nestjs/common';
import { DashboardModule } from '../dashboard/dashboard.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

/** Excel exports (exceljs) of a batch: ledger, problems, visits, escalations. */
@Module({
  imports: [DashboardModule],
  controllers: [ExportsController],
  providers: [ExportsService],
})
export class ExportsModule {}
