import { formMaxScore } from '../../practice';
import { iso, nextId, requireRole, requireStage, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { currentScoring, inspectionPassed } from '../playbook';
import { refuse } from '../rules';
import type { AcceptanceScoring, CaseState, SatisfactionSurvey } from '../types';

/**
 * Scored acceptance (issue 18 item 3; seeds 001 §一(四), 003 §三(三), 000 §三(二)): the county's
 * acceptance team fills the case's acceptance form (areas of weighted items, a pass mark) and counts
 * the satisfaction survey; more dissatisfied than the form's share of those asked fails the
 * acceptance whatever the score (一票否决). A case is accepted only with the playbook's conditions met
 * and a passing scoring of the request standing.
 */

export const scoreAcceptance: CommandDef<'scoreAcceptance'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.scoreAcceptance);
    if (!state.practice?.acceptanceForm) refuse('STAGE_DOES_NOT_ALLOW', '本县政策未设验收评分表，本案直接验收');
    requireStage(state, ['awaiting_acceptance']);
    if (!inspectionPassed(state, 'acceptance_request')) refuse('INSPECTION_PENDING', '验收申请尚待县委组织部督导把关');
    scoreItems(state, input.items);
    survey(input.survey);
    if (input.note !== undefined && input.note !== null) text(input.note, 'note', '评分说明');
  },
  apply(state, input, nowMs) {
    const form = state.practice!.acceptanceForm!;
    const scores = scoreItems(state, input.items);
    const s = survey(input.survey);
    const areas = form.areas.map((a) => ({
      code: a.code,
      name: a.name,
      score: round(a.items.reduce((t, i) => t + scores.get(i.code)!, 0)),
      max: a.items.reduce((t, i) => t + i.max, 0),
    }));
    const total = round(areas.reduce((t, a) => t + a.score, 0));
    const vetoed = s.dissatisfied > s.asked * form.vetoDissatisfiedShare;
    const note = typeof input.note === 'string' && input.note.trim() ? input.note.trim() : undefined;
    const scoring: AcceptanceScoring = {
      id: nextId(state, 'sc'),
      scoredAt: iso(nowMs),
      scoredBy: input.actor,
      forRequestAt: state.acceptanceRequestedAt!,
      items: form.areas.flatMap((a) => a.items.map((i) => ({ code: i.code, score: scores.get(i.code)! }))),
      areas,
      total,
      max: formMaxScore(form),
      passMark: form.passMark,
      survey: s,
      vetoed,
      passed: total >= form.passMark && !vetoed,
      ...(note ? { note } : {}),
    };
    (state.acceptanceScorings ??= []).push(scoring);
    return {
      action: 'acceptance.scored',
      payload: { id: scoring.id, total, max: scoring.max, passMark: scoring.passMark, survey: s, vetoed, passed: scoring.passed, note: note ?? null },
    };
  },
};

/** acceptCase on a case with a practice: the request passed inspection and its scoring passed. */
export function refuseUnscored(state: CaseState): void {
  if (!inspectionPassed(state, 'acceptance_request')) refuse('INSPECTION_PENDING', '验收申请尚待县委组织部督导把关');
  const form = state.practice?.acceptanceForm;
  if (!form) return;
  const scoring = currentScoring(state);
  if (!scoring) refuse('ACCEPTANCE_NOT_SCORED', '验收组尚未填写验收评分表和群众满意度测评');
  const s = scoring.survey;
  if (scoring.vetoed) refuse('SATISFACTION_VETO', `测评${s.asked}人，不满意${s.dissatisfied}人，超过${Math.round(form.vetoDissatisfiedShare * 100)}%`, { survey: s });
  if (!scoring.passed) refuse('ACCEPTANCE_SCORE_BELOW_PASS', `验收得分${scoring.total}分，合格分${scoring.passMark}分`, { total: scoring.total, passMark: scoring.passMark });
}

function scoreItems(state: CaseState, items: unknown): Map<string, number> {
  const form = state.practice!.acceptanceForm!;
  if (!Array.isArray(items)) refuse('INVALID_INPUT', '评分项（items）须为列表', { field: 'items' });
  const max = new Map(form.areas.flatMap((a) => a.items.map((i) => [i.code, i] as const)));
  const out = new Map<string, number>();
  for (const it of items as unknown[]) {
    const { code, score } = (it ?? {}) as { code?: unknown; score?: unknown };
    const item = typeof code === 'string' ? max.get(code) : undefined;
    if (!item) refuse('INVALID_INPUT', `评分项 ${String(code)} 不在验收评分表中`, { field: 'items' });
    if (out.has(item.code)) refuse('INVALID_INPUT', `评分项 ${item.code} 重复`, { field: 'items' });
    if (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > item.max || Math.round(score * 10) !== score * 10)
      refuse('INVALID_INPUT', `评分项「${item.name}」得分须为 0–${item.max} 的数（至多一位小数）`, { field: 'items' });
    out.set(item.code, score);
  }
  const missing = [...max.values()].filter((i) => !out.has(i.code));
  if (missing.length) refuse('ACCEPTANCE_FORM_INCOMPLETE', `未评分：${missing.map((i) => i.name).join('、')}`, { missing: missing.map((i) => i.code) });
  return out;
}

function survey(value: unknown): SatisfactionSurvey {
  const v = (value ?? {}) as Partial<Record<keyof SatisfactionSurvey, unknown>>;
  const n = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 100000;
  if (!n(v.asked) || !n(v.satisfied) || !n(v.dissatisfied) || (v.asked as number) < 1)
    refuse('INVALID_INPUT', '满意度测评（survey）须有测评人数、满意人数、不满意人数（非负整数，测评人数不少于1）', { field: 'survey' });
  const s = { asked: v.asked as number, satisfied: v.satisfied as number, dissatisfied: v.dissatisfied as number };
  if (s.satisfied + s.dissatisfied > s.asked) refuse('INVALID_INPUT', '满意人数与不满意人数之和不能超过测评人数', { field: 'survey' });
  return s;
}

const round = (x: number) => Math.round(x * 10) / 10;
