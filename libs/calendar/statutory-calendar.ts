import type { DataSource, EntityManager } from 'typeorm';
import { isLocalDate, yearOf, type CalendarDay, type LocalDate } from '../domain';

/**
 * China's statutory calendar as published by the State Council each year, from the `chinese-days`
 * package: `holidays` and `workdays` (make-up working days, 调休上班) map 'YYYY-MM-DD' to
 * "English,中文,n". Upgrading the package brings the next year's calendar.
 */
interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

export const STATUTORY_SOURCE = 'chinese-days';

let cached: { days: CalendarDay[]; years: number[] } | undefined;

/** Chinese name of an entry "English,中文,n" (the English when there is no Chinese). */
function chineseName(entry: string): string {
  const [en, zh] = entry.split(',');
  return (zh || en || '').trim();
}

/** Every holiday and make-up working day of the package, by date, and the years it covers. */
export function statutoryCalendar(): { days: CalendarDay[]; years: number[] } {
  if (!cached) {
    const data = require('chinese-days/dist/chinese-days.json') as ChineseDaysData;
    const byDate = new Map<LocalDate, CalendarDay>();
    for (const [date, entry] of Object.entries(data.holidays ?? {})) {
      if (isLocalDate(date)) byDate.set(date, { date, isWorkday: false, name: chineseName(entry) });
    }
    for (const [date, entry] of Object.entries(data.workdays ?? {})) {
      if (isLocalDate(date)) byDate.set(date, { date, isWorkday: true, name: `${chineseName(entry)}调休上班` });
    }
    const days = [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
    const years = [...new Set(days.map((d) => yearOf(d.date)))].sort((a, b) => a - b);
    cached = { days, years };
  }
  return cached;
}

/** The statutory entry of a date, if the data has one. */
export function statutoryDayOf(date: LocalDate): CalendarDay | undefined {
  return statutoryCalendar().days.find((d) => d.date === date);
}

export interface StatutoryCalendarLoad {
  /** Years the data covers (all marked loaded after the call). */
  years: number[];
  /** Days in the data. */
  days: number;
  /** Days and years written by this call (0 when everything was there already). */
  insertedDays: number;
  insertedYears: number;
}

/**
 * Loads every statutory holiday and make-up working day into calendar_day and marks their years in
 * calendar_year — one statement, `ON CONFLICT DO NOTHING`, so it is idempotent and never overwrites
 * a day a county has corrected (or anything else already there). Run at worker start-up.
 */
export async function loadStatutoryCalendar(dataSource: DataSource | EntityManager): Promise<StatutoryCalendarLoad> {
  const { days, years } = statutoryCalendar();
  const rows: { days: number; years: number }[] = await dataSource.query(
    `WITH input AS (
       SELECT * FROM unnest($1::date[], $2::boolean[], $3::varchar[]) AS t(date, is_workday, name)
     ), new_days AS (
       INSERT INTO calendar_day (date, is_workday, name, source)
       SELECT date, is_workday, name, $5 FROM input
       ON CONFLICT (date) DO NOTHING
       RETURNING 1
     ), new_years AS (
       INSERT INTO calendar_year (year, source)
       SELECT unnest($4::int[]), $5
       ON CONFLICT (year) DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM new_days)::int AS days, (SELECT count(*) FROM new_years)::int AS years`,
    [days.map((d) => d.date), days.map((d) => d.isWorkday), days.map((d) => d.name ?? null), years, STATUTORY_SOURCE],
  );
  return { years, days: days.length, insertedDays: rows[0]?.days ?? 0, insertedYears: rows[0]?.years ?? 0 };
}

/**
 * Puts a date back to its statutory entry (if the data has one) once a correction is removed; does
 * nothing when a row for the date exists.
 */
export async function restoreStatutoryDay(manager: EntityManager, date: LocalDate): Promise<CalendarDay | undefined> {
  const day = statutoryDayOf(date);
  if (!day) return undefined;
  await manager.query(
    `INSERT INTO calendar_day (date, is_workday, name, source) VALUES ($1, $2, $3, $4) ON CONFLICT (date) DO NOTHING`,
    [day.date, day.isWorkday, day.name ?? null, STATUTORY_SOURCE],
  );
  return day;
}
