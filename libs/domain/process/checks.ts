import type { Actor, UserRole } from '../roles';
import type { Refuse } from './rules';

/** Input checks both processes share, refusing in the process's own rule codes. */

export const iso = (ms: number): string => new Date(ms).toISOString();

export interface CheckCodes<C extends string> {
  /** Malformed input (a missing or overlong field, a missing actor). */
  invalid: C;
  /** The actor's role may not run the command. */
  roleNotAllowed: C;
}

/** The actor is named and their role is one of `allowed`. */
export function requireActorRole<C extends string>(refuse: Refuse<C>, codes: CheckCodes<C>, actor: Actor, allowed: readonly UserRole[]): void {
  if (!actor || typeof actor.id !== 'string' || !actor.id || typeof actor.name !== 'string' || !actor.name)
    refuse(codes.invalid, '操作人（actor）须有 id 和 name', { field: 'actor' });
  if (!(allowed as readonly string[]).includes(actor.role)) refuse(codes.roleNotAllowed, `${actor.role} 不能进行此操作，限 ${allowed.join('/')}`, { role: actor.role, allowed });
}

/** A non-blank text of at most `max` characters (and at least `min.length`, refused as `min.code`); trimmed. */
export function requireText<C extends string>(
  refuse: Refuse<C>,
  invalid: C,
  value: unknown,
  field: string,
  label: string,
  max: number,
  min?: { length: number; code: C },
): string {
  if (typeof value !== 'string' || value.trim().length === 0) refuse(invalid, `${label}（${field}）不能为空`, { field });
  if (min && value.trim().length < min.length) refuse(min.code, `${label}（${field}）至少${min.length}字`, { field, min: min.length });
  if (value.length > max) refuse(invalid, `${label}（${field}）不能超过${max}字`, { field });
  return value.trim();
}
