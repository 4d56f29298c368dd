import type { ConfirmGuidanceVisitInput } from '../../../../../../libs/domain';

/** 代录: the contact leader confirms a visit entered for them; the visit is in the path, the body is empty. */
export class ConfirmGuidanceVisitDto implements Omit<ConfirmGuidanceVisitInput, 'actor' | 'visitId'> {}
