import { iso } from '../../process';
import { requireRole, requireStage, score, stars, text, type RatingCommandDef } from '../checks';
import { RATING_COMMAND_ROLES } from '../commands';

/** 申报: the organization applies for a grade after its self-check. */

export const applyForRating: RatingCommandDef<'applyForRating'> = {
  validate(state, input) {
    requireRole(input.actor, RATING_COMMAND_ROLES.applyForRating);
    requireStage(state, ['applying']);
    score(input.selfScore, 'selfScore', '自查得分');
    stars(input.appliedStars, 'appliedStars', '申报星级');
    text(input.selfCheck, 'selfCheck', '自查情况');
  },
  apply(state, input, nowMs) {
    state.application = { selfScore: input.selfScore, appliedStars: input.appliedStars, selfCheck: input.selfCheck.trim(), by: input.actor, at: iso(nowMs) };
    state.stage = 'evaluating';
    return { action: 'star_rating.applied', payload: { selfScore: input.selfScore, appliedStars: input.appliedStars, selfCheck: input.selfCheck.trim() } };
  },
};
