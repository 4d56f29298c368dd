/**
 * The HTTP contract: the response bodies of the API endpoints the web app reads, declared once here.
 * The API services return these types and the web imports them (no hand copies). Plain TypeScript:
 * no Nest, TypeORM or Node imports, only types of libs/domain. Instants are ISO 8601 strings,
 * dates 'YYYY-MM-DD' (Asia/Shanghai), as they travel in JSON.
 */
import type { AcceptanceConditionCode } from '../domain/case/acceptance';
import type { CaseAnswer } from '../domain/case/answer';
import type { CaseState, OrganizationalHandlingMeasure, TaskKind } from '../domain/case/types';
import type { CaseStage } from '../domain/case-stage';
import type { CaseTracks, Track, TrackStatus } from '../domain/dashboard';
import type { DesignationReason } from '../domain/designation';
import type { DeadlineKind, EscalationRung, NoticeRung, Recipient } from '../domain/notices/types';
import type { OrganizationDomain, RegionLevel } from '../domain/organization';
import type { OutlookCounts, YearEndOutlook } from '../domain/outlook';
import type { Actor, UserRole } from '../domain/roles';
import type { LocalDate, QuarterKey } from '../domain/shanghai-time';
import type { RatingDisqualifiers, RatingStage, Stars, StarRatingState } from '../domain/star-rating';
import type { AttachmentSubjectKind } from '../domain/labels';

export type {
  AcceptanceConditionCode,
  Actor,
  CaseAnswer,
  CaseStage,
  CaseState,
  CaseTracks,
  DeadlineKind,
  DesignationReason,
  EscalationRung,
  LocalDate,
  NoticeRung,
  OutlookCounts,
  QuarterKey,
  RatingDisqualifiers,
  RatingStage,
  RegionLevel,
  StarRatingState,
  Stars,
  TaskKind,
  Track,
  TrackStatus,
  UserRole,
  YearEndOutlook,
};

/** The API's one error shape. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  messageEn?: string;
  details?: unknown;
}

// ---- Sign-in --------------------------------------------------------------------------------

export interface SessionUser {
  id: string;
  username: string;
  name: string;
  title: string;
  role: UserRole;
  regionId: string;
  regionLevel: RegionLevel;
  countyId: string;
  townshipId: string | null;
  villageId: string | null;
  /** Signed in with a one-time password: change it (POST /api/auth/password) before anything else. */
  mustChangePassword: boolean;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: string;
  user: SessionUser;
}

// ---- Overview (GET /api/dashboard/overview) ---------------------------------------------------

export interface DashboardScope {
  level: RegionLevel;
  regionId: string;
  name: string;
}

export interface TownshipRef {
  id: string;
  name: string;
}

export interface MatrixRow {
  caseId: string;
  organizationName: string;
  stage: CaseStage;
  tracks: CaseTracks;
  /** The case's year-end outlook (libs/domain/outlook.ts), as the batch view and the exports give it. */
  outlook: YearEndOutlook;
  /** Deadlines moved by an approved 延期 (延期 N 次, the original date and the current one). */
  extended: { title: string; times: number; originalDueOn: LocalDate; dueOn: LocalDate }[];
}

export interface TownshipOverview {
  townshipId: string;
  name: string;
  cases: number;
  converted: number;
  /** Escalations of the township's cases not yet resolved (acknowledged ones included). */
  openEscalations: number;
  /** Open tasks of the township's cases past their due date. */
  overdueTasks: number;
  matrix: MatrixRow[];
}

export interface QuarterCompliance {
  quarter: QuarterKey;
  /** 2026年第四季度. */
  quarterLabel: string;
  required: number;
  visited: number;
  status: TrackStatus;
}

export interface LeaderCompliance {
  leaderId: string;
  leaderName: string;
  cases: number;
  quarters: QuarterCompliance[];
}

/** A case taken off the list (移出整顿名单), with who, when and the written reason. */
export interface RemovedCase {
  caseId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  batchYear: number;
  reason: string;
  removedBy: Actor | null;
  removedAt: string | null;
  fromStage: CaseStage | null;
}

/** A case whose workflow run ended abnormally (异常: terminated, failed, timed out), to be restarted. */
export interface AbnormalCase {
  caseId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  stage: CaseStage;
  /** Temporal's status of the run (TERMINATED, FAILED, TIMED_OUT…). */
  executionStatus: string;
}

/** The year-end outlook of a set of cases: one count per outlook, from the one definition. */
export interface OutlookSummary {
  /** The conversion deadline (31 December of the batch year). */
  yearEnd: LocalDate;
  counts: OutlookCounts;
  /** converted + would_pass_now + on_track. */
  expectedByYearEnd: number;
}

/**
 * The old forecast's figures, derived from the outlook counts (kept so older screens keep reading):
 * onTrack = would_pass_now + on_track, overdue = will_miss.
 */
export interface Forecast {
  yearEnd: LocalDate;
  converted: number;
  onTrack: number;
  atRisk: number;
  overdue: number;
  expectedByYearEnd: number;
}

export interface Overview {
  batchYear: number;
  scope: DashboardScope;
  /** Cases on the list (removed ones are counted in `removed`, not here). */
  total: number;
  /** Every case of the batch in scope by stage, `removed` included. */
  stages: Record<CaseStage, number>;
  converted: number;
  outlook: OutlookSummary;
  forecast: Forecast;
  /** tasks: open tasks past due; secretary / yearEnd: cases; measures: plan measures past due. */
  overdue: { tasks: number; secretary: number; yearEnd: number; measures: number };
  openEscalations: Record<EscalationRung, number>;
  townships: TownshipOverview[];
  visitCompliance: LeaderCompliance[];
  /** Cases taken off the list: not in total, outlook or the matrix. */
  removed: { count: number; items: RemovedCase[] };
  /** Cases whose run ended abnormally (异常): the county organization department restarts them. */
  abnormal: { count: number; items: AbnormalCase[] };
  /**
   * 组织处理, the ladder's fifth rung: overdue deadlines put to the county organization department and
   * not yet decided, and the decisions recorded, by measure (诫勉谈话、调整、免职、其他).
   */
  organizationalHandling: { awaitingDecision: number; decided: number; byMeasure: Record<OrganizationalHandlingMeasure, number> };
  /** 关键环节督导把关 (issue 18): steps waiting for the county's sign-off, earliest due first. */
  inspections: { waiting: number; items: WaitingInspection[] };
  /** 延期 (issue 20): deadlines moved by an approved extension, and requests awaiting the county's decision. */
  extensions: { extended: number; pending: number };
}
/** A step of a case waiting for the county organization department to pass it or send it back. */
export interface WaitingInspection {
  caseId: string;
  organizationName: string;
  townshipName: string;
  title: string;
  dueOn: string | null;
}
/** The API's own name of the overview. */
export type DashboardOverview = Overview;

// ---- Batch view (GET /api/batches, GET /api/batches/:year) ------------------------------------

export interface BatchSummary {
  batchYear: number;
  /** Cases on the list (converted and active; cases taken off the list not counted). */
  cases: number;
  /** Accepted (验收销号), follow-up and closed included. */
  converted: number;
  /** Taken off the list (or in any stage outside the list). */
  removed: number;
  yearEnd: LocalDate;
}

export interface BatchList {
  /** The current year in Asia/Shanghai. */
  currentYear: number;
  /** Years that have cases in the user's region, newest first. */
  items: BatchSummary[];
}

export interface UnmetCondition {
  code: AcceptanceConditionCode;
  zh: string;
  en: string;
  /** What exactly is missing, in Chinese. */
  missing?: string;
}

export interface BatchCaseRow {
  caseId: string;
  organizationId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  stage: CaseStage;
  stageLabel: string;
  reasons: DesignationReason[];
  designatedAt: string | null;
  contactLeader: { id: string; name: string; title: string; isCountyPartySecretary: boolean } | null;
  /** The team as appointed; `attached` false once released. */
  team: { size: number; leaderName: string | null; arrivedOn: LocalDate; attached: boolean } | null;
  problems: { open: number; closed: number; confirmed: boolean };
  measures: { done: number; total: number; planApproved: boolean };
  secretary: { required: boolean; appointed: boolean; name: string | null; deadline: LocalDate | null; overdue: boolean };
  projects: { count: number; names: string[] };
  /** Guidance visits of the contact leader in the running calendar quarter (Asia/Shanghai). */
  visitsThisQuarter: number;
  tasks: { open: number; overdue: number };
  /** Escalations (督办、通报、约谈) not yet resolved. */
  openEscalations: number;
  outlook: {
    /** The year-end outlook (libs/domain/outlook.ts). */
    status: YearEndOutlook;
    label: string;
    /** Conditions of acceptance met now, of `total` (all of them once accepted). */
    met: number;
    total: number;
    /** Empty for a converted case or one that would pass acceptance now. */
    unmet: UnmetCondition[];
    /** Days left to the case's conversion deadline, and the days its unmet conditions need. */
    daysLeft: number;
    daysNeeded: number;
    /** The year end of the batch passed with the case not converted. */
    yearEndMissed: boolean;
  };
  yearEndDeadline: LocalDate;
  acceptedAt: string | null;
}

export interface OffListCaseRow {
  caseId: string;
  organizationId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  stage: string;
  stageLabel: string;
  /** The written reason for taking the case off the list. */
  reason: string;
  /** The stage it was in before. */
  fromStage: string | null;
  at: string | null;
  by: string | null;
}

export interface UnmetConditionCount {
  code: AcceptanceConditionCode;
  zh: string;
  en: string;
  /** Cases of the batch that miss the condition now. */
  cases: number;
}

export interface BatchTotals {
  /** Cases on the list: converted and active (cases off the list not counted). */
  cases: number;
  converted: number;
  /** Counts per year-end outlook: the same figures as the overview's for the same cases. */
  outlook: OutlookCounts;
  /** converted + would_pass_now + on_track. */
  expectedByYearEnd: number;
  /** Derived from `outlook`: would_pass_now + on_track (not yet converted, expected to be). */
  wouldConvert: number;
  /** Derived from `outlook`: at_risk + will_miss. */
  wouldNot: number;
  /** Cases taken off the list (or in any other stage outside the list). */
  removed: number;
  /** Cases by stage: every known stage, and any other stage met. */
  stages: Record<string, number>;
  /** Unmet conditions of the cases not yet converted, most frequent first. */
  topUnmet: UnmetConditionCount[];
  openTasks: number;
  overdueTasks: number;
  openEscalations: number;
}

export interface BatchView {
  batchYear: number;
  scope: DashboardScope;
  /** The townships of the view (to filter by), in the order of their codes. */
  townships: TownshipRef[];
  /** Today in Asia/Shanghai. */
  today: LocalDate;
  /** The batch's year-end deadline (31 December): every case converted by then (seed 003). */
  yearEnd: LocalDate;
  /** Days from today to the year end (0 on 31 December, negative once it has passed). */
  daysLeft: number;
  totals: BatchTotals;
  cases: BatchCaseRow[];
  removed: OffListCaseRow[];
}

// ---- Cases (GET /api/cases/:id, GET /api/cases/mine) ------------------------------------------

/** The read-model row of a case, as JSON. */
export interface CaseRecordBody {
  id: string;
  organizationId: string;
  organizationName: string;
  countyId: string;
  townshipId: string;
  batchYear: number;
  reasons: DesignationReason[];
  stage: CaseStage;
  designatedAt: string;
  designatedBy: string;
  version: number;
  updatedAt: string;
  /** The state as the read model keeps it: without the workflow's notice plan. */
  state: CaseAnswer;
  [column: string]: unknown;
}

export interface CaseView {
  id: string;
  record: CaseRecordBody | null;
  /** The workflow's state now, without its notice plan. */
  live: CaseAnswer | null;
  liveError?: string;
  /** abnormal (异常): the run ended while the case had not; restart with POST /api/cases/:id/restart. */
  runStatus?: 'running' | 'ended' | 'abnormal';
  /** Temporal's status of the case's latest run. */
  executionStatus?: string;
  /** The case's workflow in the Temporal Web UI (county organization department only, when TEMPORAL_UI_URL is set). */
  temporalUiUrl?: string;
}

export interface CaseActionResult {
  id: string;
  state: CaseAnswer;
}

/** This quarter's guidance visit of a contact leader's case (一把手分包: 每季度不少于1次). */
export interface QuarterVisit {
  quarter: QuarterKey;
  /** 2026年第四季度. */
  label: string;
  /** The policy's visits of the quarter are made. */
  visited: boolean;
  visits: number;
  required: number;
  /** The latest visit of the case, any quarter. */
  lastVisitOn?: LocalDate;
}

/** One of 我联系的案件 (GET /api/cases/mine): a case of which the user is the contact leader. */
export interface MyCaseItem {
  caseId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  batchYear: number;
  stage: CaseStage;
  stageLabel: string;
  quarterVisit: QuarterVisit;
  outlook: YearEndOutlook;
  outlookLabel: string;
  /** The case's next step, in Chinese. */
  nextStep: string;
}

export interface MyCasesPage {
  items: MyCaseItem[];
}

// ---- Tasks (GET /api/tasks, POST /api/tasks/bulk) ---------------------------------------------

export interface TaskClaim {
  userId: string;
  name: string | null;
  claimedAt: string | null;
  /** Set when a superior assigned the task rather than the person claiming it. */
  assignedById: string | null;
}

export interface TaskItem {
  key: string;
  /** Null for a task of the county's batch (e.g. 县委书记尚未联系本批次任何案件), which names batchYear. */
  caseId: string | null;
  batchYear: number | null;
  /** The case's organization; for a task of the batch, the batch (2026年度整顿批次). */
  organizationName: string;
  /** Null for a task of the county's batch. */
  townshipId: string | null;
  townshipName: string;
  kind: TaskKind;
  /** What the task asks for, in Chinese (确定联系领导…). */
  kindLabel: string;
  title: string;
  assigneeRole: UserRole | 'system';
  /** The person the workflow addressed the task to (the contact leader), if any. */
  assigneeId: string | null;
  subjectId: string | null;
  region: { id: string; name: string | null; level: RegionLevel | null };
  dueOn: LocalDate | null;
  status: 'open' | 'done';
  /** For open tasks with a due date: overdue or due within 14 days (Asia/Shanghai); else null. */
  dueState: 'overdue' | 'due_soon' | null;
  openedAt: string;
  closedAt: string | null;
  claim: TaskClaim | null;
  /** The case's next step in Chinese: its open task due soonest (or what its stage asks for). */
  caseNextStep: string;
}

export interface TaskTotals {
  open: number;
  dueSoon: number;
  overdue: number;
  done: number;
}

export interface TaskPage {
  items: TaskItem[];
  nextCursor: string | null;
  totals: TaskTotals;
}

export type TaskSort = 'due' | '-due' | 'organization';

export interface BulkTaskResultItem {
  key: string;
  ok: boolean;
  /** On success, the task as the list shows it. */
  task?: TaskItem;
  /** On failure, the error as the single action would answer it. */
  error?: ApiErrorBody;
}

export interface BulkTaskResult {
  action: 'claim' | 'assign';
  done: number;
  failed: number;
  results: BulkTaskResultItem[];
}

// ---- Notifications and escalations -----------------------------------------------------------

export interface NotificationItem {
  id: string;
  caseId: string;
  noticeKey: string;
  deadlineKey: string;
  kind: DeadlineKind;
  kindLabel: string;
  rung: NoticeRung;
  /** 提醒 / 督办 / 通报 / 约谈. */
  rungLabel: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationPage {
  items: NotificationItem[];
  nextCursor: string | null;
  /** All of my unread notifications, whatever the page. */
  unreadCount: number;
}

export type EscalationStatus = 'open' | 'acknowledged' | 'resolved';

export interface EscalationItem {
  id: string;
  key: string;
  caseId: string;
  organizationName: string;
  townshipId: string;
  townshipName: string;
  deadlineKey: string;
  kind: DeadlineKind;
  kindLabel: string;
  rung: EscalationRung;
  /** 督办 / 通报 / 约谈. */
  rungLabel: string;
  title: string;
  reason: string;
  /** The deadline that was missed. */
  deadline: LocalDate;
  daysOverdue: number;
  recipients: Recipient[];
  recipientUserIds: string[];
  raisedAt: string;
  status: EscalationStatus;
  statusLabel: string;
  /** 签收: who signed for it, when, and their answer (what is being done). */
  acknowledgement: { userId: string | null; name: string | null; at: string | null; note: string | null } | null;
  /** Flat copies of the acknowledgement, for lists and the export. */
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  note: string | null;
  resolvedAt: string | null;
  /** Why it closed, where the record that met it says so (a visit dated back into the escalated quarter). */
  resolutionNote: string | null;
}

export interface EscalationPage {
  items: EscalationItem[];
  nextCursor: string | null;
  /** Counts of the same scope and filters, except status. */
  totals: { open: number; acknowledged: number; resolved: number };
}

// ---- Audit (GET /api/cases/:id/audit, GET /api/audit) -----------------------------------------

export interface AuditItem {
  id: string;
  /** When (ISO 8601 instant). */
  occurredAt: string;
  /** What (a code, for filters; show `sentence` or `actionLabel`). */
  action: string;
  /** What, in words (选派整建队伍…). */
  actionLabel: string;
  /** The entry as a sentence: who did what to which case, with the values that matter. */
  sentence: string;
  payload: Record<string, unknown>;
  /** Which case (null for entries not about a case), with its organization's name. */
  caseId: string | null;
  organizationName: string | null;
  /** Who. */
  actor: { id: string | null; name: string; role: string | null };
}

export interface AuditPage {
  items: AuditItem[];
  nextCursor: string | null;
}

// ---- Star ratings (GET /api/star-ratings) ------------------------------------------------------

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

export interface RatingView {
  id: string;
  record: (RatingRow & { state: StarRatingState }) | null;
  live: StarRatingState | null;
  liveError?: string;
  /** The rating's workflow in the Temporal Web UI (county organization department only, when TEMPORAL_UI_URL is set). */
  temporalUiUrl?: string;
}

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

// -- issue 18 item 4: the county's documents ------------------------------------------------------

/** The documents a county issues from its escalation records. */
export type CountyDocumentKind = 'supervision_order' | 'bulletin' | 'interview_notice';

/** GET/PUT /api/documents/letterhead: the county's letterhead fields (defaults until first saved). */
export interface Letterhead {
  countyName: string;
  /** 发文机关, e.g. "××县委组织部". */
  issuingBody: string;
  /** 发文字号前缀, e.g. "×组通". */
  numberPrefix: string;
  /** 红头 (optional), e.g. "中共××县委组织部文件". */
  redHeaderTitle: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  /** Null while the defaults are in use. */
  updatedAt: string | null;
  updatedByName: string | null;
  /** An example of the number as printed, e.g. "×组通〔2026〕1号". */
  numberExample: string;
}

// -- issue 18 item 5: the township's record and the league table ----------------------------------

/** The township's results for a year (the batch of that year), for 述职评议. */
export interface TownshipRecord {
  townshipId: string;
  townshipName: string;
  year: number;
  /** Cases of the year's batch on the list (taken off the list: `removed`). */
  cases: number;
  removed: number;
  converted: number;
  /** Accepted (验收销号) on or before the year-end deadline. */
  convertedOnTime: number;
  /** convertedOnTime / cases, 0–1; null with no case. */
  onTimeRate: number | null;
  escalations: { supervision: number; public_notice: number; interview: number; total: number };
  /** Guidance visits of the contact leaders recorded on the cases. */
  visits: number;
  organizationalHandling: { awaitingDecision: number; decided: number };
}

export interface TownshipRecordList {
  year: number;
  items: TownshipRecord[];
}

/** The columns a county may publish of its league table (rank and township always show). */
export type LeagueColumn = 'cases' | 'converted' | 'convertedOnTime' | 'onTimeRate' | 'escalations' | 'visits' | 'organizationalHandling';

export interface LeagueRow {
  rank: number;
  townshipId: string;
  townshipName: string;
  /** Only the published columns for a township user; every column for the county. */
  values: Partial<Record<LeagueColumn, number | null>>;
}

/** GET /api/township-records/league: the townships ranked by results, never by logins or clicks. */
export interface LeagueTable {
  year: number;
  published: boolean;
  /** The columns published to the townships (the county sees every column, and this choice). */
  publishedColumns: LeagueColumn[];
  /** The columns in this answer. */
  columns: LeagueColumn[];
  /** How the order is made, in words. */
  orderedBy: string;
  /** Empty for a township user while the county has not published. */
  rows: LeagueRow[];
  updatedAt: string | null;
  updatedByName: string | null;
}

/** One attachment of a case (issue 20): GET /api/cases/:id/attachments lists them, oldest first. */
export interface AttachmentView {
  id: string;
  caseId: string;
  /** What it is evidence of: the record's kind and key (a visit's id, a problem's id, 'secretary', 'acceptance'…). */
  subjectKind: AttachmentSubjectKind;
  subjectKey: string;
  /** The record's kind in words, e.g. 调研指导. */
  subjectLabel: string;
  name: string;
  /** Detected from the content. */
  mime: string;
  /** The type in words: 照片, PDF, Word 文档… */
  typeLabel: string;
  size: number;
  sha256: string;
  isImage: boolean;
  hasThumbnail: boolean;
  /** Who uploaded it (they, or the county organization department, may remove it). */
  uploadedById: string;
  uploadedByName: string;
  uploadedByRole: string | null;
  uploadedAt: string;
}

// ---- Roll-up above the county (GET /api/dashboard/rollup, issue 17) ----------------------------

/** The figures of one row of a roll-up (a city, a county, a township) or of the whole region. */
export interface RollupFigures {
  /** Cases on the list (taken off it: `removed`). */
  cases: number;
  removed: number;
  stages: Record<CaseStage, number>;
  outlook: OutlookCounts;
  expectedByYearEnd: number;
  overdue: { tasks: number; secretary: number; yearEnd: number; measures: number };
  openEscalations: Record<EscalationRung, number>;
  /** Contact leaders' visits of the batch year's quarters owed so far: required and made. */
  visits: { required: number; visited: number };
}

export interface RollupRow extends RollupFigures {
  regionId: string;
  name: string;
  level: RegionLevel;
  levelLabel: string;
}

export interface Rollup {
  batchYear: number;
  region: { id: string; name: string; level: RegionLevel; levelLabel: string };
  /** One level up, while it is still in the user's region (for the way back). */
  parent: { id: string; name: string; level: RegionLevel } | null;
  totals: RollupFigures;
  rows: RollupRow[];
}
