import type { RectificationPolicy } from '../policy';
import type { Actor, UserRole } from '../roles';
import type { LocalDate } from '../shanghai-time';
import type { CaseState } from './types';

/**
 * 延期 (issue 20 item 2): a deadline of a plan measure, or the secretary deadline, moves only when the
 * county organization department approves a written request. The request, the decision and the
 * original date stay on the case.
 */

/** The deadlines a case may ask to extend: a plan measure's, and the secretary's (only where the policy allows it). */
export const EXTENSIBLE_DEADLINE_KINDS = ['measure', 'secretary'] as const;
export type ExtensibleDeadlineKind = (typeof EXTENSIBLE_DEADLINE_KINDS)[number];

export const EXTENSION_STATUSES = ['pending', 'approved', 'refused'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];
export const EXTENSION_STATUS_LABELS: Record<ExtensionStatus, string> = { pending: '待审批', approved: '已批准', refused: '未批准' };

/** One request to move a deadline, and its decision. */
export interface DeadlineExtension {
  id: string;
  /** The deadline's key on the notice ladder: 'secretary' or 'measure:<id>'. */
  deadlineKey: string;
  kind: ExtensibleDeadlineKind;
  /** The measure, for a measure's deadline. */
  subjectId?: string;
  /** What is due, in Chinese (整改措施：… / 选配党支部书记). */
  title: string;
  /** The deadline as first set, before any extension. */
  originalDueOn: LocalDate;
  /** The deadline when the request was made (the original, or the date of an earlier extension). */
  fromDueOn: LocalDate;
  requestedDueOn: LocalDate;
  reason: string;
  requestedBy: Actor;
  requestedAt: string;
  status: ExtensionStatus;
  decidedBy?: Actor;
  decidedAt?: string;
  decisionReason?: string;
  /** For an approved one: the how-manieth approved extension of this deadline (延期 N 次). */
  round?: number;
}

/** The policy's rules for extensions, with the defaults for policies published before they existed. */
export interface ExtensionSettings {
  /** Who approves (the county organization department by default). */
  approvers: UserRole[];
  /** Approved extensions one deadline may have. */
  maxPerDeadline: number;
  /** Days one extension may add. */
  maxDaysEach: number;
  /** The fewest characters of the written reason. */
  reasonMinLength: number;
  /**
   * The secretary within 3 months is a seed number (seed 000 §四(三), "原则上"): a case's secretary
   * deadline moves only where the county's policy says so explicitly; each extension is on record.
   */
  secretaryDeadline: boolean;
}

/** Roles a policy may name as approvers: county-level leadership of the organization work. */
export const EXTENSION_APPROVER_ROLES: UserRole[] = ['county_org_admin', 'county_party_secretary'];

export const DEFAULT_EXTENSION_SETTINGS: ExtensionSettings = { approvers: ['county_org_admin'], maxPerDeadline: 2, maxDaysEach: 30, reasonMinLength: 10, secretaryDeadline: false };

export function extensionSettings(p: RectificationPolicy): ExtensionSettings {
  return { ...DEFAULT_EXTENSION_SETTINGS, ...(p.extensions ?? {}) };
}

/** Problems with a policy's extension settings, in Chinese with the English field terms; empty when sound. */
export function extensionPolicyProblems(p: RectificationPolicy): string[] {
  const e = p.extensions;
  if (e === undefined) return [];
  const out: string[] = [];
  const intIn = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
  if (typeof e !== 'object' || e === null) return ['extensions（延期规则）须为对象'];
  if (e.approvers !== undefined && (!Array.isArray(e.approvers) || e.approvers.length === 0 || !e.approvers.every((r) => EXTENSION_APPROVER_ROLES.includes(r))))
    out.push('extensions.approvers（延期审批角色）须为 county_org_admin/county_party_secretary 中的一项或多项');
  if (e.maxPerDeadline !== undefined && !intIn(e.maxPerDeadline, 0, 5)) out.push('extensions.maxPerDeadline（每项期限最多延期次数）须为 0–5 的整数');
  if (e.maxDaysEach !== undefined && !intIn(e.maxDaysEach, 1, 180)) out.push('extensions.maxDaysEach（每次最多延期天数）须为 1–180 的整数');
  if (e.reasonMinLength !== undefined && !intIn(e.reasonMinLength, 1, 500)) out.push('extensions.reasonMinLength（延期理由最少字数）须为 1–500 的整数');
  if (e.secretaryDeadline !== undefined && typeof e.secretaryDeadline !== 'boolean') out.push('extensions.secretaryDeadline（允许书记选配期限延期）须为 true/false');
  return out;
}

/** How the note of an escalation closed by an extension begins: its resolution reads 已延期. */
export const EXTENDED_RESOLUTION = '已延期';

/** Was an escalation closed because its deadline was extended (not met)? */
export function resolvedByExtension(resolutionNote: string | null | undefined): boolean {
  return !!resolutionNote && resolutionNote.startsWith(`${EXTENDED_RESOLUTION}：`);
}

/** The case's extension requests (absent on cases from before them). */
export function extensionsOf(state: CaseState): DeadlineExtension[] {
  return state.extensions ?? [];
}

/** How a deadline stands after its extensions: 延期 N 次, with the original and the current date. */
export interface ExtendedDeadline {
  deadlineKey: string;
  kind: ExtensibleDeadlineKind;
  subjectId?: string;
  title: string;
  times: number;
  originalDueOn: LocalDate;
  dueOn: LocalDate;
}

/** Every deadline of the case that was extended, with its original date and its current one. */
export function extendedDeadlines(state: CaseState): ExtendedDeadline[] {
  const out = new Map<string, ExtendedDeadline>();
  for (const x of extensionsOf(state)) {
    if (x.status !== 'approved') continue;
    const d = out.get(x.deadlineKey);
    if (d) {
      d.times += 1;
      d.dueOn = x.requestedDueOn;
    } else {
      out.set(x.deadlineKey, { deadlineKey: x.deadlineKey, kind: x.kind, ...(x.subjectId ? { subjectId: x.subjectId } : {}), title: x.title, times: 1, originalDueOn: x.originalDueOn, dueOn: x.requestedDueOn });
    }
  }
  return [...out.values()];
}

/** 延期 N 次 of one deadline (0 when never extended). */
export function timesExtended(state: CaseState, deadlineKey: string): number {
  return extensionsOf(state).filter((x) => x.deadlineKey === deadlineKey && x.status === 'approved').length;
}

/** One line per extended deadline, for the ledgers: "整改措施：…：原定2030-03-31，延至2030-04-30（延期1次）". */
export function extensionLines(state: CaseState): string[] {
  return extendedDeadlines(state).map((d) => `${d.title}：原定${d.originalDueOn}，延至${d.dueOn}（延期${d.times}次）`);
}
