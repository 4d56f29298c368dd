import type { CaseStage } from '../case-stage';
import type { Actor, UserRole } from '../roles';
import { compareDates, isLocalDate, shanghaiDateOf, type LocalDate } from '../shanghai-time';
import { iso, requireActorRole, requireText, type ProcessChange, type ProcessCommandDef } from '../process';
import type { CaseCommandInputs, CaseCommandName } from './commands';
import { CASE_LIMITS } from './limits';
import { refuse } from './rules';
import type { CaseState } from './types';

/**
 * The checks every case command uses on its input and state, and the shape of a command (validate,
 * apply). Shared by the state machine and the rule files under ./rules, so neither grows the other.
 */

export type Change = ProcessChange;

export type CommandDef<K extends CaseCommandName> = ProcessCommandDef<CaseState, CaseCommandInputs[K]>;

export function nextId(state: CaseState, prefix: string): string {
  return `${prefix}${state.nextId++}`;
}

export { iso };

// ---------------------------------------------------------------------------------------------
// Input checks

export const MAX_TEXT: number = CASE_LIMITS.textMaxLength;

export function text(value: unknown, field: string, label: string, max = MAX_TEXT): string {
  return requireText(refuse, 'INVALID_INPUT', value, field, label, max);
}

export function date(value: unknown, field: string, label: string): LocalDate {
  if (!isLocalDate(value)) refuse('INVALID_INPUT', `${label}（${field}）须为 YYYY-MM-DD 格式的日期`, { field });
  return value;
}

export function pastDate(state: CaseState, value: unknown, field: string, label: string, nowMs: number): LocalDate {
  const d = date(value, field, label);
  if (compareDates(d, shanghaiDateOf(nowMs)) > 0) refuse('DATE_IN_FUTURE', `${label}（${field}）${d}`, { field });
  if (compareDates(d, shanghaiDateOf(Date.parse(state.designatedAt))) < 0) refuse('DATE_BEFORE_DESIGNATION', `${label}（${field}）${d}`, { field });
  return d;
}

export function nonNegativeNumber(value: unknown, field: string, label: string, max = 1e12): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) refuse('INVALID_INPUT', `${label}（${field}）须为不小于0的数`, { field });
  return value;
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, label: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) refuse('INVALID_INPUT', `${label}（${field}）须为 ${allowed.join('/')} 之一`, { field });
  return value as T;
}

export function requireStage(state: CaseState, allowed: CaseStage[]): void {
  if (!allowed.includes(state.stage)) refuse('STAGE_DOES_NOT_ALLOW', `当前阶段为 ${state.stage}，此操作仅限 ${allowed.join('/')}`, { stage: state.stage, allowed });
}

export function requireRole(actor: Actor, allowed: UserRole[]): void {
  requireActorRole(refuse, { invalid: 'INVALID_INPUT', roleNotAllowed: 'ROLE_NOT_ALLOWED' }, actor, allowed);
}

