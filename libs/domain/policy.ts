import { extensionPolicyProblems, type ExtensionSettings } from './case/extension-records';
import type { DesignationReason } from './designation';
import { practicePolicyProblems, type PracticePolicy } from './practice';

/** Cadre ranks that matter for the team leader rule. */
export const CADRE_RANKS = ['county', 'section', 'staff'] as const;
export type CadreRank = (typeof CADRE_RANKS)[number];
export const CADRE_RANK_LABELS: Record<CadreRank, string> = {
  county: '县处级',
  section: '科级',
  staff: '科级以下',
};

/** The consultations a plan is built on (seed 000 §四(二)). */
export const CONSULTATION_KINDS = [
  'party_members_meeting',
  'villager_representatives_meeting',
  'household_visits',
  'heart_to_heart_talks',
] as const;
export type ConsultationKind = (typeof CONSULTATION_KINDS)[number];
export const CONSULTATION_KIND_LABELS: Record<ConsultationKind, string> = {
  party_members_meeting: '党员大会',
  villager_representatives_meeting: '村民（居民）代表会议',
  household_visits: '入户走访',
  heart_to_heart_talks: '谈心谈话',
};

/**
 * A county's rectification policy: every duration and threshold the playbook uses. The defaults are
 * DOMAIN.md's; a county changes them by publishing a new version, which applies to cases designated
 * after it. A running case keeps the version it started with.
 */
export interface RectificationPolicy extends PracticePolicy {
  /** 0 for the built-in defaults; a county's published versions count from 1. */
  version: number;
  /** 一支队伍: at least this many people on the team (leader included). */
  teamMinSize: number;
  /** 一支队伍: ranks allowed to lead the team (科级干部任队长). */
  teamLeaderRanks: CadreRank[];
  /** 一个关键: months from the team's arrival to a qualified secretary in place. */
  secretaryDeadlineMonths: number;
  /** 一个关键: designation reasons that require a (new) qualified secretary. */
  secretaryRequiredForReasons: DesignationReason[];
  /** 一把手分包: guidance visits the contact leader owes every calendar quarter. */
  visitsPerQuarter: number;
  /** 一把手分包: practical things (实事好事) expected of the contact leader (1–2). */
  practicalThingsExpected: number;
  /** 一套方案: consultations recorded before the township may approve the plan. */
  requiredConsultations: ConsultationKind[];
  /** 一个项目: collective-economy projects required before acceptance. */
  minCollectiveProjects: number;
  /** 回头看: months after conversion that the follow-up review falls due. */
  followUpDelayMonths: number;
  /** Days the county has for the follow-up review once it is due. */
  followUpReviewDays: number;
  /** Cases the county party secretary may personally take per batch (seed 000 §四(一): one). */
  countyPartySecretaryMaxCases: number;
  /** Reminders this many days before a deadline (issue: reminders). */
  reminderDaysBefore: number[];
  /** Escalation rungs, in days overdue: 督办, 通报, 约谈. */
  escalationDaysOverdue: { supervision: number; publicNotice: number; interview: number };
  /** Count reminder and escalation days as working days (China's statutory calendar), not calendar days. */
  countWorkingDays?: boolean;
  /** A reminder or escalation that falls on a weekend or holiday goes out on the next working day. */
  shiftNoticesToWorkingDay?: boolean;
  /** Hour of the day (Asia/Shanghai) reminders and escalations go out. */
  noticeHour?: number;
  /** 星级评定: days a rating's public notice (公示) runs before naming; seed 000 §三(二) says at least 5. */
  publicNoticeDays?: number;
  /** Records dated more than this many days before they are entered need a reason and show as 补录 (default 30). */
  lateEntryDays?: number;
  /** 回头看发现反弹: months from reopening to the new conversion deadline (default 6), not the past year end. */
  relapseConversionMonths?: number;
  /** 组织处理: days overdue at which the county organization department is asked to decide (default 45). */
  organizationalHandlingDaysOverdue?: number;
  /** 问题销号: the fewest characters of fix evidence without an attachment reference (default 10). */
  evidenceMinLength?: number;
  /** 延期: who approves a deadline's extension, how often and by how much (libs/domain/case/extension-records.ts). */
  extensions?: Partial<ExtensionSettings>;
  /** 附件: what the county asks of attached evidence (issue 20); absent, the defaults of attachmentSettings(). */
  attachments?: Partial<AttachmentSettings>;
}

/** The steps a county may require at least one attachment for: 问题销号 and 验收. */
export const ATTACHMENT_REQUIREMENTS = ['problem_close', 'acceptance'] as const;
export type AttachmentRequirement = (typeof ATTACHMENT_REQUIREMENTS)[number];
export const ATTACHMENT_REQUIREMENT_LABELS: Record<AttachmentRequirement, string> = { problem_close: '问题销号', acceptance: '验收' };

export interface AttachmentSettings {
  /** Photos keep their location (GPS) metadata; by default it is removed at upload. */
  keepPhotoLocation: boolean;
  /** Steps that need at least one attachment of the case. */
  requiredFor: AttachmentRequirement[];
}

/** A policy's attachment settings, with the defaults for policies published before them. */
export function attachmentSettings(p: Pick<RectificationPolicy, 'attachments'>): AttachmentSettings {
  return { keepPhotoLocation: p.attachments?.keepPhotoLocation ?? false, requiredFor: p.attachments?.requiredFor ?? [] };
}

/** The settings of the later rules, with the defaults of DOMAIN.md for policies published before them. */
export function laterRuleSettings(p: RectificationPolicy): { lateEntryDays: number; relapseConversionMonths: number; organizationalHandlingDaysOverdue: number; evidenceMinLength: number } {
  return {
    lateEntryDays: p.lateEntryDays ?? 30,
    relapseConversionMonths: p.relapseConversionMonths ?? 6,
    organizationalHandlingDaysOverdue: p.organizationalHandlingDaysOverdue ?? 45,
    evidenceMinLength: p.evidenceMinLength ?? 10,
  };
}

/** The shortest public notice of a star rating the rules allow (公示不少于5天). */
export const MIN_PUBLIC_NOTICE_DAYS = 5;

/** The days a star rating's public notice runs under a policy (policies published before it existed: 5). */
export function publicNoticeDaysOf(p: RectificationPolicy): number {
  return p.publicNoticeDays ?? MIN_PUBLIC_NOTICE_DAYS;
}

/** The notice settings of a policy, with defaults for policies published before they existed. */
export function noticeSettings(p: RectificationPolicy): { countWorkingDays: boolean; shiftNoticesToWorkingDay: boolean; noticeHour: number } {
  return {
    countWorkingDays: p.countWorkingDays ?? false,
    shiftNoticesToWorkingDay: p.shiftNoticesToWorkingDay ?? true,
    noticeHour: p.noticeHour ?? 9,
  };
}

export const DEFAULT_POLICY: RectificationPolicy = {
  version: 0,
  teamMinSize: 3,
  teamLeaderRanks: ['section', 'county'],
  secretaryDeadlineMonths: 3,
  secretaryRequiredForReasons: ['C1', 'C2'],
  visitsPerQuarter: 1,
  practicalThingsExpected: 1,
  requiredConsultations: [...CONSULTATION_KINDS],
  minCollectiveProjects: 1,
  followUpDelayMonths: 6,
  followUpReviewDays: 30,
  countyPartySecretaryMaxCases: 1,
  reminderDaysBefore: [14, 3],
  escalationDaysOverdue: { supervision: 1, publicNotice: 15, interview: 30 },
  countWorkingDays: false,
  shiftNoticesToWorkingDay: true,
  noticeHour: 9,
  publicNoticeDays: 5,
  lateEntryDays: 30,
  relapseConversionMonths: 6,
  organizationalHandlingDaysOverdue: 45,
  evidenceMinLength: 10,
};

const intIn = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;

/** Problems with a policy, in Chinese and English field terms; empty when it is sound. */
export function policyProblems(p: RectificationPolicy): string[] {
  const out: string[] = [];
  if (!intIn(p.teamMinSize, 1, 50)) out.push('teamMinSize（整建队伍最少人数）须为 1–50 的整数');
  if (!Array.isArray(p.teamLeaderRanks) || p.teamLeaderRanks.length === 0 || !p.teamLeaderRanks.every((r) => (CADRE_RANKS as readonly string[]).includes(r)))
    out.push('teamLeaderRanks（队长职级）须为 county/section/staff 中的一项或多项');
  if (!intIn(p.secretaryDeadlineMonths, 1, 24)) out.push('secretaryDeadlineMonths（书记选配期限，月）须为 1–24 的整数');
  if (!intIn(p.visitsPerQuarter, 0, 12)) out.push('visitsPerQuarter（每季度调研指导次数）须为 0–12 的整数');
  if (!intIn(p.practicalThingsExpected, 0, 20)) out.push('practicalThingsExpected（实事好事件数）须为 0–20 的整数');
  if (!Array.isArray(p.requiredConsultations) || !p.requiredConsultations.every((c) => (CONSULTATION_KINDS as readonly string[]).includes(c)))
    out.push('requiredConsultations（必需的征求意见方式）取值无效');
  if (!intIn(p.minCollectiveProjects, 0, 10)) out.push('minCollectiveProjects（集体经济项目数）须为 0–10 的整数');
  if (!intIn(p.followUpDelayMonths, 1, 36)) out.push('followUpDelayMonths（回头看间隔，月）须为 1–36 的整数');
  if (!intIn(p.followUpReviewDays, 1, 365)) out.push('followUpReviewDays（回头看办理天数）须为 1–365 的整数');
  if (!intIn(p.countyPartySecretaryMaxCases, 0, 10)) out.push('countyPartySecretaryMaxCases（县委书记挂点数）须为 0–10 的整数');
  if (!Array.isArray(p.reminderDaysBefore) || !p.reminderDaysBefore.every((d) => intIn(d, 1, 365)))
    out.push('reminderDaysBefore（提前提醒天数）须为 1–365 的整数列表');
  const e = p.escalationDaysOverdue;
  if (!e || !intIn(e.supervision, 0, 365) || !intIn(e.publicNotice, 0, 365) || !intIn(e.interview, 0, 365) || !(e.supervision < e.publicNotice && e.publicNotice < e.interview))
    out.push('escalationDaysOverdue（督办/通报/约谈逾期天数）须递增');
  if (p.countWorkingDays !== undefined && typeof p.countWorkingDays !== 'boolean') out.push('countWorkingDays（按工作日计算）须为 true/false');
  if (p.shiftNoticesToWorkingDay !== undefined && typeof p.shiftNoticesToWorkingDay !== 'boolean') out.push('shiftNoticesToWorkingDay（顺延至工作日）须为 true/false');
  if (p.noticeHour !== undefined && !intIn(p.noticeHour, 0, 23)) out.push('noticeHour（发送时刻）须为 0–23 的整数');
  // Fewer than 5 days is a seed floor (policy-floors.ts), refused there naming its seed section.
  if (p.publicNoticeDays !== undefined && !intIn(p.publicNoticeDays, 1, 60)) out.push('publicNoticeDays（星级评定公示天数）须为 1–60 的整数');
  if (p.lateEntryDays !== undefined && !intIn(p.lateEntryDays, 1, 365)) out.push('lateEntryDays（补录期限，天）须为 1–365 的整数');
  if (p.relapseConversionMonths !== undefined && !intIn(p.relapseConversionMonths, 1, 12)) out.push('relapseConversionMonths（反弹后转化期限，月）须为 1–12 的整数');
  if (p.organizationalHandlingDaysOverdue !== undefined && (!intIn(p.organizationalHandlingDaysOverdue, 1, 365) || (e && p.organizationalHandlingDaysOverdue <= e.interview)))
    out.push('organizationalHandlingDaysOverdue（组织处理逾期天数）须为 1–365 的整数，且晚于约谈');
  if (p.evidenceMinLength !== undefined && !intIn(p.evidenceMinLength, 1, 500)) out.push('evidenceMinLength（销号佐证最少字数）须为 1–500 的整数');
  const a = p.attachments;
  if (a !== undefined && (a === null || typeof a !== 'object')) out.push('attachments（附件要求）须为对象');
  else if (a) {
    if (a.keepPhotoLocation !== undefined && typeof a.keepPhotoLocation !== 'boolean') out.push('attachments.keepPhotoLocation（照片保留位置信息）须为 true/false');
    if (a.requiredFor !== undefined && (!Array.isArray(a.requiredFor) || !a.requiredFor.every((r) => (ATTACHMENT_REQUIREMENTS as readonly string[]).includes(r))))
      out.push('attachments.requiredFor（须附附件的环节）须为 problem_close/acceptance 中的零项或多项');
  }
  out.push(...extensionPolicyProblems(p));
  out.push(...practicePolicyProblems(p));
  return out;
}
