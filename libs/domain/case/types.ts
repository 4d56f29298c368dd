import type { CaseStage } from '../case-stage';
import type { DesignationReason } from '../designation';
import type { OrganizationDomain } from '../organization';
import type { CasePractice } from '../practice';
import type { RectificationPolicy } from '../policy';
import type { Actor } from '../roles';
import type { LocalDate, QuarterKey } from '../shanghai-time';
import type { PlannedNotice } from '../notices/types';
import type { DeadlineExtension } from './extension-records';
import type {
  CaseRemoval,
  CollectiveProject,
  Consultation,
  ContactLeader,
  FollowUpReview,
  GuidanceVisit,
  Measure,
  OrganizationalHandlingState,
  PracticalThing,
  Problem,
  Relapse,
  SecretaryAppointment,
  Team,
  TrainingAttendance,
} from './records';
import type { AcceptanceScoring, InspectionRecord } from './practice-records';

export * from './records';
export * from './task-kinds';
export * from './practice-records';

export interface Designation {
  caseId: string;
  /** regionId: the village/community region the organization sits in (where its team works). */
  organization: { id: string; name: string; townshipId: string; countyId: string; regionId?: string; domain?: OrganizationDomain };
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
  /** The playbook by kind, inspected steps and acceptance form (issue 18), resolved from the policy at designation. */
  practice?: CasePractice;
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

  /**
   * 延期: deadlines move only with approval (issue 20). Set once, by the workflow behind patch
   * deadline-extensions-v1: a run without it never re-times a ladder for an extension.
   */
  deadlineExtensions?: boolean;
  /**
   * A bounded state (issue 17): what the clock appends is kept bounded (组织处理's decided entries of
   * deadlines no longer open are folded into a count). Set once, by the workflow behind patch
   * bounded-state-v1: a run without it keeps every entry, as its recorded history did.
   */
  boundedState?: boolean;
  /** The extension requests and their decisions (absent on cases from before them). */
  extensions?: DeadlineExtension[];

  /** 组织处理 (the ladder's fifth rung): deadlines put to the county, and the decisions recorded. */
  organizationalHandling?: OrganizationalHandlingState;

  /** Issue 18: the case's playbook by kind, its inspected steps and acceptance form, kept from designation. Absent on older cases. */
  practice?: CasePractice;
  /** 关键环节督导把关: each step submitted to the county and its decision. */
  inspections?: InspectionRecord[];
  /** 验收评分 and 满意度测评, newest last. */
  acceptanceScorings?: AcceptanceScoring[];
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
  /** Deadlines extended since the last sync, with the note their open escalations close with (已延期). */
  extended?: Record<string, string>;
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
