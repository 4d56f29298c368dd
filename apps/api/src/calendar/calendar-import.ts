import { isLocalDate, shanghaiDateOf, yearOf, type LocalDate } from '../../../../libs/domain';
import { readSpreadsheet, SpreadsheetException, type ImportLimits, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { buildWorkbook } from '../exports/xlsx';
import { CalendarException, type CalendarImportProblem } from './calendar.exception';

/** The columns of a year's official holiday schedule (国务院办公厅关于节假日安排的通知). */
export const CALENDAR_COLUMNS = ['date', 'kind', 'name'] as const;
export type CalendarColumn = (typeof CALENDAR_COLUMNS)[number];

export const CALENDAR_COLUMN_LABELS: Record<CalendarColumn, string> = { date: '日期', kind: '类型', name: '名称' };

const HEADER_ALIASES: Record<CalendarColumn, string[]> = {
  date: ['日期', 'date'],
  kind: ['类型', '休/班', '休班', '安排', 'kind', 'type'],
  name: ['名称', '节日', '节假日', 'name', 'holiday'],
};

function normalize(header: string): string {
  return header.replace(/（/g, '(').replace(/）/g, ')').replace(/\s+/g, '').toLowerCase();
}

const HEADER_INDEX = new Map<string, CalendarColumn>(CALENDAR_COLUMNS.flatMap((col) => HEADER_ALIASES[col].map((a) => [normalize(a), col] as [string, CalendarColumn])));

/** 休/放假/holiday → a day off; 班/上班/调休上班/workday → a make-up working day; null otherwise. */
export function parseDayKind(text: string): 'holiday' | 'workday' | null {
  const t = normalize(text);
  if (['休', '放假', '休息', '假', 'holiday', 'off'].includes(t)) return 'holiday';
  if (['班', '上班', '调休上班', '补班', 'workday', 'work'].includes(t)) return 'workday';
  return null;
}

/** A date as files write it: 2027-01-01, 2027/1/1, 2027.1.1 or 2027年1月1日 (an Excel date cell reads as the first). */
export function parseImportDate(text: string): LocalDate | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  return isLocalDate(date) ? date : null;
}

export interface CalendarImportDay {
  line: number;
  date: LocalDate;
  isWorkday: boolean;
  name: string;
}

const NAME_MAX = 100;

/**
 * The days of a schedule file for `year`: every row checked (a real date in that year, once only, a
 * known kind, a name for a holiday); any problem refuses the file with each one named (400).
 */
export async function readCalendarFile(file: UploadedSpreadsheet | undefined, limits: ImportLimits, year: number, maxListed: number): Promise<{ rows: number; days: CalendarImportDay[] }> {
  const lines = await readSpreadsheet(file, limits);
  const header = lines[0];
  const columnAt = new Map<CalendarColumn, number>();
  const problems: CalendarImportProblem[] = [];
  header.cells.forEach((text, i) => {
    const col = HEADER_INDEX.get(normalize(text));
    if (!col) return;
    if (columnAt.has(col)) problems.push({ line: header.line, field: CALENDAR_COLUMN_LABELS[col], reason: `表头重复：${text.trim()}` });
    else columnAt.set(col, i);
  });
  for (const col of ['date', 'kind'] as const) {
    if (!columnAt.has(col)) problems.push({ line: header.line, field: CALENDAR_COLUMN_LABELS[col], reason: `缺少“${CALENDAR_COLUMN_LABELS[col]}”列（表头可用中文或英文：${HEADER_ALIASES[col].join('、')}）` });
  }
  if (problems.length > 0) throw CalendarException.importInvalid(0, problems, problems.length);

  const cell = (cells: string[], col: CalendarColumn) => (columnAt.has(col) ? (cells[columnAt.get(col)!] ?? '').trim() : '');
  const days: CalendarImportDay[] = [];
  const firstLine = new Map<LocalDate, number>();
  const data = lines.slice(1);
  if (data.length === 0) throw SpreadsheetException.empty();
  for (const { line, cells } of data) {
    const bad = (col: CalendarColumn, reason: string) => problems.push({ line, field: CALENDAR_COLUMN_LABELS[col], reason });
    const dateText = cell(cells, 'date');
    const date = parseImportDate(dateText);
    if (!dateText) bad('date', '日期不能为空');
    else if (!date) bad('date', `日期“${dateText}”无法识别，应为 ${year}-01-01 这样的日期`);
    else if (yearOf(date) !== year) bad('date', `${date} 不在 ${year} 年`);
    else if (firstLine.has(date)) bad('date', `${date} 与第 ${firstLine.get(date)} 行重复`);
    if (date && !firstLine.has(date)) firstLine.set(date, line);
    const kindText = cell(cells, 'kind');
    const kind = parseDayKind(kindText);
    if (!kindText) bad('kind', '类型不能为空（休 或 班）');
    else if (!kind) bad('kind', `类型“${kindText}”无法识别，应为：休（放假）或 班（调休上班）`);
    const name = cell(cells, 'name');
    if (name.length > NAME_MAX) bad('name', `名称过长（最多 ${NAME_MAX} 个字符）`);
    if (date && kind && yearOf(date) === year && firstLine.get(date) === line && !problems.some((p) => p.line === line)) {
      days.push({ line, date, isWorkday: kind === 'workday', name: kind === 'workday' && name && !name.includes('班') ? `${name}调休上班` : name });
    }
  }
  if (problems.length > 0) throw CalendarException.importInvalid(data.length, problems, maxListed);
  if (!days.some((d) => !d.isWorkday)) throw CalendarException.importInvalid(data.length, [{ line: header.line, field: CALENDAR_COLUMN_LABELS.kind, reason: `文件没有 ${year} 年的放假日（休）` }], maxListed);
  return { rows: data.length, days };
}

/** The template: New Year's Day as the example, with a make-up working day. */
export function calendarTemplate(nowMs = Date.now()): Promise<Buffer> {
  const year = yearOf(shanghaiDateOf(nowMs)) + 1;
  const rows = [
    { date: `${year}-01-01`, kind: '休', name: '元旦' },
    { date: `${year}-02-07`, kind: '班', name: '春节调休上班' },
  ];
  return buildWorkbook('节假日安排', CALENDAR_COLUMNS.map((col) => ({ header: CALENDAR_COLUMN_LABELS[col], value: (r: (typeof rows)[number]) => r[col] })), rows, nowMs);
}

/**
 * What the county organization department is told about the calendar on `today`: the current year
 * without holiday data, and from 1 November the next year without it, until each is imported.
 */
export function missingCalendarYears(today: LocalDate, yearsWithData: ReadonlySet<number>): number[] {
  const year = yearOf(today);
  const missing: number[] = [];
  if (!yearsWithData.has(year)) missing.push(year);
  if (today.slice(5) >= '11-01' && !yearsWithData.has(year + 1)) missing.push(year + 1);
  return missing;
}
