/**
 * Calendar arithmetic in Asia/Shanghai. China Standard Time is UTC+8 all year (no daylight saving
 * since 1991), so a fixed offset is exact for every date this system handles, and these functions
 * stay pure and deterministic — safe inside workflow code.
 *
 * A LocalDate is 'YYYY-MM-DD' as a person in China reads the calendar.
 */
export type LocalDate = string;

export const SHANGHAI_UTC_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLocalDate(value: unknown): value is LocalDate {
  if (typeof value !== 'string') return false;
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Year 0000 does not exist in the Gregorian calendar (PostgreSQL refuses it as a date).
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parts(date: LocalDate): [number, number, number] {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new Error(`not a date (YYYY-MM-DD): ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(y: number, m: number, d: number): LocalDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The Shanghai calendar date at an instant. */
export function shanghaiDateOf(instantMs: number): LocalDate {
  const d = new Date(instantMs + SHANGHAI_UTC_OFFSET_MS);
  return format(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** The instant a Shanghai day begins (00:00 CST). */
export function startOfShanghaiDay(date: LocalDate): number {
  const [y, m, d] = parts(date);
  return Date.UTC(y, m - 1, d) - SHANGHAI_UTC_OFFSET_MS;
}

/** The instant a Shanghai day is over (00:00 CST of the next day): a deadline on `date` has passed then. */
export function endOfShanghaiDay(date: LocalDate): number {
  return startOfShanghaiDay(date) + DAY_MS;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return shanghaiDateOf(startOfShanghaiDay(date) + days * DAY_MS);
}

/** Calendar months later, clamped to the month's last day (30 Nov + 3 months = 28/29 Feb). */
export function addCalendarMonths(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = parts(date);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = (index % 12) + 1;
  return format(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whole days from a to b (negative if b is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((startOfShanghaiDay(b) - startOfShanghaiDay(a)) / DAY_MS);
}

export interface Quarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

/** 'YYYY-Qn' */
export type QuarterKey = string;

export function quarterOf(date: LocalDate): Quarter {
  const [y, m] = parts(date);
  return { year: y, quarter: (Math.floor((m - 1) / 3) + 1) as Quarter['quarter'] };
}

export function quarterKey(q: Quarter): QuarterKey {
  return `${q.year}-Q${q.quarter}`;
}

export function quarterStart(q: Quarter): LocalDate {
  return format(q.year, (q.quarter - 1) * 3 + 1, 1);
}

export function quarterEnd(q: Quarter): LocalDate {
  const lastMonth = q.quarter * 3;
  return format(q.year, lastMonth, daysInMonth(q.year, lastMonth));
}

export function nextQuarter(q: Quarter): Quarter {
  return q.quarter === 4 ? { year: q.year + 1, quarter: 1 } : { year: q.year, quarter: (q.quarter + 1) as Quarter['quarter'] };
}

/** Quarters from the one containing `from` through the one containing `to`, inclusive. */
export function quartersBetween(from: LocalDate, to: LocalDate): Quarter[] {
  const out: Quarter[] = [];
  let q = quarterOf(from);
  const last = quarterOf(to);
  while (q.year < last.year || (q.year === last.year && q.quarter <= last.quarter)) {
    out.push(q);
    q = nextQuarter(q);
  }
  return out;
}

/** 31 December of a year: the year-end conversion deadline of its batch (seed 003). */
export function yearEndOf(year: number): LocalDate {
  return format(year, 12, 31);
}
