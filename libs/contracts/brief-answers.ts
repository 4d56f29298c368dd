/**
 * What a command's Update may carry as its second argument: a request for the brief answer instead of the whole
 * new state (for the case, CaseBriefAnswer: the version the command made), for a caller that reads the state from
 * the read model. The shared command handlers (workflows/shared/command-handlers.ts) honour it where the workflow
 * says what its brief answer is; a workflow of before ignores the argument.
 */
export interface BriefAnswerRequest {
  answer: 'brief';
}

export const BRIEF_ANSWER: BriefAnswerRequest = { answer: 'brief' };

/** The Update's second argument asks for the brief answer. */
export function asksBriefAnswer(form: unknown): form is BriefAnswerRequest {
  return typeof form === 'object' && form !== null && (form as Partial<BriefAnswerRequest>).answer === BRIEF_ANSWER.answer;
}
