import { addDays, isLocalDate, startOfShanghaiDay, SHANGHAI_UTC_OFFSET_MS, type LocalDate } from './shanghai-time';

/**
 * China's working calendar (工作日历): the State Council's statutory holidays (法定节假日, non-working
 * even on a weekday) and make-up working days (调休上班, working even on a weekend), over a plain
 * Monday–Friday week. Pure and deterministic — safe inside workflow code; the days themselves are
 * loaded by an activity (calendar_day table: the `chinese-days` data plus a county's corrections).
 */

/** A day the calendar states explicitly; every other day is a working day from Monday to Friday. */
export interface CalendarDay {
  date: LocalDate;
  /** false: a holiday; true: a make-up working day (调休上班), typically on a weekend. */
  isWorkday: boolean;
  /** e.g. "国庆节" or "国庆节调休上班". */
  name?: string;
}

/** Where an explicit day came from: the statutory data shipped with the system, or a county's correction. */
export const CALENDAR_DAY_SOURCES = ['chinese-days', 'manual'] as const;
export type CalendarDaySource = (typeof CALENDAR_DAY_SOURCES)[number];

/** 0 = Sunday … 6 = Saturday, of a Shanghai calendar date. */
export function dayOfWeek(date: LocalDate): number {
  return new Date(startOfShanghaiDay(date) + SHANGHAI_UTC_OFFSET_MS).getUTCDay();
}

export function isWeekend(date: LocalDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

/** The calendar year of a LocalDate. */
export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** The calendar years from one date to the other, inclusive (in either order). */
export function yearsSpanned(a: LocalDate, b: LocalDate): number[] {
  const [lo, hi] = [yearOf(a), yearOf(b)].sort((x, y) => x - y);
  const out: number[] = [];
  for (let y = lo; y <= hi; y++) out.push(y);
  return out;
}

export class WorkingCalendar {
  private readonly days = new Map<LocalDate, CalendarDay>();
  private readonly years: ReadonlySet<number>;

  /**
   * @param days explicit days (holidays and make-up working days); a later entry for the same date wins.
   * @param yearsWithData years whose statutory calendar is known; in other years only the explicit
   *   days listed (if any) differ from Monday–Friday.
   */
  constructor(days: readonly CalendarDay[], yearsWithData: Iterable<number>) {
    for (const day of days) {
      if (!isLocalDate(day.date)) throw new Error(`not a date (YYYY-MM-DD): ${String(day.date)}`);
      this.days.set(day.date, { ...day });
    }
    this.years = new Set(yearsWithData);
  }

  /** A calendar of plain Monday–Friday weeks, with no data for any year. */
  static weekdaysOnly(): WorkingCalendar {
    return new WorkingCalendar([], []);
  }

  /** Whether the statutory holidays of `year` are known (else that year is Monday–Friday). */
  hasDataFor(year: number): boolean {
    return this.years.has(year);
  }

  /** Years with statutory data, ascending. */
  yearsWithData(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** The explicit entry of a date, if there is one. */
  dayOf(date: LocalDate): CalendarDay | undefined {
    return this.days.get(date);
  }

  /** Explicit days of a year, by date. */
  daysOfYear(year: number): CalendarDay[] {
    return [...this.days.values()].filter((d) => yearOf(d.date) === year).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  isWorkingDay(date: LocalDate): boolean {
    const explicit = this.days.get(date);
    return explicit ? explicit.isWorkday : !isWeekend(date);
  }

  /** The date itself when it is a working day, else the first working day after it. */
  nextWorkingDay(date: LocalDate): LocalDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, 1);
    return d;
  }

  /** The date itself when it is a working day, else the last working day before it. */
  previousWorkingDay(date: LocalDate): LocalDate {
    let d = date;
    while (!this.isWorkingDay(d)) d = addDays(d, -1);
    return d;
  }

  /**
   * The n-th working day after `date` (n > 0) or before it (n < 0); `date` itself is not counted,
   * whether or not it is a working day. n = 0 answers `date` unchanged.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n)) throw new Error(`working days must be a whole number: ${n}`);
    const step = n < 0 ? -1 : 1;
    let d = date;
    for (let left = Math.abs(n); left > 0; ) {
      d = addDays(d, step);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** `date` plus `days` calendar days, or working days when `countWorkingDays`. */
  addPolicyDays(date: LocalDate, days: number, countWorkingDays: boolean): LocalDate {
    return countWorkingDays ? this.addWorkingDays(date, days) : addDays(date, days);
  }

  /** A notice day moved to the next working day when `shift` is on; unchanged otherwise. */
  shiftToWorkingDay(date: LocalDate, shift: boolean): LocalDate {
    return shift ? this.nextWorkingDay(date) : date;
  }
}
