import type { CaseStage } from '../case-stage';
import type { Actor, UserRole } from '../roles';
import { compareDates, isLocalDate, shanghaiDateOf, type LocalDate } from '../shanghai-time';
import type { CaseCommandInputs, CaseCommandName } from './commands';
import { CASE_LIMITS } from './limits';
import { refuse } from './rules';
import type { CaseState } from './types';

/**
 * The checks every case command uses on its input and state, and the shape of a command (validate,
 * apply). Shared by the state machine and the rule files under ./rules, so neither grows the other.
 */

export type Change = { action: string; payload: Record<string, unknown> };

export interface CommandDef<K extends CaseCommandName> {
  validate(state: CaseState, input: CaseCommandInputs[K], nowMs: number): void;
  apply(state: CaseState, input: CaseCommandInputs[K], nowMs: number): Change;
}

export function nextId(state: CaseState, prefix: string): string {
  return `${prefix}${state.nextId++}`;
}

export const iso = (ms: number) => new Date(ms).toISOString();

// ---------------------------------------------------------------------------------------------
// Input checks

export const MAX_TEXT: number = CASE_LIMITS.textMaxLength;

export function text(value: unknown, field: string, label: string, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.trim().length === 0) refuse('INVALID_INPUT', `${label}（${field}）不能为空`, { field });
  if (value.length > max) refuse('INVALID_INPUT', `${label}（${field}）不能超过${max}字`, { field });
  return value.trim();
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
  if (!actor || typeof actor.id !== 'string' || !actor.id || typeof actor.name !== 'string' || !actor.name)
    refuse('INVALID_INPUT', '操作人（actor）须有 id 和 name', { field: 'actor' });
  if (!(allowed as string[]).includes(actor.role)) refuse('ROLE_NOT_ALLOWED', `${actor.role} 不能进行此操作，限 ${allowed.join('/')}`, { role: actor.role, allowed });
}

