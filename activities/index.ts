import { createCaseProjectionActivities, type ProjectionDeps } from './case-projection';
import { createCaseSyncActivities } from './case-sync';
import { createCountySecretaryActivities, type CountySecretaryDeps } from './county-secretary';
import { createNoticePlanningActivities, type NoticePlanningDeps } from './notice-planning';
import { createNoticeActivities, type NoticeDeps } from './notices';
import { createDeliveryActivities, type DeliveryDeps } from './delivery/delivery-activities';
import { createStarRatingActivities, type StarRatingDeps } from './star-rating';

export type ActivityDeps = ProjectionDeps & CountySecretaryDeps & NoticePlanningDeps & NoticeDeps & StarRatingDeps & Pick<DeliveryDeps, 'outbound'>;

export type {
  ReleaseCountySecretaryCaseInput,
  ReserveCountySecretaryCaseInput,
  ReserveCountySecretaryCaseResult,
} from './county-secretary';
export type { DesignateOneStarInput } from './star-rating';
export type { CaseSyncNotices, ReplanOutcome, SyncCaseInput, SyncCaseResult } from './case-sync';

/** Every activity the worker registers, built from its dependencies (all I/O lives here). */
export function createActivities(deps: ActivityDeps) {
  const projection = createCaseProjectionActivities(deps);
  const planning = createNoticePlanningActivities(deps);
  const notices = createNoticeActivities(deps);
  return {
    ...projection,
    ...createCountySecretaryActivities(deps),
    ...planning,
    ...notices,
    ...createCaseSyncActivities({ ...projection, ...planning, ...notices }),
    ...createDeliveryActivities(deps),
    ...createStarRatingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
