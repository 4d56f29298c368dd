import { InitialSchema1763800000000 } from './1763800000000-InitialSchema';
import { PlaybookReadModel1763900000000 } from './1763900000000-PlaybookReadModel';
import { UsersAndTaskClaims1764000000000 } from './1764000000000-UsersAndTaskClaims';
import { ListIndexes1764100000000 } from './1764100000000-ListIndexes';
import { WorkingCalendar1764200000000 } from './1764200000000-WorkingCalendar';
import { Notifications1764300000000 } from './1764300000000-Notifications';
import { DashboardIndexes1764400000000 } from './1764400000000-DashboardIndexes';
import { StarRatings1764500000000 } from './1764500000000-StarRatings';
import { NormalizedUsernames1764790000000 } from './1764790000000-NormalizedUsernames';
import { IdempotencyKeys1764700000000 } from './1764700000000-IdempotencyKeys';
import { SanitizedDeliveryErrors1764760000000 } from './1764760000000-SanitizedDeliveryErrors';
import { CountySetup1764800000000 } from './1764800000000-CountySetup';
import { EscalationResolutionNote1764900000000 } from './1764900000000-EscalationResolutionNote';
import { BatchTasks1796321126534 } from './1796321126534-BatchTasks';
import { CountyDocuments1796321068936 } from './1796321068936-CountyDocuments';
import { Attachments1796321081983 } from './1796321081983-Attachments';
import { CaseAggregates1796321170350 } from './1796321170350-CaseAggregates';
import { RegionsAboveCounty1796323451650 } from './1796323451650-RegionsAboveCounty';
import { PolicyTemplates1796333159661 } from './1796333159661-PolicyTemplates';
import { OpenTaskDues1796400000000 } from './1796400000000-OpenTaskDues';
import { ProjectedAt1796410000000 } from './1796410000000-ProjectedAt';
import { StateLz41796420000000 } from './1796420000000-StateLz4';

/** Every migration, in order. Listed explicitly (no globs) so ts-jest and compiled code see the same set. */
export const MIGRATIONS = [InitialSchema1763800000000, PlaybookReadModel1763900000000, UsersAndTaskClaims1764000000000, ListIndexes1764100000000, WorkingCalendar1764200000000, Notifications1764300000000, DashboardIndexes1764400000000, StarRatings1764500000000, IdempotencyKeys1764700000000, SanitizedDeliveryErrors1764760000000, NormalizedUsernames1764790000000, CountySetup1764800000000, EscalationResolutionNote1764900000000, CountyDocuments1796321068936, BatchTasks1796321126534, Attachments1796321081983, CaseAggregates1796321170350, RegionsAboveCounty1796323451650, PolicyTemplates1796333159661, OpenTaskDues1796400000000, ProjectedAt1796410000000, StateLz41796420000000];
