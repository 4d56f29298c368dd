/**
 * The yearly star rating of one organization as a process (seed 000 §三(二)): application after
 * self-check (申报) → evaluation with a score (考核; by the township, by the county for four and five
 * stars) → public notice of at least N days (公示; an objection pauses it until resolved) → naming
 * (命名). Named, the rating holds through the next year, and the county may downgrade it when its
 * conditions fail (动态管理). Pure and deterministic: the workflow runs it, unit tests exercise it.
 */
import type { OrganizationDomain } from './organization';
import type { Actor, UserRole } from './roles';
import { SYSTEM_ACTOR } from './roles';
import { endOfShanghaiDay, yearEndOf } from './shanghai-time';
import { isValidScore, NO_DISQUALIFIERS, rateOrganization, type RatingDisqualifiers, type Stars } from './star-rating';

export const RATING_STAGES = ['applying', 'evaluating', 'public_notice', 'objection', 'named'] as const;
export type RatingStage = (typeof RATING_STAGES)[number];

export const RATING_STAGE_LABELS: Record<RatingStage, string> = {
  applying: '待自查申报',
  evaluating: '待考核',
  public_notice: '公示中',
  objection: '公示暂停（异议处理中）',
  named: '已命名',
};

export const STAR_LABELS: Record<Stars, string> = { 1: '一星级', 2: '二星级', 3: '三星级', 4: '四星级', 5: '五星级' };

export const DISQUALIFIER_KEYS = ['seriousViolation', 'poorPovertyAlleviation', 'dutiesUnfulfilledOrRankedLow', 'unliftedPoorVillage'] as const satisfies readonly (keyof RatingDisqualifiers)[];

/** Earliest and latest rating years accepted. */
export const MIN_RATING_YEAR = 2000;
export const MAX_RATING_YEAR = 2100;

/** The rules of the rating process, each with its wording and source; a refusal names one. */
export const RATING_RULES = {
  RATING_STAGE_DOES_NOT_ALLOW: { zh: '星级评定当前阶段不能进行此项操作', en: 'not allowed in the rating\'s current stage', source: 'seed 000 §三(二)' },
  RATING_ROLE_NOT_ALLOWED: { zh: '当前角色无权进行此项操作', en: 'the acting role may not do this', source: 'seed 000 §三(二)' },
  RATING_INVALID_INPUT: { zh: '输入有误', en: 'invalid input', source: '-' },
  RATING_FOUR_FIVE_STARS_BY_COUNTY: { zh: '四星级、五星级党组织由县委组织部考核', en: 'four and five stars are evaluated by the county organization department', source: 'seed 000 §三(二)' },
  RATING_OBJECTION_NOT_FOUND: { zh: '异议不存在', en: 'no such objection', source: '-' },
  RATING_OBJECTION_RESOLVED: { zh: '该异议已处理', en: 'the objection is already resolved', source: '-' },
  RATING_DOWNGRADE_MUST_LOWER: { zh: '降级后的星级须低于现有星级', en: 'a downgrade must lower the stars', source: 'seed 000 §三 动态管理' },
  RATING_REASON_REQUIRED: { zh: '须写明理由', en: 'a written reason is required', source: 'DOMAIN.md no hiding' },
} as const;
export type RatingRuleCode = keyof typeof RATING_RULES;

export class RatingRuleViolation extends Error {
  constructor(
    readonly rule: RatingRuleCode,
    readonly detailZh?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`[${rule}] ${RATING_RULES[rule].zh}${detailZh ? `：${detailZh}` : ''} (${RATING_RULES[rule].en})`);
    this.name = 'RatingRuleViolation';
  }
}

function refuse(rule: RatingRuleCode, detailZh?: string, details?: Record<string, unknown>): never {
  throw new RatingRuleViolation(rule, detailZh, details);
}

/** The shortest reason accepted where a reason must be written (a downgrade, an objection's resolution). */
export const MIN_REASON_LENGTH = 10;

/** The workflow id of an organization's rating of a year: one rating per organization and year. */
export function ratingIdFor(organizationId: string, year: number): string {
  return `star-rating-${year}-${organizationId}`;
}

export interface RatingOrganization {
  id: string;
  name: string;
  domain: OrganizationDomain;
  townshipId: string;
  countyId: string;
  regionId: string;
}

/** What starts a rating: the organization, the year and the county's notice period now. */
export interface StarRatingStart {
  ratingId: string;
  organization: RatingOrganization;
  year: number;
  /** 公示 days from the county's policy (at least five). */
  publicNoticeDays: number;
  startedBy: Actor;
  /** ISO 8601 instant. */
  startedAt: string;
}

export interface RatingApplication {
  selfScore: number;
  appliedStars: Stars;
  selfCheck: string;
  by: Actor;
  at: string;
}

export interface RatingEvaluation {
  score: number;
  disqualifiers: RatingDisqualifiers;
  stars: Stars;
  scoreStars: Stars;
  cappedBy: string[];
  level: 'county' | 'township';
  opinion: string;
  by: Actor;
  at: string;
}

export interface RatingObjection {
  id: string;
  /** Who objected (a name or "群众来信"); recorded by staff. */
  objector: string;
  content: string;
  recordedBy: Actor;
  at: string;
  resolution?: { upheld: boolean; resolution: string; by: Actor; at: string };
}

export interface PublicNotice {
  startedAt: string;
  days: number;
  /** When the notice ends if nothing pauses it (ms since epoch). */
  endsAtMs: number;
  /** Set while an objection pauses it: the running time it still owes. */
  pausedAtMs?: number;
  remainingMs?: number;
}

/** What naming led to: the next batch's case and the two-year rule (filled in by an activity). */
export interface RatingConsequence {
  at: string;
  stars: Stars;
  previousYearStars: Stars | null;
  designatedCaseId: string | null;
  /** The case existed already (designated for another reason); the rating did not start it. */
  caseExisted: boolean;
  secretaryAdjustment: boolean;
  /** S1 onto the existing case: added to it, or its removal undone by a new run (不能藏着掖着). */
  s1?: 'added' | 'reopened';
}

export interface RatingDowngrade {
  from: Stars;
  to: Stars;
  reason: string;
  by: Actor;
  at: string;
}

export interface StarRatingState {
  ratingId: string;
  organizationId: string;
  organizationName: string;
  organizationDomain: OrganizationDomain;
  townshipId: string;
  countyId: string;
  regionId: string;
  year: number;
  stage: RatingStage;
  startedBy: Actor;
  startedAt: string;
  publicNoticeDays: number;
  application?: RatingApplication;
  evaluation?: RatingEvaluation;
  /** Evaluations set aside by an upheld objection, oldest first. */
  voidedEvaluations: RatingEvaluation[];
  notice?: PublicNotice;
  objections: RatingObjection[];
  namedAt?: string;
  /** The stars in force: the named grade, lowered by any downgrade. */
  stars?: Stars;
  downgrades: RatingDowngrade[];
  consequences: RatingConsequence[];
  /** The rating holds until the end of the following year (Asia/Shanghai); the workflow then ends. */
  validUntilMs: number;
  version: number;
  nextId: number;
  nextEventSeq: number;
}

/** A change of a rating, written once to the audit trail. */
export interface RatingAuditEvent {
  key: string;
  ratingId: string;
  organizationId: string;
  actor: Actor;
  action: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Commands

interface ByActor {
  actor: Actor;
}
export interface ApplyForRatingInput extends ByActor {
  selfScore: number;
  appliedStars: Stars;
  selfCheck: string;
}
export interface EvaluateRatingInput extends ByActor {
  score: number;
  disqualifiers?: Partial<RatingDisqualifiers>;
  opinion: string;
}
export interface RaiseObjectionInput extends ByActor {
  objector: string;
  content: string;
}
export interface ResolveObjectionInput extends ByActor {
  objectionId: string;
  upheld: boolean;
  resolution: string;
}
export interface DowngradeRatingInput extends ByActor {
  stars: Stars;
  reason: string;
}

export interface RatingCommandInputs {
  applyForRating: ApplyForRatingInput;
  evaluateRating: EvaluateRatingInput;
  raiseObjection: RaiseObjectionInput;
  resolveObjection: ResolveObjectionInput;
  downgradeRating: DowngradeRatingInput;
}
export type RatingCommandName = keyof RatingCommandInputs;
export const RATING_COMMAND_NAMES: RatingCommandName[] = ['applyForRating', 'evaluateRating', 'raiseObjection', 'resolveObjection', 'downgradeRating'];

const TOWNSHIP_OR_COUNTY: UserRole[] = ['township_party_secretary', 'county_org_admin'];

/** Who may run each step (seed 000 §三(二)); evaluation is further limited by the grade. */
export const RATING_COMMAND_ROLES: Record<RatingCommandName, UserRole[]> = {
  applyForRating: TOWNSHIP_OR_COUNTY,
  evaluateRating: TOWNSHIP_OR_COUNTY,
  raiseObjection: TOWNSHIP_OR_COUNTY,
  resolveObjection: TOWNSHIP_OR_COUNTY,
  downgradeRating: ['county_org_admin'],
};

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_TEXT = 2000;

const iso = (ms: number) => new Date(ms).toISOString();

function text(value: unknown, field: string, label: string, min = 1, max = MAX_TEXT): string {
  if (typeof value !== 'string' || value.trim().length === 0) refuse('RATING_INVALID_INPUT', `${label}（${field}）不能为空`, { field });
  if (value.trim().length < min) refuse('RATING_REASON_REQUIRED', `${label}（${field}）至少${min}字`, { field, min });
  if (value.length > max) refuse('RATING_INVALID_INPUT', `${label}（${field}）不能超过${max}字`, { field });
  return value.trim();
}

function score(value: unknown, field: string, label: string): number {
  if (!isValidScore(value)) refuse('RATING_INVALID_INPUT', `${label}（${field}）须为 0–100 的数`, { field });
  return value;
}

function stars(value: unknown, field: string, label: string): Stars {
  if (value !== 1 && value !== 2 && value !== 3 && value !== 4 && value !== 5) refuse('RATING_INVALID_INPUT', `${label}（${field}）须为 1–5 的整数`, { field });
  return value;
}

function disqualifiersOf(value: unknown): RatingDisqualifiers {
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

function requireStage(state: StarRatingState, allowed: RatingStage[]): void {
  if (!allowed.includes(state.stage))
    refuse('RATING_STAGE_DOES_NOT_ALLOW', `当前为「${RATING_STAGE_LABELS[state.stage]}」，此操作限于${allowed.map((s) => `「${RATING_STAGE_LABELS[s]}」`).join('、')}`, { stage: state.stage, allowed });
}

function requireRole(actor: Actor, allowed: UserRole[]): void {
  if (!actor || typeof actor.id !== 'string' || !actor.id || typeof actor.name !== 'string' || !actor.name)
    refuse('RATING_INVALID_INPUT', '操作人（actor）须有 id 和 name', { field: 'actor' });
  if (!(allowed as string[]).includes(actor.role)) refuse('RATING_ROLE_NOT_ALLOWED', `${actor.role} 不能进行此操作，限 ${allowed.join('/')}`, { role: actor.role, allowed });
}

/** Four and five stars — applied for or scored — are the county's to evaluate. */
export function evaluationLevel(appliedStars: Stars | undefined, scoreStars: Stars): 'county' | 'township' {
  return Math.max(appliedStars ?? 1, scoreStars) >= 4 ? 'county' : 'township';
}

type Change = { action: string; payload: Record<string, unknown> };

interface RatingCommandDef<K extends RatingCommandName> {
  validate(state: StarRatingState, input: RatingCommandInputs[K], nowMs: number): void;
  apply(state: StarRatingState, input: RatingCommandInputs[K], nowMs: number): Change;
}

const COMMANDS: { [K in RatingCommandName]: RatingCommandDef<K> } = {
  applyForRating: {
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
  },
  evaluateRating: {
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
  },
  raiseObjection: {
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
  },
  resolveObjection: {
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
  },
  downgradeRating: {
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
  },
};

function startNotice(state: StarRatingState, nowMs: number): void {
  state.notice = { startedAt: iso(nowMs), days: state.publicNoticeDays, endsAtMs: nowMs + state.publicNoticeDays * DAY_MS };
  state.stage = 'public_notice';
}

export function newStarRatingState(start: StarRatingStart): StarRatingState {
  return {
    ratingId: start.ratingId,
    organizationId: start.organization.id,
    organizationName: start.organization.name,
    organizationDomain: start.organization.domain,
    townshipId: start.organization.townshipId,
    countyId: start.organization.countyId,
    regionId: start.organization.regionId,
    year: start.year,
    stage: 'applying',
    startedBy: start.startedBy,
    startedAt: start.startedAt,
    publicNoticeDays: start.publicNoticeDays,
    voidedEvaluations: [],
    objections: [],
    downgrades: [],
    consequences: [],
    validUntilMs: endOfShanghaiDay(yearEndOf(start.year + 1)),
    version: 1,
    nextId: 1,
    nextEventSeq: 1,
  };
}

function event(state: StarRatingState, actor: Actor, action: string, occurredAt: string, payload: Record<string, unknown>): RatingAuditEvent {
  return { key: `${state.ratingId}:${state.nextEventSeq++}`, ratingId: state.ratingId, organizationId: state.organizationId, actor, action, occurredAt, payload: { ratingId: state.ratingId, organizationId: state.organizationId, year: state.year, ...payload } };
}

export function ratingStartedEvent(state: StarRatingState): RatingAuditEvent {
  return event(state, state.startedBy, 'star_rating.started', state.startedAt, { organizationName: state.organizationName, publicNoticeDays: state.publicNoticeDays });
}

/** Refuses (throws RatingRuleViolation) what a step may not do now. */
export function validateRatingCommand<K extends RatingCommandName>(state: StarRatingState, name: K, input: RatingCommandInputs[K], nowMs: number): void {
  if (!input || typeof input !== 'object') refuse('RATING_INVALID_INPUT', '请求内容为空');
  (COMMANDS[name] as RatingCommandDef<K>).validate(state, input, nowMs);
}

export function applyRatingCommand<K extends RatingCommandName>(state: StarRatingState, name: K, input: RatingCommandInputs[K], nowMs: number): RatingAuditEvent[] {
  validateRatingCommand(state, name, input, nowMs);
  const change = (COMMANDS[name] as RatingCommandDef<K>).apply(state, input, nowMs);
  state.version++;
  return [event(state, input.actor, change.action, iso(nowMs), change.payload)];
}

/** The notice has run its days with no objection open: the rating is named (命名) by its grade. */
export function applyRatingClock(state: StarRatingState, nowMs: number): RatingAuditEvent[] {
  if (state.stage !== 'public_notice' || !state.notice || nowMs < state.notice.endsAtMs || !state.evaluation) return [];
  state.stage = 'named';
  state.namedAt = iso(nowMs);
  state.stars = state.evaluation.stars;
  state.version++;
  return [event(state, SYSTEM_ACTOR, 'star_rating.named', iso(nowMs), { stars: state.stars, score: state.evaluation.score, noticeStartedAt: state.notice.startedAt })];
}

/** The next moment the rating's clock must look: the notice's end, or a named rating's end of validity. */
export function nextRatingWakeUp(state: StarRatingState): number | undefined {
  if (state.stage === 'public_notice' && state.notice) return state.notice.endsAtMs;
  if (state.stage === 'named') return state.validUntilMs;
  return undefined;
}

/** A one-star grade in force calls for a case in the next batch, unless one was already started for it. */
export function needsDesignation(state: StarRatingState): boolean {
  return state.stage === 'named' && state.stars === 1 && !state.consequences.some((c) => c.stars === 1);
}

export function recordConsequence(state: StarRatingState, consequence: RatingConsequence): RatingAuditEvent[] {
  state.consequences.push(consequence);
  state.version++;
  return [
    event(state, SYSTEM_ACTOR, 'star_rating.designated', consequence.at, {
      stars: consequence.stars,
      batchYear: state.year + 1,
      caseId: consequence.designatedCaseId,
      caseExisted: consequence.caseExisted,
      previousYearStars: consequence.previousYearStars,
      secretaryAdjustment: consequence.secretaryAdjustment,
    }),
  ];
}

/** The case a one-star grade designates: the next year's batch. */
export function designationBatchYear(state: Pick<StarRatingState, 'year'>): number {
  return state.year + 1;
}

export function ratingIsOver(state: StarRatingState, nowMs: number): boolean {
  return state.stage === 'named' && nowMs >= state.validUntilMs;
}
