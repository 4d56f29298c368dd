import { iso } from '../../process';
import { requireRole, requireStage, text, type RatingCommandDef } from '../checks';
import { RATING_COMMAND_ROLES } from '../commands';
import { MIN_REASON_LENGTH, refuse } from '../rules';
import type { RatingObjection } from '../state';

/**
 * 公示 objections: one pauses the notice for the time it still owes; upheld, the evaluation is set
 * aside and done again; all rejected, the notice runs on.
 */

export const raiseObjection: RatingCommandDef<'raiseObjection'> = {
  validate(state, input) {
    requireRole(input.actor, RATING_COMMAND_ROLES.raiseObjection);
    requireStage(state, ['public_notice', 'objection']);
    text(input.objector, 'objector', '异议人', 1, 100);
    text(input.content, 'content', '异议内容');
  },
  apply(state, input, nowMs) {
    const objection: RatingObjection = { id: `o${state.nextId++}`, objector: input.objector.trim(), content: input.content.trim(), recordedBy: input.actor, at: iso(nowMs) };
    state.objections.push(objection);
    // 公示 pauses: the running time it still owes is kept until the objection is resolved.
    const n = state.notice!;
    if (state.stage === 'public_notice') {
      n.pausedAtMs = nowMs;
      n.remainingMs = Math.max(0, n.endsAtMs - nowMs);
      state.stage = 'objection';
    }
    return { action: 'star_rating.objection_raised', payload: { objectionId: objection.id, objector: objection.objector, content: objection.content, remainingNoticeMs: n.remainingMs ?? null } };
  },
};

export const resolveObjection: RatingCommandDef<'resolveObjection'> = {
  validate(state, input) {
    requireRole(input.actor, RATING_COMMAND_ROLES.resolveObjection);
    requireStage(state, ['objection']);
    const o = state.objections.find((x) => x.id === input.objectionId);
    if (!o) refuse('RATING_OBJECTION_NOT_FOUND', String(input.objectionId), { field: 'objectionId' });
    if (o.resolution) refuse('RATING_OBJECTION_RESOLVED', o.id, { objectionId: o.id });
    if (typeof input.upheld !== 'boolean') refuse('RATING_INVALID_INPUT', '异议是否成立（upheld）须为 true/false', { field: 'upheld' });
    text(input.resolution, 'resolution', '处理意见', MIN_REASON_LENGTH);
    // A county-level evaluation's objections are the county's to resolve.
    if (state.evaluation?.level === 'county' && input.actor.role !== 'county_org_admin')
      refuse('RATING_FOUR_FIVE_STARS_BY_COUNTY', '县级考核的异议由县委组织部处理', { level: 'county' });
  },
  apply(state, input, nowMs) {
    const o = state.objections.find((x) => x.id === input.objectionId)!;
    o.resolution = { upheld: input.upheld, resolution: input.resolution.trim(), by: input.actor, at: iso(nowMs) };
    const stillOpen = state.objections.some((x) => !x.resolution);
    let outcome: string;
    if (input.upheld) {
      // An upheld objection sets the evaluation aside: it is evaluated again, then noticed again in full.
      state.voidedEvaluations.push(state.evaluation!);
      delete state.evaluation;
      delete state.notice;
      for (const other of state.objections.filter((x) => !x.resolution)) {
        other.resolution = { upheld: true, resolution: `随异议${o.id}成立一并处理，重新考核`, by: input.actor, at: iso(nowMs) };
      }
      state.stage = 'evaluating';
      outcome = 'reevaluate';
    } else if (stillOpen) {
      outcome = 'still_paused';
    } else {
      const n = state.notice!;
      n.endsAtMs = nowMs + (n.remainingMs ?? 0);
      delete n.pausedAtMs;
      delete n.remainingMs;
      state.stage = 'public_notice';
      outcome = 'notice_resumed';
    }
    return {
      action: 'star_rating.objection_resolved',
      payload: { objectionId: o.id, upheld: input.upheld, resolution: input.resolution.trim(), outcome, noticeEndsAt: state.notice && state.stage === 'public_notice' ? iso(state.notice.endsAtMs) : null },
    };
  },
};
