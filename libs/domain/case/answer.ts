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
