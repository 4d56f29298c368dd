import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppUserEntity, AuditEntryEntity } from '../../../../libs/persistence';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** Listing the audit trail per case and per user. Writes go through recordAudit (audit-writer.ts). */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntryEntity, AppUserEntity])],
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
