import { Module } from '@nestjs/common';

/** Listing the audit trail per case and per user (filled in by the audit work). */
@Module({})
export class AuditModule {}
