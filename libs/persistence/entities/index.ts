import { AppUserEntity } from './app-user.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { CountyPolicyEntity } from './county-policy.entity';
import { CountySecretaryCaseEntity } from './county-secretary-case.entity';
import { OrganizationEntity } from './organization.entity';
import { RectificationCaseEntity } from './rectification-case.entity';
import { RegionEntity } from './region.entity';
import { TaskEntity, TASK_STATUSES, type TaskStatus } from './task.entity';

export {
  AppUserEntity,
  AuditEntryEntity,
  CountyPolicyEntity,
  CountySecretaryCaseEntity,
  OrganizationEntity,
  RectificationCaseEntity,
  RegionEntity,
  TaskEntity,
  TASK_STATUSES,
  type TaskStatus,
};

export const ENTITIES = [
  RegionEntity,
  OrganizationEntity,
  RectificationCaseEntity,
  AuditEntryEntity,
  TaskEntity,
  CountyPolicyEntity,
  CountySecretaryCaseEntity,
  AppUserEntity,
];
