import { Workbook } from 'exceljs';
import { SHANGHAI_UTC_OFFSET_MS, type LocalDate } from '../../../../libs/domain';

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type CellValue = string | number | Date | null | undefined;

/** One column of an exported sheet: its Chinese header, how a row fills it, and its kind. */
export interface SheetColumn<R> {
  header: string;
  value: (row: R) => CellValue;
  /** date: a day ('yyyy-mm-dd'); datetime: a Shanghai wall-clock time ('yyyy-mm-dd hh:mm'). */
  kind?: 'text' | 'number' | 'date' | 'datetime';
  /** Background colour (ARGB) of a cell, e.g. the traffic light of a track status. */
  fill?: (row: R) => string | undefined;
}

const DATE_FORMAT = 'yyyy-mm-dd';
const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm';
/** Widest a column grows; longer text wraps. */
const MAX_WIDTH = 60;
const MIN_WIDTH = 6;

/**
 * Text that a spreadsheet program would read as a formula once the cell is edited or the sheet saved
 * as CSV: one beginning with = + - @, a tab or a carriage return. OWASP's CSV-injection advice: begin such
 * text with a ' so it stays text. Numbers are not text and stay numbers, negative ones included.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell's value as exported: formula-looking text gets a leading '. */
export function safeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** A cell's value as exported: text made safe, everything else as it is. Every exported cell passes here. */
export function safeCell(value: CellValue): CellValue {
  return typeof value === 'string' ? safeText(value) : value;
}

/** A day as an Excel date: midnight UTC of that calendar day, so Excel shows exactly that day. */
export function excelDate(date: LocalDate | null | undefined): Date | null {
  if (!date) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
}

/** An instant as an Excel date-time showing Asia/Shanghai wall-clock time (Excel dates carry no zone). */
export function excelDateTime(instant: string | Date | null | undefined): Date | null {
  if (!instant) return null;
  const ms = instant instanceof Date ? instant.getTime() : Date.parse(instant);
  return Number.isNaN(ms) ? null : new Date(ms + SHANGHAI_UTC_OFFSET_MS);
}

/** East Asian wide characters (CJK, kana, Hangul, full-width forms) take two columns. */
function isWide(codePoint: number): boolean {
  return (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  );
}

/** Display width of text in Excel columns: a CJK character counts double; the longest line counts. */
export function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.split('\n')) {
    let w = 0;
    for (const ch of line) w += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
    widest = Math.max(widest, w);
  }
  return widest;
}

function cellWidth(value: CellValue, kind: SheetColumn<unknown>['kind']): number {
  if (value === null || value === undefined) return 0;
  if (value instanceof Date) return kind === 'datetime' ? DATETIME_FORMAT.length : DATE_FORMAT.length;
  return displayWidth(String(value));
}

/**
 * A workbook of one sheet: a bold, frozen header row of Chinese headers with an autofilter, one row
 * per item, dates as Excel dates, and columns as wide as their content (CJK counted double).
 */
export async function buildWorkbook<R>(sheetName: string, columns: SheetColumn<R>[], rows: R[], nowMs = Date.now()): Promise<Buffer> {
  const wb = new Workbook();
  wb.creator = '软弱涣散基层党组织整顿工作流引擎';
  wb.created = new Date(nowMs);
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });

  const widths = columns.map((c) => displayWidth(c.header));
  const header = ws.addRow(columns.map((c) => safeText(c.header)));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle' };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.border = { bottom: { style: 'thin' } };
  });

  for (const item of rows) {
    const values = columns.map((c) => {
      const v = c.value(item);
      return v === undefined ? null : safeCell(v);
    });
    const row = ws.addRow(values);
    columns.forEach((c, i) => {
      const cell = row.getCell(i + 1);
      const v = values[i];
      widths[i] = Math.max(widths[i], cellWidth(v, c.kind));
      if (v instanceof Date) cell.numFmt = c.kind === 'datetime' ? DATETIME_FORMAT : DATE_FORMAT;
      if (typeof v === 'string' && displayWidth(v) > MAX_WIDTH) cell.alignment = { wrapText: true, vertical: 'top' };
      const argb = c.fill?.(item);
      if (argb) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb } };
    });
  }

  columns.forEach((_c, i) => {
    ws.getColumn(i + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widths[i] + 2));
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };

  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

/**
 * Content-Disposition of a download: an ASCII file name for old clients and the Chinese one as
 * RFC 5987/6266 `filename*` (UTF-8, percent-encoded).
 */
export function attachmentDisposition(asciiName: string, name: string): string {
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encoded}`;
}
