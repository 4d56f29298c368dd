import type { UserRole } from '../roles';
import type { LocalDate } from '../shanghai-time';

/**
 * The accountability ladder for overdue work (seeds 003, 004): 提醒 → 督办 → 通报 → 约谈 → 组织处理.
 * The seeds name the rungs, not the days: the days between rungs are county policy. The first four
 * are raised by the clock; 组织处理 (organizational handling) is a decision people record, not a timer.
 */
export const NOTICE_RUNGS = ['reminder', 'supervision', 'public_notice', 'interview'] as const;
export type NoticeRung = (typeof NOTICE_RUNGS)[number];
export const NOTICE_RUNG_LABELS: Record<NoticeRung, string> = {
  reminder: '提醒',
  supervision: '督办',
  public_notice: '通报',
  interview: '约谈',
};

/** Escalation rungs are every rung but the reminder. */
export type EscalationRung = Exclude<NoticeRung, 'reminder'>;

export const DEADLINE_KINDS = ['quarter_visit', 'secretary', 'measure', 'year_end', 'follow_up', 'inspection'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];
export const DEADLINE_KIND_LABELS: Record<DeadlineKind, string> = {
  quarter_visit: '季度调研指导',
  secretary: '选配党支部书记',
  measure: '整改措施',
  year_end: '年底转化提升',
  follow_up: '回头看',
  inspection: '督导把关',
};

/** Who receives a notice: the holder(s) of a role in a region, or one named person. */
export interface Recipient {
  role: UserRole;
  regionId: string;
  /** A specific person (e.g. the contact leader), when known. */
  userId?: string;
}

/** A date by which some work of a case must be done. */
export interface Deadline {
  /** Unique within the case, e.g. "secretary", "measure:m4", "quarter_visit:2026-Q4", "year_end". */
  key: string;
  kind: DeadlineKind;
  subjectId?: string;
  /** What is due, in Chinese, e.g. "整改措施：……". */
  title: string;
  dueOn: LocalDate;
  /** Who the reminders go to (the first rung). */
  responsible: Recipient[];
  /** Escalation rungs this deadline climbs after it passes (a past quarter's visit cannot be made up: 督办 only). */
  rungs: EscalationRung[];
  /** Recipients of a rung for this deadline, where they differ from the request's escalationRecipients. */
  escalationRecipients?: Partial<Record<EscalationRung, Recipient[]>>;
  /** Approved extensions of this deadline (延期 N 次): its notices after each are new ones, keyed apart. */
  extended?: number;
}

/** One notice the case will raise at a moment, unless its deadline is met first. */
export interface PlannedNotice {
  /** `${caseId}:${deadlineKey}:${rung}` plus `:${daysBefore}` for reminders: unique, the idempotency key downstream. */
  key: string;
  caseId: string;
  deadlineKey: string;
  kind: DeadlineKind;
  rung: NoticeRung;
  /** For reminders: days before the deadline; for escalations: days overdue. */
  offsetDays: number;
  title: string;
  /** Why, in Chinese: "……将于 2026-12-31 到期（还有3天）" / "……已逾期15天，予以通报". */
  reason: string;
  dueOn: LocalDate;
  /** The Shanghai day the notice goes out (after working-day adjustment) and its instant. */
  on: LocalDate;
  atMs: number;
  recipients: Recipient[];
}

/** What the workflow asks the planning activity for. */
export interface NoticePlanRequest {
  caseId: string;
  deadlines: Deadline[];
  reminderDaysBefore: number[];
  escalationDaysOverdue: { supervision: number; publicNotice: number; interview: number };
  /** Count the policy's days as working days (China's statutory calendar) rather than calendar days. */
  countWorkingDays: boolean;
  /** A notice that falls on a non-working day goes out on the next working day. */
  shiftToWorkingDay: boolean;
  /** Hour of the Shanghai day notices go out (0–23). */
  noticeHour: number;
  /** Recipients of each escalation rung (each a level higher: township → county department → county leadership). */
  escalationRecipients: Record<EscalationRung, Recipient[]>;
}

/** Notices the workflow hands to delivery, with what the recipients need to read them. */
export interface RaiseNoticesInput {
  caseId: string;
  organizationName: string;
  countyId: string;
  townshipId: string;
  notices: PlannedNotice[];
}

export interface ResolveEscalationsInput {
  caseId: string;
  /** Deadlines that are met (or 'all' when the case is accepted): their open escalations close. */
  deadlineKeys: string[] | 'all';
  /** ISO instant of the resolution. */
  at: string;
  /** Why, by deadline key, where the record that met it says so (kept on the escalation record). */
  notes?: Record<string, string>;
}
