import { applyCommand, startOfShanghaiDay, validateCommand, type Actor, type CaseCommandInputs, type CaseCommandName, type CaseState } from '../../libs/domain';

/** The people and clock the unit tests of the pure case machine share. */
export const county: Actor = { id: 'c', name: '县委组织部', role: 'county_org_admin' };
export const township: Actor = { id: 't', name: '乡镇党委书记', role: 'township_party_secretary' };

/** An instant of a day in Asia/Shanghai (10:00 unless told). */
export const at = (date: string, hour = 10): number => startOfShanghaiDay(date) + hour * 3600_000;

/** A command as the workflow runs it: validated, then applied; answers its audit events. */
export function act<K extends CaseCommandName>(s: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number) {
  validateCommand(s, name, input, nowMs);
  return applyCommand(s, name, input, nowMs);
}
