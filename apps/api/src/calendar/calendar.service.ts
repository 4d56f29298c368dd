import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isWeekend, shanghaiDateOf, type CalendarDaySource, type LocalDate } from '../../../../libs/domain';
import type { AppConfig } from '../../../../libs/config';
import { restoreStatutoryDay } from '../../../../libs/calendar';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { recordAudit } from '../audit/audit-writer';
import { CalendarException } from './calendar.exception';
import { APP_CONFIG } from '../config/config.module';
import { SpreadsheetException, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { missingCalendarYears, readCalendarFile } from './calendar-import';
import type { CorrectCalendarDayDto } from './dto/calendar.dto';

/** A day of the working calendar that differs from a Monday–Friday week, as the API answers it. */
export interface CalendarDayView {
  date: LocalDate;
  isWorkday: boolean;
  name: string | null;
  /** 'chinese-days': the statutory data; 'manual': a county's correction. */
  source: CalendarDaySource;
  updatedAt: string;
  updatedBy: { id: string; name: string } | null;
}

export interface CalendarYearView {
  year: number;
  /** Whether the statutory calendar of the year is loaded; if not, Monday–Friday (and any correction) applies. */
  hasData: boolean;
  loadedAt: string | null;
  /** The year's explicit days: holidays, make-up working days and corrections, by date. */
  days: CalendarDayView[];
}

/** A day after its correction was removed: the statutory entry restored, or a plain day. */
export interface CalendarDateView {
  date: LocalDate;
  isWorkday: boolean;
  day: CalendarDayView | null;
}

interface DayRow {
  date: string;
  is_workday: boolean;
  name: string | null;
  source: CalendarDaySource;
  updated_at: Date;
  updated_by_id: string | null;
  updated_by_name: string | null;
}

const DAY_COLUMNS = `to_char(date, 'YYYY-MM-DD') AS date, is_workday, name, source, updated_at, updated_by_id, updated_by_name`;

function view(r: DayRow): CalendarDayView {
  return {
    date: r.date,
    isWorkday: r.is_workday,
    name: r.name,
    source: r.source,
    updatedAt: new Date(r.updated_at).toISOString(),
    updatedBy: r.updated_by_id ? { id: r.updated_by_id, name: r.updated_by_name ?? '' } : null,
  };
}

export interface CalendarImportResult {
  year: number;
  rows: number;
  holidays: number;
  workdays: number;
  /** Days already in the calendar whose entry the file changed, with what they were. */
  changed: { date: LocalDate; before: { isWorkday: boolean; name: string | null; source: CalendarDaySource } }[];
}

export interface CalendarStatus {
  /** Today in Asia/Shanghai. */
  today: LocalDate;
  /** This year if it has no holiday data; from 1 November also next year if it has none. */
  missingYears: number[];
  /** The banner the county organization department sees on every page until the year is imported; null for others or when nothing is missing. */
  banner: string | null;
}

/** China's working calendar: statutory holidays and make-up working days, corrected by the county. */
@Injectable()
export class CalendarService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Whether the calendar is ready for the coming year, for the banner of the county organization department. */
  async status(user: AuthUser, nowMs = Date.now()): Promise<CalendarStatus> {
    const today = shanghaiDateOf(nowMs);
    const year = Number(today.slice(0, 4));
    const rows: { year: number }[] = await this.dataSource.query(`SELECT year FROM calendar_year WHERE year BETWEEN $1 AND $2`, [year, year + 1]);
    const missingYears = missingCalendarYears(today, new Set(rows.map((r) => Number(r.year))));
    const banner =
      user.role === 'county_org_admin' && missingYears.length > 0
        ? `工作日历缺少 ${missingYears.join('、')} 年的法定节假日安排：提醒和督办将按周一至周五计算，可能落在节假日。请在“工作日历”中导入国务院办公厅公布的节假日安排。`
        : null;
    return { today, missingYears, banner };
  }

  /**
   * Imports a year's official holiday schedule (holidays 休 and make-up working days 班), so a county
   * need not wait for a release of the statutory data: all rows valid or nothing written; listed days
   * are written (overwriting what was there, as a county's own entries: source 'manual') and the year
   * is marked as having data. Days not in the file stay as they were. Audited.
   */
  async importSchedule(user: AuthUser, file: UploadedSpreadsheet | undefined, year: number): Promise<CalendarImportResult> {
    if (!file) throw SpreadsheetException.fileMissing('file');
    const { rows, days } = await readCalendarFile(file, this.config.imports, year, this.config.imports.maxReportedProblems);
    return this.dataSource.transaction(async (tx) => {
      const before: DayRow[] = await tx.query(`SELECT ${DAY_COLUMNS} FROM calendar_day WHERE date = ANY($1::date[]) FOR UPDATE`, [days.map((d) => d.date)]);
      const beforeByDate = new Map(before.map((b) => [b.date, b]));
      await tx.query(
        `INSERT INTO calendar_day (date, is_workday, name, source, updated_at, updated_by_id, updated_by_name)
         SELECT date, is_workday, NULLIF(name, ''), 'manual', now(), $4, $5 FROM unnest($1::date[], $2::boolean[], $3::varchar[]) AS t(date, is_workday, name)
         ON CONFLICT (date) DO UPDATE SET is_workday = EXCLUDED.is_workday, name = EXCLUDED.name, source = 'manual',
           updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id, updated_by_name = EXCLUDED.updated_by_name`,
        [days.map((d) => d.date), days.map((d) => d.isWorkday), days.map((d) => d.name), user.id, user.name],
      );
      await tx.query(`INSERT INTO calendar_year (year, source) VALUES ($1, 'manual') ON CONFLICT (year) DO NOTHING`, [year]);
      const changed = days
        .map((d) => ({ d, b: beforeByDate.get(d.date) }))
        .filter(({ d, b }) => b && (b.is_workday !== d.isWorkday || (b.name ?? '') !== d.name))
        .map(({ d, b }) => ({ date: d.date, before: { isWorkday: b!.is_workday, name: b!.name, source: b!.source } }));
      const holidays = days.filter((d) => !d.isWorkday).length;
      await recordAudit(tx, {
        actor: actorOf(user),
        action: 'calendar.imported',
        payload: { year, fileName: file.originalname, holidays, workdays: days.length - holidays, changed },
      });
      return { year, rows, holidays, workdays: days.length - holidays, changed };
    });
  }

  async year(year: number): Promise<CalendarYearView> {
    const [days, loaded] = await Promise.all([
      this.dataSource.query(`SELECT ${DAY_COLUMNS} FROM calendar_day WHERE date BETWEEN make_date($1, 1, 1) AND make_date($1, 12, 31) ORDER BY date`, [year]) as Promise<DayRow[]>,
      this.dataSource.query(`SELECT loaded_at FROM calendar_year WHERE year = $1`, [year]) as Promise<{ loaded_at: Date }[]>,
    ]);
    return { year, hasData: loaded.length > 0, loadedAt: loaded[0] ? new Date(loaded[0].loaded_at).toISOString() : null, days: days.map(view) };
  }

  /** Sets a day to working or not (source 'manual'), audited as calendar.corrected. */
  async correct(user: AuthUser, date: LocalDate, dto: CorrectCalendarDayDto): Promise<CalendarDayView> {
    const name = dto.name?.trim() || null;
    return this.dataSource.transaction(async (tx) => {
      const before = await this.lockedDay(tx, date);
      const [row]: DayRow[] = await tx.query(
        `INSERT INTO calendar_day (date, is_workday, name, source, updated_at, updated_by_id, updated_by_name)
         VALUES ($1, $2, $3, 'manual', now(), $4, $5)
         ON CONFLICT (date) DO UPDATE SET is_workday = EXCLUDED.is_workday, name = EXCLUDED.name, source = 'manual',
           updated_at = EXCLUDED.updated_at, updated_by_id = EXCLUDED.updated_by_id, updated_by_name = EXCLUDED.updated_by_name
         RETURNING ${DAY_COLUMNS}`,
        [date, dto.isWorkday, name, user.id, user.name],
      );
      await recordAudit(tx, {
        actor: actorOf(user),
        action: 'calendar.corrected',
        payload: { date, isWorkday: dto.isWorkday, name, before: before ? { isWorkday: before.is_workday, name: before.name, source: before.source } : null },
      });
      return view(row);
    });
  }

  /**
   * Removes a county's correction: the day goes back to the statutory data (if it has the day) or to
   * Monday–Friday. Statutory days themselves are not removable (the worker would load them again).
   */
  async removeCorrection(user: AuthUser, date: LocalDate): Promise<CalendarDateView> {
    return this.dataSource.transaction(async (tx) => {
      const before = await this.lockedDay(tx, date);
      if (!before) throw CalendarException.correctionNotFound(date);
      if (before.source !== 'manual') throw CalendarException.statutoryDay(date);
      await tx.query(`DELETE FROM calendar_day WHERE date = $1`, [date]);
      const restored = await restoreStatutoryDay(tx, date);
      const [after]: DayRow[] = restored ? await tx.query(`SELECT ${DAY_COLUMNS} FROM calendar_day WHERE date = $1`, [date]) : [];
      await recordAudit(tx, {
        actor: actorOf(user),
        action: 'calendar.correction_removed',
        payload: { date, before: { isWorkday: before.is_workday, name: before.name, source: before.source }, restored: restored ?? null },
      });
      return { date, isWorkday: after ? after.is_workday : !isWeekend(date), day: after ? view(after) : null };
    });
  }

  private async lockedDay(tx: EntityManager, date: LocalDate): Promise<DayRow | undefined> {
    const rows: DayRow[] = await tx.query(`SELECT ${DAY_COLUMNS} FROM calendar_day WHERE date = $1 FOR UPDATE`, [date]);
    return rows[0];
  }
}
