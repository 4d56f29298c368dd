import { ApplicationFailure, log } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { preparedQuery } from '../libs/persistence';
import {
  addDays,
  daysBetween,
  isLocalDate,
  startOfShanghaiDay,
  WorkingCalendar,
  yearOf,
  yearsSpanned,
  type CalendarDay,
  type Deadline,
  type EscalationRung,
  type LocalDate,
  type NoticePlanRequest,
  type NoticeRung,
  type PlannedNotice,
} from '../libs/domain';

export interface NoticePlanningDeps {
  dataSource: DataSource;
  /** Where warnings go when an activity is called outside a worker (no activity context); default: stderr. */
  logger?: { warn(meta: Record<string, unknown>, message: string): void };
}

const HOUR_MS = 60 * 60 * 1000;

/** How often a worker repeats the warning about a year without statutory calendar data. */
const MISSING_CALENDAR_WARNING_INTERVAL_MS = HOUR_MS;

/** Days overdue of each escalation rung, from the request's policy numbers. */
const RUNG_DAYS: Record<EscalationRung, keyof NoticePlanRequest['escalationDaysOverdue']> = {
  supervision: 'supervision',
  public_notice: 'publicNotice',
  interview: 'interview',
};

/** What the escalation does, in the reason: "……已逾期15天，予以通报". */
const RUNG_ACTION: Record<EscalationRung, string> = {
  supervision: '督办',
  public_notice: '通报',
  interview: '约谈',
};

/** Days a warning names at most (the rest are counted). */
const MAX_NAMED_DAYS = 10;

/**
 * The notice days of a plan that fall in, or were counted across, a year without holiday data: the
 * days the planning could not place on the real calendar, each with what goes out then.
 */
function unplacedDays(notices: PlannedNotice[], missing: ReadonlySet<number>): { on: LocalDate; what: string }[] {
  const byDay = new Map<LocalDate, string[]>();
  for (const n of notices) {
    if (!yearsSpanned(n.dueOn, n.on).some((y) => missing.has(y))) continue;
    const what = `${n.title}${n.rung === 'reminder' ? '提醒' : RUNG_ACTION[n.rung]}`;
    byDay.set(n.on, [...new Set([...(byDay.get(n.on) ?? []), what])]);
  }
  return [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([on, whats]) => ({ on, what: whats.join('，') }));
}

/** Calendar years [from, to] the planning reads the working calendar for. */
interface YearRange {
  from: number;
  to: number;
}

/**
 * The explicit calendar days and loaded years of a range of years, in one query, as a WorkingCalendar.
 * Years outside the range count as having no data.
 */
async function loadCalendar(dataSource: DataSource, range: YearRange): Promise<WorkingCalendar> {
  // Prepared: it runs at every re-plan, which most actions of a case make.
  const rows = await preparedQuery<{ date: string | null; is_workday: boolean | null; name: string | null; year: number | null }>(
    dataSource,
    `SELECT to_char(date, 'YYYY-MM-DD') AS date, is_workday, name, NULL::int AS year
       FROM calendar_day WHERE date BETWEEN make_date($1, 1, 1) AND make_date($2, 12, 31)
     UNION ALL
     SELECT NULL, NULL, NULL, year FROM calendar_year WHERE year BETWEEN $1 AND $2`,
    [range.from, range.to],
  );
  const days: CalendarDay[] = [];
  const years: number[] = [];
  for (const r of rows) {
    if (r.year !== null) years.push(Number(r.year));
    else if (r.date !== null) days.push({ date: r.date, isWorkday: r.is_workday === true, ...(r.name !== null ? { name: r.name } : {}) });
  }
  return new WorkingCalendar(days, years);
}

/** Warns through the activity logger (the worker's), or the deps' logger when called outside an activity. */
function warn(message: string, meta: Record<string, unknown>, logger: NoticePlanningDeps['logger']): void {
  try {
    log.warn(message, meta);
  } catch {
    if (logger) logger.warn(meta, message);
    else process.stderr.write(`${JSON.stringify({ level: 'warn', time: new Date().toISOString(), msg: message, ...meta })}\n`);
  }
}

function validate(request: NoticePlanRequest): void {
  const problems: string[] = [];
  if (!Number.isInteger(request.noticeHour) || request.noticeHour < 0 || request.noticeHour > 23) problems.push(`noticeHour must be 0–23: ${request.noticeHour}`);
  for (const d of request.reminderDaysBefore) if (!Number.isInteger(d) || d < 0) problems.push(`reminderDaysBefore must be whole days ≥ 0: ${d}`);
  for (const [rung, d] of Object.entries(request.escalationDaysOverdue)) if (!Number.isInteger(d) || d < 0) problems.push(`escalationDaysOverdue.${rung} must be whole days ≥ 0: ${d}`);
  for (const deadline of request.deadlines) if (!isLocalDate(deadline.dueOn)) problems.push(`deadline ${deadline.key}: dueOn is not a date: ${deadline.dueOn}`);
  if (problems.length > 0) throw ApplicationFailure.nonRetryable(`invalid notice plan request: ${problems.join('; ')}`, 'InvalidNoticePlanRequest');
}

/** Computes the plan on a calendar; also answers the years whose calendar the computation consulted. */
function plan(request: NoticePlanRequest, calendar: WorkingCalendar): { notices: PlannedNotice[]; consulted: Set<number> } {
  const { caseId, countWorkingDays, shiftToWorkingDay: shift, noticeHour } = request;
  const consulted = new Set<number>();
  const notices: PlannedNotice[] = [];

  /** The notice day `days` policy days from the due date (negative: before), then shifted if asked. */
  const noticeDay = (dueOn: LocalDate, days: number): { raw: LocalDate; on: LocalDate } => {
    const raw = calendar.addPolicyDays(dueOn, days, countWorkingDays);
    let on = calendar.shiftToWorkingDay(raw, shift);
    // A reminder moved forward may not land after its deadline: it goes out on the last working day before instead.
    if (days < 0 && on > dueOn) on = calendar.previousWorkingDay(addDays(raw, -1));
    if (countWorkingDays) for (const y of yearsSpanned(dueOn, on)) consulted.add(y);
    if (shift) for (const y of yearsSpanned(raw, on)) consulted.add(y);
    return { raw, on };
  };

  const notice = (deadline: Deadline, rung: NoticeRung, offsetDays: number, on: LocalDate, reason: string, recipients: PlannedNotice['recipients']): PlannedNotice => ({
    // After an extension (延期 N 次) the new date's ladder is a new one: its notices are keyed apart from the old date's.
    key: `${caseId}:${deadline.key}:${rung}${rung === 'reminder' ? `:${offsetDays}` : ''}${deadline.extended ? `:x${deadline.extended}` : ''}`,
    caseId,
    deadlineKey: deadline.key,
    kind: deadline.kind,
    rung,
    offsetDays,
    title: deadline.title,
    reason,
    dueOn: deadline.dueOn,
    on,
    atMs: startOfShanghaiDay(on) + noticeHour * HOUR_MS,
    recipients: recipients.map((r) => ({ ...r })),
  });

  const unit = countWorkingDays ? '个工作日' : '天';
  for (const deadline of request.deadlines) {
    for (const days of [...new Set(request.reminderDaysBefore)]) {
      const { on } = noticeDay(deadline.dueOn, -days);
      const left = countWorkingDays ? days : daysBetween(on, deadline.dueOn);
      const when = left > 0 ? `（还有${left}${unit}）` : '（今日到期）';
      notices.push(notice(deadline, 'reminder', days, on, `${deadline.title} 将于 ${deadline.dueOn} 到期${when}`, deadline.responsible));
    }
    for (const rung of [...new Set(deadline.rungs)]) {
      const days = request.escalationDaysOverdue[RUNG_DAYS[rung]];
      const { on } = noticeDay(deadline.dueOn, days);
      const overdue = countWorkingDays ? days : daysBetween(deadline.dueOn, on);
      const reason =
        overdue > 0 ? `${deadline.title}已逾期${overdue}${unit}，予以${RUNG_ACTION[rung]}` : `${deadline.title}于 ${deadline.dueOn} 到期，予以${RUNG_ACTION[rung]}`;
      // A deadline may name its own recipients for a rung (a missed quarter: township and county department).
      notices.push(notice(deadline, rung, days, on, reason, deadline.escalationRecipients?.[rung] ?? request.escalationRecipients[rung] ?? []));
    }
  }
  notices.sort((a, b) => a.atMs - b.atMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { notices, consulted };
}

/**
 * Plans a case's reminders and escalations on China's working calendar (the calendar_day table: the
 * `chinese-days` statutory data plus the county's corrections). Pure reading: a retry plans the same.
 */
export function createNoticePlanningActivities({ dataSource, logger }: NoticePlanningDeps) {
  /**
   * When each year without statutory data was last warned about. The warning names a gap in the
   * calendar, not a case: repeated for every plan it flooded the worker's log (thousands of lines a
   * minute when many cases plan at once), so it is given once an hour per year.
   */
  const lastWarnedAt = new Map<number, number>();
  const yearsToWarnAbout = (missing: number[]): number[] => {
    const now = Date.now();
    const due = missing.filter((y) => now - (lastWarnedAt.get(y) ?? -Infinity) >= MISSING_CALENDAR_WARNING_INTERVAL_MS);
    for (const y of due) lastWarnedAt.set(y, now);
    return due;
  };

  return {
    /**
     * Every reminder (each `reminderDaysBefore`, to the deadline's responsible people) and escalation
     * (each rung the deadline climbs, to that rung's recipients) of the request's deadlines, sorted by
     * the instant they go out. With `countWorkingDays` the policy's days count working days; with
     * `shiftToWorkingDay` a notice day off work moves to the next working day. A year without
     * statutory data counts Monday–Friday, with a warning naming it (once an hour per year).
     */
    async planNotices(request: NoticePlanRequest): Promise<PlannedNotice[]> {
      validate(request);
      if (request.deadlines.length === 0) return [];
      if (!request.countWorkingDays && !request.shiftToWorkingDay) return plan(request, WorkingCalendar.weekdaysOnly()).notices;

      // Working days stretch policy days by about 1.5 (a week-long holiday more): read generously, once.
      const maxBefore = Math.max(0, ...request.reminderDaysBefore);
      const maxAfter = Math.max(0, ...Object.values(request.escalationDaysOverdue));
      const dues = request.deadlines.map((d) => d.dueOn).sort();
      let range: YearRange = {
        from: yearOf(addDays(dues[0], -(2 * maxBefore + 31))),
        to: yearOf(addDays(dues[dues.length - 1], 2 * maxAfter + 31)),
      };
      for (;;) {
        const calendar = await loadCalendar(dataSource, range);
        const { notices, consulted } = plan(request, calendar);
        const outside = [...consulted].filter((y) => y < range.from || y > range.to);
        if (outside.length > 0) {
          // Counted past what was read (not expected): read the wider range and plan again.
          range = { from: Math.min(range.from, ...outside), to: Math.max(range.to, ...outside) };
          continue;
        }
        const missing = yearsToWarnAbout([...consulted].filter((y) => !calendar.hasDataFor(y)).sort((a, b) => a - b));
        if (missing.length > 0) {
          const days = unplacedDays(notices, new Set(missing));
          const named = days.slice(0, MAX_NAMED_DAYS).map((d) => `${d.on}（${d.what}）`).join('、');
          const more = days.length > MAX_NAMED_DAYS ? ` 等 ${days.length} 天` : '';
          warn(
            `工作日历缺少 ${missing.join('、')} 年的法定节假日数据，按周一至周五计算工作日；未能按节假日安排核对的日期：${named}${more}。请在“工作日历”中导入该年节假日安排 / ` +
              `no statutory calendar for ${missing.join(', ')}: counting Monday–Friday as working days; days not checked against holidays: ${days
                .slice(0, MAX_NAMED_DAYS)
                .map((d) => d.on)
                .join(', ')}`,
            { caseId: request.caseId, years: missing, days: days.slice(0, MAX_NAMED_DAYS).map((d) => d.on) },
            logger,
          );
        }
        return notices;
      }
    },
  };
}
