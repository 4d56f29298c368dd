import type { CaseState } from '../types';

/** The edition of the rules that adds issue 16's rules (honest dates, relapse deadline, 组织处理…). */
export const UNBENT_RULES_VERSION = 2;

/** Does the case run under issue 16's rules? Set by the workflow behind a patch. */
export function unbent(state: CaseState): boolean {
  return (state.rulesVersion ?? 1) >= UNBENT_RULES_VERSION;
}
