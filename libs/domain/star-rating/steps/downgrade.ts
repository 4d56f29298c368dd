import { iso } from '../../process';
import { requireRole, requireStage, stars, text, type RatingCommandDef } from '../checks';
import { RATING_COMMAND_ROLES } from '../commands';
import { MIN_REASON_LENGTH, refuse } from '../rules';
import { STAR_LABELS } from '../stages';

/** 动态管理 (seed 000 §三): a named rating is lowered by the county when its conditions fail, with a reason. */

export const downgradeRating: RatingCommandDef<'downgradeRating'> = {
  validate(state, input) {
    requireRole(input.actor, RATING_COMMAND_ROLES.downgradeRating);
    requireStage(state, ['named']);
    const to = stars(input.stars, 'stars', '调整后星级');
    if (state.stars !== undefined && to >= state.stars) refuse('RATING_DOWNGRADE_MUST_LOWER', `现为${STAR_LABELS[state.stars]}，拟调整为${STAR_LABELS[to]}`, { from: state.stars, to });
    text(input.reason, 'reason', '降级理由', MIN_REASON_LENGTH);
  },
  apply(state, input, nowMs) {
    const from = state.stars!;
    state.downgrades.push({ from, to: input.stars, reason: input.reason.trim(), by: input.actor, at: iso(nowMs) });
    state.stars = input.stars;
    return { action: 'star_rating.downgraded', payload: { from, to: input.stars, reason: input.reason.trim() } };
  },
};
