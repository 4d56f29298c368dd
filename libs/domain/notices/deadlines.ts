import { noticeSettings } from '../policy';
import { unbent } from '../case/rules/edition';
import { addDays, quarterEnd, quarterKey, quarterOf, shanghaiDateOf, type Quarter } from '../shanghai-time';
import { visitsByQuarter } from '../case/acceptance';
import { timesExtended } from '../case/extension-records';
import { inspectionDeadlines } from '../case/playbook';
import type { CaseState } from '../case/types';
import type { Deadline, EscalationRung, NoticePlanRequest, PlannedNotice, Recipient } from './types';

/** Stages in which deadlines run; an accepted (converted) case stops everything. */
const RUNNING = ['designated', 'rectifying', 'awaiting_acceptance'];
const ALL_RUNGS: EscalationRung[] = ['supervision', 'public_notice', 'interview'];

function previousQuarter(q: Quarter): Quarter {
  return q.quarter === 1 ? { year: q.year - 1, quarter: 4 } : { year: q.year, quarter: (q.quarter - 1) as Quarter['quarter'] };
}

/**
 * The case's deadlines that are still open (DOMAIN.md "Reminders and escalation"): the contact leader's
 * visit of the running quarter (and of the quarter just ended, while its escalation is pending), the
 * secretary's 3 months, each plan measure, and the year-end conversion.
 */
export function openDeadlines(state: CaseState, nowMs: number): Deadline[] {
  if (state.stage === 'follow_up_review' && state.followUp && unbent(state)) return [followUpDeadline(state)];
  if (!RUNNING.includes(state.stage)) return [];
  const out: Deadline[] = [];
  // 第一责任人: the township Party secretary answers for every case of the township.
  const township: Recipient = { role: state.firstResponsible.role, regionId: state.firstResponsible.regionId };
  const county: Recipient = { role: 'county_org_admin', regionId: state.countyId };
  const team: Recipient = { role: 'team_leader', regionId: state.organizationRegionId ?? state.townshipId };

  const leader = state.contactLeader;
  if (leader) {
    const visits = visitsByQuarter(state);
    const assignedQuarter = quarterOf(shanghaiDateOf(Date.parse((state.previousContactLeaders[0] ?? leader).assignedAt)));
    const current = quarterOf(shanghaiDateOf(nowMs));
    const before = (a: Quarter, b: Quarter) => a.year < b.year || (a.year === b.year && a.quarter < b.quarter);
    for (const q of [previousQuarter(current), current]) {
      if (before(q, assignedQuarter)) continue;
      const key = quarterKey(q);
      if ((visits[key] ?? 0) >= state.policy.visitsPerQuarter) continue;
      out.push({
        key: `quarter_visit:${key}`,
        kind: 'quarter_visit',
        subjectId: key,
        title: `${key} 联系领导到${state.organizationName}调研指导`,
        dueOn: quarterEnd(q),
        responsible: [{ role: leader.isCountyPartySecretary ? 'county_party_secretary' : 'county_leader', regionId: state.countyId, userId: leader.id }],
        // A quarter that ended without its visit cannot be made up: one escalation, to the township
        // party secretary and the county organization department.
        rungs: ['supervision'],
        escalationRecipients: { supervision: [township, county] },
      });
    }
  }

  const s = state.secretary;
  if (s.required && s.deadline && !s.appointment) {
    out.push({ key: 'secretary', kind: 'secretary', title: `为${state.organizationName}选配合格的党支部书记`, dueOn: s.deadline, responsible: [township], rungs: ALL_RUNGS, ...extendedTimes(state, 'secretary') });
  }

  for (const m of state.measures) {
    if (m.status === 'done') continue;
    out.push({ key: `measure:${m.id}`, kind: 'measure', subjectId: m.id, title: `整改措施：${m.description.slice(0, 60)}（责任人 ${m.owner}）`, dueOn: m.dueOn, responsible: [team], rungs: ALL_RUNGS, ...extendedTimes(state, `measure:${m.id}`) });
  }

  out.push(...inspectionDeadlines(state));

  if (!state.acceptedAt) {
    out.push({ key: 'year_end', kind: 'year_end', title: `${state.organizationName}年底前转化提升`, dueOn: state.yearEndDeadline, responsible: [township], rungs: ALL_RUNGS });
  }
  return out;
}

/** 延期 N 次: an extended deadline's notices are keyed by the round, so the new date's ladder is a new one. */
function extendedTimes(state: CaseState, key: string): { extended?: number } {
  const times = timesExtended(state, key);
  return times > 0 ? { extended: times } : {};
}

/**
 * 回头看 overdue climbs the ladder like any deadline: the county organization department owes it, the
 * county organization department is supervised and noticed, the county party secretary holds the 约谈.
 */
function followUpDeadline(state: CaseState): Deadline {
  const county: Recipient = { role: 'county_org_admin', regionId: state.countyId };
  return {
    key: 'follow_up',
    kind: 'follow_up',
    title: `对${state.organizationName}开展回头看`,
    dueOn: addDays(state.followUp!.dueOn, state.policy.followUpReviewDays),
    responsible: [county],
    rungs: ALL_RUNGS,
    escalationRecipients: { supervision: [county], public_notice: [county] },
  };
}

/**
 * Was a deadline that left the open list met? A quarter that ended without its visit leaves the list
 * once the next quarter is over, but was not met: its escalation stays open until someone acts on it.
 */
export function deadlineMet(state: CaseState, key: string): boolean {
  if (!key.startsWith('quarter_visit:')) return true;
  return (visitsByQuarter(state)[key.slice('quarter_visit:'.length)] ?? 0) >= state.policy.visitsPerQuarter;
}

/** What the planning activity needs for these deadlines, under the case's policy. */
export function noticePlanRequest(state: CaseState, deadlines: Deadline[]): NoticePlanRequest {
  const settings = noticeSettings(state.policy);
  return {
    caseId: state.caseId,
    deadlines,
    reminderDaysBefore: state.policy.reminderDaysBefore,
    escalationDaysOverdue: state.policy.escalationDaysOverdue,
    countWorkingDays: settings.countWorkingDays,
    shiftToWorkingDay: settings.shiftNoticesToWorkingDay,
    noticeHour: settings.noticeHour,
    // Each rung a level higher: 督办 the township, 通报 the county organization department, 约谈 the county leadership.
    escalationRecipients: {
      supervision: [{ role: 'township_party_secretary', regionId: state.townshipId }],
      public_notice: [{ role: 'county_org_admin', regionId: state.countyId }],
      interview: [{ role: 'county_party_secretary', regionId: state.countyId }],
    },
  };
}

/** A fingerprint of the deadlines: the plan is remade only when it changes. */
export function deadlineSignature(deadlines: Deadline[]): string {
  return deadlines.map((d) => `${d.key}@${d.dueOn}`).sort().join('|');
}

const RUNG_ORDER = ['reminder', 'supervision', 'public_notice', 'interview'];

/** After a re-plan: the done keys still in the new plan (a notice planned no more is forgotten). */
export function doneStillPlanned(planned: PlannedNotice[], done: string[]): string[] {
  const plannedKeys = new Set(planned.map((p) => p.key));
  return done.filter((k) => plannedKeys.has(k));
}

/**
 * After a re-plan: when each open deadline was first planned, kept for those planned before and now
 * for the new ones; a deadline no longer open is forgotten. Its notices count from that moment.
 */
export function firstPlannedMoments(before: Record<string, number>, openKeys: string[], nowMs: number): Record<string, number> {
  const after: Record<string, number> = {};
  for (const k of Object.keys(before)) if (openKeys.includes(k)) after[k] = before[k];
  for (const k of openKeys) after[k] ??= nowMs;
  return after;
}

/**
 * The notices to raise now. A notice whose moment had already passed when its deadline was first
 * planned (a measure added with a due date in the past, say) is not raised late: its reminders are
 * skipped, and of its escalations only the highest rung already reached goes out.
 */
export function dueNotices(
  planned: PlannedNotice[],
  done: Set<string>,
  firstPlannedAt: Record<string, number>,
  nowMs: number,
): { raise: PlannedNotice[]; skip: PlannedNotice[] } {
  const raise: PlannedNotice[] = [];
  const skip: PlannedNotice[] = [];
  const stale = new Map<string, PlannedNotice[]>();
  for (const n of planned) {
    if (done.has(n.key) || n.atMs > nowMs) continue;
    const since = firstPlannedAt[n.deadlineKey] ?? 0;
    if (n.atMs >= since) raise.push(n);
    else stale.set(n.deadlineKey, [...(stale.get(n.deadlineKey) ?? []), n]);
  }
  for (const group of stale.values()) {
    const escalations = group.filter((n) => n.rung !== 'reminder').sort((a, b) => RUNG_ORDER.indexOf(a.rung) - RUNG_ORDER.indexOf(b.rung));
    const highest = escalations.at(-1);
    for (const n of group) (n === highest ? raise : skip).push(n);
  }
  raise.sort((a, b) => a.atMs - b.atMs || a.key.localeCompare(b.key));
  return { raise, skip };
}
