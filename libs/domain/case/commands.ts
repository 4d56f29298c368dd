import type { CadreRank, ConsultationKind } from '../policy';
import type { Actor, UserRole } from '../roles';
import type { LocalDate } from '../shanghai-time';
import type { CureTag, ProblemReasonCode, SecretarySource } from './types';

/** Inputs of the case workflow's updates; every one carries the acting person. */
interface ByActor {
  actor: Actor;
}

export interface AssignContactLeaderInput extends ByActor {
  leader: { id: string; name: string; title: string; isCountyPartySecretary: boolean };
  /** Required when replacing a contact leader. */
  reason?: string;
}
export interface RecordGuidanceVisitInput extends ByActor {
  visitedOn: LocalDate;
  place: string;
  summary: string;
  problemsFound?: string[];
}
export interface RecordPracticalThingInput extends ByActor {
  title: string;
  description: string;
  doneOn: LocalDate;
}
export interface TeamMemberInput {
  name: string;
  rank: CadreRank;
  unit: string;
  isLeader?: boolean;
}
export interface AppointTeamInput extends ByActor {
  arrivedOn: LocalDate;
  members: TeamMemberInput[];
}
export interface ChangeTeamInput extends ByActor {
  add?: TeamMemberInput[];
  removeIds?: string[];
  newLeaderId?: string;
  reason: string;
}
export interface ReleaseTeamInput extends ByActor {
  reason: string;
}
export interface AddProblemInput extends ByActor {
  description: string;
  reasonCode: ProblemReasonCode;
  cureTag: CureTag;
  rootCause: string;
  evidence: string;
}
export type ConfirmProblemListInput = ByActor;
export interface CloseProblemInput extends ByActor {
  problemId: string;
  fixEvidence: string;
}
export interface RecordConsultationInput extends ByActor {
  kind: ConsultationKind;
  heldOn: LocalDate;
  participants: number;
  summary: string;
}
export interface AddMeasureInput extends ByActor {
  description: string;
  problemIds: string[];
  owner: string;
  dueOn: LocalDate;
}
export type ApprovePlanInput = ByActor;
export interface UpdateMeasureProgressInput extends ByActor {
  measureId: string;
  percent: number;
  note: string;
}
export interface AppointSecretaryInput extends ByActor {
  name: string;
  source: SecretarySource;
  appointedOn: LocalDate;
}
export interface RecordTrainingInput extends ByActor {
  secretaryName: string;
  session: string;
  attendedOn: LocalDate;
}
export interface AddCollectiveProjectInput extends ByActor {
  name: string;
  kind: string;
  supportFunds: number;
  startOn: LocalDate;
  expectedYearlyIncome: number;
}
export interface RequestAcceptanceInput extends ByActor {
  summary?: string;
}
export interface AcceptCaseInput extends ByActor {
  opinion: string;
}
export interface RefuseAcceptanceInput extends ByActor {
  reason: string;
}
export interface RecordFollowUpInput extends ByActor {
  relapsed: boolean;
  findings: string;
}
/** 移出整顿名单: the county organization department's written reason stays in the audit trail. */
export interface RemoveFromListInput extends ByActor {
  reason: string;
}

/** Every update of the case workflow, by name, with its input type. */
export interface CaseCommandInputs {
  assignContactLeader: AssignContactLeaderInput;
  recordGuidanceVisit: RecordGuidanceVisitInput;
  recordPracticalThing: RecordPracticalThingInput;
  appointTeam: AppointTeamInput;
  changeTeam: ChangeTeamInput;
  releaseTeam: ReleaseTeamInput;
  addProblem: AddProblemInput;
  confirmProblemList: ConfirmProblemListInput;
  closeProblem: CloseProblemInput;
  recordConsultation: RecordConsultationInput;
  addMeasure: AddMeasureInput;
  approvePlan: ApprovePlanInput;
  updateMeasureProgress: UpdateMeasureProgressInput;
  appointSecretary: AppointSecretaryInput;
  recordTraining: RecordTrainingInput;
  addCollectiveProject: AddCollectiveProjectInput;
  requestAcceptance: RequestAcceptanceInput;
  acceptCase: AcceptCaseInput;
  refuseAcceptance: RefuseAcceptanceInput;
  recordFollowUp: RecordFollowUpInput;
  removeFromList: RemoveFromListInput;
}

export type CaseCommandName = keyof CaseCommandInputs;

export const CASE_COMMAND_NAMES: CaseCommandName[] = [
  'assignContactLeader',
  'recordGuidanceVisit',
  'recordPracticalThing',
  'appointTeam',
  'changeTeam',
  'releaseTeam',
  'addProblem',
  'confirmProblemList',
  'closeProblem',
  'recordConsultation',
  'addMeasure',
  'approvePlan',
  'updateMeasureProgress',
  'appointSecretary',
  'recordTraining',
  'addCollectiveProject',
  'requestAcceptance',
  'acceptCase',
  'refuseAcceptance',
  'recordFollowUp',
  'removeFromList',
];

const LEADER_RECORDERS: UserRole[] = ['county_party_secretary', 'county_leader', 'team_leader', 'township_party_secretary', 'county_org_admin'];
const TEAM_WORKERS: UserRole[] = ['team_leader', 'team_member', 'township_party_secretary'];

/**
 * Who may run each action (DOMAIN.md "Who uses it"). The workflow enforces it; the API checks it first
 * to answer 403 without a round trip.
 */
export const COMMAND_ROLES: Record<CaseCommandName, UserRole[]> = {
  assignContactLeader: ['county_org_admin'],
  recordGuidanceVisit: LEADER_RECORDERS,
  recordPracticalThing: LEADER_RECORDERS,
  appointTeam: ['township_party_secretary'],
  changeTeam: ['township_party_secretary'],
  releaseTeam: ['township_party_secretary', 'county_org_admin'],
  addProblem: TEAM_WORKERS,
  confirmProblemList: ['township_party_secretary'],
  closeProblem: ['team_leader', 'township_party_secretary'],
  recordConsultation: TEAM_WORKERS,
  addMeasure: ['team_leader', 'township_party_secretary'],
  approvePlan: ['township_party_secretary'],
  updateMeasureProgress: TEAM_WORKERS,
  appointSecretary: ['township_party_secretary', 'county_org_admin'],
  recordTraining: ['county_org_admin', 'township_party_secretary', 'team_leader'],
  addCollectiveProject: ['team_leader', 'township_party_secretary'],
  requestAcceptance: ['township_party_secretary'],
  acceptCase: ['county_org_admin'],
  refuseAcceptance: ['county_org_admin'],
  recordFollowUp: ['county_org_admin'],
  removeFromList: ['county_org_admin'],
};
