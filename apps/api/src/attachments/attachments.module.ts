import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CasesModule } from '../cases/cases.module';
import { PoliciesModule } from '../policies/policies.module';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../config/config.module';
import { ATTACHMENT_STORE, attachmentStoreFor } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/**
 * Attachments, the evidence of a case's records (issue 20). The content store is PostgreSQL, or an
 * S3-compatible bucket with ATTACHMENT_STORE=s3 (see the README).
 */
@Module({
  imports: [CasesModule, PoliciesModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService, { provide: ATTACHMENT_STORE, inject: [DataSource, APP_CONFIG], useFactory: (ds: DataSource, config: AppConfig) => attachmentStoreFor(config.attachments.store, ds) }],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
