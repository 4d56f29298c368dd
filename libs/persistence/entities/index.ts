import { AuditEntryEntity } from './audit-entry.entity';
import { OrganizationEntity } from './organization.entity';
import { RectificationCaseEntity } from './rectification-case.entity';
import { RegionEntity } from './region.entity';

export { AuditEntryEntity, OrganizationEntity, RectificationCaseEntity, RegionEntity };

export const ENTITIES = [RegionEntity, OrganizationEntity, RectificationCaseEntity, AuditEntryEntity];
