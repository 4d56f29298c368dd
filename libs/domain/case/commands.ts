import type { CommandRoles } from '../process';
import type { CadreRank, ConsultationKind } from '../policy';
import type { Actor, UserRole } from '../roles';
import type { LocalDate } from '../shanghai-time';
import type { DesignationReason } from '../designation';
import type { PassInspectionInput, ScoreAcceptanceInput, SendBackInspectionInput } from './practice-records';
import type { CureTag, OrganizationalHandlingMeasure, ProblemReasonCode, SecretaryAdjustment, SecretarySource } from './types';

/** Inputs of the case workflow's updates; every one carries the acting person. */
interface ByActor {
  actor: Actor;
}

/** A dated record: entered more than the policy's window after its date (补录), it needs the reason. */
interface Dated {
  lateReason?: string;
}

export interface AssignContactLeaderInput extends ByActor {
  leader: { id: string; name: string; title: string; isCountyPartySecretary: boolean };
  /** Required when replacing a contact leader. */
  reason?: string;
}
export interface RecordGuidanceVisitInput extends ByActor, Dated {
  visitedOn: LocalDate;
  place: string;
  summary: string;
  problemsFound?: string[];
}
export interface RecordPracticalThingInput extends ByActor, Dated {
  title: string;
  description: string;
  doneOn: LocalDate;
  /** What shows the villagers recognise it (text or an attachment reference). */
  evidence?: string;
}
export interface TeamMemberInput {
  name: string;
  rank: CadreRank;
  unit: string;
  isLeader?: boolean;
}
export interface AppointTeamInput extends ByActor, Dated {
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
  /** A reference to an attached file (e.g. 附件编号); with it, a short description suffices. */
  attachmentRef?: string;
  /** Attachments of the case showing the fix (the API checks each is this problem's 问题销号 evidence); the policy may require one. */
  attachmentIds?: string[];
}
export interface RecordConsultationInput extends ByActor, Dated {
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
export interface AppointSecretaryInput extends ByActor, Dated {
  name: string;
  source: SecretarySource;
  appointedOn: LocalDate;
  /** A first secretary's posting ends on this day (required for source first_secretary). */
  termEndsOn?: LocalDate;
}
export interface RecordTrainingInput extends ByActor, Dated {
  secretaryName: string;
  session: string;
  attendedOn: LocalDate;
  evidence?: string;
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
  /** Attachments of the case's acceptance (the API checks each); the policy may require one. */
  attachmentIds?: string[];
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

/** The contact leader confirms a visit someone else entered (代录) for them. */
export interface ConfirmGuidanceVisitInput extends ByActor {
  visitId: string;
}
/** 组织处理: the county organization department's decision, after 约谈. */
export interface RecordOrganizationalHandlingInput extends ByActor {
  measure: OrganizationalHandlingMeasure;
  subject: string;
  decidedBy: string;
  decidedOn: LocalDate;
  reason: string;
  /** The overdue deadlines it answers; all those put to the county when absent. */
  deadlineKeys?: string[];
}
/** A further designation reason on a case already designated (S1 from a one-star rating, by the system). */
export interface AddDesignationReasonInput extends ByActor {
  reason: DesignationReason;
  note: string;
  /** 连续两年一星级: the secretary's adjustment comes with the S1. */
  secretaryAdjustment?: SecretaryAdjustment;
}

/** 延期: the measure's owner (the team) or the township asks to move a deadline, with the reason. */
export interface RequestExtensionInput extends ByActor {
  deadline: 'measure' | 'secretary';
  /** The measure, for a measure's deadline. */
  measureId?: string;
  newDueOn: LocalDate;
  reason: string;
}
/** 延期: the county organization department approves or refuses a request, with the reason. */
export interface DecideExtensionInput extends ByActor {
  extensionId: string;
  approve: boolean;
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
  confirmGuidanceVisit: ConfirmGuidanceVisitInput;
  recordOrganizationalHandling: RecordOrganizationalHandlingInput;
  addDesignationReason: AddDesignationReasonInput;
  passInspection: PassInspectionInput;
  sendBackInspection: SendBackInspectionInput;
  scoreAcceptance: ScoreAcceptanceInput;
  requestExtension: RequestExtensionInput;
  decideExtension: DecideExtensionInput;
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
  'confirmGuidanceVisit',
  'recordOrganizationalHandling',
  'addDesignationReason',
  'passInspection',
  'sendBackInspection',
  'scoreAcceptance',
  'requestExtension',
  'decideExtension',
];

const LEADER_RECORDERS: UserRole[] = ['county_party_secretary', 'county_leader', 'team_leader', 'township_party_secretary', 'county_org_admin'];
const TEAM_WORKERS: UserRole[] = ['team_leader', 'team_member', 'township_party_secretary'];

/**
 * Who may run each action (DOMAIN.md "Who uses it"). The workflow enforces it; the API checks it first
 * to answer 403 without a round trip.
 */
export const COMMAND_ROLES: CommandRoles<CaseCommandName> = {
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
  confirmGuidanceVisit: ['county_party_secretary', 'county_leader'],
  recordOrganizationalHandling: ['county_org_admin'],
  // S1 comes from the star rating, entered by the system; the county adds C1–C6 by hand.
  addDesignationReason: ['county_org_admin'],
  // 关键环节督导把关 (seed 001 §一(四)): the county organization department or its inspector.
  passInspection: ['county_org_admin', 'inspector'],
  sendBackInspection: ['county_org_admin', 'inspector'],
  // The county's acceptance team fills the form.
  scoreAcceptance: ['county_org_admin'],
  // 延期: the team owns the measures, the township the secretary deadline; the policy names the approvers.
  requestExtension: ['team_leader', 'township_party_secretary'],
  decideExtension: ['county_org_admin', 'county_party_secretary'],
};
