import type { ConfirmProblemListInput } from '../../../../../../libs/domain';

/** The township Party secretary confirms the problem list; the body is empty (any field is refused). */
export class ConfirmProblemListDto implements Omit<ConfirmProblemListInput, 'actor'> {}
