import { requireActorRole, requireText, type ProcessCommandDef } from '../process';
import type { Actor, UserRole } from '../roles';
import { isValidScore, NO_DISQUALIFIERS, type RatingDisqualifiers, type Stars } from './score';
import type { RatingCommandInputs, RatingCommandName } from './commands';
import { refuse } from './rules';
import { DISQUALIFIER_KEYS, RATING_STAGE_LABELS, type RatingStage } from './stages';
import type { StarRatingState } from './state';

/** The checks the rating's steps use on their input and state, and the shape of a step (validate, apply). */

export type RatingCommandDef<K extends RatingCommandName> = ProcessCommandDef<StarRatingState, RatingCommandInputs[K]>;

export const MAX_TEXT = 2000;

export function text(value: unknown, field: string, label: string, min = 1, max = MAX_TEXT): string {
  return requireText(refuse, 'RATING_INVALID_INPUT', value, field, label, max, { length: min, code: 'RATING_REASON_REQUIRED' });
}

export function score(value: unknown, field: string, label: string): number {
  if (!isValidScore(value)) refuse('RATING_INVALID_INPUT', `${label}（${field}）须为 0–100 的数`, { field });
  return value;
}

export function stars(value: unknown, field: string, label: string): Stars {
  if (value !== 1 && value !== 2 && value !== 3 && value !== 4 && value !== 5) refuse('RATING_INVALID_INPUT', `${label}（${field}）须为 1–5 的整数`, { field });
  return value;
}

export function disqualifiersOf(value: unknown): RatingDisqualifiers {
  if (value === undefined || value === null) return { ...NO_DISQUALIFIERS };
  if (typeof value !== 'object' || Array.isArray(value)) refuse('RATING_INVALID_INPUT', '否决情形（disqualifiers）须为对象', { field: 'disqualifiers' });
  const out = { ...NO_DISQUALIFIERS };
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!(DISQUALIFIER_KEYS as readonly string[]).includes(k)) refuse('RATING_INVALID_INPUT', `否决情形（disqualifiers.${k}）不存在`, { field: `disqualifiers.${k}` });
    if (typeof v !== 'boolean') refuse('RATING_INVALID_INPUT', `否决情形（disqualifiers.${k}）须为 true/false`, { field: `disqualifiers.${k}` });
    out[k as keyof RatingDisqualifiers] = v;
  }
  return out;
}

export function requireStage(state: StarRatingState, allowed: RatingStage[]): void {
  if (!allowed.includes(state.stage))
    refuse('RATING_STAGE_DOES_NOT_ALLOW', `当前为「${RATING_STAGE_LABELS[state.stage]}」，此操作限于${allowed.map((s) => `「${RATING_STAGE_LABELS[s]}」`).join('、')}`, { stage: state.stage, allowed });
}

export function requireRole(actor: Actor, allowed: UserRole[]): void {
  requireActorRole(refuse, { invalid: 'RATING_INVALID_INPUT', roleNotAllowed: 'RATING_ROLE_NOT_ALLOWED' }, actor, allowed);
}
