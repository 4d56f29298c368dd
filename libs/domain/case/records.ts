import type { CaseStage } from '../case-stage';
import type { CadreRank, ConsultationKind } from '../policy';
import type { Actor } from '../roles';
import type { LocalDate, QuarterKey } from '../shanghai-time';

/** The records a case keeps on each of its tracks; the case state (./types) holds them. */

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
  /**
   * Entries of `due` folded away (a bounded state): decided, and their deadline no longer open at that
   * date, so nothing can raise them again. The decisions keep which deadlines they answered.
   */
  foldedDecided?: number;
}
