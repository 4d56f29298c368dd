import type { ApprovePlanInput } from '../../../../../../libs/domain';

/** The township Party committee approves the plan; the body is empty (any field is refused). */
export class ApprovePlanDto implements Omit<ApprovePlanInput, 'actor'> {}
