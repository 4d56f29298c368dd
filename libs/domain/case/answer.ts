import type { CaseNoticeState, CaseState } from './types';

/**
 * The case as an action, a designation and the case page answer it: the whole state but the notice plan,
 * which is the workflow's own bookkeeping (every planned reminder and escalation of the open deadlines,
 * often more than a third of the state) and, answered, would go into the history with every action. Of the
 * notices only the count raised by rung is answered: it says whether 组织处理 may be recorded (an interview
 * was raised). The full state stays the workflow's query's; the read model keeps it without notices too.
 */
export type CaseAnswer = Omit<CaseState, 'notices'> & {
  notices?: undefined;
  noticesRaisedByRung?: CaseNoticeState['raisedByRung'];
};

export function caseAnswerOf(state: CaseState): CaseAnswer {
  const { notices, ...rest } = state;
  return notices ? { ...rest, noticesRaisedByRung: notices.raisedByRung } : rest;
}

/**
 * What an action answers the API, which reads the case itself from the read model (the action's projection has
 * written it before the Update answers): the version the action made and the count of notices raised by rung,
 * which the read model does not keep. The case's state then goes into the workflow's history once less with
 * every action, and through the workflow's serialization, the Temporal server and the API's parsing not at all.
 */
export interface CaseBriefAnswer {
  brief: true;
  version: number;
  noticesRaisedByRung?: CaseNoticeState['raisedByRung'];
}

export function caseBriefAnswerOf(answer: CaseAnswer): CaseBriefAnswer {
  return { brief: true, version: answer.version, ...(answer.noticesRaisedByRung ? { noticesRaisedByRung: answer.noticesRaisedByRung } : {}) };
}

/** An answer of either form: a worker of before answers an action with the state whatever was asked. */
export function isCaseBriefAnswer(answer: CaseAnswer | CaseBriefAnswer): answer is CaseBriefAnswer {
  return (answer as CaseBriefAnswer).brief === true;
}
