/**
 * The star rating (星级评定) as the API answers it: /api/star-ratings (apps/api/src/star-ratings).
 * The live state is the workflow's own StarRatingState (libs/domain); rows are the read model without it.
 */
import type { RatingDisqualifiers, RatingStage, Stars, StarRatingState } from '../../../../libs/domain/star-rating';
import type { LaunchResult, RatingAuditEntry, RatingList, RatingRow, RatingSummary, RatingView } from '@contract';
import { get, post, qs } from './client';

export type { LaunchResult, RatingAuditEntry, RatingDisqualifiers, RatingList, RatingRow, RatingStage, RatingSummary, RatingView, StarRatingState, Stars };

export interface RatingListQuery {
  year: number;
  townshipId?: string;
  stage?: RatingStage;
  stars?: Stars;
  limit?: number;
  offset?: number;
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
