import type { OrganizationDomain } from '../organization';
import type { Actor } from '../roles';
import { endOfShanghaiDay, yearEndOf } from '../shanghai-time';
import type { RatingDisqualifiers, Stars } from './score';
import type { RatingStage } from './stages';

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

/** An audit event of the rating, keyed so a retried projection writes it once. */
export function ratingEvent(state: StarRatingState, actor: Actor, action: string, occurredAt: string, payload: Record<string, unknown>): RatingAuditEvent {
  return { key: `${state.ratingId}:${state.nextEventSeq++}`, ratingId: state.ratingId, organizationId: state.organizationId, actor, action, occurredAt, payload: { ratingId: state.ratingId, organizationId: state.organizationId, year: state.year, ...payload } };
}

export function ratingStartedEvent(state: StarRatingState): RatingAuditEvent {
  return ratingEvent(state, state.startedBy, 'star_rating.started', state.startedAt, { organizationName: state.organizationName, publicNoticeDays: state.publicNoticeDays });
}
