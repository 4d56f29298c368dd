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

/**
 * 补录: a record entered more than the policy's window (default 30 days) after the day it happened,
 * with the written reason the entry needed. Every dated record keeps when it happened (its date field:
 * visitedOn, doneOn, heldOn…), when it was entered (recordedAt) and by whom (recordedBy).
 */
export interface Backfill {
  reason: string;
  daysLate: number;
}

/**
 * 代录: a visit entered by someone other than the contact leader; it counts for its quarter only once
 * the contact leader confirms it.
 */
export interface ProxyEntry {
  confirmedAt?: string;
  confirmedBy?: Actor;
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
  backfill?: Backfill;
  proxy?: ProxyEntry;
  /** Dated into a quarter whose missed-visit escalation had already been raised: the reason given. */
  intoEscalatedQuarter?: { reason: string };
}

export interface PracticalThing {
  id: string;
  title: string;
  description: string;
  doneOn: LocalDate;
  recordedBy: Actor;
  recordedAt: string;
  /** What shows the villagers recognise it: text or an attachment reference (required since the later rules). */
  evidence?: string;
  backfill?: Backfill;
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
  backfill?: Backfill;
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
  backfill?: Backfill;
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
  /** A first secretary is a stop-gap (seed 001 §一(二)): the day their posting ends. */
  termEndsOn?: LocalDate;
  backfill?: Backfill;
}

export interface TrainingAttendance {
  id: string;
  secretaryName: string;
  session: string;
  attendedOn: LocalDate;
  recordedBy: Actor;
  recordedAt: string;
  evidence?: string;
  backfill?: Backfill;
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
    /** Secretaries replaced since, e.g. a first secretary followed by a local successor. */
    previous?: SecretaryAppointment[];
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

  /**
   * The edition of the rules the case runs under: absent = 1; 2 adds honest dates (补录, 代录), the
   * relapse deadline, the overdue 回头看 on the ladder, 组织处理 and the weak spots of issue 16.
   * Set once, by the workflow behind a patch, so histories recorded before replay unchanged.
   */
  rulesVersion?: number;

  /** 组织处理 (the ladder's fifth rung): deadlines put to the county, and the decisions recorded. */
  organizationalHandling?: OrganizationalHandlingState;
}

export const ORGANIZATIONAL_HANDLING_MEASURES = ['admonition_talk', 'adjustment', 'dismissal', 'other'] as const;
export type OrganizationalHandlingMeasure = (typeof ORGANIZATIONAL_HANDLING_MEASURES)[number];
export const ORGANIZATIONAL_HANDLING_MEASURE_LABELS: Record<OrganizationalHandlingMeasure, string> = {
  admonition_talk: '诫勉谈话',
  adjustment: '调整',
  dismissal: '免职',
  other: '其他',
};

/** A deadline the policy's days overdue put to the county organization department to decide on. */
export interface OrganizationalHandlingDue {
  deadlineKey: string;
  title: string;
  dueOn: LocalDate;
  raisedAt: string;
  /** The decision that answered it. */
  decisionId?: string;
}

/** A decision of the county organization department: people decide 组织处理, never the clock. */
export interface OrganizationalHandlingDecision {
  id: string;
  measure: OrganizationalHandlingMeasure;
  /** Who is handled (name and post). */
  subject: string;
  /** Who decided (the body or person, e.g. 县委组织部部务会). */
  decidedBy: string;
  decidedOn: LocalDate;
  reason: string;
  deadlineKeys: string[];
  recordedBy: Actor;
  recordedAt: string;
}

export interface OrganizationalHandlingState {
  due: OrganizationalHandlingDue[];
  decisions: OrganizationalHandlingDecision[];
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
  'confirm_visit',
  'decide_organizational_handling',
  'grow_local_successor',
  'secretary_training',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];
