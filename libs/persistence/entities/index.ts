import { AppUserEntity } from './app-user.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { CalendarDayEntity, CalendarYearEntity } from './calendar-day.entity';
import { CountyPolicyEntity } from './county-policy.entity';
import { PolicyTemplateEntity } from './policy-template.entity';
import { CountySecretaryCaseEntity } from './county-secretary-case.entity';
import { OrganizationEntity } from './organization.entity';
import { RectificationCaseEntity } from './rectification-case.entity';
import { RegionEntity } from './region.entity';
import { StarRatingEntity } from './star-rating.entity';
import { TaskEntity, TASK_STATUSES, type TaskStatus } from './task.entity';
import { DeliveryEntity, DELIVERY_STATUSES, type DeliveryNotice, type DeliveryStatus } from './delivery.entity';
import { EscalationEntity, ESCALATION_STATUSES, type EscalationRecipients, type EscalationStatus } from './escalation.entity';
import {
  NotificationChannelEntity,
  CHANNEL_KINDS,
  CHANNEL_KIND_LABELS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_PER_MINUTE,
  type ChannelKind,
} from './notification-channel.entity';
import { NotificationEntity } from './notification.entity';
import { AttachmentEntity } from './attachment.entity';
import { CountyLetterheadEntity, DocumentNumberEntity, LeaguePublicationEntity, DOCUMENT_KINDS, type DocumentKind } from './county-document.entity';

export {
  AppUserEntity,
  AuditEntryEntity,
  CalendarDayEntity,
  CalendarYearEntity,
  CountyPolicyEntity,
  CountySecretaryCaseEntity,
  OrganizationEntity,
  PolicyTemplateEntity,
  RectificationCaseEntity,
  RegionEntity,
  StarRatingEntity,
  TaskEntity,
  TASK_STATUSES,
  type TaskStatus,
};

export { AttachmentEntity };

export {
  NotificationEntity,
  EscalationEntity,
  ESCALATION_STATUSES,
  type EscalationRecipients,
  type EscalationStatus,
  NotificationChannelEntity,
  CHANNEL_KINDS,
  CHANNEL_KIND_LABELS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_PER_MINUTE,
  type ChannelKind,
  DeliveryEntity,
  DELIVERY_STATUSES,
  type DeliveryNotice,
  type DeliveryStatus,
};

export { CountyLetterheadEntity, DocumentNumberEntity, LeaguePublicationEntity, DOCUMENT_KINDS, type DocumentKind };

export const ENTITIES = [
  RegionEntity,
  OrganizationEntity,
  RectificationCaseEntity,
  AuditEntryEntity,
  TaskEntity,
  CountyPolicyEntity,
  PolicyTemplateEntity,
  CountySecretaryCaseEntity,
  AppUserEntity,
  CalendarDayEntity,
  CalendarYearEntity,
  NotificationEntity,
  EscalationEntity,
  NotificationChannelEntity,
  DeliveryEntity,
  StarRatingEntity,
  AttachmentEntity,
  CountyLetterheadEntity,
  DocumentNumberEntity,
  LeaguePublicationEntity,
];
