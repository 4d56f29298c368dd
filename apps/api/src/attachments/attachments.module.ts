import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CasesModule } from '../cases/cases.module';
import { PoliciesModule } from '../policies/policies.module';
import { ATTACHMENT_STORE, PostgresAttachmentStore } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

/**
 * Attachments, the evidence of a case's records (issue 20). The content store is PostgreSQL; an
 * S3-compatible store would be provided here by configuration (see the README).
 */
@Module({
  imports: [CasesModule, PoliciesModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService, { provide: ATTACHMENT_STORE, inject: [DataSource], useFactory: (ds: DataSource) => new PostgresAttachmentStore(ds) }],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
