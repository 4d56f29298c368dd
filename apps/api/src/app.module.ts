import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AppConfig } from '../../../libs/config';
import { API_DATABASE_APPLICATION_NAME, dataSourceOptions } from '../../../libs/persistence';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { BatchesModule } from './batches/batches.module';
import { CalendarModule } from './calendar/calendar.module';
import { CasesModule } from './cases/cases.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { ExportsModule } from './exports/exports.module';
import { NotificationsModule } from './notifications/notifications.module';
import { ScopeModule } from './scope/scope.module';
import { AppConfigModule } from './config/config.module';
import { HealthModule } from './health/health.module';
import { OrganizationsModule } from './organizations/organizations.module';
import { PoliciesModule } from './policies/policies.module';
import { TasksModule } from './tasks/tasks.module';
import { UsersModule } from './users/users.module';
import { TemporalModule } from './temporal/temporal.module';
import { StarRatingsModule } from './star-ratings/star-ratings.module';
import { ObservabilityModule } from './observability/observability.module';
import { RegionsModule } from './regions/regions.module';
import { DocumentsModule } from './documents/documents.module';
import { TownshipRecordsModule } from './township-records/township-records.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        // Logs (JSON lines, request ids) and metrics; first, so every other module logs through it.
        ObservabilityModule.forRoot(config),
        // The same options as the TypeORM CLI; a database that is down at start is retried, not fatal.
        TypeOrmModule.forRoot({ ...dataSourceOptions(config.databaseUrl, { applicationName: API_DATABASE_APPLICATION_NAME }), retryAttempts: 10, retryDelay: 2000 }),
        TemporalModule,
        AuthModule,
        ScopeModule,
        HealthModule,
        OrganizationsModule,
        CasesModule,
        TasksModule,
        UsersModule,
        AuditModule,
        CalendarModule,
        NotificationsModule,
        PoliciesModule,
        DashboardModule,
        ExportsModule,
        BatchesModule,
        StarRatingsModule,
        RegionsModule,
        AttachmentsModule,
        DocumentsModule,
        TownshipRecordsModule,
      ],
    };
  }
}
