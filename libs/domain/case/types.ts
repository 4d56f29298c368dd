import type { CaseStage } from '../case-stage';
import type { DesignationReason } from '../designation';
import type { CadreRank, ConsultationKind, RectificationPolicy } from '../policy';
import type { Actor } from '../roles';
import type { LocalDate, QuarterKey } from '../shanghai-time';
import type { PlannedNotice } from '../notices/types';

/** Problem reason codes are the designation reasons C1–C6 (seed 001 §一(一)). */
export const PROBLEM_REASON_CODES = ['C1', 'C2', 'C3', 'C4', 'C5', 'C6'] as const;
export type ProblemReasonCode = (typeof PROBLEM_REASON_CODES)[number];

/** What a problem's cure targets (seed 003): weak leadership, lax life, disorder, poverty. */
export const CURE_TAGS = ['治软', '治散', '治乱', '治穷'] as const;
export type CureTag = (typeof CURE_TAGS)[number];

export const SECRETARY_SOURCES = ['from_village', 'first_secretary'] as const;
export type SecretarySource = (typeof SECRETARY_SOURCES)[number];
export const SECRETARY_SOURCE_LABELS: Record<SecretarySource, string> = {
  from_village: '从本村产生',
  first_secretary: '选派第一书记',
};

export interface Designation {
  caseId: string;
  /** regionId: the village/community region the organization sits in (where its team works). */
  organization: { id: string; name: string; townshipId: string; countyId: string; regionId?: string };
  batchYear: number;
  reasons: DesignationReason[];
  note?: string;
  designatedBy: Actor;
  /** ISO 8601 instant. */
  designatedAt: string;
  policy: RectificationPolicy;
  /**
   * Rated one star two years running (连续两年一星级): the county organization department adjusts the
   * branch secretary (seed 000 §三(四)). Set by the star rating's automatic designation.
   */
  secretaryAdjustment?: SecretaryAdjustment;
}

/** Why the secretary must be adjusted: the consecutive one-star years. */
export interface SecretaryAdjustment {
  oneStarYears: number[];
}

export interface StageChange {
  from: CaseStage | null;
  to: CaseStage;
  actor: Actor;
  at: string;
  reason: string;
}

export interface ContactLeader {
  id: string;
  name: string;
  title: string;
  isCountyPartySecretary: boolean;
  assignedAt: string;
  assignedBy: Actor;
  /** Set when another leader took over. */
  replacedAt?: string;
  replacementReason?: string;
}

export interface GuidanceVisit {
  id: string;
  visitedOn: LocalDate;
  quarter: QuarterKey;
  place: string;
  summary: string;
  problemsFound: string[];
  leaderId: string;
  recordedBy: Actor;
  recordedAt: string;
}

export interface PracticalThing {
  id: string;
  title: string;
  description: string;
  doneOn: LocalDate;
  recordedBy: Actor;
  recordedAt: string;
}

export interface TeamMember {
  id: string;
  name: string;
  rank: CadreRank;
  unit: string;
  isLeader: boolean;
  joinedOn: LocalDate;
}

export interface Team {
  members: TeamMember[];
  arrivedOn: LocalDate;
  appointedBy: Actor;
  appointedAt: string;
  releasedAt?: string;
  releasedBy?: Actor;
  releaseReason?: string;
}

export interface Problem {
  id: string;
  description: string;
  reasonCode: ProblemReasonCode;
  cureTag: CureTag;
  rootCause: string;
  evidence: string;
  status: 'open' | 'closed';
  foundBy: Actor;
  foundAt: string;
  fixEvidence?: string;
  closedBy?: Actor;
  closedAt?: string;
}

export interface Consultation {
  id: string;
  kind: ConsultationKind;
  heldOn: LocalDate;
  participants: number;
  summary: string;
  recordedBy: Actor;
  recordedAt: string;
}

export interface MeasureProgress {
  at: string;
  by: Actor;
  percent: number;
  note: string;
}

export interface Measure {
  id: string;
  description: string;
  problemIds: string[];
  owner: string;
  dueOn: LocalDate;
  percent: number;
  status: 'pending' | 'in_progress' | 'done';
  doneAt?: string;
  /** The ledger (台账) of progress; older entries beyond the last 20 are folded into `earlierUpdates`. */
  progress: MeasureProgress[];
  earlierUpdates: number;
  addedBy: Actor;
  addedAt: string;
}

export interface SecretaryAppointment {
  name: string;
  source: SecretarySource;
  appointedOn: LocalDate;
  recordedBy: Actor;
  recordedAt: string;
}

export interface TrainingAttendance {
  id: string;
  secretaryName: string;
  session: string;
  attendedOn: LocalDate;
  recordedBy: Actor;
  recordedAt: string;
}

export interface CollectiveProject {
  id: string;
  name: string;
  kind: string;
  /** Yuan. */
  supportFunds: number;
  startOn: LocalDate;
  /** Yuan per year. */
  expectedYearlyIncome: number;
  recordedBy: Actor;
  recordedAt: string;
}

export interface FollowUpReview {
  dueOn: LocalDate;
  reviewedAt?: string;
  reviewedBy?: Actor;
  relapsed?: boolean;
  findings?: string;
}

export interface Relapse {
  at: string;
  by: Actor;
  reason: string;
}

/** 移出整顿名单: who took the case off the list, when, why, and from which stage (DOMAIN.md "No hiding"). */
export interface CaseRemoval {
  at: string;
  by: Actor;
  reason: string;
  fromStage: CaseStage;
}

/** The whole live state of a case: what the query returns and what the read model mirrors. */
export interface CaseState {
  caseId: string;
  organizationId: string;
  organizationName: string;
  /** The organization's own region (village/community); its team's tasks belong there. */
  organizationRegionId?: string;
  townshipId: string;
  countyId: string;
  batchYear: number;
  reasons: DesignationReason[];
  note?: string;
  designatedAt: string;
  designatedBy: Actor;
  policy: RectificationPolicy;

  stage: CaseStage;
  stageHistory: StageChange[];
  /** Grows by one with every change; the read model keeps only the newest. */
  version: number;
  /** Counter for the ids of records in this case (deterministic, survives continue-as-new). */
  nextId: number;
  /** Counter for audit event keys. */
  nextEventSeq: number;

  /**
   * 第一责任人: the township Party secretary of the case's township, for every case there, by rule
   * (seed 000 §四(一)); set at designation. The person is whoever holds that role in the township.
   */
  firstResponsible: { role: 'township_party_secretary'; regionId: string };

  contactLeader?: ContactLeader;
  previousContactLeaders: ContactLeader[];
  visits: GuidanceVisit[];
  practicalThings: PracticalThing[];

  team?: Team;
  /** Team changes after appointment, for the record. */
  teamChanges: { at: string; by: Actor; added: string[]; removed: string[]; newLeader?: string }[];

  problems: Problem[];
  problemListConfirmedAt?: string;
  problemListConfirmedBy?: Actor;

  consultations: Consultation[];
  measures: Measure[];
  planApprovedAt?: string;
  planApprovedBy?: Actor;

  secretary: {
    /** True when the designation reasons call for a new qualified secretary (C1/C2 by default). */
    required: boolean;
    /** Two one-star years in a row: the county organization department adjusts the secretary. */
    adjustment?: SecretaryAdjustment;
    /** Team arrival + policy months; set once the team arrives. */
    deadline?: LocalDate;
    appointment?: SecretaryAppointment;
    /** The deadline passed with no appointment. */
    overdue: boolean;
    trainings: TrainingAttendance[];
  };

  projects: CollectiveProject[];

  acceptanceRequestedAt?: string;
  acceptanceRequestedBy?: Actor;
  acceptedAt?: string;
  acceptedBy?: Actor;
  acceptanceOpinion?: string;
  /** Refusals of a request, newest last. */
  acceptanceRefusals: { at: string; by: Actor; reason: string }[];

  /** The Shanghai calendar quarter the case last saw ('YYYY-Qn'). */
  currentQuarter?: QuarterKey;

  /** 31 December of the batch year, and whether it passed unconverted. */
  yearEndDeadline: LocalDate;
  yearEndOverdue: boolean;

  followUp?: FollowUpReview;
  relapses: Relapse[];
  closedAt?: string;

  /** Set when the county organization department took the case off the list (stage `removed`). */
  removal?: CaseRemoval;

  /** Reminders and escalations (absent on cases started before they existed). */
  notices?: CaseNoticeState;
}

/** The case's plan of reminders and escalations, and which have gone out. */
export interface CaseNoticeState {
  /** deadlineSignature() of the deadlines the plan was made for. */
  signature: string;
  planned: PlannedNotice[];
  /** Keys of notices raised, or skipped as stale; only those of open deadlines are kept. */
  done: string[];
  /** When each open deadline was first planned (ms). */
  firstPlannedAt: Record<string, number>;
  /** Keys of the deadlines open at the last look: one that disappears has been met. */
  open: string[];
  /** Count of notices raised so far, by rung (kept forever, for the record). */
  raisedByRung: Record<string, number>;
}

/** A change of a case, written once to the audit trail. */
export interface CaseAuditEvent {
  /** Unique per case change, so a retried projection writes it once. */
  key: string;
  caseId: string;
  actor: Actor;
  action: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** What the workflow says someone must do next. */
export interface CaseTask {
  /** Stable per case and subject, e.g. "case-…:close_problem:p7". */
  key: string;
  caseId: string;
  kind: TaskKind;
  title: string;
  assigneeRole: Actor['role'];
  /** The region whose holder of the role must act (county, township, or the organization's village for the team). */
  regionId: string;
  /** A specific person, when the workflow knows them (the contact leader). */
  assigneeId?: string;
  dueOn?: LocalDate;
  /** The record the task is about (problem, measure…), if any. */
  subjectId?: string;
}

export const TASK_KINDS = [
  'assign_contact_leader',
  'appoint_team',
  'guidance_visit',
  'practical_thing',
  'record_problems',
  'confirm_problem_list',
  'close_problem',
  'record_consultations',
  'draft_plan',
  'approve_plan',
  'complete_measure',
  'appoint_secretary',
  'adjust_secretary',
  'start_collective_project',
  'request_acceptance',
  'accept_case',
  'follow_up_review',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
