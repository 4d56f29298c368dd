import { Module } from '@nestjs/common';

/** Inbox, escalations and outbound channels (filled in by the delivery work). */
@Module({})
export class NotificationsModule {}
