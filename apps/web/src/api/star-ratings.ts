/**
 * The star rating (星级评定) as the API answers it: /api/star-ratings (apps/api/src/star-ratings).
 * The live state is the workflow's own StarRatingState (libs/domain); rows are the read model without it.
 */
import type { OrganizationDomain } from '../../../../libs/domain/organization';
import type { RatingStage, StarRatingState } from '../../../../libs/domain/star-rating-process';
import type { RatingDisqualifiers, Stars } from '../../../../libs/domain/star-rating';
import { get, post, qs } from './client';

export type { RatingDisqualifiers, RatingStage, StarRatingState, Stars };

/** One row of GET /api/star-ratings: numeric columns arrive as strings, instants as ISO strings. */
export interface RatingRow {
  id: string;
  organizationId: string;
  organizationName: string;
  organizationDomain: OrganizationDomain;
  countyId: string;
  townshipId: string;
  year: number;
  stage: RatingStage;
  selfScore: string | null;
  appliedStars: Stars | null;
  score: string | null;
  stars: Stars | null;
  scoreStars: Stars | null;
  evaluationLevel: 'county' | 'township' | null;
  noticeEndsAt: string | null;
  openObjections: number;
  namedAt: string | null;
  downgraded: boolean;
  designatedCaseId: string | null;
  secretaryAdjustment: boolean;
  version: number;
  updatedAt: string;
}

export interface RatingSummary {
  byStage: Record<RatingStage, number>;
  namedByStars: Record<string, number>;
  designated: number;
  secretaryAdjustments: number;
}

export interface RatingList {
  total: number;
  items: RatingRow[];
  summary: RatingSummary;
}

export interface RatingListQuery {
  year: number;
  townshipId?: string;
  stage?: RatingStage;
  stars?: Stars;
  limit?: number;
  offset?: number;
}

export interface RatingView {
  id: string;
  record: (RatingRow & { state: StarRatingState }) | null;
  live: StarRatingState | null;
  liveError?: string;
  /** The rating's workflow in the Temporal Web UI (county organization department only). */
  temporalUiUrl?: string;
}

/** An entry of GET /api/star-ratings/:id/audit (the audit table's row). */
export interface RatingAuditEntry {
  id: string;
  actor: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

export interface LaunchResult {
  year: number;
  organizations: number;
  started: number;
  alreadyStarted: number;
}

export interface RatingStepResult {
  id: string;
  state: StarRatingState;
}

export interface ApplyBody {
  selfScore: number;
  appliedStars: Stars;
  selfCheck: string;
}
export interface EvaluateBody {
  score: number;
  opinion: string;
  disqualifiers?: Partial<RatingDisqualifiers>;
}
export interface ObjectionBody {
  objector: string;
  content: string;
}
export interface ResolutionBody {
  upheld: boolean;
  resolution: string;
}
export interface DowngradeBody {
  stars: Stars;
  reason: string;
}

const one = (id: string) => `/api/star-ratings/${encodeURIComponent(id)}`;

export const listRatings = (q: RatingListQuery) => get<RatingList>(`/api/star-ratings${qs({ ...q })}`);
export const getRating = (id: string) => get<RatingView>(one(id));
export const ratingAudit = (id: string) => get<RatingAuditEntry[]>(`${one(id)}/audit`);
export const launchRatings = (year: number, townshipId?: string) => post<LaunchResult>('/api/star-ratings/launch', townshipId ? { year, townshipId } : { year });
export const startRating = (organizationId: string, year: number) => post<RatingView>('/api/star-ratings', { organizationId, year });

export const applyForRating = (id: string, body: ApplyBody) => post<RatingStepResult>(`${one(id)}/application`, body);
export const evaluateRating = (id: string, body: EvaluateBody) => post<RatingStepResult>(`${one(id)}/evaluation`, body);
export const raiseObjection = (id: string, body: ObjectionBody) => post<RatingStepResult>(`${one(id)}/objections`, body);
export const resolveObjection = (id: string, objectionId: string, body: ResolutionBody) =>
  post<RatingStepResult>(`${one(id)}/objections/${encodeURIComponent(objectionId)}/resolution`, body);
export const downgradeRating = (id: string, body: DowngradeBody) => post<RatingStepResult>(`${one(id)}/downgrade`, body);
