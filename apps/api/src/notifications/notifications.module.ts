import { Module } from '@nestjs/common';
import { ChannelsService } from './channels.service';
import { DeliveriesService } from './deliveries.service';
import { EscalationsService } from './escalations.service';
import { InboxService } from './inbox.service';
import { ChannelsController, DeliveriesController, EscalationsController, NotificationsController } from './notifications.controller';

/**
 * Reminders and escalations as people see them: the inbox (站内通知), the escalation ledger
 * (督办、通报、约谈) with acknowledgement, each township's outbound channels, and the delivery record.
 */
@Module({
  controllers: [NotificationsController, EscalationsController, ChannelsController, DeliveriesController],
  providers: [InboxService, EscalationsService, ChannelsService, DeliveriesService],
})
export class NotificationsModule {}
