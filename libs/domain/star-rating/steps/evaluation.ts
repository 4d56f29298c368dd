import { iso } from '../../process';
import { rateOrganization } from '../score';
import { disqualifiersOf, requireRole, requireStage, score, text, type RatingCommandDef } from '../checks';
import { RATING_COMMAND_ROLES } from '../commands';
import { refuse } from '../rules';
import { evaluationLevel, STAR_LABELS } from '../stages';
import type { StarRatingState } from '../state';

/** 考核: the score and the disqualifiers give the grade (the county's for four and five stars); 公示 starts. */

const DAY_MS = 24 * 60 * 60 * 1000;

export const evaluateRating: RatingCommandDef<'evaluateRating'> = {
  validate(state, input) {
    requireRole(input.actor, RATING_COMMAND_ROLES.evaluateRating);
    requireStage(state, ['evaluating']);
    const s = score(input.score, 'score', '考核得分');
    disqualifiersOf(input.disqualifiers);
    text(input.opinion, 'opinion', '考核意见');
    const result = rateOrganization(s, disqualifiersOf(input.disqualifiers));
    const level = evaluationLevel(state.application?.appliedStars, result.scoreStars);
    if (level === 'county' && input.actor.role !== 'county_org_admin')
      refuse('RATING_FOUR_FIVE_STARS_BY_COUNTY', `申报${STAR_LABELS[state.application?.appliedStars ?? 1]}、得分${s}`, { appliedStars: state.application?.appliedStars ?? null, scoreStars: result.scoreStars });
  },
  apply(state, input, nowMs) {
    const disqualifiers = disqualifiersOf(input.disqualifiers);
    const result = rateOrganization(input.score, disqualifiers);
    state.evaluation = {
      score: input.score,
      disqualifiers,
      stars: result.stars,
      scoreStars: result.scoreStars,
      cappedBy: result.cappedBy,
      level: evaluationLevel(state.application?.appliedStars, result.scoreStars),
      opinion: input.opinion.trim(),
      by: input.actor,
      at: iso(nowMs),
    };
    startNotice(state, nowMs);
    return {
      action: 'star_rating.evaluated',
      payload: { score: input.score, stars: result.stars, scoreStars: result.scoreStars, cappedBy: result.cappedBy, disqualifiers, opinion: input.opinion.trim(), noticeEndsAt: iso(state.notice!.endsAtMs) },
    };
  },
};

function startNotice(state: StarRatingState, nowMs: number): void {
  state.notice = { startedAt: iso(nowMs), days: state.publicNoticeDays, endsAtMs: nowMs + state.publicNoticeDays * DAY_MS };
  state.stage = 'public_notice';
}
