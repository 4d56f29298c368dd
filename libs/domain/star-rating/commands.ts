import type { CommandRoles } from '../process';
import type { Actor, UserRole } from '../roles';
import type { RatingDisqualifiers, Stars } from './score';

/** Inputs of the rating workflow's updates; every one carries the acting person. */
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

/** Every update of the rating workflow, by name, with its input type. */
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
export const RATING_COMMAND_ROLES: CommandRoles<RatingCommandName> = {
  applyForRating: TOWNSHIP_OR_COUNTY,
  evaluateRating: TOWNSHIP_OR_COUNTY,
  raiseObjection: TOWNSHIP_OR_COUNTY,
  resolveObjection: TOWNSHIP_OR_COUNTY,
  downgradeRating: ['county_org_admin'],
};
